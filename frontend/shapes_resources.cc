// The shapes of FORMATS.md §5 and §4.5: resource blocks, the closed key set of every resource
// entry (workloads, services, configuration, identity, storage, policy, custom) and onDelete.
#include <map>

#include "frontend/shapes.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::MapEntry;
using ir::Node;
using Check = std::function<void(const Node&, const std::string&, DiagnosticEngine&)>;

// §5.3: every scalar of an entry may be a template, and numbers may be written as strings.
ShapeRef tStr() { return templatedCopy(str()); }
ShapeRef tInt(std::optional<int64_t> min = 0, std::optional<int64_t> max = std::nullopt) {
  return templatedCopy(integer(min, max));
}
ShapeRef tPort() { return tInt(1, 65535); }
ShapeRef tBool() { return templatedCopy(boolean()); }
ShapeRef tEnum(std::vector<std::string> values) { return templatedCopy(enumOf(std::move(values))); }
ShapeRef tQuantity() { return templatedCopy(scalar(ScalarType::Quantity)); }
ShapeRef tIntOrString() { return templatedCopy(scalar(ScalarType::IntOrString)); }
ShapeRef tDuration() { return templatedCopy(duration()); }
ShapeRef strList() { return listOf(tStr()); }
ShapeRef strMap() { return mapOf(tStr()); }
/// Kubernetes shapes ork copies without looking inside (volumes, tolerations, raw specs).
ShapeRef k8sMap() { return mapOf(anyShape()); }
ShapeRef k8sList() { return listOf(k8sMap()); }

// clang-format off
const std::vector<std::string> kKeys{
    "namespaces", "serviceAccounts", "clusterRoles", "clusterRoleBindings", "roles", "roleBindings",
    "secrets", "configMaps", "networkPolicies", "resourceQuotas", "limitRanges", "persistentVolumes",
    "persistentVolumeClaims", "custom", "services", "deployments", "replicaSets", "statefulSets",
    "pods", "jobs", "cronJobs", "ingresses", "hpa", "pdb"};

/// §1.1: block keys Orkestra knows and ork does not implement.
const std::vector<std::string> kInertBlockKeys{
    "volumes", "volumeMounts", "serviceMonitors", "daemonSets", "podTemplates", "priorityClasses",
    "runtimeClasses", "podSecurityPolicies", "priorityLevelConfigurations"};

/// Cluster-scoped keys and their kinds: `namespace` is an error on them (§5.2).
const std::map<std::string, std::string, std::less<>> kClusterScoped{
    {"namespaces", "Namespace"}, {"clusterRoles", "ClusterRole"},
    {"clusterRoleBindings", "ClusterRoleBinding"}, {"persistentVolumes", "PersistentVolume"}};
// clang-format on

Diagnostic& reportAt(DiagnosticEngine& diags, DiagCode code, Span span, const std::string& path,
                     std::string msg) {
  Diagnostic& d = diags.report(code, span, std::move(msg));
  d.path = path;
  return d;
}

/// `key` and each of `others` are alternatives: report the first of `others` set beside it.
void exclusive(const Node& n, const std::string& path, DiagnosticEngine& diags, std::string_view key,
               std::initializer_list<std::string_view> others) {
  const MapEntry* first = n.entry(key);
  if (!first) return;
  for (std::string_view o : others) {
    if (const MapEntry* e = n.entry(o)) {
      reportAt(diags, DiagCode::ConflictingKeys, e->keySpan, childPath(path, o),
               path + ": '" + std::string(o) + "' cannot be combined with '" + std::string(key) + "'");
      diags.note(first->keySpan, "'" + std::string(key) + "' is set here");
      return;
    }
  }
}

/// True when a scalar is literally true, or a template (it may render true).
bool mayBeTrue(const Node* n) {
  if (!n) return false;
  if (n->kind == ir::NodeKind::Bool) return n->boolValue;
  return isTemplate(*n) || (n->isString() && toLower(trim(n->text)) == "true");
}

ShapeRef withCheck(ShapeRef s, Check c) {
  s->check = std::move(c);
  return s;
}

/// `{profile}` or explicit fields: `profile` excludes every other key.
Check profileExcludesOthers() {
  return [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    const MapEntry* profile = n.entry("profile");
    if (!profile) return;
    for (const MapEntry& e : n.entries) {
      if (e.key == "profile") continue;
      reportAt(diags, DiagCode::ConflictingKeys, e.keySpan, childPath(path, e.key),
               path + ": '" + e.key + "' cannot be combined with 'profile'");
      diags.note(profile->keySpan, "'profile' is set here");
      return;
    }
  };
}

