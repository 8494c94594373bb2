// check-crds: duplicate and unknown CRD names across imports, and consistency with crdFiles.
#include "passes/check_crds.h"

#include <algorithm>

#include "passes/crd_index.h"
#include "passes/import_resolver.h"
#include "support/strings.h"

namespace ork::passes {
namespace {

Span preferred(Span a, Span b) { return a.valid() ? a : b; }

void reportDuplicate(const DuplicateDefinition& dup, DiagnosticEngine& diags) {
  const ir::CrdEntry& a = *dup.first;
  const ir::CrdEntry& b = *dup.second;
  Diagnostic& d = diags.report(DiagCode::DuplicateCrd, preferred(b.origin.span, b.name.span),
                               "duplicate CRD \"" + b.name.value + "\": defined in \"" + a.origin.source + "\" and \"" +
                                   b.origin.source + "\" — names must be unique across all imports");
  d.path = "spec.crds." + b.name.value;
  d.notes.push_back({a.name.span, "first definition (" + a.origin.source + ")"});
  d.notes.push_back({b.name.span, "second definition (" + b.origin.source + ")"});
  d.help = "rename one of the CRDs, or drop one of the imports";
}

void reportUnknownOverride(const UnknownOverride& u, DiagnosticEngine& diags) {
  const ir::CrdEntry& e = *u.entry;
  Diagnostic& d = diags.report(DiagCode::UnknownOverride, e.name.span,
                               "override for unknown CRD \"" + e.name.value + "\" in spec.crds" +
                                   didYouMean(e.name.value, u.knownNames, '"'));
  d.path = "spec.crds." + e.name.value;
  d.help = "name an imported CRD, or give the entry apiTypes or crdFile to define a new one";
}

/// The explicit text and span of `apiTypes.<key>` (the body when there is one, else the typed
/// field); nullopt when not written.
std::optional<ir::Located> explicitApiField(const ir::CrdEntry& e, std::string_view key) {
  if (e.body) {
    const ir::Node* api = e.body->get("apiTypes");
    const ir::Node* n = api ? api->get(key) : nullptr;
    if (!n || !n->isScalar() || n->isNull()) return std::nullopt;
    return ir::Located{n->scalarText(), n->span};
  }
  if (!e.apiTypes.present) return std::nullopt;
  const std::string& v = key == "group"     ? e.apiTypes.group
                         : key == "version" ? e.apiTypes.version
                         : key == "kind"    ? e.apiTypes.kind
                                            : e.apiTypes.plural;
  if (v.empty()) return std::nullopt;
  return ir::Located{v, e.apiTypes.span};
}

class CheckCrdsPass : public Pass {
 public:
  std::string_view name() const override { return "check-crds"; }
  std::string_view summary() const override {
    return "check CRD names across imports and each CRD entry against its crdFile";
  }

  void run(ir::Module& module, PassContext& ctx) override {
    CrdIndex index = buildCrdIndex(module);
    for (const DuplicateDefinition& dup : index.duplicates) reportDuplicate(dup, ctx.diags);
    if (!module.importsIncomplete)
      for (const UnknownOverride& u : index.unknownOverrides) reportUnknownOverride(u, ctx.diags);
    for (const ComposedCrd& crd : index.crds) checkAgainstCrdFile(module, crd, ctx);
  }

 private:
  /// The entry of the chain whose crdFile applies (the last that names one) and its document.
  static std::pair<ir::CrdEntry*, const ir::Document*> crdFileEntry(const ComposedCrd& crd) {
    std::pair<ir::CrdEntry*, const ir::Document*> out{nullptr, nullptr};
    if (!crd.definition->crdFile.value.empty()) out = {crd.definition, crd.definingDocument};
    for (size_t i = 0; i < crd.overrides.size(); ++i)
      if (!crd.overrides[i]->crdFile.value.empty()) out = {crd.overrides[i], crd.overrideDocuments[i]};
    return out;
  }

  static const ir::CrdFile* findCrdFile(const ir::Module& module, const std::string& path) {
    for (const auto& f : module.crdFiles)
      if (f->path == path) return f.get();
    return nullptr;
  }

