// `.inputs.X` substitution, constant folding and printing of the template AST (FORMATS.md §8.3).
// The substitution copies every part and pipe it visits, so the input template is never modified.
#include "support/template_subst.h"

#include <set>

#include "support/template.h"
#include "support/template_functions.h"

namespace ork::tmpl {
namespace {

using nlohmann::json;

// ── offsets and the dot ──────────────────────────────────────────────────────

void anchorPipe(Pipe& p, uint32_t offset);

void anchorOperand(Operand& op, uint32_t offset) {
  op.offset = offset;
  if (op.pipe) {
    auto copy = std::make_shared<Pipe>(*op.pipe);
    anchorPipe(*copy, offset);
    op.pipe = std::move(copy);
  }
}

// Every offset of an inserted pipe becomes the offset of the `.inputs.X` it replaces.
void anchorPipe(Pipe& p, uint32_t offset) {
  p.offset = offset;
  for (Command& c : p.commands) {
    c.offset = offset;
    for (Operand& op : c.operands) anchorOperand(op, offset);
  }
}

void anchorParts(std::vector<Part>& parts, uint32_t offset) {
  for (Part& part : parts) {
    part.offset = offset;
    anchorPipe(part.pipe, offset);
    for (Branch& b : part.branches) {
      anchorPipe(b.cond, offset);
      anchorParts(b.body, offset);
    }
    anchorParts(part.body, offset);
    anchorParts(part.elseBody, offset);
  }
}

// A binding's operands read the CR's root from the dot; where the motif rebinds the dot (inside
// `range`/`with`), they must read it from `$`.
void rebasePipe(Pipe& p) {
  for (Command& c : p.commands)
    for (Operand& op : c.operands) {
      if (op.kind == OperandKind::Field && op.from == ".") op.from = "$";
      if (op.pipe) {
        auto copy = std::make_shared<Pipe>(*op.pipe);
        rebasePipe(*copy);
        op.pipe = std::move(copy);
      }
    }
}

void rebaseParts(std::vector<Part>& parts) {
  for (Part& part : parts) {
    rebasePipe(part.pipe);
    for (Branch& b : part.branches) {
      rebasePipe(b.cond);
      rebaseParts(b.body);
    }
    if (part.kind != PartKind::Range && part.kind != PartKind::With) rebaseParts(part.body);
    rebaseParts(part.elseBody);
  }
}

Operand literal(json v, uint32_t offset) {
  Operand op;
  op.kind = OperandKind::Literal;
  op.lit = std::move(v);
  op.offset = offset;
  return op;
}

Operand function(const std::string& name, uint32_t offset) {
  Operand op;
  op.kind = OperandKind::Function;
  op.fn = name;
  op.offset = offset;
  return op;
}

// `(cmd)` with trailing fields.
Operand parenthesised(Command cmd, std::vector<std::string> path, uint32_t offset) {
  auto pipe = std::make_shared<Pipe>();
  pipe->offset = offset;
  cmd.offset = offset;
  pipe->commands.push_back(std::move(cmd));
  Operand op;
  op.kind = OperandKind::Pipe;
  op.pipe = std::move(pipe);
  op.path = std::move(path);
  op.offset = offset;
  return op;
}

// A JSON value as an operand: scalars as literals, lists and maps as `list`/`dict` calls.
Operand valueOperand(const json& v, uint32_t offset) {
  if (!v.is_array() && !v.is_object()) return literal(v, offset);
  Command cmd;
  cmd.operands.push_back(function(v.is_array() ? "list" : "dict", offset));
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (v.is_object()) cmd.operands.push_back(literal(it.key(), offset));
    cmd.operands.push_back(valueOperand(*it, offset));
  }
  return parenthesised(std::move(cmd), {}, offset);
}

// An operand that evaluates `pipe` (a copy), followed by `path`: the pipe's single operand when it
// has one, else the parenthesised pipe.
Operand pipeOperand(const Pipe& pipe, std::vector<std::string> path, bool rebase, uint32_t offset) {
  Pipe copy = pipe;
  copy.vars.clear();
  if (rebase) rebasePipe(copy);
  anchorPipe(copy, offset);
  if (copy.commands.size() == 1 && copy.commands[0].operands.size() == 1) {
    Operand single = copy.commands[0].operands[0];
    if (single.kind == OperandKind::Field || (single.kind == OperandKind::Pipe && single.path.empty()) ||
        (path.empty() && single.kind == OperandKind::Literal)) {
      single.path.insert(single.path.end(), path.begin(), path.end());
      return single;
    }
  }
  Operand op;
  op.kind = OperandKind::Pipe;
  op.pipe = std::make_shared<Pipe>(std::move(copy));
  op.path = std::move(path);
  op.offset = offset;
  return op;
}

bool expressible(const Template& t) {
  for (const Part& p : t.parts)
    if (p.kind != PartKind::Text && p.kind != PartKind::Emit) return false;
  return true;
}

bool declaresVariables(const std::vector<Part>& parts) {
  for (const Part& p : parts)
    if (p.kind == PartKind::Set || (p.kind == PartKind::Emit && !p.pipe.vars.empty())) return true;
  return false;
}

// ── substitution ─────────────────────────────────────────────────────────────

class Substituter {
 public:
  explicit Substituter(const InputBindings& bindings) : bindings_(bindings) {}

