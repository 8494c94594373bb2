// The check-crds pass: CRD names across imports (FORMATS.md §9.2–§9.3) and each CRD entry against
// its crdFile (§3.1, §4.7).
#pragma once
#include "passes/pass.h"

namespace ork::passes {

/// Creates the `check-crds` pass. Reports a CRD name defined by two imports (DuplicateCrd,
/// ORK1205, with notes at both definitions); inline overrides naming no loaded CRD and defining
/// none (UnknownOverride, ORK1204, with a did-you-mean; skipped when `module.importsIncomplete`);
/// explicit `apiTypes` fields or `namespaced` that disagree with the CRD's crdFile (CrdMismatch,
/// ORK1702, at the value); status fields when the crdFile has no status subresource
/// (NoStatusSubresource, ORK1703). Fills the missing `apiTypes` fields of the entry that names a
/// crdFile from that file (storage version; the file's plural unless one was written).
PassPtr createCheckCrdsPass();

}  // namespace ork::passes