/// Collects one entry's fields and cross-field checks. In onDelete only jobs and pods keep
/// their required fields: other entries name objects to delete (§5.2).
class EntryBuilder {
 public:
  EntryBuilder(std::string_view key, bool onDelete) : key_(key), onDelete_(onDelete), shape_(record()) {}

  Field& add(std::string name, ShapeRef shape) { return shape_->add(std::move(name), std::move(shape)); }
  Field& required(std::string name, ShapeRef shape) {
    Field& f = add(std::move(name), std::move(shape));
    if (!onDelete_ || key_ == "jobs" || key_ == "pods") f.req();
    return f;
  }
  void check(Check c) { checks_.push_back(std::move(c)); }
  bool onDelete() const { return onDelete_; }
  const std::string& key() const { return key_; }

  ShapeRef finish() {
    if (!checks_.empty()) {
      shape_->check = [checks = checks_](const Node& n, const std::string& path, DiagnosticEngine& diags) {
        for (const Check& c : checks) c(n, path, diags);
      };
    }
    addConditionKeys(*shape_);
    return shape_;
  }

 private:
  std::string key_;
  bool onDelete_;
  ShapeRef shape_;
  std::vector<Check> checks_;
};

// ── §5.2 common fields ────────────────────────────────────────────────────────
void addCommon(EntryBuilder& b) {
  b.add("name", tStr());
  b.add("namespace", tStr());
  b.add("labels", strMap());
  b.add("annotations", strMap());
  b.add("reconcile", boolean());
  b.add("forEach", forEachShape());
  b.add("forceConflict", tBool());
  b.add("sleep", anyShape()).unsupported = true;
  b.add("external", anyShape()).unsupported = true;
  auto scoped = kClusterScoped.find(b.key());
  if (scoped != kClusterScoped.end()) {
    b.check([kind = scoped->second](const Node& n, const std::string& path, DiagnosticEngine& diags) {
      if (const MapEntry* e = n.entry("namespace"))
        reportAt(diags, DiagCode::InvalidValue, e->keySpan, childPath(path, "namespace"),
                 path + ": 'namespace' cannot be set: " + kind + " is cluster-scoped");
    });
  }
  if ((b.key() == "jobs" || b.key() == "pods") && !b.onDelete()) {
    b.check([](const Node& n, const std::string& path, DiagnosticEngine& diags) {
      const Node* r = n.get("reconcile");
      if (r && r->kind == ir::NodeKind::Bool && r->boolValue)
        reportAt(diags, DiagCode::CreateOnlyReconcile, r->span, childPath(path, "reconcile"),
                 path + ": 'reconcile: true' is ignored: Jobs and Pods are create-only");
    });
  }
}

// ── §5.4 workloads ────────────────────────────────────────────────────────────
ShapeRef envShape() {
  auto item = record();
  item->add("name", tStr()).req();
  item->add("value", tStr());
  item->add("valueFrom", k8sMap());
  item->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    exclusive(n, path, diags, "value", {"valueFrom"});
  };
  return listOf(item);
}

ShapeRef envFromShape() {
  auto ref = record();
  ref->add("name", tStr()).req();
  ref->add("prefix", tStr());
  auto s = record();
  s->add("configMapRef", listOf(ref));
  s->add("secretRef", listOf(ref));
  return s;
}

ShapeRef resourcesShape() {
  auto s = record();
  s->add("profile", tEnum({"small", "medium", "large", "xlarge"}));
  s->add("requests", mapOf(tQuantity()));
  s->add("limits", mapOf(tQuantity()));
  s->check = profileExcludesOthers();
  return s;
}

ShapeRef probeShape() {
  auto s = record();
  s->add("type", tEnum({"http", "tcp", "exec"})).req();
  s->add("path", tStr());
  s->add("port", tIntOrString());
  s->add("command", strList());
  s->add("profile", tEnum({"fast", "standard", "slow"}));
  s->add("initialDelaySeconds", tInt());
  s->add("periodSeconds", tInt(1));
  s->add("timeoutSeconds", tInt(1));
  s->add("failureThreshold", tInt(1));
  s->add("successThreshold", tInt(1));
  s->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    const Node* type = n.get("type");
    if (type && type->isString() && type->text == "exec" && !n.get("command"))
      reportAt(diags, DiagCode::MissingField, n.span, childPath(path, "command"),
               path + ": missing required field 'command' (an exec probe runs it)");
  };
  return s;
}

