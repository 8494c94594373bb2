// Evaluator of parsed templates (FORMATS.md §7.2): walks parts over nlohmann::json data with Go
// text/template semantics; render errors are returned as values with the failing offset.
#include <map>

#include "support/template.h"
#include "support/template_functions.h"

namespace ork::tmpl {
namespace {

using nlohmann::json;

class Evaluator {
 public:
  Evaluator(const EvalContext& ctx, FunctionEnv& env)
      : ctx_(ctx), env_(env), root_(ctx.data ? *ctx.data : null_) {}

  bool walk(const std::vector<Part>& parts, const json& dot, std::string& out) {
    for (const Part& part : parts)
      if (!walkPart(part, dot, out)) return false;
    return true;
  }

  bool evalPipe(const Pipe& pipe, const json& dot, json& result, bool bindVars = true) {
    json value;
    bool piped = false;
    for (const Command& cmd : pipe.commands) {
      json next;
      if (!evalCommand(cmd, dot, piped ? &value : nullptr, next)) return false;
      value = std::move(next);
      piped = true;
    }
    if (bindVars && !pipe.vars.empty()) {
      if (pipe.decl) {
        vars_.emplace_back(pipe.vars.front(), value);
      } else {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
          if (it->first == pipe.vars.front()) {
            it->second = value;
            break;
          }
      }
    }
    result = std::move(value);
    return true;
  }

  RenderError error;

 private:
  bool fail(std::string message, uint32_t offset, std::string help = {}) {
    error = {std::move(message), offset, std::move(help)};
    return false;
  }

  bool walkPart(const Part& part, const json& dot, std::string& out) {
    switch (part.kind) {
      case PartKind::Text: out += part.text; return true;
      case PartKind::Emit: {
        json v;
        if (!evalPipe(part.pipe, dot, v)) return false;
        Result<std::string> text = printValue(v, part.pipe.offset);
        if (!text.ok()) return fail(text.error.message, text.error.offset, text.error.help);
        out += *text.value;
        return true;
      }
      case PartKind::Set: {
        json v;
        return evalPipe(part.pipe, dot, v);
      }
      case PartKind::If: return walkIf(part, dot, out);
      case PartKind::Range: return walkRange(part, dot, out);
      case PartKind::With: {
        size_t mark = vars_.size();
        json v;
        if (!evalPipe(part.pipe, dot, v)) return false;
        bool ok = truthy(v) ? walk(part.body, v, out) : walk(part.elseBody, dot, out);
        vars_.resize(mark);
        return ok;
      }
    }
    return true;
  }

  bool walkIf(const Part& part, const json& dot, std::string& out) {
    size_t mark = vars_.size();
    bool ok = true, taken = false;
    for (const Branch& b : part.branches) {
      json v;
      if (!evalPipe(b.cond, dot, v)) return false;
      if (truthy(v)) {
        ok = walk(b.body, dot, out);
        taken = true;
        break;
      }
    }
    if (!taken) ok = walk(part.elseBody, dot, out);
    vars_.resize(mark);
    return ok;
  }

  bool walkRange(const Part& part, const json& dot, std::string& out) {
    size_t mark = vars_.size();
    json v;
    if (!evalPipe(part.pipe, dot, v, false)) return false;
    if (!v.is_null() && !v.is_array() && !v.is_object())
      return fail("range can't iterate over " + typeName(v), part.pipe.offset);
    if (v.empty()) {
      bool ok = walk(part.elseBody, dot, out);
      vars_.resize(mark);
      return ok;
    }
    size_t index = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++index) {
      json key = v.is_object() ? json(it.key()) : json(static_cast<int64_t>(index));
      vars_.resize(mark);
      if (part.pipe.vars.size() == 1) vars_.emplace_back(part.pipe.vars[0], *it);
      if (part.pipe.vars.size() == 2) {
        vars_.emplace_back(part.pipe.vars[0], key);
        vars_.emplace_back(part.pipe.vars[1], *it);
      }
      if (!walk(part.body, *it, out)) return false;
    }
    vars_.resize(mark);
    return true;
  }

  const json* variable(const std::string& name) const {
    if (name == "$") return &root_;
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
      if (it->first == name) return &it->second;
    return nullptr;
  }

  // Follows field names; missing keys and nil give nil (§7.1), a field of a scalar is an error.
  bool follow(json value, const std::vector<std::string>& path, uint32_t offset, json& result) {
    for (const std::string& name : path) {
      if (value.is_null()) break;
      if (!value.is_object())
        return fail("can't evaluate field " + name + " in type " + typeName(value), offset);
      auto it = value.find(name);
      value = it == value.end() ? json() : *it;
    }
    result = std::move(value);
    return true;
  }