  std::vector<InputIssue> issues;
  bool changed = false;

  // `rebound`: the dot is not the root here (inside a range or with body).
  void parts(std::vector<Part>& ps, bool rebound) {
    for (size_t i = 0; i < ps.size(); ++i) {
      Part& part = ps[i];
      switch (part.kind) {
        case PartKind::Text: break;
        case PartKind::Emit:
          if (std::optional<std::vector<Part>> spliced = splice(part, rebound)) {
            auto at = ps.erase(ps.begin() + static_cast<std::ptrdiff_t>(i));
            ps.insert(at, spliced->begin(), spliced->end());
            i = i + spliced->size() - 1;  // a splice is never empty: a binding template has an action
            break;
          }
          pipe(part.pipe, rebound);
          break;
        case PartKind::Set: pipe(part.pipe, rebound); break;
        case PartKind::If:
          for (Branch& b : part.branches) {
            pipe(b.cond, rebound);
            parts(b.body, rebound);
          }
          parts(part.elseBody, rebound);
          break;
        case PartKind::Range:
        case PartKind::With:
          pipe(part.pipe, rebound);
          parts(part.body, true);
          parts(part.elseBody, rebound);
          break;
      }
    }
  }

 private:
  bool readsInputs(const Operand& op, bool rebound) const {
    return op.kind == OperandKind::Field && !op.path.empty() && op.path[0] == "inputs" &&
           (op.from == "$" || (op.from == "." && !rebound));
  }

  // `{{ .inputs.host }}` bound to mixed text: the binding's parts take the action's place.
  std::optional<std::vector<Part>> splice(const Part& part, bool rebound) {
    const Pipe& p = part.pipe;
    if (!p.vars.empty() || p.commands.size() != 1 || p.commands[0].operands.size() != 1) return std::nullopt;
    const Operand& op = p.commands[0].operands[0];
    if (!readsInputs(op, rebound) || op.path.size() != 2) return std::nullopt;
    auto it = bindings_.find(op.path[1]);
    if (it == bindings_.end() || it->second.kind != InputBinding::Kind::Text || !it->second.tmpl)
      return std::nullopt;
    changed = true;
    std::vector<Part> out = it->second.tmpl->parts;
    if (rebound) rebaseParts(out);
    anchorParts(out, op.offset);
    if (!declaresVariables(out)) return out;
    Part scope;  // `{{ if true }}…{{ end }}` keeps the binding's variables out of the motif's scope
    scope.kind = PartKind::If;
    scope.offset = op.offset;
    Branch b;
    b.cond.offset = op.offset;
    Command c;
    c.offset = op.offset;
    c.operands.push_back(literal(true, op.offset));
    b.cond.commands.push_back(std::move(c));
    b.body = std::move(out);
    scope.branches.push_back(std::move(b));
    return std::vector<Part>{std::move(scope)};
  }

  void pipe(Pipe& p, bool rebound) {
    for (Command& c : p.commands)
      for (Operand& op : c.operands) operand(op, rebound);
  }

