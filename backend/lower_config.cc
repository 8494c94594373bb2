// Lowering of namespaces, serviceAccounts, roles, bindings, secrets, configMaps, resourceQuotas,
// limitRanges, persistentVolumes, persistentVolumeClaims and custom (FORMATS.md §5.6, §5.7): the
// body of each object; metadata is the framework's (lower.cc).
#include <algorithm>
#include <array>
#include <string>

#include "backend/lower_internal.h"
#include "backend/template_rewrite.h"
#include "support/template_functions.h"

namespace ork::backend {
namespace {

using plan::TValue;
using plan::ValueType;

std::string fieldOf(const EntryInput& in, const std::string& name) { return in.field + "." + name; }

/// The CR's namespace as a template (default namespaces of copies and subjects).
TValue crNamespace() { return textTemplate("{{ .metadata.namespace }}"); }

/// `data` of a ConfigMap or Secret: keys as copyValue lowers them (templated keys kept), values as
/// strings (a literal `5` is "5"); `encode` turns every value into its base64 (Secrets).
TValue dataMap(const EntryInput& in, const ir::Node& data, LowerContext& ctx, bool encode) {
  TValue out = copyValue(data, fieldOf(in, "data"), ctx);
  if (out.kind != TValue::Kind::Map || out.map.size() != data.entries.size()) return out;
  for (size_t i = 0; i < data.entries.size(); ++i) {
    const ir::Node& n = *data.entries[i].value;
    TValue& v = out.map[i].value;
    if (std::optional<std::string> text = literalText(&n)) {
      v = TValue::lit(encode ? tmpl::base64Encode(*text) : *text);
      continue;
    }
    v = scalarValue(n, ValueType::String, fieldOf(in, "data." + data.entries[i].key), ctx);
    if (encode && v.kind == TValue::Kind::Template && v.tmpl) v.tmpl = base64Of(*v.tmpl);
  }
  return out;
}

/// `(extras)[key]` from the entry field `name` when present.
void extraScalar(const EntryInput& in, const std::string& name, LowerContext& ctx) {
  if (in.extras) setScalar(*in.extras, name, in, name, ValueType::String, ctx);
}

/// fromConfigMap/fromSecret + fromNamespace (default the CR's) and toNamespaces → extras.
void copyExtras(const EntryInput& in, const std::string& from, LowerContext& ctx) {
  if (!in.extras) return;
  if (setScalar(*in.extras, from, in, from, ValueType::String, ctx) &&
      !setScalar(*in.extras, "fromNamespace", in, "fromNamespace", ValueType::String, ctx))
    in.extras->set("fromNamespace", crNamespace());
  setCopy(*in.extras, "toNamespaces", in, "toNamespaces", ctx);
}

/// Names → `[{name}]` (imagePullSecrets).
TValue nameRefs(const ir::Node& list, const std::string& field, LowerContext& ctx) {
  TValue out = TValue::listValue();
  for (size_t i = 0; i < list.items.size(); ++i) {
    TValue ref = TValue::mapValue();
    ref.set("name",
            scalarValue(*list.items[i], ValueType::String, field + "[" + std::to_string(i) + "]", ctx, true));
    out.list.push_back(std::move(ref));
  }
  return out;
}

TValue accessModes(const EntryInput& in, LowerContext& ctx) {
  if (const ir::Node* m = in.body.get("accessModes")) return copyValue(*m, fieldOf(in, "accessModes"), ctx);
  TValue modes = TValue::listValue();
  modes.list.push_back(TValue::lit("ReadWriteOnce"));
  return modes;
}

/// The resources profiles of §5.4 (requests cpu/memory, limits cpu/memory) and the quota profiles
/// of §5.6 (requests.cpu, requests.memory, pods; limits twice the requests).
struct Profile {
  const char* name;
  const char* requestCpu;
  const char* requestMemory;
  const char* limitCpu;
  const char* limitMemory;
  const char* quotaCpu;
  const char* quotaMemory;
  const char* quotaLimitCpu;
  const char* quotaLimitMemory;
  const char* quotaPods;
};
const std::array<Profile, 4> kProfiles{{
    {"small", "100m", "128Mi", "500m", "256Mi", "2", "4Gi", "4", "8Gi", "20"},
    {"medium", "250m", "256Mi", "1", "512Mi", "4", "8Gi", "8", "16Gi", "40"},
    {"large", "500m", "512Mi", "2", "1Gi", "8", "16Gi", "16", "32Gi", "80"},
    {"xlarge", "1", "1Gi", "4", "2Gi", "16", "32Gi", "32", "64Gi", "160"},
}};

/// One profile column as a value: a literal when the profile is, else a table lookup template
/// (an unknown rendered profile renders empty, which fails the required value).
TValue profileValue(const ir::Node& profile, const EntryInput& in, const char* Profile::*column,
                    LowerContext& ctx) {
  TValue p = scalarValue(profile, ValueType::String, fieldOf(in, "profile"), ctx, true);
  if (p.kind == TValue::Kind::Template && p.tmpl) {
    std::vector<std::pair<std::string, std::string>> table;
    for (const Profile& row : kProfiles) table.emplace_back(row.name, row.*column);
    p.tmpl = selectByText(*p.tmpl, table);
    p.type = ValueType::Quantity;
    return p;
  }
  std::string name = p.literal.is_string() ? p.literal.get<std::string>() : "";
  for (const Profile& row : kProfiles)
    if (name == row.name) return TValue::lit(row.*column);
  return TValue::lit(nullptr);
}

}  // namespace

void lowerNamespace(const EntryInput&, plan::TValue&, LowerContext&) {
  // §5.6: labels and annotations only (the framework's metadata).
}

void lowerServiceAccount(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  if (const ir::Node* secrets = in.body.get("imagePullSecrets"))
    object.set("imagePullSecrets", nameRefs(*secrets, fieldOf(in, "imagePullSecrets"), ctx));
  setScalar(object, "automountServiceAccountToken", in, "automountServiceAccountToken", ValueType::Boolean,
            ctx);
}

void lowerRole(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  if (!setCopy(object, "rules", in, "rules", ctx)) object.set("rules", TValue::listValue());
}

void lowerRoleBinding(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  const ir::Node& b = in.body;
  bool cluster = in.key == "clusterRoleBindings";
  TValue roleRef = TValue::mapValue();
  roleRef.set("apiGroup", TValue::lit("rbac.authorization.k8s.io"));
  const ir::Node* ref = b.get("roleRef");
  const ir::Node* kind = ref ? ref->get("kind") : nullptr;
  if (kind) {
    roleRef.set("kind", scalarValue(*kind, ValueType::String, fieldOf(in, "roleRef.kind"), ctx, true));
  } else {
    roleRef.set("kind", TValue::lit(cluster ? "ClusterRole" : "Role"));
  }
  if (const ir::Node* name = ref ? ref->get("name") : nullptr)
    roleRef.set("name", scalarValue(*name, ValueType::String, fieldOf(in, "roleRef.name"), ctx, true));
  object.set("roleRef", std::move(roleRef));

  const ir::Node* subjects = b.get("subjects");
  if (!subjects || !subjects->isList()) return;
  TValue list = TValue::listValue();
  for (size_t i = 0; i < subjects->items.size(); ++i) {
    const ir::Node& s = *subjects->items[i];
    std::string field = fieldOf(in, "subjects[" + std::to_string(i) + "]");
    TValue out = TValue::mapValue();
    const ir::Node* kindNode = s.get("kind");
    std::optional<std::string> kindText = literalText(kindNode);
    if (kindNode) out.set("kind", scalarValue(*kindNode, ValueType::String, field + ".kind", ctx, true));
    if (const ir::Node* name = s.get("name"))
      out.set("name", scalarValue(*name, ValueType::String, field + ".name", ctx, true));
    bool serviceAccount = !kindText || *kindText == "ServiceAccount";
    if (const ir::Node* ns = s.get("namespace")) {
      out.set("namespace", scalarValue(*ns, ValueType::String, field + ".namespace", ctx));
    } else if (serviceAccount && ctx.crNamespaced) {
      out.set("namespace", crNamespace());
    } else if (serviceAccount && kindText) {
      lowerError(ctx, DiagCode::SubjectNamespaceRequired, s.span, field + ".namespace",
                 field +
                     ": missing required field 'namespace' (the CR is cluster-scoped, so a ServiceAccount "
                     "subject has no namespace to default to)");
    }
    if (const ir::Node* group = s.get("apiGroup")) {
      out.set("apiGroup", scalarValue(*group, ValueType::String, field + ".apiGroup", ctx));
    } else if (kindText && *kindText != "ServiceAccount") {
      out.set("apiGroup", TValue::lit("rbac.authorization.k8s.io"));
    }
    list.list.push_back(std::move(out));
  }
  object.set("subjects", std::move(list));
}

void lowerSecret(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  const ir::Node& b = in.body;
  const ir::Node* tls = b.get("tls");
  const ir::Node* type = b.get("type");
  if (tls && type) {
    std::optional<std::string> t = literalText(type);
    if (t && *t != "kubernetes.io/tls") {
      lowerError(ctx, DiagCode::SecretTlsType, type->span, fieldOf(in, "type"),
                 fieldOf(in, "type") + ": a secret with tls has type kubernetes.io/tls, got \"" + *t + "\"");
      ctx.diags.note(b.entry("tls")->keySpan, "'tls' is set here");
    }
  }
  if (!setScalar(object, "type", in, "type", ValueType::String, ctx))
    object.set("type", TValue::lit(tls ? "kubernetes.io/tls" : "Opaque"));
  if (const ir::Node* data = b.get("data")) {
    object.set("data", dataMap(in, *data, ctx, true));
    const ir::Node* once = b.get("once");
    bool isOnce = once && once->kind == ir::NodeKind::Bool && once->boolValue;
    const ir::Node* reconcile = b.get("reconcile");
    bool reconciled = in.block == "onReconcile" ||
                      (reconcile && reconcile->kind == ir::NodeKind::Bool && reconcile->boolValue);
    static const std::vector<std::string> kRandom{"randomAlphanumeric", "randomHex", "randomBase64"};
    for (const ir::MapEntry& e : data->entries) {
      if (!reconciled || isOnce || !e.value->parsed) continue;
      std::string fn = firstCallOf(*e.value->parsed, kRandom);
      if (fn.empty()) continue;
      std::string field = fieldOf(in, "data." + e.key);
      Diagnostic& d =
          ctx.diags.report(DiagCode::RandomInReconciledSecret, e.value->span,
                           field + ": " + fn +
                               " in a reconciled Secret without 'once: true' changes the value at "
                               "every reconcile");
      d.path = field;
      ctx.diags.help("add 'once: true' to keep the first value");
    }
  }
  if (!in.extras) return;
  copyExtras(in, "fromSecret", ctx);
  if (const ir::Node* once = b.get("once"); once && once->kind == ir::NodeKind::Bool)
    in.extras->set("once", TValue::lit(once->boolValue));
  extraScalar(in, "rotateAfter", ctx);
  if (tls) {
    TValue t = TValue::mapValue();
    if (const ir::Node* cn = tls->get("commonName"))
      t.set("commonName", scalarValue(*cn, ValueType::String, fieldOf(in, "tls.commonName"), ctx));
    if (const ir::Node* dns = tls->get("dnsNames"))
      t.set("dnsNames", copyValue(*dns, fieldOf(in, "tls.dnsNames"), ctx));
    if (const ir::Node* valid = tls->get("validFor")) {
      t.set("validFor", scalarValue(*valid, ValueType::String, fieldOf(in, "tls.validFor"), ctx));
    } else {
      t.set("validFor", TValue::lit("365d"));
    }
    in.extras->set("tls", std::move(t));
  }
}

void lowerConfigMap(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  if (const ir::Node* data = in.body.get("data")) object.set("data", dataMap(in, *data, ctx, false));
  copyExtras(in, "fromConfigMap", ctx);
}

void lowerResourceQuota(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  if (setCopy(object, "spec", in, "spec", ctx, ValueType::Auto)) return;
  const ir::Node* profile = in.body.get("profile");
  if (!profile) return;
  TValue hard = TValue::mapValue();
  hard.set("requests.cpu", profileValue(*profile, in, &Profile::quotaCpu, ctx));
  hard.set("requests.memory", profileValue(*profile, in, &Profile::quotaMemory, ctx));
  hard.set("limits.cpu", profileValue(*profile, in, &Profile::quotaLimitCpu, ctx));
  hard.set("limits.memory", profileValue(*profile, in, &Profile::quotaLimitMemory, ctx));
  hard.set("pods", profileValue(*profile, in, &Profile::quotaPods, ctx));
  object.set("spec", TValue::mapValue()).set("hard", std::move(hard));
}

void lowerLimitRange(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  if (setCopy(object, "spec", in, "spec", ctx, ValueType::Auto)) return;
  const ir::Node* profile = in.body.get("profile");
  if (!profile) return;
  TValue limit = TValue::mapValue();
  limit.set("type", TValue::lit("Container"));
  TValue& def = limit.set("default", TValue::mapValue());
  def.set("cpu", profileValue(*profile, in, &Profile::limitCpu, ctx));
  def.set("memory", profileValue(*profile, in, &Profile::limitMemory, ctx));
  TValue& req = limit.set("defaultRequest", TValue::mapValue());
  req.set("cpu", profileValue(*profile, in, &Profile::requestCpu, ctx));
  req.set("memory", profileValue(*profile, in, &Profile::requestMemory, ctx));
  TValue limits = TValue::listValue();
  limits.list.push_back(std::move(limit));
  object.set("spec", TValue::mapValue()).set("limits", std::move(limits));
}

void lowerPersistentVolume(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  const ir::Node& b = in.body;
  TValue spec = TValue::mapValue();
  if (const ir::Node* size = b.get("storageSize"))
    spec.set("capacity", TValue::mapValue())
        .set("storage", scalarValue(*size, ValueType::Quantity, fieldOf(in, "storageSize"), ctx, true));
  spec.set("accessModes", accessModes(in, ctx));
  setScalar(spec, "storageClassName", in, "storageClassName", ValueType::String, ctx);
  if (!setScalar(spec, "persistentVolumeReclaimPolicy", in, "reclaimPolicy", ValueType::String, ctx))
    spec.set("persistentVolumeReclaimPolicy", TValue::lit("Retain"));
  if (const ir::Node* source = b.get("source"); source && source->isMap()) {
    for (const ir::MapEntry& e : source->entries)
      spec.set(e.key, copyValue(*e.value, fieldOf(in, "source." + e.key), ctx, ValueType::Auto));
  }
  setCopy(spec, "nodeAffinity", in, "nodeAffinity", ctx, ValueType::Auto);
  object.set("spec", std::move(spec));
}

void lowerPersistentVolumeClaim(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  const ir::Node& b = in.body;
  TValue spec = TValue::mapValue();
  spec.set("accessModes", accessModes(in, ctx));
  setScalar(spec, "storageClassName", in, "storageClassName", ValueType::String, ctx);
  setScalar(spec, "volumeMode", in, "volumeMode", ValueType::String, ctx);
  if (const ir::Node* size = b.get("storageSize"))
    spec.set("resources", TValue::mapValue())
        .set("requests", TValue::mapValue())
        .set("storage", scalarValue(*size, ValueType::Quantity, fieldOf(in, "storageSize"), ctx, true));
  object.set("spec", std::move(spec));
}

void lowerCustom(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  // §5.7: apiVersion and kind are literal (the shape rejects templates); they open the object.
  std::vector<plan::TMapItem> head;
  for (const char* k : {"apiVersion", "kind"}) {
    object.erase(k);
    std::optional<std::string> text = literalText(in.body.get(k));
    if (text) head.push_back(plan::TMapItem{k, nullptr, TValue::lit(*text)});
  }
  object.map.insert(object.map.begin(), head.begin(), head.end());
  if (in.extras) {
    if (const ir::Node* s = in.body.get("hasStatus"); s && s->kind == ir::NodeKind::Bool)
      in.extras->set("hasStatus", TValue::lit(s->boolValue));
  }
  if (in.block == "onDelete") return;
  // Every key that is not ork's is body, copied with its leaves typed Auto. `metadata` is an
  // error of the shape (ORK1132) and never copied.
  static const std::vector<std::string> kOrkKeys{
      "apiVersion", "kind",      "name",  "namespace", "labels",  "annotations",
      "reconcile",  "when",      "or",    "anyOf",     "forEach", "forceConflict",
      "namespaced", "hasStatus", "sleep", "external",  "metadata"};
  for (const ir::MapEntry& e : in.body.entries) {
    if (std::find(kOrkKeys.begin(), kOrkKeys.end(), e.key) != kOrkKeys.end()) continue;
    object.set(e.key, copyValue(*e.value, fieldOf(in, e.key), ctx, ValueType::Auto));
  }
}

}  // namespace ork::backend
