// expand-motifs: binds each motif import, substitutes the bindings into a clone of the motif's
// templates and condition fields, decides constant conditions, then merges (passes/motif_merge.cc).
#include "passes/expand_motifs.h"

#include <cstdlib>

#include "ir/printer.h"
#include "passes/motif_conditions.h"
#include "passes/motif_merge.h"
#include "passes/parse_templates.h"
#include "support/scalars.h"
#include "support/strings.h"
#include "support/template.h"
#include "support/template_functions.h"
#include "support/template_subst.h"

namespace ork::passes {
namespace {

using nlohmann::json;

// A literal binding or default as its input's type (check-motif-bindings reported what does not fit;
// such a value keeps its own type).
json typedLiteral(const ir::Node& n, const std::string& type) {
  std::string t(trim(n.scalarText()));
  switch (n.kind) {
    case ir::NodeKind::Null: return nullptr;
    case ir::NodeKind::Bool: return type == "string" ? json(n.text) : json(n.boolValue);
    case ir::NodeKind::Int: return type == "string" ? json(n.text) : json(n.intValue);
    case ir::NodeKind::Float: return type == "string" ? json(n.text) : json(n.floatValue);
    case ir::NodeKind::String:
      if (type == "integer" && isIntegerText(t)) return json(std::strtoll(t.c_str(), nullptr, 10));
      if (type == "number" && isNumberText(t))
        return isIntegerText(t) ? json(std::strtoll(t.c_str(), nullptr, 10))
                                : json(std::strtod(t.c_str(), nullptr));
      if (type == "boolean" && (toLower(t) == "true" || toLower(t) == "false"))
        return json(toLower(t) == "true");
      return json(n.text);
    case ir::NodeKind::List:
    case ir::NodeKind::Map: break;
  }
  return json::parse(ir::nodeToJson(n), nullptr, false);
}

tmpl::InputBinding bindingOf(const ir::Node& n, const std::string& type) {
  tmpl::InputBinding b;
  if (n.isString() && tmpl::hasActions(n.text)) {
    std::shared_ptr<const tmpl::Template> t = n.parsed;
    if (!t) t = tmpl::parse(n.text).tmpl;  // defaults: parse-templates skips `inputs`
    if (t) {
      if (std::optional<json> c = tmpl::constantValue(*t)) {
        b.value = *c;
        return b;
      }
      b.kind = t->isSingleAction() ? tmpl::InputBinding::Kind::Pipe : tmpl::InputBinding::Kind::Text;
      b.tmpl = std::move(t);
      return b;
    }
  }
  b.value = typedLiteral(n, type);
  return b;
}

// The binding of every declared input: `with:` (as check-motif-bindings read it), else the default,
// else nil.
tmpl::InputBindings bindInputs(const ir::MotifImport& imp, const ir::Document& motif) {
  tmpl::InputBindings out;
  for (const ir::MotifInput& in : motif.inputs) {
    if (in.name.value.empty()) continue;
    const ir::Node* bound = imp.with && imp.with->isMap() ? imp.with->get(in.name.value) : nullptr;
    if (!bound) bound = in.defaultValue;
    out[in.name.value] = bound ? bindingOf(*bound, in.type) : tmpl::InputBinding{};
  }
  return out;
}

// A constant as a plain scalar node (span kept); false for lists and maps, which stay templates.
bool makeScalar(ir::Node& n, const json& v) {
  if (v.is_array() || v.is_object()) return false;
  n.parsed = nullptr;
  n.quoted = false;
  if (v.is_boolean()) {
    n.kind = ir::NodeKind::Bool;
    n.boolValue = v.get<bool>();
    n.text = n.boolValue ? "true" : "false";
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    n.kind = ir::NodeKind::Int;
    n.intValue = v.get<int64_t>();
    n.text = std::to_string(n.intValue);
  } else if (v.is_number_float()) {
    n.kind = ir::NodeKind::Float;
    n.floatValue = v.get<double>();
    n.text = tmpl::formatFloat(n.floatValue);
  } else {
    n.kind = ir::NodeKind::String;
    n.text = v.is_string() ? v.get<std::string>() : "";  // nil renders as empty text (§7.1)
    n.quoted = true;
  }
  return true;
}

class Expander {
 public:
  Expander(PassContext& ctx, const ir::Document& motif, const tmpl::InputBindings& bindings)
      : ctx_(ctx), motif_(motif), bindings_(bindings) {
    for (const ir::MotifInput& in : motif.inputs) declared_.push_back(in.name.value);
  }

