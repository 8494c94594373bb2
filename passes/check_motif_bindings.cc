// check-motif-bindings: `with:` against the imported Motif's declared inputs (FORMATS.md §8.3).
#include "passes/check_motif_bindings.h"

#include "support/strings.h"

namespace ork::passes {
namespace {

bool isTemplateText(const ir::Node& n) { return n.isString() && n.text.find("{{") != std::string::npos; }

// Whether a literal binding can be read as the input's type (numeric and boolean strings count,
// as for resource fields, FORMATS.md §5.3).
bool fitsType(const ir::Node& v, const std::string& type) {
  if (v.isNull() || isTemplateText(v)) return true;
  std::string t = std::string(trim(v.scalarText()));
  if (type == "integer") {
    if (v.kind == ir::NodeKind::Int) return true;
    if (!v.isString() || t.empty()) return false;
    size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
    if (i == t.size()) return false;
    for (; i < t.size(); ++i)
      if (t[i] < '0' || t[i] > '9') return false;
    return true;
  }
  if (type == "number") {
    if (v.kind == ir::NodeKind::Int || v.kind == ir::NodeKind::Float) return true;
    if (!v.isString() || t.empty()) return false;
    char* end = nullptr;
    std::strtod(t.c_str(), &end);
    return end && *end == '\0';
  }
  if (type == "boolean") {
    if (v.kind == ir::NodeKind::Bool) return true;
    std::string l = toLower(t);
    return v.isString() && (l == "true" || l == "false");
  }
  return v.isScalar();  // string inputs take any scalar
}

class CheckMotifBindingsPass final : public Pass {
 public:
  std::string_view name() const override { return "check-motif-bindings"; }
  std::string_view summary() const override {
    return "motif imports bind declared inputs, every required input, with fitting literals";
  }

  void run(ir::Module& module, PassContext& ctx) override {
    // After merge-overrides, the composed CRDs are what runs: a Komposer may change `with:` (§8.3).
    if (!module.composedCrds.empty()) {
      for (const ir::CrdEntry& entry : module.composedCrds)
        if (entry.enabled) checkEntry(entry, ctx.diags);
      return;
    }
    for (const auto& doc : module.documents)
      for (const ir::CrdEntry& entry : doc->crds) checkEntry(entry, ctx.diags);
  }

 private:
  static void checkEntry(const ir::CrdEntry& entry, DiagnosticEngine& diags) {
    for (const ir::MotifImport& imp : entry.imports)
      if (imp.resolved) check(imp, *imp.resolved, diags);
  }

  static void check(const ir::MotifImport& imp, const ir::Document& motif, DiagnosticEngine& diags) {
    const std::string& motifName = motif.metadata.name.value;
    std::vector<std::string> declared;
    for (const ir::MotifInput& in : motif.inputs) declared.push_back(in.name.value);
    const ir::Node* with = imp.with;
    if (with && with->isMap()) {
      for (const ir::MapEntry& e : with->entries) {
        const ir::MotifInput* input = findInput(motif, e.key);
        if (!input) {
          std::string list = declared.empty() ? "(none)" : join(declared, ", ");
          diags.report(DiagCode::MotifUnknownInput, e.keySpan,
                       "motif \"" + motifName + "\": unknown input \"" + e.key + "\" in with: — declared inputs: " +
                           list + didYouMean(e.key, declared, '"'));
          continue;
        }
        if (!fitsType(*e.value, input->type)) {
          diags.report(DiagCode::MotifInputType, e.value->span,
                       "motif \"" + motifName + "\": input \"" + e.key + "\" is " + input->type + ", got \"" +
                           e.value->scalarText() + "\"");
          diags.note(input->span, "input \"" + e.key + "\" declared here");
        }
      }
    }
    std::vector<std::string> required;
    for (const ir::MotifInput& in : motif.inputs)
      if (in.required) required.push_back(in.name.value);
    for (const std::string& name : required) {
      if (with && with->isMap() && with->get(name)) continue;
      diags.report(DiagCode::MotifMissingInput, imp.ref.span.valid() ? imp.ref.span : imp.span,
                   "motif \"" + motifName + "\": required input \"" + name + "\" not provided in with:");
      diags.note({}, "motif requires: " + join(required, ", "));
    }
  }

  static const ir::MotifInput* findInput(const ir::Document& motif, std::string_view name) {
    for (const ir::MotifInput& in : motif.inputs)
      if (in.name.value == name) return &in;
    return nullptr;
  }
};

}  // namespace

PassPtr createCheckMotifBindingsPass() { return std::make_unique<CheckMotifBindingsPass>(); }

}  // namespace ork::passes