  void operand(Operand& op, bool rebound) {
    if (op.kind == OperandKind::Pipe && op.pipe) {
      auto copy = std::make_shared<Pipe>(*op.pipe);
      pipe(*copy, rebound);
      op.pipe = std::move(copy);
      return;
    }
    if (!readsInputs(op, rebound)) return;
    uint32_t nameOffset = op.offset + static_cast<uint32_t>(op.from == "$" ? 8 : 7);  // past `.inputs`
    if (op.path.size() == 1) {  // `.inputs` alone: a dict of every input
      Command cmd;
      cmd.operands.push_back(function("dict", op.offset));
      for (const auto& [name, binding] : bindings_) {
        cmd.operands.push_back(literal(name, op.offset));
        std::optional<Operand> v = replacement(name, binding, {}, op.offset, nameOffset, rebound);
        if (!v) return;
        cmd.operands.push_back(std::move(*v));
      }
      op = parenthesised(std::move(cmd), {}, op.offset);
      changed = true;
      return;
    }
    const std::string& name = op.path[1];
    auto it = bindings_.find(name);
    if (it == bindings_.end()) {
      issues.push_back(
          {InputIssue::Kind::Undeclared, name, nameOffset + 1, static_cast<uint32_t>(name.size())});
      return;
    }
    std::vector<std::string> rest(op.path.begin() + 2, op.path.end());
    std::optional<Operand> v =
        replacement(name, it->second, std::move(rest), op.offset, nameOffset + 1, rebound);
    if (!v) return;
    op = std::move(*v);
    changed = true;
  }

  std::optional<Operand> replacement(const std::string& name, const InputBinding& b,
                                     std::vector<std::string> rest, uint32_t offset, uint32_t nameOffset,
                                     bool rebound) {
    switch (b.kind) {
      case InputBinding::Kind::Value: {
        Operand v = valueOperand(b.value, offset);
        if (rest.empty()) return v;
        if (v.kind == OperandKind::Pipe) {
          v.path = std::move(rest);
          return v;
        }
        Command cmd;
        cmd.operands.push_back(std::move(v));
        return parenthesised(std::move(cmd), std::move(rest), offset);
      }
      case InputBinding::Kind::Pipe:
        if (!b.tmpl || !b.tmpl->isSingleAction()) return std::nullopt;
        return pipeOperand(b.tmpl->parts[0].pipe, std::move(rest), rebound, offset);
      case InputBinding::Kind::Text: {
        if (!b.tmpl || !expressible(*b.tmpl)) {
          issues.push_back(
              {InputIssue::Kind::NotExpressible, name, nameOffset, static_cast<uint32_t>(name.size())});
          return std::nullopt;
        }
        Command cmd;
        cmd.operands.push_back(function("print", offset));
        bool lastWasAction = false;
        for (const Part& part : b.tmpl->parts) {
          if (part.kind == PartKind::Text) {
            cmd.operands.push_back(literal(part.text, offset));
            lastWasAction = false;
            continue;
          }
          if (lastWasAction) cmd.operands.push_back(literal("", offset));
          cmd.operands.push_back(pipeOperand(part.pipe, {}, rebound, offset));
          lastWasAction = true;
        }
        return parenthesised(std::move(cmd), std::move(rest), offset);
      }
    }
    return std::nullopt;
  }

