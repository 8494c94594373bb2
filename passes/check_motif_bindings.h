// The check-motif-bindings pass (FORMATS.md §8.3 step 1): every motif import's `with:` binds only
// declared inputs, binds every required input, and literal bindings fit the input's type.
#pragma once
#include "passes/pass.h"

namespace ork::passes {

/// Creates the `check-motif-bindings` pass. For every CRD entry's motif import whose Motif was
/// loaded (MotifImport::resolved): an undeclared key of `with:` is MotifUnknownInput (ORK1602,
/// `motif "web-service": unknown input "imge" in with: — declared inputs: image, port, host (did
/// you mean "image"?)`, at the key); a required input that `with:` does not bind is
/// MotifMissingInput (ORK1601, `motif "web-service": required input "image" not provided in
/// with:`, at the import, with the note `motif requires: image`); a literal (non-template)
/// binding that does not fit an integer/number/boolean input is MotifInputType (ORK1605).
/// Runs on the composed CRDs (Module::composedCrds, after merge-overrides) so that a Komposer's
/// override of `with:` is what is checked; on the documents' own entries when nothing was composed.
PassPtr createCheckMotifBindingsPass();

}  // namespace ork::passes
