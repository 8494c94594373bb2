// The check-dependencies pass (FORMATS.md §3.2): dependsOn names must be enabled CRDs of the module
// and must not form cycles; the startup order `ork template --graph` shows.
#pragma once
#include <string>
#include <vector>

#include "passes/pass.h"

namespace ork::passes {

/// Creates the `check-dependencies` pass. Over the module's composed CRDs (overrides applied to
/// `enabled` and `dependsOn`), for every enabled CRD: a dependsOn name that is unknown or disabled
/// is UnknownDependency (ORK1301, at the name, with a did-you-mean); each cycle is reported once as
/// DependencyCycle (ORK1302, `circular dependency: webapp → cache → webapp`, at the dependsOn entry
/// that closes it, with notes at the other edges).
PassPtr createCheckDependenciesPass();

/// One dependsOn edge between enabled CRDs.
struct DependencyEdge {
  std::string from;  // the dependent
  std::string to;    // its dependency
  ir::DependencyCondition condition = ir::DependencyCondition::Started;
};

/// The enabled CRDs, their edges (declaration order per CRD, CRDs by name) and the startup order:
/// topological, ties by name; CRDs on a cycle follow the rest, by name. Unknown and disabled
/// dependencies are left out.
struct DependencyGraph {
  std::vector<std::string> startupOrder;
  std::vector<DependencyEdge> edges;
};

/// Computes the dependency graph of `module` (no diagnostics).
DependencyGraph buildDependencyGraph(ir::Module& module);

}  // namespace ork::passes
