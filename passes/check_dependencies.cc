// check-dependencies: dependsOn names, cycles and the startup order (FORMATS.md §3.2).
#include "passes/check_dependencies.h"

#include <map>
#include <set>

#include "passes/crd_index.h"
#include "support/strings.h"

namespace ork::passes {
namespace {

/// Enabled CRDs by name with the dependsOn list that applies to each.
struct EnabledCrds {
  std::map<std::string, const ir::CrdEntry*> dependsOnEntry;  // null when no dependsOn
  std::map<std::string, const ComposedCrd*> crds;
};

EnabledCrds enabledCrds(const CrdIndex& index) {
  EnabledCrds out;
  for (const ComposedCrd& c : index.crds) {
    if (!c.enabled()) continue;
    out.crds[c.name] = &c;
    out.dependsOnEntry[c.name] = c.dependsOnEntry();
  }
  return out;
}

const std::vector<ir::Dependency>& dependenciesOf(const EnabledCrds& e, const std::string& name) {
  static const std::vector<ir::Dependency> none;
  const ir::CrdEntry* entry = e.dependsOnEntry.at(name);
  return entry ? entry->dependsOn : none;
}

class CycleFinder {
 public:
  CycleFinder(const EnabledCrds& crds, DiagnosticEngine& diags) : crds_(crds), diags_(diags) {}

  void run() {
    for (const auto& [name, crd] : crds_.crds)
      if (state_[name] == 0) visit(name);
  }

 private:
  void visit(const std::string& name) {
    state_[name] = 1;
    stack_.push_back(name);
    for (const ir::Dependency& dep : dependenciesOf(crds_, name)) {
      const std::string& to = dep.name.value;
      if (!crds_.crds.count(to)) continue;
      if (state_[to] == 1) report(to, dep);
      else if (state_[to] == 0) {
        edgeStack_.push_back(&dep);
        visit(to);
        edgeStack_.pop_back();
      }
    }
    stack_.pop_back();
    state_[name] = 2;
  }

  /// `closing` (an edge from the top of the stack to `to`) closes a cycle starting at `to`.
  void report(const std::string& to, const ir::Dependency& closing) {
    size_t start = 0;
    while (stack_[start] != to) ++start;
    std::vector<std::string> names(stack_.begin() + static_cast<long>(start), stack_.end());
    names.push_back(to);
    Diagnostic& d = diags_.report(DiagCode::DependencyCycle, closing.name.span,
                                  "circular dependency: " + join(names, " → "));
    d.path = "spec.crds." + stack_.back() + ".dependsOn";
    for (size_t i = start; i + 1 < stack_.size(); ++i)
      d.notes.push_back({edgeStack_[i]->name.span, stack_[i] + " depends on " + stack_[i + 1] + " here"});
    d.help = "remove one of the dependsOn entries of the cycle";
  }

  const EnabledCrds& crds_;
  DiagnosticEngine& diags_;
  std::map<std::string, int> state_;  // 0 unvisited, 1 on the stack, 2 done
  std::vector<std::string> stack_;
  std::vector<const ir::Dependency*> edgeStack_;  // edgeStack_[i]: stack_[i] → stack_[i + 1]
};

class CheckDependenciesPass : public Pass {
 public:
  std::string_view name() const override { return "check-dependencies"; }
  std::string_view summary() const override { return "check dependsOn names and cycles between CRDs"; }

  void run(ir::Module& module, PassContext& ctx) override {
    CrdIndex index = buildCrdIndex(module);
    EnabledCrds enabled = enabledCrds(index);
    std::vector<std::string> enabledNames;
    for (const auto& [name, crd] : enabled.crds) enabledNames.push_back(name);
    for (const auto& [name, entry] : enabled.dependsOnEntry) {
      if (!entry) continue;
      for (const ir::Dependency& dep : entry->dependsOn) checkName(index, enabledNames, name, dep, ctx.diags);
    }
    CycleFinder(enabled, ctx.diags).run();
  }

 private:
  static void checkName(const CrdIndex& index, const std::vector<std::string>& enabledNames,
                        const std::string& from, const ir::Dependency& dep, DiagnosticEngine& diags) {
    const std::string& to = dep.name.value;
    const ComposedCrd* target = index.find(to);
    if (target && target->enabled()) return;
    std::string path = "spec.crds." + from + ".dependsOn";
    if (target) {
      Diagnostic& d = diags.report(DiagCode::UnknownDependency, dep.name.span,
                                   "CRD \"" + from + "\" depends on \"" + to + "\", which is disabled");
      d.path = path;
      const ir::CrdEntry* off = target->disabledBy();
      const ir::Node* enabledNode = off && off->body ? off->body->get("enabled") : nullptr;
      d.notes.push_back({enabledNode ? enabledNode->span : off->name.span, "\"" + to + "\" is disabled here"});
      d.help = "enable \"" + to + "\" or remove it from dependsOn";
      return;
    }
    Diagnostic& d = diags.report(DiagCode::UnknownDependency, dep.name.span,
                                 "CRD \"" + from + "\" depends on unknown CRD \"" + to + "\"" +
                                     didYouMean(to, enabledNames, '"'));
    d.path = path;
  }
};

}  // namespace

PassPtr createCheckDependenciesPass() { return std::make_unique<CheckDependenciesPass>(); }

DependencyGraph buildDependencyGraph(ir::Module& module) {
  CrdIndex index = buildCrdIndex(module);
  EnabledCrds enabled = enabledCrds(index);
  DependencyGraph g;
  std::map<std::string, size_t> waiting;  // unmet dependencies per CRD
  std::map<std::string, std::vector<std::string>> dependents;
  for (const auto& [name, crd] : enabled.crds) {
    waiting[name];
    std::set<std::string> seen;
    for (const ir::Dependency& dep : dependenciesOf(enabled, name)) {
      if (!enabled.crds.count(dep.name.value)) continue;
      g.edges.push_back({name, dep.name.value, dep.condition});
      if (!seen.insert(dep.name.value).second) continue;
      ++waiting[name];
      dependents[dep.name.value].push_back(name);
    }
  }
  std::set<std::string> ready;
  for (const auto& [name, n] : waiting)
    if (n == 0) ready.insert(name);
  while (!ready.empty()) {
    std::string next = *ready.begin();
    ready.erase(ready.begin());
    g.startupOrder.push_back(next);
    for (const std::string& d : dependents[next])
      if (--waiting[d] == 0) ready.insert(d);
  }
  for (const auto& [name, n] : waiting)
    if (n > 0) g.startupOrder.push_back(name);  // on or behind a cycle
  return g;
}

}  // namespace ork::passes