ShapeRef probesShape() {
  auto s = record();
  s->add("startup", probeShape());
  s->add("liveness", probeShape());
  s->add("readiness", probeShape());
  return s;
}

/// `{profile}` or container securityContext fields (values below them are Kubernetes shapes).
ShapeRef securityContextShape() {
  auto s = record();
  s->add("profile", tEnum({"baseline", "restricted", "hardened"}));
  for (const char* b : {"allowPrivilegeEscalation", "privileged", "readOnlyRootFilesystem", "runAsNonRoot"})
    s->add(b, tBool());
  s->add("runAsUser", tInt());
  s->add("runAsGroup", tInt());
  s->add("procMount", tStr());
  for (const char* m :
       {"capabilities", "seLinuxOptions", "seccompProfile", "appArmorProfile", "windowsOptions"})
    s->add(m, k8sMap());
  s->check = profileExcludesOthers();
  return s;
}

ShapeRef rollingUpdateShape() {
  auto s = record();
  s->add("profile", tEnum({"safe", "fast", "blue-green"}));
  s->add("maxSurge", tIntOrString());
  s->add("maxUnavailable", tIntOrString());
  s->check = profileExcludesOthers();
  return s;
}

ShapeRef accessModes() {
  return listOf(tEnum({"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"}));
}

ShapeRef volumeClaimTemplatesShape() {
  auto s = record();
  s->add("name", tStr());
  s->add("storageSize", tQuantity()).req();
  s->add("mountPath", tStr());
  s->add("storageClassName", tStr());
  s->add("storageClass", tStr()).deprecated = "use 'storageClassName'";
  s->add("accessModes", accessModes());
  s->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    exclusive(n, path, diags, "storageClassName", {"storageClass"});
  };
  return listOf(s);
}

/// The container and pod fields every workload kind has.
void addContainer(EntryBuilder& b) {
  b.required("image", tStr());
  b.add("containerName", tStr());
  b.add("port", tPort());
  b.add("protocol", tEnum({"TCP", "UDP", "SCTP"}));
  b.add("command", strList());
  b.add("args", strList());
  b.add("workingDirectory", tStr());
  b.add("env", envShape());
  b.add("envFrom", envFromShape());
  b.add("resources", resourcesShape());
  b.add("probes", probesShape());
  b.add("securityContext", securityContextShape());
  b.add("serviceAccountName", tStr());
  b.add("nodeSelector", strMap());
  b.add("tolerations", k8sList());
  b.add("imagePullSecrets", strList());
  b.add("volumes", k8sList());
  b.add("volumeMounts", k8sList());
  if (b.key() != "pods") {
    b.add("podLabels", strMap());
    b.add("podAnnotations", strMap());
  }
}

/// deployments, replicaSets and statefulSets (§5.4: "as deployments").
void addReplicated(EntryBuilder& b) {
  addContainer(b);
  b.add("replicas", tInt());
  if (b.key() != "replicaSets") b.add("rollingUpdate", rollingUpdateShape());
  b.add("autoscale", anyShape()).unsupported = true;
  b.add("podSecurity", anyShape()).unsupported = true;
  if (b.key() == "statefulSets") {
    b.add("serviceName", tStr());
    b.add("volumeClaimTemplates", volumeClaimTemplatesShape());
  }
}

void addJob(EntryBuilder& b) {
  addContainer(b);
  b.add("restartPolicy", tEnum({"Never", "OnFailure"}));
  b.add("backoffLimit", tInt());
  b.add("activeDeadlineSeconds", tInt(1));
  b.add("ttlSecondsAfterFinished", tInt());
  if (b.key() != "cronJobs") return;
  b.required("schedule", tStr());
  b.add("timeZone", tStr());
  b.add("concurrencyPolicy", tEnum({"Allow", "Forbid", "Replace"}));
  b.add("suspend", tBool());
  b.add("successfulJobsHistoryLimit", tInt());
  b.add("failedJobsHistoryLimit", tInt());
}

