// Composition of CRD entries by name across the module's load order (FORMATS.md §9.2–§9.3).
#include "passes/crd_index.h"

#include <map>

namespace ork::passes {

std::vector<ir::CrdEntry*> ComposedCrd::chain() const {
  std::vector<ir::CrdEntry*> out{definition};
  out.insert(out.end(), overrides.begin(), overrides.end());
  return out;
}

bool ComposedCrd::enabled() const { return disabledBy() == nullptr; }

const ir::CrdEntry* ComposedCrd::disabledBy() const {
  const ir::CrdEntry* last = nullptr;
  for (const ir::CrdEntry* e : chain())
    if (statesKey(*e, "enabled")) last = e;
  return last && !last->enabled ? last : nullptr;
}

const ir::CrdEntry* ComposedCrd::dependsOnEntry() const {
  const ir::CrdEntry* last = nullptr;
  for (const ir::CrdEntry* e : chain())
    if (statesKey(*e, "dependsOn")) last = e;
  return last;
}

const ComposedCrd* CrdIndex::find(std::string_view name) const {
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : &crds[it->second];
}

bool statesKey(const ir::CrdEntry& entry, std::string_view key) {
  if (entry.body) return entry.body->get(key) != nullptr;
  if (key == "enabled") return !entry.enabled;
  if (key == "dependsOn") return !entry.dependsOn.empty();
  return false;
}

CrdIndex buildCrdIndex(ir::Module& module) {
  std::vector<ir::Document*> order = module.loadOrder;
  if (order.empty())
    for (auto& d : module.documents)
      if (d->kind == ir::DocKind::Katalog || d->kind == ir::DocKind::Komposer) order.push_back(d.get());

  CrdIndex index;
  std::map<std::string, size_t, std::less<>>& byName = index.byName;
  auto names = [&] {
    std::vector<std::string> out;
    for (const ComposedCrd& c : index.crds) out.push_back(c.name);
    return out;
  };
  for (ir::Document* doc : order) {
    bool komposer = doc->kind == ir::DocKind::Komposer;
    bool mayOverride = komposer || doc->importedBy.kind != ir::ImportRecord::Kind::Registry;
    for (ir::CrdEntry& entry : doc->crds) {
      auto it = byName.find(entry.name.value);
      bool known = it != byName.end();
      if (known && mayOverride && (komposer || !entry.definesCrd())) {
        ComposedCrd& c = index.crds[it->second];
        c.overrides.push_back(&entry);
        c.overrideDocuments.push_back(doc);
      } else if (known) {
        // A name given twice in one document is the builder's DuplicateName.
        if (index.crds[it->second].definingDocument != doc)
          index.duplicates.push_back({index.crds[it->second].definition, &entry});
      } else if (komposer && !entry.definesCrd()) {
        index.unknownOverrides.push_back({&entry, names()});
      } else {
        byName[entry.name.value] = index.crds.size();
        index.crds.push_back(ComposedCrd{entry.name.value, &entry, doc, {}, {}});
      }
    }
  }
  return index;
}

}  // namespace ork::passes