  const InputBindings& bindings_;
};

// ── constant folding ─────────────────────────────────────────────────────────

const std::set<std::string> kImpure = {"randomAlphanumeric", "randomHex", "randomBase64", "now",
                                       "timeSince",          "timeUntil", "weekday",      "inBusinessHours"};

bool pureParts(const std::vector<Part>& parts);

bool purePipe(const Pipe& p) {
  for (const Command& c : p.commands)
    for (const Operand& op : c.operands) {
      switch (op.kind) {
        case OperandKind::Literal: break;
        case OperandKind::Field:
          if (op.from == "." || op.from == "$") return false;
          break;
        case OperandKind::Function:
          if (kImpure.count(op.fn) || !isFunction(op.fn)) return false;
          break;
        case OperandKind::Pipe:
          if (!op.pipe || !purePipe(*op.pipe)) return false;
          break;
      }
    }
  return true;
}

bool pureParts(const std::vector<Part>& parts) {
  for (const Part& part : parts) {
    if (part.kind == PartKind::Text) continue;
    if (!purePipe(part.pipe)) return false;
    for (const Branch& b : part.branches)
      if (!purePipe(b.cond) || !pureParts(b.body)) return false;
    if (!pureParts(part.body) || !pureParts(part.elseBody)) return false;
  }
  return true;
}

// ── printing ─────────────────────────────────────────────────────────────────

std::string formatLiteral(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return "nil";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case json::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case json::value_t::number_float: {
      std::string s = formatFloat(v.get<double>());
      if (s.find_first_of(".eIN") == std::string::npos) s += ".0";
      return s;
    }
    case json::value_t::string: return goQuote(v.get<std::string>());
    case json::value_t::array:
    case json::value_t::binary:
    case json::value_t::object: return goQuote(v.dump());
  }
  return "nil";
}

std::string fields(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& p : path) out += "." + p;
  return out;
}

std::string formatOperand(const Operand& op) {
  switch (op.kind) {
    case OperandKind::Literal: return formatLiteral(op.lit);
    case OperandKind::Function: return op.fn;
    case OperandKind::Field:
      if (op.from == ".") return op.path.empty() ? "." : fields(op.path);
      return op.from + fields(op.path);
    case OperandKind::Pipe:
      return "(" + (op.pipe ? formatPipe(*op.pipe) : std::string()) + ")" + fields(op.path);
  }
  return "";
}

void formatParts(const std::vector<Part>& parts, std::string& out) {
  for (const Part& part : parts) {
    switch (part.kind) {
      case PartKind::Text: out += part.text; break;
      case PartKind::Emit:
      case PartKind::Set: out += "{{ " + formatPipe(part.pipe) + " }}"; break;
      case PartKind::If:
        for (size_t i = 0; i < part.branches.size(); ++i) {
          out += (i == 0 ? "{{ if " : "{{ else if ") + formatPipe(part.branches[i].cond) + " }}";
          formatParts(part.branches[i].body, out);
        }
        if (!part.elseBody.empty()) {
          out += "{{ else }}";
          formatParts(part.elseBody, out);
        }
        out += "{{ end }}";
        break;
      case PartKind::Range:
      case PartKind::With:
        out += (part.kind == PartKind::Range ? "{{ range " : "{{ with ") + formatPipe(part.pipe) + " }}";
        formatParts(part.body, out);
        if (!part.elseBody.empty()) {
          out += "{{ else }}";
          formatParts(part.elseBody, out);
        }
        out += "{{ end }}";
        break;
    }
  }
}

}  // namespace

SubstResult substituteInputs(const Template& t, const InputBindings& bindings) {
  Substituter s(bindings);
  auto out = std::make_shared<Template>(t);
  s.parts(out->parts, false);
  SubstResult r;
  r.issues = std::move(s.issues);
  if (!s.changed) return r;
  out->source = formatTemplate(*out);
  r.tmpl = std::move(out);
  return r;
}

std::optional<json> constantValue(const Template& t) {
  if (!pureParts(t.parts)) return std::nullopt;
  static const json kNoData = json::object();
  EvalContext ctx;
  ctx.data = &kNoData;
  FixedClock clock(0);
  ctx.clock = &clock;
  Result<json> r = evaluateValue(t, ctx);
  if (!r.ok()) return std::nullopt;
  return *r.value;
}

std::string formatPipe(const Pipe& p) {
  std::string out;
  if (!p.vars.empty()) {
    for (size_t i = 0; i < p.vars.size(); ++i) out += (i ? ", " : "") + p.vars[i];
    out += p.decl ? " := " : " = ";
  }
  for (size_t i = 0; i < p.commands.size(); ++i) {
    if (i) out += " | ";
    const Command& c = p.commands[i];
    for (size_t j = 0; j < c.operands.size(); ++j) out += (j ? " " : "") + formatOperand(c.operands[j]);
  }
  return out;
}

std::string formatTemplate(const Template& t) {
  std::string out;
  formatParts(t.parts, out);
  return out;
}

}  // namespace ork::tmpl