  void checkAgainstCrdFile(ir::Module& module, const ComposedCrd& crd, PassContext& ctx) {
    auto [entry, doc] = crdFileEntry(crd);
    if (!entry) return;
    const ir::CrdFile* file = findCrdFile(module, ctx.resolver.resolveLocal(doc->path, entry->crdFile.value));
    if (!file) return;  // missing or unreadable: already reported by load-imports / loadCrdFile
    const std::string where = "crdFile \"" + entry->crdFile.value + "\"";
    const std::string base = "spec.crds." + crd.name;
    auto mismatch = [&](const ir::Located& value, const std::string& path, const std::string& message) {
      Diagnostic& d = ctx.diags.report(DiagCode::CrdMismatch, value.span, message);
      d.path = path;
      if (file->span.valid()) d.notes.push_back({file->span, "the CustomResourceDefinition"});
    };
    for (std::string_view key : {"group", "kind", "plural"}) {
      const std::string& actual = key == "group" ? file->group : key == "kind" ? file->kind : file->plural;
      for (const ir::CrdEntry* e : crd.chain()) {
        auto v = explicitApiField(*e, key);
        if (v && v->value != actual)
          mismatch(*v, base + ".apiTypes." + std::string(key),
                   "apiTypes." + std::string(key) + " \"" + v->value + "\" does not match " + where + " (" +
                       std::string(key) + " \"" + actual + "\")");
      }
    }
    for (const ir::CrdEntry* e : crd.chain()) {
      auto v = explicitApiField(*e, "version");
      const auto& served = file->servedVersions;
      if (v && std::find(served.begin(), served.end(), v->value) == served.end() && v->value != file->storageVersion)
        mismatch(*v, base + ".apiTypes.version",
                 "apiTypes.version \"" + v->value + "\" is not a version of " + where + " (versions: " +
                     join(served.empty() ? std::vector<std::string>{file->storageVersion} : served, ", ") + ")");
      const ir::Node* ns = e->body ? e->body->get("namespaced") : nullptr;
      if (ns && ns->kind == ir::NodeKind::Bool && ns->boolValue != (file->scope != "Cluster"))
        mismatch(ir::Located{ns->scalarText(), ns->span}, base + ".namespaced",
                 std::string("namespaced: ") + (ns->boolValue ? "true" : "false") + " does not match " + where +
                     " (scope " + file->scope + ")");
    }
    fillApiTypes(*entry, *file);
    checkStatusSubresource(crd, *file, where, ctx.diags);
  }

  static void fillApiTypes(ir::CrdEntry& e, const ir::CrdFile& file) {
    ir::ApiTypes& api = e.apiTypes;
    if (api.group.empty()) api.group = file.group;
    if (api.kind.empty()) api.kind = file.kind;
    if (api.version.empty()) api.version = file.storageVersion;
    if (!explicitApiField(e, "plural")) api.plural = file.plural;
    api.present = true;
  }

  static void checkStatusSubresource(const ComposedCrd& crd, const ir::CrdFile& file, const std::string& where,
                                     DiagnosticEngine& diags) {
    if (file.hasStatusSubresource) return;
    const ir::Node* fields = nullptr;
    for (const ir::CrdEntry* e : crd.chain())
      if (const ir::Node* f = e->body ? e->body->at("operatorBox.emit.status.fields") : nullptr) fields = f;
    if (!fields || !fields->isList() || fields->items.empty()) return;
    Diagnostic& d = diags.report(DiagCode::NoStatusSubresource, fields->span,
                                 "CRD \"" + crd.name + "\" declares status fields but " + where +
                                     " has no status subresource; status is not written");
    d.path = "spec.crds." + crd.name + ".operatorBox.emit.status.fields";
    d.help = "add `subresources: {status: {}}` to the CRD's versions";
  }
};

}  // namespace

PassPtr createCheckCrdsPass() { return std::make_unique<CheckCrdsPass>(); }

}  // namespace ork::passes
