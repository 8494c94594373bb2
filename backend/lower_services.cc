// Lowering of services, ingresses, hpa, pdb and networkPolicies (FORMATS.md §5.5, §5.6): the body of
// each object (spec); metadata is the framework's (lower.cc).
#include <string>

#include "backend/lower_internal.h"
#include "backend/template_rewrite.h"

namespace ork::backend {
namespace {

using plan::TValue;
using plan::ValueType;

std::string fieldOf(const EntryInput& in, const std::string& name) { return in.field + "." + name; }

/// The workload an omitted selector or hpa target defaults to: the CR's only one, else null.
const EntryRef* onlyWorkload(const LowerContext& ctx) {
  return ctx.workloads.size() == 1 ? &ctx.workloads.front() : nullptr;
}

/// "no workload" / "2 workloads", for messages about missing defaults.
std::string countOf(size_t n, const std::string& what) {
  if (n == 0) return "no " + what;
  return std::to_string(n) + " " + what + "s";
}

/// `selector` as written, else `{app: <the only workload's name>}`; reports SelectorRequired.
std::optional<TValue> selectorOf(const EntryInput& in, LowerContext& ctx) {
  if (const ir::Node* s = in.body.get("selector")) return copyValue(*s, fieldOf(in, "selector"), ctx);
  if (const EntryRef* w = onlyWorkload(ctx)) {
    TValue sel = TValue::mapValue();
    sel.set("app", w->name);
    return sel;
  }
  lowerError(ctx, DiagCode::SelectorRequired, in.body.span, fieldOf(in, "selector"),
             in.field + ": missing required field 'selector' (the CR declares " +
                 countOf(ctx.workloads.size(), "workload") + ", so there is no default)");
  ctx.diags.help("set selector to the labels of the pods it selects, e.g. selector: {app: <workload name>}");
  return std::nullopt;
}

/// The Kubernetes kind of a workload resource key.
std::string workloadKind(const std::string& key) {
  if (key == "statefulSets") return "StatefulSet";
  if (key == "replicaSets") return "ReplicaSet";
  return "Deployment";
}

/// A boolean entry field: its lowered value (kind Template when templated) and whether it is a
/// literal `true`.
struct BoolSetting {
  bool literalTrue = false;
  std::optional<TValue> templated;
};

BoolSetting boolSetting(const EntryInput& in, const std::string& name, LowerContext& ctx) {
  BoolSetting out;
  const ir::Node* n = in.body.get(name);
  if (!n) return out;
  TValue v = scalarValue(*n, ValueType::Boolean, fieldOf(in, name), ctx);
  if (v.kind == TValue::Kind::Template && v.tmpl) {
    out.templated = std::move(v);
  } else if (v.kind == TValue::Kind::Literal) {
    out.literalTrue = v.literal.is_boolean() && v.literal.get<bool>();
  }
  return out;
}

}  // namespace

void lowerService(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  TValue spec = TValue::mapValue();
  if (!setScalar(spec, "type", in, "type", ValueType::String, ctx))
    spec.set("type", TValue::lit("ClusterIP"));
  BoolSetting headless = boolSetting(in, "headless", ctx);
  if (headless.literalTrue) {
    spec.set("clusterIP", TValue::lit("None"));
  } else if (headless.templated) {
    TValue v = std::move(*headless.templated);
    v.tmpl = textWhenTrue(*v.tmpl, "None");
    v.type = ValueType::String;
    spec.set("clusterIP", std::move(v));
  }
  if (std::optional<TValue> sel = selectorOf(in, ctx)) spec.set("selector", std::move(*sel));
  if (const ir::Node* port = in.body.get("port")) {
    TValue p = TValue::mapValue();
    TValue portValue = scalarValue(*port, ValueType::Integer, fieldOf(in, "port"), ctx, true);
    p.set("port", portValue);
    if (!setScalar(p, "targetPort", in, "targetPort", ValueType::IntOrString, ctx)) {
      portValue.required = false;
      p.set("targetPort", std::move(portValue));
    }
    if (!setScalar(p, "protocol", in, "protocol", ValueType::String, ctx))
      p.set("protocol", TValue::lit("TCP"));
    setScalar(p, "nodePort", in, "nodePort", ValueType::Integer, ctx);
    TValue ports = TValue::listValue();
    ports.list.push_back(std::move(p));
    spec.set("ports", std::move(ports));
  }
  object.set("spec", std::move(spec));
}

void lowerIngress(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  const ir::Node& b = in.body;
  const EntryRef* only = ctx.services.size() == 1 ? &ctx.services.front() : nullptr;
  auto missing = [&](const std::string& name) {
    lowerError(ctx, DiagCode::IngressBackendRequired, b.span, fieldOf(in, name),
               in.field + ": missing required field '" + name + "' (the CR declares " +
                   countOf(ctx.services.size(), "service") + ", so there is no default)");
  };
  // The backend: serviceName/servicePort, else the only service and its port. A named port
  // (`servicePort: http`) must be literal: a template gives `port.number`.
  TValue serviceName;
  const ir::Node* nameNode = b.get("serviceName");
  bool named = false;
  if (nameNode) {
    serviceName = scalarValue(*nameNode, ValueType::String, fieldOf(in, "serviceName"), ctx, true);
  } else if (only) {
    serviceName = only->name;
  } else {
    missing("serviceName");
  }
  TValue port;
  bool havePort = false;
  if (const ir::Node* p = b.get("servicePort")) {
    port = scalarValue(*p, ValueType::IntOrString, fieldOf(in, "servicePort"), ctx, true);
    havePort = true;
    if (port.kind == TValue::Kind::Literal && port.literal.is_string()) named = true;
    if (port.kind == TValue::Kind::Template) port.type = ValueType::Integer;
  } else if (!nameNode && only && only->body && only->body->get("port")) {
    port = scalarValue(*only->body->get("port"), ValueType::Integer, fieldOf(in, "servicePort"), ctx, true);
    havePort = true;
  } else if (nameNode || only) {
    missing("servicePort");
  }

  TValue spec = TValue::mapValue();
  setScalar(spec, "ingressClassName", in, "className", ValueType::String, ctx);
  const ir::Node* host = b.get("host");
  if (b.get("tlsSecretName")) {
    TValue tls = TValue::mapValue();
    if (host) {
      TValue hosts = TValue::listValue();
      hosts.list.push_back(scalarValue(*host, ValueType::String, fieldOf(in, "host"), ctx));
      tls.set("hosts", std::move(hosts));
    }
    setScalar(tls, "secretName", in, "tlsSecretName", ValueType::String, ctx);
    TValue list = TValue::listValue();
    list.list.push_back(std::move(tls));
    spec.set("tls", std::move(list));
  }
  TValue path = TValue::mapValue();
  if (!setScalar(path, "path", in, "path", ValueType::String, ctx)) path.set("path", TValue::lit("/"));
  if (!setScalar(path, "pathType", in, "pathType", ValueType::String, ctx))
    path.set("pathType", TValue::lit("Prefix"));
  TValue service = TValue::mapValue();
  service.set("name", std::move(serviceName));
  if (havePort) service.set("port", TValue::mapValue()).set(named ? "name" : "number", std::move(port));
  path.set("backend", TValue::mapValue()).set("service", std::move(service));
  TValue rule = TValue::mapValue();
  if (host) setScalar(rule, "host", in, "host", ValueType::String, ctx);
  TValue paths = TValue::listValue();
  paths.list.push_back(std::move(path));
  rule.set("http", TValue::mapValue()).set("paths", std::move(paths));
  TValue rules = TValue::listValue();
  rules.list.push_back(std::move(rule));
  spec.set("rules", std::move(rules));
  object.set("spec", std::move(spec));
}

void lowerHpa(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  const ir::Node& b = in.body;
  const ir::Node* target = b.get("target");
  const ir::Node* kind = target ? target->get("kind") : nullptr;
  const ir::Node* name = target ? target->get("name") : nullptr;
  TValue ref = TValue::mapValue();
  ref.set("apiVersion", TValue::lit("apps/v1"));
  const EntryRef* only = onlyWorkload(ctx);
  // Without a kind, the target is the only workload's kind when the name defaults to it, else a Deployment.
  if (kind) {
    ref.set("kind", scalarValue(*kind, ValueType::String, fieldOf(in, "target.kind"), ctx, true));
  } else {
    ref.set("kind", TValue::lit(!name && only ? workloadKind(only->key) : "Deployment"));
  }
  if (name) {
    ref.set("name", scalarValue(*name, ValueType::String, fieldOf(in, "target.name"), ctx, true));
  } else if (only) {
    ref.set("name", only->name);
  } else {
    lowerError(ctx, DiagCode::HpaTargetRequired, target ? target->span : b.span, fieldOf(in, "target.name"),
               in.field + ": missing required field 'target.name' (the CR declares " +
                   countOf(ctx.workloads.size(), "workload") + ", so there is no default)");
  }
  TValue spec = TValue::mapValue();
  spec.set("scaleTargetRef", std::move(ref));
  if (!setScalar(spec, "minReplicas", in, "min", ValueType::Integer, ctx))
    spec.set("minReplicas", TValue::lit(1));
  if (const ir::Node* max = b.get("max"))
    spec.set("maxReplicas", scalarValue(*max, ValueType::Integer, fieldOf(in, "max"), ctx, true));
  TValue metrics = TValue::listValue();
  for (const char* resource : {"cpu", "memory"}) {
    const ir::Node* n = b.get(resource);
    if (!n) continue;
    TValue target = TValue::mapValue();
    target.set("type", TValue::lit("Utilization"));
    target.set("averageUtilization", scalarValue(*n, ValueType::Integer, fieldOf(in, resource), ctx, true));
    TValue metric = TValue::mapValue();
    metric.set("type", TValue::lit("Resource"));
    TValue& r = metric.set("resource", TValue::mapValue());
    r.set("name", TValue::lit(resource));
    r.set("target", std::move(target));
    metrics.list.push_back(std::move(metric));
  }
  if (!metrics.list.empty()) spec.set("metrics", std::move(metrics));
  object.set("spec", std::move(spec));
}

void lowerPdb(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  TValue spec = TValue::mapValue();
  setScalar(spec, "minAvailable", in, "minAvailable", ValueType::IntOrString, ctx);
  setScalar(spec, "maxUnavailable", in, "maxUnavailable", ValueType::IntOrString, ctx);
  if (std::optional<TValue> sel = selectorOf(in, ctx))
    spec.set("selector", TValue::mapValue()).set("matchLabels", std::move(*sel));
  object.set("spec", std::move(spec));
}

void lowerNetworkPolicy(const EntryInput& in, plan::TValue& object, LowerContext& ctx) {
  if (in.block == "onDelete") return;
  if (setCopy(object, "spec", in, "spec", ctx, ValueType::Auto)) return;
  const ir::Node* profile = in.body.get("profile");
  if (!profile) return;
  std::optional<std::string> name = literalText(profile);
  if (!name) {
    lowerError(ctx, DiagCode::NetworkPolicyProfileTemplate, profile->span, fieldOf(in, "profile"),
               fieldOf(in, "profile") +
                   ": cannot be a template (deny-all and allow-same-namespace lower to differently shaped "
                   "policies)");
    ctx.diags.help("write the profile literally, or a raw spec with templated values");
    return;
  }
  TValue spec = TValue::mapValue();
  spec.set("podSelector", TValue::mapValue());
  TValue types = TValue::listValue();
  types.list.push_back(TValue::lit("Ingress"));
  if (*name == "deny-all") types.list.push_back(TValue::lit("Egress"));
  spec.set("policyTypes", std::move(types));
  if (*name == "allow-same-namespace") {
    // Ingress from every pod of the object's namespace, nothing from elsewhere; egress unrestricted.
    TValue from = TValue::listValue();
    from.list.push_back(TValue::mapValue());
    from.list.back().set("podSelector", TValue::mapValue());
    TValue rule = TValue::mapValue();
    rule.set("from", std::move(from));
    TValue ingress = TValue::listValue();
    ingress.list.push_back(std::move(rule));
    spec.set("ingress", std::move(ingress));
  }
  object.set("spec", std::move(spec));
}

}  // namespace ork::backend
