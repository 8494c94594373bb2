// Lowering (FORMATS.md §5): every resource declaration of a composed, motif-expanded CRD entry
// becomes a full Kubernetes object template (plan::Entry), with its conditions and forEach.
#pragma once
#include <optional>
#include <vector>

#include "backend/plan/model.h"
#include "ir/module.h"
#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork::backend {

/// Lowers one composed CRD entry (Module::composedCrds, after the expand-motifs pass). Static
/// errors (a literal that does not convert, a probe without a port, a missing required selector, a
/// user label overriding ork's) are diagnostics at the value; returns nullopt when any was reported.
/// Disabled entries lower to nothing (nullopt, no diagnostic).
std::optional<plan::CrdPlan> lowerCrd(const ir::CrdEntry& crd, const ir::Module& module, const SourceManager& sm,
                                      DiagnosticEngine& diags);

/// Lowers every enabled composed CRD, in definition order.
std::vector<plan::CrdPlan> lowerModule(const ir::Module& module, const SourceManager& sm, DiagnosticEngine& diags);

}  // namespace ork::backend
