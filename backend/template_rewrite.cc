// Template rewrites (see template_rewrite.h): the original parts run with their output captured in
// a variable ($__ork_out = print $__ork_out <part>), then a tail reads the variable.
#include "backend/template_rewrite.h"

#include <algorithm>

namespace ork::backend {
namespace {

using tmpl::Command;
using tmpl::Operand;
using tmpl::OperandKind;
using tmpl::Part;
using tmpl::PartKind;
using tmpl::Pipe;

const char* const kVar = "$__ork_out";

Operand fnOp(std::string name, uint32_t offset) {
  Operand o;
  o.kind = OperandKind::Function;
  o.fn = std::move(name);
  o.offset = offset;
  return o;
}

Operand varOp(uint32_t offset) {
  Operand o;
  o.kind = OperandKind::Field;
  o.from = kVar;
  o.offset = offset;
  return o;
}

Operand litOp(nlohmann::json v, uint32_t offset) {
  Operand o;
  o.kind = OperandKind::Literal;
  o.lit = std::move(v);
  o.offset = offset;
  return o;
}

Operand pipeOp(Pipe p, uint32_t offset) {
  Operand o;
  o.kind = OperandKind::Pipe;
  o.pipe = std::make_shared<Pipe>(std::move(p));
  o.offset = offset;
  return o;
}

Pipe pipeOf(std::vector<Operand> operands, uint32_t offset) {
  Pipe p;
  p.offset = offset;
  Command c;
  c.offset = offset;
  c.operands = std::move(operands);
  p.commands.push_back(std::move(c));
  return p;
}

/// `{{ $__ork_out = print $__ork_out <value> }}` (`:=` and the value alone when declaring).
Part setVar(Operand value, uint32_t offset, bool decl = false) {
  Part p;
  p.kind = PartKind::Set;
  p.offset = offset;
  p.pipe = decl ? pipeOf({std::move(value)}, offset)
                : pipeOf({fnOp("print", offset), varOp(offset), std::move(value)}, offset);
  p.pipe.vars = {kVar};
  p.pipe.decl = decl;
  return p;
}

std::vector<Part> capture(const std::vector<Part>& parts) {
  std::vector<Part> out;
  for (const Part& part : parts) {
    switch (part.kind) {
      case PartKind::Text: out.push_back(setVar(litOp(part.text, part.offset), part.offset)); break;
      case PartKind::Emit: out.push_back(setVar(pipeOp(part.pipe, part.pipe.offset), part.offset)); break;
      case PartKind::Set: out.push_back(part); break;
      case PartKind::If: {
        Part p = part;
        for (tmpl::Branch& b : p.branches) b.body = capture(b.body);
        p.elseBody = capture(part.elseBody);
        out.push_back(std::move(p));
        break;
      }
      case PartKind::Range:
      case PartKind::With: {
        Part p = part;
        p.body = capture(part.body);
        p.elseBody = capture(part.elseBody);
        out.push_back(std::move(p));
        break;
      }
    }
  }
  return out;
}

/// The declaration, the captured parts of `t`, then `tail`.
std::shared_ptr<const tmpl::Template> captured(const tmpl::Template& t, std::vector<Part> tail) {
  auto out = std::make_shared<tmpl::Template>();
  out->source = t.source;
  out->parts.push_back(setVar(litOp("", 0), 0, true));
  for (Part& p : capture(t.parts)) out->parts.push_back(std::move(p));
  for (Part& p : tail) out->parts.push_back(std::move(p));
  return out;
}

Part textPart(std::string text) {
  Part p;
  p.kind = PartKind::Text;
  p.text = std::move(text);
  return p;
}

/// `(trim $__ork_out)`, lower-cased when asked.
Operand trimmedVar(bool lower) {
  Operand trimmed = pipeOp(pipeOf({fnOp("trim", 0), varOp(0)}, 0), 0);
  return lower ? pipeOp(pipeOf({fnOp("lower", 0), std::move(trimmed)}, 0), 0) : trimmed;
}

void callsIn(const Pipe& p, const std::vector<std::string>& fns, std::string& found);

void callsIn(const std::vector<Part>& parts, const std::vector<std::string>& fns, std::string& found) {
  for (const Part& part : parts) {
    callsIn(part.pipe, fns, found);
    for (const tmpl::Branch& b : part.branches) {
      callsIn(b.cond, fns, found);
      callsIn(b.body, fns, found);
    }
    callsIn(part.body, fns, found);
    callsIn(part.elseBody, fns, found);
  }
}

void callsIn(const Pipe& p, const std::vector<std::string>& fns, std::string& found) {
  for (const Command& c : p.commands) {
    for (const Operand& o : c.operands) {
      if (!found.empty()) return;
      if (o.kind == OperandKind::Function && std::find(fns.begin(), fns.end(), o.fn) != fns.end())
        found = o.fn;
      if (o.kind == OperandKind::Pipe && o.pipe) callsIn(*o.pipe, fns, found);
    }
  }
}

}  // namespace

std::shared_ptr<const tmpl::Template> base64Of(const tmpl::Template& t) {
  Part emit;
  emit.kind = PartKind::Emit;
  emit.pipe = pipeOf({fnOp("b64enc", 0), varOp(0)}, 0);
  return captured(t, {std::move(emit)});
}

std::shared_ptr<const tmpl::Template> textWhenTrue(const tmpl::Template& t, const std::string& text) {
  Part cond;
  cond.kind = PartKind::If;
  tmpl::Branch b;
  b.cond = pipeOf({fnOp("eq", 0), trimmedVar(true), litOp("true", 0)}, 0);
  b.body.push_back(textPart(text));
  cond.branches.push_back(std::move(b));
  return captured(t, {std::move(cond)});
}

std::shared_ptr<const tmpl::Template> selectByText(
    const tmpl::Template& t, const std::vector<std::pair<std::string, std::string>>& table) {
  Part cond;
  cond.kind = PartKind::If;
  for (const auto& [key, value] : table) {
    tmpl::Branch b;
    b.cond = pipeOf({fnOp("eq", 0), trimmedVar(false), litOp(key, 0)}, 0);
    b.body.push_back(textPart(value));
    cond.branches.push_back(std::move(b));
  }
  return captured(t, {std::move(cond)});
}

std::string firstCallOf(const tmpl::Template& t, const std::vector<std::string>& functions) {
  std::string found;
  callsIn(t.parts, functions, found);
  return found;
}

}  // namespace ork::backend
