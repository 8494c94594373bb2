// Shared by the lowering files: the context of one CRD, the helpers that turn IR values into
// templated values (§5.3 typing), and one lowering function per resource key (§5.1).
// lower.cc: the framework (blocks, ids, order, metadata, conditions, forEach, the helpers below);
// lower_workloads.cc: deployments, replicaSets, statefulSets, pods, jobs, cronJobs;
// lower_services.cc / lower_config.cc: every other key.
#pragma once
#include <string>
#include <vector>

#include "backend/plan/model.h"
#include "ir/module.h"
#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork::backend {

/// An entry other entries' defaults refer to: a workload (service/pdb selectors, hpa target) or a
/// service (statefulSet serviceName, ingress backend).
struct EntryRef {
  std::string key;           // "deployments", "services", …
  const ir::Node* body = nullptr;
  plan::TValue name;         // the lowered metadata.name
  bool headless = false;     // services
};

/// Everything lowering one CRD needs.
struct LowerContext {
  const ir::CrdEntry& crd;
  const ir::Module& module;
  const SourceManager& sm;
  DiagnosticEngine& diags;
  bool crNamespaced = true;
  std::vector<std::string> extraRoots;      // forEach alias of the entry being lowered
  std::vector<std::string> notes;           // note names (zero-argument functions)
  std::vector<EntryRef> workloads;          // deployments, statefulSets, replicaSets (onCreate+onReconcile)
  std::vector<EntryRef> services;           // services (onCreate+onReconcile)
  bool failed = false;                      // set when a diagnostic was reported
};

/// One entry being lowered: its mapping, resource key, and the data path used in messages.
struct EntryInput {
  const ir::Node& body;
  std::string key;    // "deployments"
  std::string block;  // "onCreate" | "onReconcile" | "onDelete"
  int index = 0;      // position in its list
  std::string field;  // "deployments[0]" (the prefix of every message about it)
  /// The entry's plan::Entry::extras (kind-specific behaviour: secrets' once/tls, configMaps'
  /// fromConfigMap, custom hasStatus); null when the caller keeps none.
  plan::TValue* extras = nullptr;
};

// ── helpers (lower.cc) ────────────────────────────────────────────────────────────────────────

/// The templated value of a scalar node: a literal converted to `type` now (a failure is ORK3301 at
/// the value, §5.3: `deployments[0].replicas: rendered "three" is not an integer`), or a template
/// with `type` as target. `field` is the entry-relative path for messages.
plan::TValue scalarValue(const ir::Node& n, plan::ValueType type, const std::string& field, LowerContext& ctx,
                         bool required = false);
/// A deep copy of a map/list/scalar node whose string leaves (and map keys) may be templates;
/// leaves get `leafType` (Auto for custom bodies: a single action keeps its type).
plan::TValue copyValue(const ir::Node& n, const std::string& field, LowerContext& ctx,
                       plan::ValueType leafType = plan::ValueType::String);
/// Sets `obj[key]` from the entry field `name` when present (scalar of `type`); returns whether set.
bool setScalar(plan::TValue& obj, const std::string& key, const EntryInput& in, const std::string& name,
               plan::ValueType type, LowerContext& ctx);
/// Sets `obj[key]` from the entry field `name` as a deep copy when present.
bool setCopy(plan::TValue& obj, const std::string& key, const EntryInput& in, const std::string& name,
             LowerContext& ctx, plan::ValueType leafType = plan::ValueType::String);
/// A template built from text (`"{{ .metadata.name }}-sa"`) for defaults; never fails.
plan::TValue textTemplate(const std::string& text, plan::ValueType type = plan::ValueType::String);
/// Reports a lowering error at `span` (with `field` as data path) and marks the context failed.
Diagnostic& lowerError(LowerContext& ctx, DiagCode code, Span span, const std::string& field, std::string message);
/// Where a node's template is: "file:line:col" of its first character, the entry field, the span.
plan::SourceRef sourceOf(const ir::Node& n, const std::string& field, const LowerContext& ctx);
/// The parsed template of a string holding `{{`: the parse-templates pass's (ir::Node::parsed) when
/// set, else parsed now with the entry's forEach alias and the notes (errors reported, nullptr).
std::shared_ptr<const tmpl::Template> templateOf(const ir::Node& n, const std::string& field, LowerContext& ctx);
/// A literal scalar node as JSON, typed as the core schema read it (null for maps and lists).
nlohmann::json literalJson(const ir::Node& n);
/// The value of `n` when it is a literal (not a template) scalar.
std::optional<std::string> literalText(const ir::Node* n);

// ── one function per resource key: fills the object's body (metadata is done by the framework:
// apiVersion, kind, name, namespace, labels, annotations). ──────────────────────────────────────
using KindLowerer = void (*)(const EntryInput& in, plan::TValue& object, LowerContext& ctx);

// lower_workloads.cc
void lowerDeployment(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerReplicaSet(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerStatefulSet(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerPod(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerJob(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerCronJob(const EntryInput& in, plan::TValue& object, LowerContext& ctx);

// lower_services.cc
void lowerService(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerIngress(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerHpa(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerPdb(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerNetworkPolicy(const EntryInput& in, plan::TValue& object, LowerContext& ctx);

// lower_config.cc
void lowerNamespace(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerServiceAccount(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerRole(const EntryInput& in, plan::TValue& object, LowerContext& ctx);         // roles, clusterRoles
void lowerRoleBinding(const EntryInput& in, plan::TValue& object, LowerContext& ctx);  // roleBindings, clusterRoleBindings
void lowerSecret(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerConfigMap(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerResourceQuota(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerLimitRange(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerPersistentVolume(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerPersistentVolumeClaim(const EntryInput& in, plan::TValue& object, LowerContext& ctx);
void lowerCustom(const EntryInput& in, plan::TValue& object, LowerContext& ctx);  // also sets apiVersion/kind

// lower_conditions.cc: §6.1 conditions and §6.2 forEach from IR nodes into the model.
plan::Conditions lowerConditions(const ir::Node* when, const ir::Node* orList, const std::string& field,
                                 LowerContext& ctx);
std::optional<plan::ForEach> lowerForEach(const ir::Node* forEach, const std::string& field, LowerContext& ctx);

}  // namespace ork::backend