// ── §5.5 services and ingresses ───────────────────────────────────────────────
void addService(EntryBuilder& b) {
  b.add("type", tEnum({"ClusterIP", "NodePort", "LoadBalancer"}));
  b.add("headless", tBool());
  b.add("port", tPort());
  b.add("targetPort", tIntOrString());
  b.add("protocol", tEnum({"TCP", "UDP", "SCTP"}));
  b.add("nodePort", tPort());
  b.add("selector", strMap());
  bool needsPort = !b.onDelete();
  b.check([needsPort](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    bool headless = mayBeTrue(n.get("headless"));
    if (needsPort && !headless && !n.get("port"))
      reportAt(diags, DiagCode::MissingField, n.span, childPath(path, "port"),
               path + ": missing required field 'port' (required unless headless: true)");
    const Node* type = n.get("type");
    if (headless && type && type->isString() && !isTemplate(*type) && type->text != "ClusterIP")
      reportAt(diags, DiagCode::InvalidValue, type->span, childPath(path, "type"),
               path + ".type: a headless service must be ClusterIP, got \"" + type->text + "\"");
  });
}

void addIngress(EntryBuilder& b) {
  b.add("host", tStr());
  b.add("path", tStr());
  b.add("pathType", tEnum({"Prefix", "Exact", "ImplementationSpecific"}));
  b.add("serviceName", tStr());
  b.add("servicePort", tIntOrString());
  b.add("className", tStr());
  b.add("tlsSecretName", tStr());
}

// ── §5.6 configuration, identity, storage, policy ─────────────────────────────
void addConfigCopy(EntryBuilder& b, const char* from) {
  b.add("data", strMap());
  b.add(from, tStr());
  b.add("fromNamespace", tStr());
  b.add("toNamespaces", strList());
}

void addSecret(EntryBuilder& b) {
  addConfigCopy(b, "fromSecret");
  b.add("type", tStr());
  b.add("once", boolean());
  b.add("rotateAfter", tDuration());
  auto tls = record();
  tls->add("commonName", tStr());
  tls->add("dnsNames", strList());
  tls->add("validFor", tDuration());
  b.add("tls", tls);
}

ShapeRef rulesShape(bool cluster) {
  auto rule = record();
  rule->add("apiGroups", strList());
  rule->add("resources", strList());
  rule->add("resourceNames", strList());
  rule->add("verbs", strList()).req();
  if (cluster) rule->add("nonResourceURLs", strList());
  return listOf(rule);
}

void addBinding(EntryBuilder& b, bool cluster) {
  auto roleRef = record();
  roleRef->add("kind", cluster ? tEnum({"ClusterRole"}) : tEnum({"Role", "ClusterRole"}));
  roleRef->add("name", tStr()).req();
  roleRef->add("apiGroup", tEnum({"rbac.authorization.k8s.io"}));
  b.required("roleRef", roleRef);
  auto subject = record();
  subject->add("kind", tEnum({"ServiceAccount", "User", "Group"})).req();
  subject->add("name", tStr()).req();
  subject->add("namespace", tStr());
  subject->add("apiGroup", tStr());
  b.add("subjects", listOf(subject));
}

void addVolume(EntryBuilder& b, bool claim) {
  b.required("storageSize", tQuantity());
  b.add("accessModes", accessModes());
  b.add("storageClassName", tStr());
  if (claim) {
    b.add("volumeMode", tEnum({"Filesystem", "Block"}));
    return;
  }
  b.add("reclaimPolicy", tEnum({"Retain", "Delete", "Recycle"}));
  b.add("source", withCheck(k8sMap(), [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
          if (n.isMap() && n.entries.size() != 1)
            reportAt(diags, DiagCode::InvalidValue, n.span, path,
                     path + ": expected exactly one volume source such as {nfs: {server, path}}, got " +
                         std::to_string(n.entries.size()));
        }));
  b.add("nodeAffinity", k8sMap());
}

/// networkPolicies, limitRanges, resourceQuotas: a `profile` or a raw `spec`.
void addProfileOrSpec(EntryBuilder& b, std::vector<std::string> profiles) {
  b.add("profile", tEnum(std::move(profiles)));
  b.add("spec", k8sMap());
  bool needsOne = !b.onDelete();
  b.check([needsOne](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    exclusive(n, path, diags, "profile", {"spec"});
    if (needsOne && !n.get("profile") && !n.get("spec"))
      reportAt(diags, DiagCode::MissingField, n.span, childPath(path, "profile"),
               path + ": missing required field 'profile' or 'spec'");
  });
}

