// Normalisation of CRD entries before validation (FORMATS.md §3.1, §4.1): list form → map form,
// shorthands and flat admission keys, the older operatorBox shapes, reconcile.imports and include.
#pragma once
#include <string>
#include <vector>

#include "frontend/loader.h"
#include "ir/node.h"
#include "support/diagnostics.h"

namespace ork::frontend {

/// Rewrites `spec.crds` in list form (`[{name: postgres, …}]`) into the map form keyed by
/// name, in place; the `name` key leaves the entry and its span becomes the map key's span.
/// A mapping is left as it is. Items that are not mappings (WrongType) or have no usable
/// name (MissingField, WrongType) are dropped; a name given twice is DuplicateName at the
/// later one with a note at the first, and the later one is dropped. `path` is the data
/// path of the crds node ("spec.crds").
void normalizeCrdList(ir::Node& crds, const std::string& path, DiagnosticEngine& diags);

/// Normalises one CRD entry mapping in place, in this order:
///  1. the `reconciler:` and flat operatorBox shapes → `runtime/reconcile/emit/observe`, each
///     moved key reported once (DeprecatedShape, "'operatorBox.reconciler.workers' is
///     deprecated; use operatorBox.reconcile.workers"); a key in an old and the new place is
///     ConflictingKeys;
///  2. the shorthands `workers`/`resync` → `operatorBox.reconcile` (silent; different values
///     in both places: ConflictingKeys) and `deletionProtection` → `operatorBox.runtime`;
///  3. `include` of `reconcile`, then `operatorBox.reconcile.imports` → the entry's `imports`;
///  4. flat `validation`/`mutation`/`conversion` → `admission` (both forms: ConflictingKeys);
///  5. `include` of `admission.validation`, `admission.mutation` and `emit.status`.
/// Moved nodes keep their spans. `path` is the entry's data path ("spec.crds.webapp");
/// messages name keys relative to the entry. Includes resolve against `declaringFile`'s
/// directory. Never throws.
void normalizeCrdEntry(LoadContext& ctx, ir::Node& entry, const std::string& path,
                       const std::string& declaringFile);

/// Resolves the `include` key of one mapping (§4.1): each named file (a path or a list of
/// paths, relative to `declaringFile`'s directory) holds one partial mapping of the same
/// shape, itself possibly with an `include`. The files are deep-merged in order (§9.3, a
/// later file winning) and placed under the mapping, whose own keys win; the lists named in
/// `appendLists` ("rules", "fields") are concatenated instead: the mapping's own items, then
/// each file's in order. The `include` key is removed. A missing, unreadable or cyclic
/// include, or a file that is not one mapping, is IncludeFailed at the `include` key.
/// `path` is the mapping's data path, for messages.
void resolveIncludes(LoadContext& ctx, ir::Node& mapping, const std::vector<std::string>& appendLists,
                     const std::string& declaringFile, const std::string& path);

}  // namespace ork::frontend
