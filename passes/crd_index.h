// The CRDs of a module as composition sees them (FORMATS.md §9.2–§9.3) before overrides are merged:
// each name's defining entry and the overrides that apply to it, in load order. Shared by check-crds
// and check-dependencies.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ir/module.h"

namespace ork::passes {

/// One CRD: the entry that defines it and the entries that override it, in application order.
struct ComposedCrd {
  std::string name;
  ir::CrdEntry* definition = nullptr;
  const ir::Document* definingDocument = nullptr;
  std::vector<ir::CrdEntry*> overrides;
  std::vector<const ir::Document*> overrideDocuments;

  /// Definition then overrides (the order §9.3 merges them in).
  std::vector<ir::CrdEntry*> chain() const;
  /// The last explicit `enabled` of the chain (default true).
  bool enabled() const;
  /// The entry whose `enabled: false` disables it (null when enabled).
  const ir::CrdEntry* disabledBy() const;
  /// The entry whose `dependsOn` applies: the last of the chain that sets it (null when none).
  const ir::CrdEntry* dependsOnEntry() const;
};

/// A name defined by two different imports (§9.2).
struct DuplicateDefinition {
  const ir::CrdEntry* first = nullptr;
  const ir::CrdEntry* second = nullptr;
};

/// An inline override naming no loaded CRD and defining none (§9.3).
struct UnknownOverride {
  const ir::CrdEntry* entry = nullptr;
  std::vector<std::string> knownNames;  // the CRDs loaded before it, for the did-you-mean
};

/// The composed CRDs of a module and the composition errors found while composing them.
struct CrdIndex {
  std::vector<ComposedCrd> crds;  // in definition order
  std::vector<DuplicateDefinition> duplicates;
  std::vector<UnknownOverride> unknownOverrides;
  std::map<std::string, size_t, std::less<>> byName;  // name → index in crds

  /// The CRD named `name`, or nullptr.
  const ComposedCrd* find(std::string_view name) const;
};

/// Composes the module's CRD entries in `module.loadOrder` (every Katalog and Komposer in
/// document order when that is empty): entries of a Komposer's spec.crds naming a loaded CRD
/// override it, else define one when they have apiTypes or crdFile, else are unknown overrides;
/// entries of an imports.files or entry Katalog with neither apiTypes nor crdFile that name a
/// loaded CRD override it; everything else defines a CRD.
CrdIndex buildCrdIndex(ir::Module& module);

/// Whether `entry` states `key` itself (its normalised body has the key; without a body,
/// `enabled: false` and a non-empty `dependsOn` count as stated).
bool statesKey(const ir::CrdEntry& entry, std::string_view key);

}  // namespace ork::passes