  /// Substitutes in `n`; false when `n` is a conditioned mapping whose conditions decided it away.
  bool node(ir::Node& n, const std::string& path) {
    switch (n.kind) {
      case ir::NodeKind::Null:
      case ir::NodeKind::Bool:
      case ir::NodeKind::Int:
      case ir::NodeKind::Float: return true;
      case ir::NodeKind::String:
        if (n.parsed) scalar(n, path);
        return true;
      case ir::NodeKind::List: {
        std::vector<ir::NodePtr> kept;
        for (size_t i = 0; i < n.items.size(); ++i)
          if (node(*n.items[i], path + "[" + std::to_string(i) + "]")) kept.push_back(std::move(n.items[i]));
        n.items = std::move(kept);
        return true;
      }
      case ir::NodeKind::Map: return map(n, path);
    }
    return true;
  }

 private:
  std::string sub(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  bool map(ir::Node& n, const std::string& path) {
    bool keep = true;
    std::vector<ir::MapEntry> kept;
    for (ir::MapEntry& e : n.entries) {
      if ((e.key == "when" || e.key == "or") && e.value->isList()) {
        kept.push_back(std::move(e));
        continue;
      }
      if (node(*e.value, sub(path, e.key))) kept.push_back(std::move(e));
    }
    n.entries = std::move(kept);
    if (ir::Node* when = n.get("when")) {
      keep = conditions(*when, sub(path, "when"), false) && keep;
      if (when->items.empty()) n.take("when");
    }
    if (ir::Node* anyOf = n.get("or")) {
      bool hadItems = !anyOf->items.empty();
      bool satisfied = !conditions(*anyOf, sub(path, "or"), true);
      if (satisfied) {
        n.take("or");
      } else if (hadItems && anyOf->items.empty()) {
        keep = false;  // every alternative was false
      } else if (anyOf->items.empty()) {
        n.take("or");
      }
    }
    return keep;
  }

  // Substitutes in each condition and decides the constant ones, removing decided items. For `when`
  // returns false when one is false; for `or` (`anyOf`) returns false when one is true.
  bool conditions(ir::Node& list, const std::string& path, bool anyOf) {
    bool result = true;
    std::vector<ir::NodePtr> kept;
    for (size_t i = 0; i < list.items.size(); ++i) {
      ir::Node& cond = *list.items[i];
      std::string at = path + "[" + std::to_string(i) + "]";
      std::optional<json> constant;
      if (cond.isMap()) {
        for (ir::MapEntry& e : cond.entries) {
          if (e.key == "field") constant = field(*e.value, sub(at, "field"));
          if (e.key != "field" && e.value->isString() && tmpl::hasActions(e.value->text))
            value(*e.value, sub(at, e.key));
        }
      }
      std::optional<bool> decided;
      if (constant) {
        ConditionDecision d = decideConstantCondition(cond, *constant);
        if (d.nonNumeric) {
          const ir::Node* f = cond.get("field");
          Diagnostic& diag =
              ctx_.diags.report(DiagCode::MotifConditionOperand, f ? f->span : cond.span,
                                motifLabel() + ": condition " + at + " compares " + shown(*constant) +
                                    " with a numeric operator; it is always false");
          diag.path = at;
        }
        decided = d.result;
      }
      if (!decided) {
        kept.push_back(std::move(list.items[i]));
        continue;
      }
      if (anyOf && *decided) result = false;
      if (!anyOf && !*decided) result = false;
    }
    list.items = std::move(kept);
    return result;
  }

  // A condition's `field`: a template, or a dot path that may start with `inputs`. Returns its
  // constant value when substitution made it one.
  std::optional<json> field(ir::Node& f, const std::string& path) {
    if (f.parsed) {  // stays a template, so a condition left undecided still reads its value
      tmpl::SubstResult r = tmpl::substituteInputs(*f.parsed, bindings_);
      report(r.issues, f, path, 0);
      if (!r.tmpl) return std::nullopt;
      f.parsed = r.tmpl;
      std::optional<json> c = tmpl::constantValue(*r.tmpl);
      if (c && !r.tmpl->isSingleAction()) c = json(c->is_string() ? c->get<std::string>() : std::string());
      return c;
    }
    if (!f.isString() || (f.text != "inputs" && f.text.rfind("inputs.", 0) != 0)) return std::nullopt;
    // The dot path as the template `{{ .inputs.x… }}` whose operand sits at offset -1 of the text.
    tmpl::Template t;
    tmpl::Part part;
    part.kind = tmpl::PartKind::Emit;
    tmpl::Command cmd;
    tmpl::Operand op;
    op.kind = tmpl::OperandKind::Field;
    op.from = ".";
    op.path = split(f.text, '.');
    cmd.operands.push_back(op);
    part.pipe.commands.push_back(cmd);
    t.parts.push_back(part);
    tmpl::SubstResult r = tmpl::substituteInputs(t, bindings_);
    report(r.issues, f, path, -1);
    if (!r.tmpl) return std::nullopt;
    std::optional<json> constant = tmpl::constantValue(*r.tmpl);
    const tmpl::Pipe& p = r.tmpl->parts.size() == 1 ? r.tmpl->parts[0].pipe : tmpl::Pipe{};
    if (r.tmpl->isSingleAction() && p.commands.size() == 1 && p.commands[0].operands.size() == 1 &&
        p.commands[0].operands[0].kind == tmpl::OperandKind::Field && p.commands[0].operands[0].from == "." &&
        !p.commands[0].operands[0].path.empty()) {
      f.text = join(p.commands[0].operands[0].path, ".");  // still a dot path: `inputs.host` → `spec.host`
      return std::nullopt;
    }
    f.text = r.tmpl->source;  // a template field now (`{{ 9090 }}` when constant but left undecided)
    tmpl::ParseResult reparsed = tmpl::parse(f.text);
    f.parsed = reparsed.tmpl ? reparsed.tmpl : r.tmpl;
    return constant;
  }

  // A templated condition value (not parsed by parse-templates): substituted like any template.
  void value(ir::Node& v, const std::string& path) {
    if (!v.parsed) v.parsed = tmpl::parse(v.text).tmpl;
    if (v.parsed) scalar(v, path);  // a parse error is the shape check's
  }

  // Substitutes in one parsed template; returns its value when it became a constant.
  std::optional<json> scalar(ir::Node& n, const std::string& path) {
    tmpl::SubstResult r = tmpl::substituteInputs(*n.parsed, bindings_);
    report(r.issues, n, path, 0);
    if (!r.tmpl) return std::nullopt;
    if (std::optional<json> c = tmpl::constantValue(*r.tmpl)) {
      json v = r.tmpl->isSingleAction() ? *c : json(c->is_string() ? c->get<std::string>() : std::string());
      if (makeScalar(n, v)) return v;
    }
    n.parsed = r.tmpl;  // the node's text stays the motif's: the template's offsets point into it
    return std::nullopt;
  }

  void report(const std::vector<tmpl::InputIssue>& issues, const ir::Node& n, const std::string& path,
              int shift) {
    for (const tmpl::InputIssue& issue : issues) {
      uint32_t offset = static_cast<uint32_t>(static_cast<int64_t>(issue.offset) + shift);
      Span at = templateSpan(ctx_.sm, n, offset, issue.length);
      switch (issue.kind) {
        case tmpl::InputIssue::Kind::Undeclared: {
          std::string list = declared_.empty() ? "(none)" : join(declared_, ", ");
          Diagnostic& d =
              ctx_.diags.report(DiagCode::MotifUndeclaredInput, at,
                                motifLabel() + ": undeclared input \"" + issue.name +
                                    "\" — declared inputs: " + list + didYouMean(issue.name, declared_, '"'));
          d.path = path;
          break;
        }
        case tmpl::InputIssue::Kind::NotExpressible: {
          Diagnostic& d = ctx_.diags.report(
              DiagCode::MotifBindingNotExpression, at,
              motifLabel() + ": input \"" + issue.name +
                  "\" is bound to text with control actions, which cannot be used inside an expression");
          d.path = path;
          ctx_.diags.help("use it as a whole action ({{ .inputs." + issue.name +
                          " }}), or bind it to text without if, range, with or variables");
          break;
        }
      }
    }
  }

  std::string motifLabel() const { return "motif \"" + motif_.metadata.name.value + "\""; }

  static std::string shown(const json& v) {
    return v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
  }

  PassContext& ctx_;
  const ir::Document& motif_;
  const tmpl::InputBindings& bindings_;
  std::vector<std::string> declared_;
};

// The motif's contribution to one importing CRD: its parts cloned and expanded.
MotifContribution expand(const ir::MotifImport& imp, PassContext& ctx) {
  const ir::Document& motif = *imp.resolved;
  tmpl::InputBindings bindings = bindInputs(imp, motif);
  Expander expander(ctx, motif, bindings);
  MotifContribution c;
  c.motif = &motif;
  c.importSpan = imp.ref.span.valid() ? imp.ref.span : imp.span;
  for (auto [key, slot] : {std::pair<const char*, ir::NodePtr*>{"resources", &c.resources},
                           {"status", &c.status},
                           {"admission", &c.admission}}) {
    const ir::Node* part = motif.root ? motif.root->get(key) : nullptr;
    if (!part || !part->isMap()) continue;
    *slot = part->clone();
    expander.node(**slot, key);
  }
  return c;
}

class ExpandMotifsPass final : public Pass {
 public:
  std::string_view name() const override { return "expand-motifs"; }
  std::string_view summary() const override {
    return "motif imports substituted, decided and merged into their CRDs; imports consumed";
  }

