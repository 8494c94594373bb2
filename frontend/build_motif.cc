// Motif builder (FORMATS.md §8.1): validate the document, check inputs (unique names, required
// excludes default, defaults fit their type), refuse admission.conversion, fill doc.inputs.
#include <cstdlib>

#include "frontend/build_common.h"
#include "frontend/loader.h"
#include "frontend/schema.h"
#include "frontend/shapes.h"
#include "support/scalars.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::Node;
using ir::NodeKind;

/// `int`, `float`, `bool` are older spellings (accepted with a warning).
std::string canonicalInputType(const std::string& t) {
  if (t == "int") return "integer";
  if (t == "float") return "number";
  if (t == "bool") return "boolean";
  return t.empty() ? "string" : t;
}

/// Whether a literal default fits the input's type. Templates fit every type (they are
/// rendered at expansion); numeric and boolean strings fit as in §5.3.
bool defaultFits(const Node& v, const std::string& type) {
  if (isTemplate(v)) return true;
  if (!v.isScalar()) return false;
  if (type == "string") return true;
  if (type == "integer") return v.kind == NodeKind::Int || (v.isString() && isIntegerText(v.text));
  if (type == "number")
    return v.kind == NodeKind::Int || v.kind == NodeKind::Float || (v.isString() && isNumberText(v.text));
  if (type == "boolean") {
    std::string t = toLower(v.text);
    return v.kind == NodeKind::Bool || (v.isString() && (t == "true" || t == "false"));
  }
  return true;
}

/// One `inputs[i]` entry: type spelling, required/default rules.
ir::MotifInput buildInput(Node& item, const std::string& path, DiagnosticEngine& diags) {
  ir::MotifInput in;
  in.span = item.span;
  in.name = located(item.get("name"));
  in.required = boolOr(item.get("required"), false);
  if (Node* type = item.get("type"); type && type->isScalar() && !type->isNull()) {
    std::string canonical = canonicalInputType(type->text);
    if (canonical != type->text) {
      Diagnostic& d = diags.report(DiagCode::DeprecatedShape, type->span,
                                   childPath(path, "type") + ": '" + type->text + "' is deprecated; use '" +
                                       canonical + "'");
      d.path = childPath(path, "type");
      type->text = canonical;  // normalised: passes read the canonical name
    }
    in.type = canonical;
  }
  const ir::MapEntry* def = item.entry("default");
  if (!def || def->value->isNull()) return in;  // `default: null` means no default
  if (in.required) {
    Diagnostic& d = diags.report(DiagCode::MotifInputDefault, def->keySpan,
                                 path + ": input '" + in.name.value + "' is required, so it cannot have a default");
    d.path = childPath(path, "default");
    if (const ir::MapEntry* req = item.entry("required")) diags.note(req->keySpan, "required here");
    diags.help("remove 'default', or make the input optional with 'required: false'");
    return in;
  }
  if (!defaultFits(*def->value, in.type)) {
    Diagnostic& d = diags.report(DiagCode::MotifInputDefault, def->value->span,
                                 childPath(path, "default") + ": " + shownValue(*def->value) + " does not fit type " +
                                     in.type);
    d.path = childPath(path, "default");
    return in;
  }
  in.defaultValue = def->value.get();
  return in;
}

void buildInputs(Node& root, ir::Document& doc, DiagnosticEngine& diags) {
  Node* inputs = root.get("inputs");
  if (!inputs || !inputs->isList()) return;
  for (size_t i = 0; i < inputs->items.size(); ++i) {
    Node& item = *inputs->items[i];
    if (!item.isMap()) continue;  // reported by the shape
    std::string path = indexPath("inputs", i);
    ir::MotifInput in = buildInput(item, path, diags);
    if (!in.name.value.empty()) {
      for (const ir::MotifInput& other : doc.inputs) {
        if (other.name.value != in.name.value) continue;
        Diagnostic& d = diags.report(DiagCode::DuplicateName, in.name.span,
                                     childPath(path, "name") + ": input '" + in.name.value + "' is declared twice");
        d.path = childPath(path, "name");
        diags.note(other.name.span, "first declared here");
        break;
      }
    }
    doc.inputs.push_back(std::move(in));
  }
}

void checkNoConversion(const Node& root, DiagnosticEngine& diags) {
  const Node* admission = root.get("admission");
  if (!admission || !admission->isMap()) return;
  const ir::MapEntry* conversion = admission->entry("conversion");
  if (!conversion) return;
  Diagnostic& d = diags.report(DiagCode::MotifConversion, conversion->keySpan,
                               "'admission.conversion' cannot be used in a Motif; only a CRD entry converts "
                               "between its versions");
  d.path = "admission.conversion";
  diags.help("move the conversion rules to the admission of the CRD entry that imports this motif");
}

}  // namespace

bool buildMotif(LoadContext& ctx, ir::Document& doc) {
  Node& root = *doc.root;
  size_t errorsBefore = ctx.diags.errorCount();
  validateShape(root, *motifShape(), "", ctx.diags);
  extractMetadata(root, doc, ctx.diags);
  buildInputs(root, doc, ctx.diags);
  checkNoConversion(root, ctx.diags);
  return ctx.diags.errorCount() == errorsBefore;
}

}  // namespace ork::frontend
