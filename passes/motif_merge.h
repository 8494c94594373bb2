// Step 4 of motif expansion (FORMATS.md §8.3): expanded motif parts merged into the importing CRD's
// body — resource blocks, onDelete groups, status fields and admission rules — the CRD winning.
#pragma once
#include <vector>

#include "ir/module.h"
#include "passes/pass.h"

namespace ork::passes {

/// One motif's expanded parts for one importing CRD (clones owned here; null when the motif has none).
struct MotifContribution {
  const ir::Document* motif = nullptr;
  Span importSpan;  // the import's ref in the CRD entry
  ir::NodePtr resources, status, admission;
};

/// Merges `contributions` (in import order) into `crd.body` as createExpandMotifsPass describes,
/// reporting MotifEntryShadowed (ORK1607) and MotifEntryConflict (ORK1608). Containers the CRD lacks
/// are created with the span of the motif part that fills them.
void mergeMotifs(ir::CrdEntry& crd, std::vector<MotifContribution>& contributions, PassContext& ctx);

}  // namespace ork::passes