  void run(ir::Module& module, PassContext& ctx) override {
    for (ir::CrdEntry& crd : module.composedCrds) {
      if (!crd.enabled || crd.imports.empty() || !crd.body) continue;
      std::vector<MotifContribution> contributions;
      for (const ir::MotifImport& imp : crd.imports)
        if (imp.resolved) contributions.push_back(expand(imp, ctx));
      crd.imports.clear();  // MotifImport::with points into the `imports` node taken next
      crd.body->take("imports");
      mergeMotifs(crd, contributions, ctx);
    }
  }
};

}  // namespace

std::string motifOrigin(const ir::Module& module, const ir::Node& node) {
  if (!node.span.valid()) return "";
  for (const auto& doc : module.documents) {
    if (doc->kind != ir::DocKind::Motif || doc->file != node.span.file) continue;
    const std::string& version = doc->metadata.version.value;
    return doc->metadata.name.value + (version.empty() ? "" : ":" + version);
  }
  return "";
}

namespace {

void collectContributions(const ir::Module& module, const ir::Node& node, FileId parentFile,
                          std::map<FileId, std::string>& labels,
                          std::map<const ir::Node*, std::string>& out) {
  if (node.span.valid() && node.span.file != parentFile) {
    auto it = labels.find(node.span.file);
    if (it == labels.end()) it = labels.emplace(node.span.file, motifOrigin(module, node)).first;
    if (!it->second.empty()) out.emplace(&node, it->second);
  }
  FileId file = node.span.valid() ? node.span.file : parentFile;
  for (const ir::NodePtr& item : node.items) collectContributions(module, *item, file, labels, out);
  for (const ir::MapEntry& e : node.entries) collectContributions(module, *e.value, file, labels, out);
}

}  // namespace

std::map<const ir::Node*, std::string> motifContributions(const ir::Module& module, const ir::CrdEntry& crd) {
  std::map<const ir::Node*, std::string> out;
  std::map<FileId, std::string> labels;
  if (crd.body) collectContributions(module, *crd.body, crd.body->span.file, labels, out);
  return out;
}

PassPtr createExpandMotifsPass() { return std::make_unique<ExpandMotifsPass>(); }

}  // namespace ork::passes