void addHpa(EntryBuilder& b) {
  auto target = record();
  target->add("kind", tEnum({"Deployment", "StatefulSet", "ReplicaSet"}));
  target->add("name", tStr());
  b.add("target", target);
  b.add("min", tInt(1));
  b.required("max", tInt(1));
  b.add("cpu", tInt(1));
  b.add("memory", tInt(1));
  b.check([](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    const Node* min = n.get("min");
    const Node* max = n.get("max");
    if (min && max && min->kind == ir::NodeKind::Int && max->kind == ir::NodeKind::Int &&
        min->intValue > max->intValue)
      reportAt(diags, DiagCode::InvalidValue, min->span, childPath(path, "min"),
               path + ": min (" + std::to_string(min->intValue) + ") is greater than max (" +
                   std::to_string(max->intValue) + ")");
  });
}

void addPdb(EntryBuilder& b) {
  b.add("minAvailable", tIntOrString());
  b.add("maxUnavailable", tIntOrString());
  b.add("selector", strMap());
  b.check([](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    exclusive(n, path, diags, "minAvailable", {"maxUnavailable"});
  });
}

// ── §5.7 custom ───────────────────────────────────────────────────────────────
/// The ork keys of a custom entry; every other key is body, copied into the object.
ShapeRef customOrkKeys(bool onDelete) {
  EntryBuilder b("custom", onDelete);
  addCommon(b);
  b.add("apiVersion", str()).req();
  b.add("kind", str()).req();
  b.add("name", tStr()).req();
  b.add("namespaced", boolean());
  b.add("hasStatus", boolean());
  b.check([](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    for (const char* k : {"apiVersion", "kind"}) {
      const Node* v = n.get(k);
      if (v && isTemplate(*v))
        reportAt(diags, DiagCode::InvalidValue, v->span, childPath(path, k),
                 childPath(path, k) + ": cannot be a template (ork needs the kind when it compiles)");
    }
    const Node* namespaced = n.get("namespaced");
    const MapEntry* ns = n.entry("namespace");
    if (ns && namespaced && namespaced->kind == ir::NodeKind::Bool && !namespaced->boolValue)
      reportAt(diags, DiagCode::InvalidValue, ns->keySpan, childPath(path, "namespace"),
               path + ": 'namespace' cannot be set: the object is cluster-scoped (namespaced: false)");
  });
  return b.finish();
}

/// The ork key a body key most likely misspells: distance ≤ 2 and under half the length.
std::optional<std::string> nearOrkKey(std::string_view key, const Shape& ork) {
  std::optional<std::string> best;
  size_t bestDistance = 3;
  std::string lower = toLower(key);
  for (const Field& f : ork.fields) {
    if (f.name == "anyOf") continue;
    size_t d = editDistance(lower, toLower(f.name));
    size_t longest = std::max(key.size(), f.name.size());
    if (d < bestDistance && d * 2 < longest) {
      best = f.name;
      bestDistance = d;
    }
  }
  return best;
}

ShapeRef customShape(bool onDelete) {
  ShapeRef ork = customOrkKeys(onDelete);
  auto s = mapOf(anyShape());
  s->description = "a mapping";
  s->check = [ork](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    auto orkPart = Node::makeMap(n.span);
    for (const MapEntry& e : n.entries) {
      if (ork->field(e.key)) {
        orkPart->set(e.key, e.value->clone(), e.keySpan);
      } else if (e.key == "metadata") {
        reportAt(diags, DiagCode::CustomMetadata, e.keySpan, childPath(path, e.key),
                 path +
                     ": 'metadata' cannot be set in a custom entry; use 'name', 'namespace', 'labels' and "
                     "'annotations'");
      } else if (auto near = nearOrkKey(e.key, *ork)) {
        reportAt(diags, DiagCode::CustomKeyNearOrkKey, e.keySpan, childPath(path, e.key),
                 path + ": '" + e.key + "' is copied into the object as is (did you mean '" + *near + "'?)");
      }
    }
    validateShape(*orkPart, *ork, path, diags);
  };
  return s;
}

