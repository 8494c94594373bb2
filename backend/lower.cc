// The lowering framework (FORMATS.md §5.1, §5.2, §4.4, §14.1): blocks, entry ids and order, common
// metadata, conditions and forEach around the per-kind lowerers, and the value helpers of
// lower_internal.h that turn IR scalars into typed templated values (§5.3).
#include "backend/lower.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

#include "backend/lower_internal.h"
#include "backend/plan/render.h"
#include "passes/parse_templates.h"
#include "support/template.h"

namespace ork::backend {
namespace {

using plan::SourceRef;
using plan::TValue;
using plan::ValueType;

/// One row of §5.1: key, kind, apiVersion, scope, default name suffix, lowerer.
struct KindInfo {
  const char* key;
  const char* kind;
  const char* apiVersion;
  bool clusterScoped;
  const char* defaultSuffix;  // appended to "<cr>"; "" for namespaces; null for custom (no default)
  KindLowerer lower;
};

// clang-format off
const std::array<KindInfo, 24> kKinds{{
    {"namespaces", "Namespace", "v1", true, "", lowerNamespace},
    {"serviceAccounts", "ServiceAccount", "v1", false, "-sa", lowerServiceAccount},
    {"clusterRoles", "ClusterRole", "rbac.authorization.k8s.io/v1", true, "-clusterrole", lowerRole},
    {"clusterRoleBindings", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", true, "-clusterrolebinding", lowerRoleBinding},
    {"roles", "Role", "rbac.authorization.k8s.io/v1", false, "-role", lowerRole},
    {"roleBindings", "RoleBinding", "rbac.authorization.k8s.io/v1", false, "-rolebinding", lowerRoleBinding},
    {"secrets", "Secret", "v1", false, "-secret", lowerSecret},
    {"configMaps", "ConfigMap", "v1", false, "-config", lowerConfigMap},
    {"networkPolicies", "NetworkPolicy", "networking.k8s.io/v1", false, "-netpol", lowerNetworkPolicy},
    {"resourceQuotas", "ResourceQuota", "v1", false, "-quota", lowerResourceQuota},
    {"limitRanges", "LimitRange", "v1", false, "-limits", lowerLimitRange},
    {"persistentVolumes", "PersistentVolume", "v1", true, "-pv", lowerPersistentVolume},
    {"persistentVolumeClaims", "PersistentVolumeClaim", "v1", false, "-pvc", lowerPersistentVolumeClaim},
    {"custom", "", "", false, nullptr, lowerCustom},
    {"services", "Service", "v1", false, "-svc", lowerService},
    {"deployments", "Deployment", "apps/v1", false, "-deployment", lowerDeployment},
    {"replicaSets", "ReplicaSet", "apps/v1", false, "-rs", lowerReplicaSet},
    {"statefulSets", "StatefulSet", "apps/v1", false, "-sts", lowerStatefulSet},
    {"pods", "Pod", "v1", false, "-pod", lowerPod},
    {"jobs", "Job", "batch/v1", false, "-job", lowerJob},
    {"cronJobs", "CronJob", "batch/v1", false, "-cronjob", lowerCronJob},
    {"ingresses", "Ingress", "networking.k8s.io/v1", false, "-ingress", lowerIngress},
    {"hpa", "HorizontalPodAutoscaler", "autoscaling/v2", false, "-hpa", lowerHpa},
    {"pdb", "PodDisruptionBudget", "policy/v1", false, "-pdb", lowerPdb},
}};
// clang-format on

/// ork's labels (§5.2): user labels may not set them.
const std::array<const char*, 4> kOrkLabels{"managed-by", "orkestra-owner", "orkestra.orkspace.io/owner-uid",
                                            "orkestra.orkspace.io/mode"};

std::string article(ValueType t) {
  switch (t) {
    case ValueType::Integer: return "an integer";
    case ValueType::IntOrString: return "an integer or string";
    case ValueType::Auto: return "a value";
    case ValueType::String: return "a string";
    case ValueType::Number: return "a number";
    case ValueType::Boolean: return "a boolean";
    case ValueType::Quantity: return "a quantity";
  }
  return "a value";
}

std::string childField(const std::string& field, std::string_view key) {
  return field.empty() ? std::string(key) : field + "." + std::string(key);
}

const ir::Node* mapOrNull(const ir::Node* n) { return n && n->isMap() ? n : nullptr; }

}  // namespace

/// A literal scalar node as JSON (typed as the core schema read it).
nlohmann::json literalJson(const ir::Node& n) {
  switch (n.kind) {
    case ir::NodeKind::Null: return nullptr;
    case ir::NodeKind::Bool: return n.boolValue;
    case ir::NodeKind::Int: return n.intValue;
    case ir::NodeKind::Float: return n.floatValue;
    case ir::NodeKind::String: return n.text;
    case ir::NodeKind::List:
    case ir::NodeKind::Map: return nullptr;
  }
  return nullptr;
}

SourceRef sourceOf(const ir::Node& n, const std::string& field, const LowerContext& ctx) {
  Span at = n.isString() ? passes::templateSpan(ctx.sm, n, 0, 0) : n.span;
  SourceRef s;
  s.location = at.valid() ? ctx.sm.location(at) : std::string();
  s.field = field;
  s.span = n.span;
  return s;
}

/// The parsed template of a string holding `{{`: the pass's when set, else parsed now.
std::shared_ptr<const tmpl::Template> templateOf(const ir::Node& n, const std::string& field,
                                                 LowerContext& ctx) {
  if (n.parsed) return n.parsed;
  tmpl::ParseResult r = tmpl::parse(n.text, tmpl::ParseOptions{ctx.extraRoots, ctx.notes});
  for (const tmpl::ParseError& e : r.errors) {
    Diagnostic& d = ctx.diags.report(e.code, passes::templateSpan(ctx.sm, n, e.offset, e.length), e.message);
    d.path = field;
    if (!e.help.empty()) d.help = e.help;
    ctx.failed = true;
  }
  return r.ok() ? r.tmpl : nullptr;
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

Diagnostic& lowerError(LowerContext& ctx, DiagCode code, Span span, const std::string& field,
                       std::string message) {
  Diagnostic& d = ctx.diags.report(code, span, std::move(message));
  d.path = field;
  if (d.severity == Severity::Error) ctx.failed = true;
  return d;
}

std::optional<std::string> literalText(const ir::Node* n) {
  if (!n || !n->isScalar() || n->isNull()) return std::nullopt;
  if (n->isString() && tmpl::hasActions(n->text)) return std::nullopt;
  return n->isString() ? n->text : n->scalarText();
}

TValue scalarValue(const ir::Node& n, ValueType type, const std::string& field, LowerContext& ctx,
                   bool required) {
  if (!n.isScalar()) return copyValue(n, field, ctx, type);
  if (n.isString() && tmpl::hasActions(n.text)) {
    auto t = templateOf(n, field, ctx);
    if (!t) return TValue::lit(nullptr);
    return TValue::templ(std::move(t), type, sourceOf(n, field, ctx), required);
  }
  if (n.isNull()) return TValue::lit(nullptr);
  TValue out;
  if (type == ValueType::String) {
    out = TValue::lit(n.isString() ? n.text : n.scalarText());
  } else {
    // Literals convert as their text would render (§5.3: `port: 5432` and `port: "5432"` alike);
    // Auto keeps the core-schema type.
    std::optional<nlohmann::json> v = type == ValueType::Auto
                                          ? std::optional<nlohmann::json>(literalJson(n))
                                          : plan::convertScalar(n.isString() ? n.text : n.scalarText(), type);
    if (!v) {
      lowerError(
          ctx, DiagCode::ValueConversion, n.span, field,
          field + ": rendered \"" + (n.isString() ? n.text : n.scalarText()) + "\" is not " + article(type));
      return TValue::lit(nullptr);
    }
    out = TValue::lit(std::move(*v));
  }
  out.source = sourceOf(n, field, ctx);
  return out;
}

TValue copyValue(const ir::Node& n, const std::string& field, LowerContext& ctx, ValueType leafType) {
  switch (n.kind) {
    case ir::NodeKind::Map: {
      TValue m = TValue::mapValue();
      for (const ir::MapEntry& e : n.entries) {
        std::string sub = childField(field, e.key);
        plan::TMapItem item{e.key, nullptr, copyValue(*e.value, sub, ctx, leafType)};
        if (tmpl::hasActions(e.key)) {
          tmpl::ParseResult r = tmpl::parse(e.key, tmpl::ParseOptions{ctx.extraRoots, ctx.notes});
          for (const tmpl::ParseError& pe : r.errors) lowerError(ctx, pe.code, e.keySpan, sub, pe.message);
          item.keyTmpl = r.tmpl;
        }
        m.map.push_back(std::move(item));
      }
      return m;
    }
    case ir::NodeKind::List: {
      TValue l = TValue::listValue();
      for (size_t i = 0; i < n.items.size(); ++i)
        l.list.push_back(copyValue(*n.items[i], field + "[" + std::to_string(i) + "]", ctx, leafType));
      return l;
    }
    case ir::NodeKind::Null:
    case ir::NodeKind::Bool:
    case ir::NodeKind::Int:
    case ir::NodeKind::Float:
    case ir::NodeKind::String: {
      // Kubernetes shapes copied as is keep their literal types; templates get `leafType`.
      if (leafType == ValueType::String && !n.isString() && !n.isNull()) {
        TValue v = TValue::lit(literalJson(n));
        v.source = sourceOf(n, field, ctx);
        return v;
      }
      return scalarValue(n, leafType, field, ctx);
    }
  }
  return TValue::lit(nullptr);
}

bool setScalar(TValue& obj, const std::string& key, const EntryInput& in, const std::string& name,
               ValueType type, LowerContext& ctx) {
  const ir::Node* n = in.body.get(name);
  if (!n || n->isNull()) return false;
  obj.set(key, scalarValue(*n, type, childField(in.field, name), ctx));
  return true;
}

bool setCopy(TValue& obj, const std::string& key, const EntryInput& in, const std::string& name,
             LowerContext& ctx, ValueType leafType) {
  const ir::Node* n = in.body.get(name);
  if (!n || n->isNull()) return false;
  obj.set(key, copyValue(*n, childField(in.field, name), ctx, leafType));
  return true;
}

TValue textTemplate(const std::string& text, ValueType type) {
  tmpl::ParseResult r = tmpl::parse(text);
  if (!r.ok()) return TValue::lit(text);
  return TValue::templ(r.tmpl, type, plan::SourceRef{});
}

// ── the framework ────────────────────────────────────────────────────────────────────────────
namespace {

const KindInfo& kindInfo(std::string_view key) {
  for (const KindInfo& k : kKinds)
    if (key == k.key) return k;
  return kKinds[13];  // custom: unreachable for shaped blocks
}

/// The scope of the object an entry declares (custom: its `namespaced`, default true).
bool childNamespaced(const KindInfo& k, const ir::Node& body) {
  if (std::string_view(k.key) == "custom") {
    const ir::Node* ns = body.get("namespaced");
    return !(ns && ns->kind == ir::NodeKind::Bool && !ns->boolValue);
  }
  return !k.clusterScoped;
}

/// The default metadata.name of §5.1 (custom has none: `name` is required there).
TValue defaultName(const KindInfo& k, const LowerContext& ctx) {
  std::string prefix = k.clusterScoped && std::string_view(k.key) != "namespaces" && ctx.crNamespaced
                           ? "{{ .metadata.namespace }}-"
                           : "";
  return textTemplate(prefix + "{{ .metadata.name }}" + (k.defaultSuffix ? k.defaultSuffix : ""));
}

/// The forEach alias of an entry (a data root while lowering it).
std::vector<std::string> aliasRoots(const ir::Node& body) {
  std::vector<std::string> roots;
  if (const ir::Node* each = mapOrNull(body.get("forEach")))
    if (const ir::Node* as = each->get("as"); as && as->isString() && !as->text.empty())
      roots.push_back(as->text);
  return roots;
}

/// The lowered metadata.name of an entry.
TValue entryName(const KindInfo& k, const EntryInput& in, LowerContext& ctx) {
  if (const ir::Node* n = in.body.get("name"); n && !n->isNull())
    return scalarValue(*n, ValueType::String, childField(in.field, "name"), ctx, true);
  return defaultName(k, ctx);
}

void checkLabels(const ir::Node* labels, const std::string& field, LowerContext& ctx) {
  if (!labels || !labels->isMap()) return;
  for (const ir::MapEntry& e : labels->entries)
    for (const char* ork : kOrkLabels)
      if (e.key == ork)
        lowerError(ctx, DiagCode::ReservedLabel, e.keySpan, childField(field, e.key),
                   field + ": label '" + e.key + "' is set by ork and cannot be overridden");
}

/// metadata: name, namespace, labels, annotations (§5.2).
TValue lowerMetadata(const KindInfo& k, const EntryInput& in, bool namespaced, LowerContext& ctx) {
  TValue meta = TValue::mapValue();
  meta.set("name", entryName(k, in, ctx));
  const ir::Node* ns = in.body.get("namespace");
  if (namespaced) {
    if (ns && !ns->isNull()) {
      meta.set("namespace",
               scalarValue(*ns, ValueType::String, childField(in.field, "namespace"), ctx, true));
    } else if (!ctx.crNamespaced) {
      lowerError(ctx, DiagCode::ChildNamespaceRequired, in.body.span, childField(in.field, "namespace"),
                 in.field + ": missing 'namespace': the CR is cluster-scoped, so a namespaced " +
                     (k.kind[0] ? std::string(k.kind) : "object") + " needs one");
    }
  }
  if (in.block == "onDelete" && in.key != "jobs" && in.key != "pods") return meta;
  if (const ir::Node* labels = in.body.get("labels"); labels && !labels->isNull()) {
    checkLabels(labels, childField(in.field, "labels"), ctx);
    meta.set("labels", copyValue(*labels, childField(in.field, "labels"), ctx));
  }
  setCopy(meta, "annotations", in, "annotations", ctx);
  return meta;
}

/// One entry of any block: the object, and everything around it.
plan::Entry lowerEntry(EntryInput in, int order, const std::string& id, LowerContext& ctx) {
  const KindInfo& k = kindInfo(in.key);
  std::vector<std::string> savedRoots = ctx.extraRoots;
  for (std::string& r : aliasRoots(in.body)) ctx.extraRoots.push_back(std::move(r));

  plan::Entry e;
  in.extras = &e.extras;
  e.id = id;
  e.block = in.block;
  e.resource = in.key;
  e.namespaced = childNamespaced(k, in.body);
  e.order = order;
  e.source = sourceOf(in.body, in.field, ctx);
  if (in.key == "custom") {
    e.apiVersion = literalText(in.body.get("apiVersion")).value_or("");
    e.kind = literalText(in.body.get("kind")).value_or("");
  } else {
    e.apiVersion = k.apiVersion;
    e.kind = k.kind;
  }
  bool createOnly = in.key == "jobs" || in.key == "pods";
  const ir::Node* reconcile = in.body.get("reconcile");
  bool reconcileTrue = reconcile && reconcile->kind == ir::NodeKind::Bool && reconcile->boolValue;
  // reconcile: true on Jobs and Pods is ignored; validate warns about it (ORK1134).
  e.reconciled = in.block == "onReconcile" || (in.block == "onCreate" && reconcileTrue && !createOnly);

  const ir::Node* crdForce = ctx.crd.body ? ctx.crd.body->get("forceConflict") : nullptr;
  e.forceConflict = !(crdForce && crdForce->kind == ir::NodeKind::Bool && !crdForce->boolValue);
  if (const ir::Node* f = in.body.get("forceConflict"); f && !f->isNull()) {
    TValue v = scalarValue(*f, ValueType::Boolean, childField(in.field, "forceConflict"), ctx);
    if (v.kind == TValue::Kind::Literal && v.literal.is_boolean())
      e.forceConflict = v.literal.get<bool>();
    else if (v.kind == TValue::Kind::Template)
      e.extras.set("forceConflict", std::move(v));  // decided per CR at render time
  }

  e.forEach = lowerForEach(in.body.get("forEach"), in.field + ".forEach", ctx);
  e.conditions = lowerConditions(in.body.get("when"), in.body.get("or"), in.field, ctx);

  e.object = TValue::mapValue();
  e.object.set("apiVersion", TValue::lit(e.apiVersion));
  e.object.set("kind", TValue::lit(e.kind));
  e.object.set("metadata", lowerMetadata(k, in, e.namespaced, ctx));
  bool nameOnly = in.block == "onDelete" && !createOnly;
  if (!nameOnly) k.lower(in, e.object, ctx);

  ctx.extraRoots = std::move(savedRoots);
  return e;
}

std::string entryField(const std::string& key, int index) { return key + "[" + std::to_string(index) + "]"; }

/// Workloads and services with their lowered names, for the defaults of other kinds.
void collectRefs(const ir::Node* reconcile, LowerContext& ctx) {
  if (!reconcile) return;
  // Names are lowered again with their entries, which report their problems once.
  DiagnosticEngine scratch;
  LowerContext quiet{ctx.crd, ctx.module, ctx.sm, scratch, ctx.crNamespaced, {}, ctx.notes, {}, {}, false};
  for (const char* key : {"deployments", "replicaSets", "statefulSets", "services"}) {
    const KindInfo& k = kindInfo(key);
    for (const char* block : {"onCreate", "onReconcile"}) {
      const ir::Node* list = reconcile->at(std::string(block) + "." + key);
      if (!list || !list->isList()) continue;
      for (size_t i = 0; i < list->items.size(); ++i) {
        const ir::Node& body = *list->items[i];
        if (!body.isMap()) continue;
        quiet.extraRoots = aliasRoots(body);
        EntryInput in{body, key, block, static_cast<int>(i), entryField(key, static_cast<int>(i)), nullptr};
        EntryRef ref{key, &body, entryName(k, in, quiet), false};
        if (std::string_view(key) == "services") {
          const ir::Node* h = body.get("headless");
          ref.headless =
              h && ((h->kind == ir::NodeKind::Bool && h->boolValue) ||
                    (h->isString() && (h->text == "true" || h->text == "True" || h->text == "TRUE")));
          ctx.services.push_back(std::move(ref));
        } else {
          ctx.workloads.push_back(std::move(ref));
        }
      }
    }
  }
}

/// The resource keys of one block in rank order, lowered into `out`; ids `<prefix><key>[i]`.
void lowerBlockKeys(const ir::Node& block, const std::string& blockName, const std::string& idPrefix,
                    std::vector<plan::Entry>& out, LowerContext& ctx) {
  for (size_t rank = 0; rank < kKinds.size(); ++rank) {
    const ir::Node* list = block.get(kKinds[rank].key);
    if (!list || !list->isList()) continue;
    for (size_t i = 0; i < list->items.size(); ++i) {
      if (!list->items[i]->isMap()) continue;
      EntryInput in{*list->items[i],
                    kKinds[rank].key,
                    blockName,
                    static_cast<int>(i),
                    entryField(kKinds[rank].key, static_cast<int>(i)),
                    nullptr};
      out.push_back(
          lowerEntry(in, static_cast<int>(rank) * 1000 + static_cast<int>(i), idPrefix + in.field, ctx));
    }
  }
}

/// Note names of every loaded document (zero-argument template functions, §2).
std::vector<std::string> noteNames(const ir::Module& module) {
  std::vector<std::string> out;
  for (const auto& doc : module.documents) {
    const ir::Node* notes = doc->root ? doc->root->get("notes") : nullptr;
    if (!notes) continue;
    if (notes->isMap()) {
      for (const ir::MapEntry& e : notes->entries) out.push_back(e.key);
    } else if (notes->isList()) {
      for (const auto& item : notes->items)
        if (const ir::Node* n = item->get("name"); n && n->isString()) out.push_back(n->text);
    }
  }
  return out;
}

/// The CRD file describing `crd`, when one was loaded.
const ir::CrdFile* crdFileOf(const ir::CrdEntry& crd, const ir::Module& module) {
  for (const auto& f : module.crdFiles) {
    if (crd.apiTypes.present && !crd.apiTypes.kind.empty()) {
      if (f->kind == crd.apiTypes.kind && f->group == crd.apiTypes.group) return f.get();
    } else if (!crd.crdFile.value.empty()) {
      const std::string& p = f->path;
      const std::string& want = crd.crdFile.value;
      std::string tail = want.rfind("./", 0) == 0 ? want.substr(2) : want;
      if (p == want || (p.size() > tail.size() && p.compare(p.size() - tail.size(), tail.size(), tail) == 0 &&
                        p[p.size() - tail.size() - 1] == '/'))
        return f.get();
    }
  }
  return nullptr;
}

std::string lowerCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::optional<plan::CrdPlan> lowerCrd(const ir::CrdEntry& crd, const ir::Module& module,
                                      const SourceManager& sm, DiagnosticEngine& diags) {
  if (!crd.enabled || !crd.body) return std::nullopt;
  plan::CrdPlan out;
  out.name = crd.name.value;
  out.gvk = {crd.apiTypes.group, crd.apiTypes.version, crd.apiTypes.kind, crd.apiTypes.plural};
  const ir::CrdFile* file = crdFileOf(crd, module);
  if (file) {
    if (out.gvk.group.empty()) out.gvk.group = file->group;
    if (out.gvk.kind.empty()) out.gvk.kind = file->kind;
    if (out.gvk.plural.empty()) out.gvk.plural = file->plural;
    if (out.gvk.version.empty()) out.gvk.version = file->storageVersion;
  }
  if (out.gvk.plural.empty() && !out.gvk.kind.empty()) out.gvk.plural = lowerCase(out.gvk.kind) + "s";
  const ir::Node* ns = crd.body->get("namespaced");
  if (ns && ns->kind == ir::NodeKind::Bool)
    out.namespaced = ns->boolValue;
  else if (file)
    out.namespaced = file->scope != "Cluster";
  out.pattern = crd.origin.source;

  LowerContext ctx{crd, module, sm, diags, true, {}, {}, {}, {}, false};
  ctx.crNamespaced = out.namespaced;
  ctx.notes = noteNames(module);
  const ir::Node* reconcile = mapOrNull(crd.body->at("operatorBox.reconcile"));
  collectRefs(reconcile, ctx);
  if (reconcile) {
    // Per key: onCreate entries, then onReconcile entries (§14.1 position).
    std::vector<plan::Entry> created, reconciled;
    if (const ir::Node* b = mapOrNull(reconcile->get("onCreate")))
      lowerBlockKeys(*b, "onCreate", "onCreate.", created, ctx);
    if (const ir::Node* b = mapOrNull(reconcile->get("onReconcile")))
      lowerBlockKeys(*b, "onReconcile", "onReconcile.", reconciled, ctx);
    for (plan::Entry& r : reconciled) {
      int before = 0;
      for (const plan::Entry& c : created)
        if (c.resource == r.resource) ++before;
      r.order += before;
    }
    for (plan::Entry& e : created) out.entries.push_back(std::move(e));
    for (plan::Entry& e : reconciled) out.entries.push_back(std::move(e));
    std::stable_sort(out.entries.begin(), out.entries.end(),
                     [](const plan::Entry& a, const plan::Entry& b) { return a.order < b.order; });

    if (const ir::Node* del = mapOrNull(reconcile->get("onDelete"))) {
      // The plain keys form one implicit group named "default"; then the declared groups in order.
      lowerBlockKeys(*del, "onDelete", "onDelete.default.", out.onDelete, ctx);
      if (const ir::Node* groups = del->get("groups"); groups && groups->isList())
        for (const auto& g : groups->items) {
          const ir::Node* name = g->get("name");
          if (!g->isMap() || !name || !name->isScalar()) continue;
          lowerBlockKeys(*g, "onDelete", "onDelete." + name->scalarText() + ".", out.onDelete, ctx);
        }
    }
  }
  if (ctx.failed) return std::nullopt;
  return out;
}

std::vector<plan::CrdPlan> lowerModule(const ir::Module& module, const SourceManager& sm,
                                       DiagnosticEngine& diags) {
  std::vector<plan::CrdPlan> out;
  for (const ir::CrdEntry& crd : module.composedCrds)
    if (auto p = lowerCrd(crd, module, sm, diags)) out.push_back(std::move(*p));
  return out;
}

}  // namespace ork::backend
