// The merge-overrides pass (FORMATS.md §9.3): each composed CRD's overrides deep-merged onto its
// definition, with the origin of every value kept as its span; the result is `Module::composedCrds`.
#pragma once
#include <string>
#include <vector>

#include "ir/module.h"
#include "passes/crd_index.h"
#include "passes/pass.h"

namespace ork {
class SourceManager;
}

namespace ork::passes {

/// Creates the `merge-overrides` pass. Fills `module.composedCrds` from buildCrdIndex: for every
/// CRD, composeCrd of its definition and overrides; missing apiTypes fields of an entry with a
/// loaded crdFile are filled from that file as check-crds does. Reports nothing: composition
/// errors (duplicates, unknown overrides) are check-crds'.
PassPtr createMergeOverridesPass();

/// The dotted paths, relative to a CRD entry, whose lists union instead of replacing (§9.3):
/// operatorBox.runtime.finalizers, allowedNamespaces, restrictedNamespaces.
const std::vector<std::string>& unionListPaths();

/// One composed CRD: the definition's normalised body with each override's body deep-merged
/// onto it in order (ir::deepMerge with unionListPaths()); after each entry, the `spec.finalizers`
/// of the Katalog declaring it are unioned into its operatorBox.runtime.finalizers (§2, §4.6).
/// Then the typed fields are re-derived from the merged body (frontend::deriveCrdEntryFields);
/// each motif import keeps the Motif document load-imports resolved for the item it came from.
/// Name, span and origin are the definition's; the entries merged are not modified.
ir::CrdEntry composeCrd(const ComposedCrd& crd);

/// Whether `node` (a node of `composed.body`) came from another file than the CRD's definition.
bool isOverridden(const ir::CrdEntry& composed, const ir::Node& node);

/// The `note:` text naming where a merged value came from: "overridden by komposer.yaml:14:7"
/// (the location of the node's span); "" when the node has no span.
std::string originNote(const SourceManager& sm, const ir::Node& node);

}  // namespace ork::passes