ShapeRef buildEntry(std::string_view key, bool onDelete) {
  if (key == "custom") return customShape(onDelete);
  EntryBuilder b(key, onDelete);
  addCommon(b);
  if (key == "deployments" || key == "replicaSets" || key == "statefulSets") {
    addReplicated(b);
  } else if (key == "pods") {
    addContainer(b);
    b.add("restartPolicy", tEnum({"Always", "OnFailure", "Never"}));
  } else if (key == "jobs" || key == "cronJobs") {
    addJob(b);
  } else if (key == "services") {
    addService(b);
  } else if (key == "ingresses") {
    addIngress(b);
  } else if (key == "configMaps") {
    addConfigCopy(b, "fromConfigMap");
  } else if (key == "secrets") {
    addSecret(b);
  } else if (key == "serviceAccounts") {
    b.add("imagePullSecrets", strList());
    b.add("automountServiceAccountToken", tBool());
  } else if (key == "roles" || key == "clusterRoles") {
    b.add("rules", rulesShape(key == "clusterRoles"));
  } else if (key == "roleBindings" || key == "clusterRoleBindings") {
    addBinding(b, key == "clusterRoleBindings");
  } else if (key == "persistentVolumeClaims" || key == "persistentVolumes") {
    addVolume(b, key == "persistentVolumeClaims");
  } else if (key == "networkPolicies") {
    addProfileOrSpec(b, {"deny-all", "allow-same-namespace"});
  } else if (key == "limitRanges" || key == "resourceQuotas") {
    addProfileOrSpec(b, {"small", "medium", "large", "xlarge"});
  } else if (key == "hpa") {
    addHpa(b);
  } else if (key == "pdb") {
    addPdb(b);
  } else if (key != "namespaces") {
    return nullptr;
  }
  return b.finish();
}

/// Entry shapes by key, built once: [0] for onCreate/onReconcile, [1] for onDelete.
const std::map<std::string, ShapeRef, std::less<>>& entryShapes(bool onDelete) {
  static const auto build = [](bool del) {
    std::map<std::string, ShapeRef, std::less<>> m;
    for (const std::string& k : kKeys) m[k] = buildEntry(k, del);
    return m;
  };
  static const std::map<std::string, ShapeRef, std::less<>> normal = build(false);
  static const std::map<std::string, ShapeRef, std::less<>> deletion = build(true);
  return onDelete ? deletion : normal;
}

/// The resource keys and inert keys of a block, added to `s`.
void addBlockKeys(Shape& s, bool onDelete) {
  for (const std::string& k : kKeys) s.add(k, listOf(entryShapes(onDelete).find(k)->second));
  // Spellings users bring from kubectl short names; edit distance alone suggests the wrong key.
  s.add("persistentVolumeClaims", s.field("persistentVolumeClaims")->shape).misspellings = {"pvcs", "pvc"};
  s.add("persistentVolumes", s.field("persistentVolumes")->shape).misspellings = {"pvs", "pv"};
  s.add("hpa", s.field("hpa")->shape).misspellings = {"hpas", "horizontalPodAutoscalers"};
  s.add("pdb", s.field("pdb")->shape).misspellings = {"pdbs", "podDisruptionBudgets"};
  s.add("serviceAccounts", s.field("serviceAccounts")->shape).misspellings = {"sa", "sas"};
  s.add("configMaps", s.field("configMaps")->shape).misspellings = {"cm", "cms"};
  for (const std::string& k : kInertBlockKeys) s.add(k, anyShape()).unsupported = true;
}

void checkUniqueGroupNames(const Node& n, const std::string& path, DiagnosticEngine& diags) {
  std::map<std::string, const Node*> seen;
  for (size_t i = 0; i < n.items.size(); ++i) {
    const Node* name = n.items[i]->get("name");
    if (!name || !name->isScalar() || name->isNull()) continue;
    auto [it, fresh] = seen.emplace(name->scalarText(), name);
    if (fresh) continue;
    std::string p = childPath(indexPath(path, i), "name");
    reportAt(diags, DiagCode::DuplicateName, name->span, p,
             p + ": onDelete group '" + name->scalarText() + "' is declared twice");
    diags.note(it->second->span, "first declared here");
  }
}

}  // namespace

const std::vector<std::string>& resourceKeys() { return kKeys; }

ShapeRef resourceEntryShape(std::string_view key) {
  const auto& shapes = entryShapes(false);
  auto it = shapes.find(key);
  return it == shapes.end() ? nullptr : it->second;
}

ShapeRef resourceBlockShape() {
  static const ShapeRef s = [] {
    auto r = record();
    addBlockKeys(*r, false);
    return r;
  }();
  return s;
}

ShapeRef onDeleteShape() {
  static const ShapeRef s = [] {
    auto group = record();
    group->add("name", str()).req();
    addBlockKeys(*group, true);
    auto groups = listOf(group);
    groups->check = checkUniqueGroupNames;
    auto r = record();
    r->add("ordered", boolean());
    r->add("timeout", duration());
    r->add("groups", groups);
    addBlockKeys(*r, true);
    return r;
  }();
  return s;
}

}  // namespace ork::frontend
