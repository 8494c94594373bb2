// merge-overrides: composes every CRD from its definition and its overrides (FORMATS.md §9.3).
#include "passes/merge_overrides.h"

#include "frontend/build_common.h"
#include "passes/import_resolver.h"
#include "support/source_manager.h"

namespace ork::passes {
namespace {

/// The loaded CRD file a composed entry's crdFile names, resolved against the document the
/// crdFile value came from (its span says which); nullptr when it is not loaded.
const ir::CrdFile* crdFileOf(const ir::Module& module, const ir::CrdEntry& entry, PassContext& ctx) {
  if (entry.crdFile.value.empty()) return nullptr;
  for (const auto& doc : module.documents) {
    if (doc->file != entry.crdFile.span.file) continue;
    std::string path = ctx.resolver.resolveLocal(doc->path, entry.crdFile.value);
    for (const auto& f : module.crdFiles)
      if (f->path == path) return f.get();
  }
  return nullptr;
}

/// Fills what apiTypes leaves out from the CRD file (storage version; its plural unless the
/// merged body writes one), as check-crds does for the entries it checks.
void fillApiTypes(ir::CrdEntry& e, const ir::CrdFile& file) {
  ir::ApiTypes& api = e.apiTypes;
  const ir::Node* written = e.body ? e.body->at("apiTypes.plural") : nullptr;
  if (api.group.empty()) api.group = file.group;
  if (api.kind.empty()) api.kind = file.kind;
  if (api.version.empty()) api.version = file.storageVersion;
  if (!written) api.plural = file.plural;
  api.present = true;
}

class MergeOverridesPass : public Pass {
 public:
  std::string_view name() const override { return "merge-overrides"; }
  std::string_view summary() const override {
    return "deep-merge each CRD's overrides onto its definition, keeping every value's origin";
  }

  void run(ir::Module& module, PassContext& ctx) override {
    CrdIndex index = buildCrdIndex(module);
    module.composedCrds.clear();
    module.composedCrds.reserve(index.crds.size());
    for (const ComposedCrd& crd : index.crds) {
      ir::CrdEntry composed = composeCrd(crd);
      if (const ir::CrdFile* file = crdFileOf(module, composed, ctx)) fillApiTypes(composed, *file);
      module.composedCrds.push_back(std::move(composed));
    }
  }
};

}  // namespace

PassPtr createMergeOverridesPass() { return std::make_unique<MergeOverridesPass>(); }

const std::vector<std::string>& unionListPaths() {
  static const std::vector<std::string> kPaths = {"operatorBox.runtime.finalizers", "allowedNamespaces",
                                                  "restrictedNamespaces"};
  return kPaths;
}

namespace {

/// A Katalog's `spec.finalizers` as a partial entry `{operatorBox: {runtime: {finalizers}}}`
/// (the list node keeps its spans); nullptr when the document has none.
ir::NodePtr katalogFinalizers(const ir::Document* doc) {
  const ir::Node* list =
      doc && doc->kind == ir::DocKind::Katalog && doc->root ? doc->root->at("spec.finalizers") : nullptr;
  if (!list || !list->isList() || list->items.empty()) return nullptr;
  auto entry = ir::Node::makeMap(list->span);
  entry->set("operatorBox", ir::Node::makeMap(list->span))
      ->set("runtime", ir::Node::makeMap(list->span))
      ->set("finalizers", list->clone());
  return entry;
}

/// Merges one entry of the chain, then the finalizers of the Katalog that declares it (§2, §4.6).
void mergeStep(ir::Node& body, const ir::CrdEntry& entry, const ir::Document* doc) {
  if (entry.body) ir::deepMerge(body, *entry.body, unionListPaths());
  if (ir::NodePtr fin = katalogFinalizers(doc)) ir::deepMerge(body, *fin, unionListPaths());
}

}  // namespace

ir::CrdEntry composeCrd(const ComposedCrd& crd) {
  const ir::CrdEntry& def = *crd.definition;
  ir::CrdEntry out;
  out.name = def.name;
  out.span = def.span;
  out.origin = def.origin;
  out.body = ir::Node::makeMap(def.body ? def.body->span : def.span);
  mergeStep(*out.body, def, crd.definingDocument);
  for (size_t i = 0; i < crd.overrides.size(); ++i)
    mergeStep(*out.body, *crd.overrides[i],
              i < crd.overrideDocuments.size() ? crd.overrideDocuments[i] : nullptr);
  frontend::deriveCrdEntryFields(out);
  // A composed motif import is a copy of one entry's import item (same span): it names the
  // Motif document load-imports resolved for that item.
  for (ir::MotifImport& imp : out.imports)
    for (const ir::CrdEntry* e : crd.chain())
      for (const ir::MotifImport& original : e->imports)
        if (original.span == imp.span && original.span.valid()) imp.resolved = original.resolved;
  return out;
}

bool isOverridden(const ir::CrdEntry& composed, const ir::Node& node) {
  return node.span.valid() && node.span.file != composed.name.span.file;
}

std::string originNote(const SourceManager& sm, const ir::Node& node) {
  if (!node.span.valid()) return "";
  return "overridden by " + sm.location(node.span);
}

}  // namespace ork::passes