  bool evalOperand(const Operand& op, const json& dot, json& result) {
    switch (op.kind) {
      case OperandKind::Literal: result = op.lit; return true;
      case OperandKind::Field: {
        const json* base = op.from == "." ? &dot : variable(op.from);
        if (!base) return fail("undefined variable \"" + op.from + "\"", op.offset);
        return follow(*base, op.path, op.offset, result);
      }
      case OperandKind::Pipe: {
        json v;
        if (!evalPipe(*op.pipe, dot, v, false)) return false;
        return follow(std::move(v), op.path, op.offset, result);
      }
      case OperandKind::Function: return call(op, {}, dot, nullptr, result);
    }
    return true;
  }

  bool evalCommand(const Command& cmd, const json& dot, const json* piped, json& result) {
    const Operand& head = cmd.operands.front();
    if (head.kind != OperandKind::Function) return evalOperand(head, dot, result);
    return call(head, std::vector<Operand>(cmd.operands.begin() + 1, cmd.operands.end()), dot, piped, result);
  }

  bool call(const Operand& fn, const std::vector<Operand>& argOps, const json& dot, const json* piped,
            json& result) {
    if (fn.fn == "and" || fn.fn == "or") return shortCircuit(fn, argOps, dot, piped, result);
    if (!isFunction(fn.fn)) {
      if (!ctx_.note) return fail("unknown function '" + fn.fn + "'", fn.offset);
      if (!argOps.empty() || piped) return fail("note '" + fn.fn + "' takes no arguments", fn.offset);
      Result<json> r = ctx_.note(fn.fn);
      if (!r.ok()) return fail(r.error.message, fn.offset, r.error.help);
      result = std::move(*r.value);
      return true;
    }
    std::vector<json> args;
    for (const Operand& op : argOps) {
      json v;
      if (!evalOperand(op, dot, v)) return false;
      args.push_back(std::move(v));
    }
    if (piped) args.push_back(*piped);
    Result<json> r = callFunction(fn.fn, args, env_, fn.offset);
    if (!r.ok()) return fail(r.error.message, r.error.offset, r.error.help);
    result = std::move(*r.value);
    return true;
  }

  // `and` returns the first false argument or the last; `or` the first true one or the last.
  bool shortCircuit(const Operand& fn, const std::vector<Operand>& argOps, const json& dot, const json* piped,
                    json& result) {
    size_t count = argOps.size() + (piped ? 1 : 0);
    if (count == 0)
      return fail("wrong number of arguments for " + fn.fn + ": want at least 1, got 0", fn.offset);
    bool wantTrue = fn.fn == "or";
    for (size_t i = 0; i < count; ++i) {
      json v;
      if (i < argOps.size()) {
        if (!evalOperand(argOps[i], dot, v)) return false;
      } else {
        v = *piped;
      }
      if (truthy(v) == wantTrue || i + 1 == count) {
        result = std::move(v);
        return true;
      }
    }
    return true;
  }

  const EvalContext& ctx_;
  FunctionEnv& env_;
  json null_;
  const json& root_;
  std::vector<std::pair<std::string, json>> vars_;
};

struct Env {
  SeededRandom fallbackRandom{0};
  FunctionEnv env;
  explicit Env(const EvalContext& ctx)
      : env{ctx.clock ? *ctx.clock : systemClock(), ctx.random ? *ctx.random : fallbackRandom} {}
};

}  // namespace

bool truthy(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return false;
    case json::value_t::boolean: return v.get<bool>();
    case json::value_t::number_integer: return v.get<int64_t>() != 0;
    case json::value_t::number_unsigned: return v.get<uint64_t>() != 0;
    case json::value_t::number_float: return v.get<double>() != 0;
    case json::value_t::string: return !v.get_ref<const std::string&>().empty();
    case json::value_t::array:
    case json::value_t::object:
    case json::value_t::binary: return !v.empty();
  }
  return false;
}

Result<std::string> render(const Template& t, const EvalContext& ctx) {
  Env env(ctx);
  Evaluator ev(ctx, env.env);
  std::string out;
  if (!ev.walk(t.parts, ctx.data ? *ctx.data : json(), out))
    return Result<std::string>::fail(ev.error.message, ev.error.offset, ev.error.help);
  Result<std::string> r;
  r.value = std::move(out);
  return r;
}

Result<json> evaluateValue(const Template& t, const EvalContext& ctx) {
  if (!t.isSingleAction()) {
    Result<std::string> text = render(t, ctx);
    if (!text.ok()) return Result<json>::fail(text.error.message, text.error.offset, text.error.help);
    Result<json> r;
    r.value = json(std::move(*text.value));
    return r;
  }
  Env env(ctx);
  Evaluator ev(ctx, env.env);
  json v;
  if (!ev.evalPipe(t.parts[0].pipe, ctx.data ? *ctx.data : json(), v))
    return Result<json>::fail(ev.error.message, ev.error.offset, ev.error.help);
  Result<json> r;
  r.value = std::move(v);
  return r;
}

}  // namespace ork::tmpl
