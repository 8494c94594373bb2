// The default `ork validate` pipeline, built in one function, and the driver that runs it with
// --print-ir-after support.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passes/pass.h"
#include "support/scalars.h"

namespace ork::passes {

/// What the default pipeline depends on besides the module.
struct PipelineOptions {
  /// "Today" for lifecycle states (UTC); the system clock when unset.
  std::optional<Date> today;
};

/// The passes of `ork validate`, in order: load-imports, check-crds, merge-overrides,
/// check-motif-bindings, check-dependencies, check-lifecycle.
std::vector<PassPtr> buildValidatePipeline(const PipelineOptions& options = {});

/// The names of the validate pipeline's passes, in order (for --print-ir-after).
std::vector<std::string> validatePassNames();

/// Called after a pass whose IR was asked for, with the pass's name.
using PrintIrHook = std::function<void(std::string_view passName, const ir::Module& module)>;

/// Runs `passes` over `module` in order. When `printIrAfter` names a pass (or is "all"),
/// `printIr` is called after that pass (after every pass for "all"). Passes run even after
/// errors so one run reports as much as it can. Returns false, running nothing, when
/// `printIrAfter` is neither empty, "all", nor the name of one of `passes`.
bool runPipeline(const std::vector<PassPtr>& passes, ir::Module& module, PassContext& ctx,
                 std::string_view printIrAfter = "", const PrintIrHook& printIr = {});

/// Builds the validate pipeline with `options` and runs it (the overload above).
bool runPipeline(ir::Module& module, PassContext& ctx, std::string_view printIrAfter = "",
                 const PrintIrHook& printIr = {}, const PipelineOptions& options = {});

}  // namespace ork::passes
