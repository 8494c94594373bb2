// The validate pipeline: one function that reads top to bottom.
#include "passes/pipeline.h"

#include "passes/check_crds.h"
#include "passes/check_dependencies.h"
#include "passes/check_lifecycle.h"
#include "passes/check_motif_bindings.h"
#include "passes/expand_motifs.h"
#include "passes/check_template_types.h"
#include "passes/load_imports.h"
#include "passes/parse_templates.h"
#include "passes/merge_overrides.h"

namespace ork::passes {

std::vector<PassPtr> buildValidatePipeline(const PipelineOptions& options) {
  std::vector<PassPtr> passes;
  passes.push_back(createLoadImportsPass());                    // imports, motifs, CRD and CR files
  passes.push_back(createParseTemplatesPass());                 // every template parsed, errors at their column
  passes.push_back(createCheckCrdsPass());                      // names across imports, crdFile agreement
  passes.push_back(createMergeOverridesPass());                 // overrides deep-merged onto definitions
  passes.push_back(createCheckMotifBindingsPass());             // with: against motif inputs
  passes.push_back(createExpandMotifsPass());                   // motifs substituted and merged into CRDs
  passes.push_back(createCheckTemplateTypesPass());             // .spec/.status paths against the CRD schema
  passes.push_back(createCheckDependenciesPass());              // dependsOn names and cycles
  passes.push_back(createCheckLifecyclePass(options.today));    // deprecated and immature imports
  return passes;
}

std::vector<std::string> validatePassNames() {
  std::vector<std::string> names;
  for (const PassPtr& p : buildValidatePipeline()) names.emplace_back(p->name());
  return names;
}

bool runPipeline(const std::vector<PassPtr>& passes, ir::Module& module, PassContext& ctx,
                 std::string_view printIrAfter, const PrintIrHook& printIr) {
  bool all = printIrAfter == "all";
  if (!printIrAfter.empty() && !all) {
    bool known = false;
    for (const PassPtr& p : passes) known = known || p->name() == printIrAfter;
    if (!known) return false;
  }
  for (const PassPtr& p : passes) {
    p->run(module, ctx);
    if (printIr && (all || p->name() == printIrAfter)) printIr(p->name(), module);
  }
  return true;
}

bool runPipeline(ir::Module& module, PassContext& ctx, std::string_view printIrAfter, const PrintIrHook& printIr,
                 const PipelineOptions& options) {
  return runPipeline(buildValidatePipeline(options), module, ctx, printIrAfter, printIr);
}

}  // namespace ork::passes
