// The pod and container parts of the workload lowerers (FORMATS.md §5.4): image, ports, env,
// resources, probes, securityContext, pod fields and the pod template, with their profile tables.
#include "backend/lower_workloads_pod.h"

#include <memory>

#include "support/template.h"

namespace ork::backend {
namespace {

using nlohmann::json;
using plan::TValue;
using plan::ValueType;

// ── templates built from templates ───────────────────────────────────────────────────────────

tmpl::Operand fnOperand(std::string name) {
  tmpl::Operand o;
  o.kind = tmpl::OperandKind::Function;
  o.fn = std::move(name);
  return o;
}

tmpl::Operand litOperand(json v) {
  tmpl::Operand o;
  o.kind = tmpl::OperandKind::Literal;
  o.lit = std::move(v);
  return o;
}

tmpl::Operand pipeOperand(tmpl::Pipe p) {
  tmpl::Operand o;
  o.kind = tmpl::OperandKind::Pipe;
  o.pipe = std::make_shared<tmpl::Pipe>(std::move(p));
  return o;
}

tmpl::Command command(std::vector<tmpl::Operand> operands) {
  tmpl::Command c;
  c.operands = std::move(operands);
  return c;
}

/// An operand whose value is what `t` renders: its pipe when it is one action, a printf of its text
/// and actions when it has no control actions, else nothing.
std::optional<tmpl::Operand> operandOf(const tmpl::Template& t) {
  if (t.isSingleAction() && t.parts[0].pipe.vars.empty()) return pipeOperand(t.parts[0].pipe);
  std::string format;
  std::vector<tmpl::Operand> ops{fnOperand("printf"), litOperand("")};
  for (const tmpl::Part& p : t.parts) {
    switch (p.kind) {
      case tmpl::PartKind::Text:
        for (char c : p.text) format += c == '%' ? std::string("%%") : std::string(1, c);
        break;
      case tmpl::PartKind::Emit:
        if (!p.pipe.vars.empty()) return std::nullopt;
        format += "%v";
        ops.push_back(pipeOperand(p.pipe));
        break;
      case tmpl::PartKind::Set:
      case tmpl::PartKind::If:
      case tmpl::PartKind::Range:
      case tmpl::PartKind::With: return std::nullopt;
    }
  }
  ops[1].lit = format;
  tmpl::Pipe pipe;
  pipe.commands.push_back(command(std::move(ops)));
  return pipeOperand(std::move(pipe));
}

std::string textOf(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

TValue profileValue(const TValue& profile, const ProfileColumn& column, ValueType type) {
  if (profile.kind == TValue::Kind::Literal) {
    std::string name =
        profile.literal.is_string() ? profile.literal.get<std::string>() : textOf(profile.literal);
    for (const auto& [p, v] : column)
      if (p == name) return TValue::lit(v);
    return TValue::lit(nullptr);
  }
  std::optional<tmpl::Operand> op = profile.tmpl ? operandOf(*profile.tmpl) : std::nullopt;
  if (!op) return TValue::lit(nullptr);
  auto t = std::make_shared<tmpl::Template>();
  t->source = profile.tmpl->source;
  tmpl::Part choose;
  choose.kind = tmpl::PartKind::If;
  for (const auto& [p, v] : column) {
    tmpl::Branch b;
    b.cond.commands.push_back(command({fnOperand("eq"), *op, litOperand(p)}));
    tmpl::Part text;
    text.kind = tmpl::PartKind::Text;
    text.text = textOf(v);
    b.body.push_back(std::move(text));
    choose.branches.push_back(std::move(b));
  }
  tmpl::Part self;
  self.kind = tmpl::PartKind::Emit;
  self.pipe.commands.push_back(command({*op}));
  choose.elseBody.push_back(std::move(self));
  t->parts.push_back(std::move(choose));
  return TValue::templ(std::move(t), type, profile.source);
}

TValue containerNameFor(const TValue& objectName) {
  if (objectName.kind == TValue::Kind::Literal && objectName.literal.is_string()) {
    std::string n = objectName.literal.get<std::string>().substr(0, 63);
    if (!n.empty() && n.back() == '-') n.pop_back();
    return TValue::lit(n);
  }
  std::optional<tmpl::Operand> op = objectName.kind == TValue::Kind::Template && objectName.tmpl
                                        ? operandOf(*objectName.tmpl)
                                        : std::nullopt;
  if (!op) return objectName;  // a name with control actions stays as is
  auto t = std::make_shared<tmpl::Template>();
  t->source = objectName.tmpl->source;
  tmpl::Part emit;
  emit.kind = tmpl::PartKind::Emit;
  emit.pipe.commands.push_back(command({*op}));
  emit.pipe.commands.push_back(command({fnOperand("trunc"), litOperand(63)}));
  emit.pipe.commands.push_back(command({fnOperand("trimSuffix"), litOperand("-")}));
  t->parts.push_back(std::move(emit));
  return TValue::templ(std::move(t), ValueType::String, objectName.source, objectName.required);
}

TValue ownerLabelTemplate() {
  return textTemplate(
      "{{ if gt (len .metadata.name) 63 }}{{ trunc 54 .metadata.name }}-{{ sha256sum .metadata.name | trunc "
      "8 }}"
      "{{ else }}{{ .metadata.name }}{{ end }}");
}

TValue appSelector(const TValue& objectName) {
  TValue m = TValue::mapValue();
  m.set("app", objectName);
  return m;
}

const TValue& objectNameOf(const TValue& object) {
  static const TValue kNone = TValue::lit(nullptr);
  const TValue* meta = object.get("metadata");
  const TValue* name = meta ? meta->get("name") : nullptr;
  return name ? *name : kNone;
}

namespace {

// ── profiles (§5.4) ──────────────────────────────────────────────────────────────────────────
const ProfileColumn kRequestsCpu{{"small", "100m"}, {"medium", "250m"}, {"large", "500m"}, {"xlarge", "1"}};
const ProfileColumn kRequestsMemory{
    {"small", "128Mi"}, {"medium", "256Mi"}, {"large", "512Mi"}, {"xlarge", "1Gi"}};
const ProfileColumn kLimitsCpu{{"small", "500m"}, {"medium", "1"}, {"large", "2"}, {"xlarge", "4"}};
const ProfileColumn kLimitsMemory{
    {"small", "256Mi"}, {"medium", "512Mi"}, {"large", "1Gi"}, {"xlarge", "2Gi"}};
// clang-format off
const std::vector<std::pair<std::string, ProfileColumn>> kProbeTimings{
    {"initialDelaySeconds", {{"fast", 0}, {"standard", 5}, {"slow", 15}}},
    {"periodSeconds", {{"fast", 5}, {"standard", 10}, {"slow", 20}}},
    {"timeoutSeconds", {{"fast", 1}, {"standard", 2}, {"slow", 5}}},
    {"failureThreshold", {{"fast", 3}, {"standard", 3}, {"slow", 6}}},
};
// clang-format on

/// A sub-mapping of an entry as an EntryInput, so setScalar/setCopy read its fields.
EntryInput sub(const EntryInput& in, const ir::Node& body, const std::string& field) {
  return EntryInput{body, in.key, in.block, in.index, field, in.extras};
}

std::string fieldOf(const EntryInput& in, const std::string& name) { return in.field + "." + name; }

void lowerResources(const EntryInput& in, TValue& container, LowerContext& ctx) {
  const ir::Node* r = in.body.get("resources");
  if (!r || !r->isMap()) return;
  std::string field = fieldOf(in, "resources");
  TValue out = TValue::mapValue();
  if (const ir::Node* p = r->get("profile"); p && !p->isNull()) {
    TValue profile = scalarValue(*p, ValueType::String, field + ".profile", ctx);
    TValue requests = TValue::mapValue();
    requests.set("cpu", profileValue(profile, kRequestsCpu, ValueType::Quantity));
    requests.set("memory", profileValue(profile, kRequestsMemory, ValueType::Quantity));
    TValue limits = TValue::mapValue();
    limits.set("cpu", profileValue(profile, kLimitsCpu, ValueType::Quantity));
    limits.set("memory", profileValue(profile, kLimitsMemory, ValueType::Quantity));
    out.set("requests", std::move(requests));
    out.set("limits", std::move(limits));
  } else {
    EntryInput rin = sub(in, *r, field);
    setCopy(out, "requests", rin, "requests", ctx, ValueType::Quantity);
    setCopy(out, "limits", rin, "limits", ctx, ValueType::Quantity);
  }
  container.set("resources", std::move(out));
}

/// One probe; `containerPort` is the workload's port (null literal when none).
void lowerProbe(const EntryInput& in, const std::string& which, TValue& container,
                const TValue* containerPort, LowerContext& ctx) {
  const ir::Node* probes = in.body.get("probes");
  const ir::Node* p = probes ? probes->get(which) : nullptr;
  if (!p || !p->isMap()) return;
  std::string field = fieldOf(in, "probes." + which);
  EntryInput pin = sub(in, *p, field);
  const ir::Node* typeNode = p->get("type");
  std::optional<std::string> type = literalText(typeNode);
  if (!type) {
    if (typeNode)
      lowerError(ctx, DiagCode::ProfileTemplate, typeNode->span, field + ".type",
                 field + ".type: cannot be a template (http, tcp and exec probes lower to different shapes)");
    return;
  }
  TValue probe = TValue::mapValue();
  if (*type == "exec") {
    TValue exec = TValue::mapValue();
    setCopy(exec, "command", pin, "command", ctx);
    probe.set("exec", std::move(exec));
  } else {
    TValue port;
    if (const ir::Node* pn = p->get("port"); pn && !pn->isNull()) {
      port = scalarValue(*pn, ValueType::IntOrString, field + ".port", ctx);
    } else if (containerPort) {
      port = *containerPort;
    } else {
      lowerError(ctx, DiagCode::ProbeWithoutPort, p->span, field + ".port",
                 field + ": " + (*type == "http" ? "an http" : "a tcp") +
                     " probe needs a port: set 'port' on the probe or on the workload");
      return;
    }
    TValue action = TValue::mapValue();
    if (*type == "http") {
      if (!setScalar(action, "path", pin, "path", ValueType::String, ctx))
        action.set("path", TValue::lit("/"));
      action.set("port", std::move(port));
      probe.set("httpGet", std::move(action));
    } else {
      action.set("port", std::move(port));
      probe.set("tcpSocket", std::move(action));
    }
  }
  TValue profile = TValue::lit("standard");
  if (const ir::Node* pr = p->get("profile"); pr && !pr->isNull())
    profile = scalarValue(*pr, ValueType::String, field + ".profile", ctx);
  for (const auto& [key, column] : kProbeTimings)
    if (!setScalar(probe, key, pin, key, ValueType::Integer, ctx))
      probe.set(key, profileValue(profile, column, ValueType::Integer));
  setScalar(probe, "successThreshold", pin, "successThreshold", ValueType::Integer, ctx);
  container.set(which + "Probe", std::move(probe));
}

TValue securityProfile(const std::string& profile) {
  TValue s = TValue::mapValue();
  s.set("allowPrivilegeEscalation", TValue::lit(false));
  if (profile == "baseline") return s;
  s.set("runAsNonRoot", TValue::lit(true));
  s.set("capabilities", TValue::lit(json{{"drop", json::array({"ALL"})}}));
  s.set("seccompProfile", TValue::lit(json{{"type", "RuntimeDefault"}}));
  if (profile == "hardened") s.set("readOnlyRootFilesystem", TValue::lit(true));
  return s;
}

void lowerSecurityContext(const EntryInput& in, TValue& container, LowerContext& ctx) {
  const ir::Node* sc = in.body.get("securityContext");
  if (!sc || !sc->isMap()) return;
  std::string field = fieldOf(in, "securityContext");
  if (const ir::Node* p = sc->get("profile"); p && !p->isNull()) {
    std::optional<std::string> profile = literalText(p);
    if (!profile) {
      lowerError(ctx, DiagCode::ProfileTemplate, p->span, field + ".profile",
                 field + ".profile: cannot be a template (the profiles set different fields)");
      return;
    }
    container.set("securityContext", securityProfile(*profile));
    return;
  }
  TValue out = TValue::mapValue();
  EntryInput sin = sub(in, *sc, field);
  for (const ir::MapEntry& e : sc->entries) {
    if (e.key == "allowPrivilegeEscalation" || e.key == "privileged" || e.key == "readOnlyRootFilesystem" ||
        e.key == "runAsNonRoot")
      setScalar(out, e.key, sin, e.key, ValueType::Boolean, ctx);
    else if (e.key == "runAsUser" || e.key == "runAsGroup")
      setScalar(out, e.key, sin, e.key, ValueType::Integer, ctx);
    else if (e.key == "procMount")
      setScalar(out, e.key, sin, e.key, ValueType::String, ctx);
    else
      setCopy(out, e.key, sin, e.key, ctx, ValueType::Auto);
  }
  container.set("securityContext", std::move(out));
}

void lowerEnvFrom(const EntryInput& in, TValue& container, LowerContext& ctx) {
  const ir::Node* ef = in.body.get("envFrom");
  if (!ef || !ef->isMap()) return;
  TValue list = TValue::listValue();
  for (const char* kind : {"configMapRef", "secretRef"}) {  // ConfigMaps first (§5.4)
    const ir::Node* refs = ef->get(kind);
    if (!refs || !refs->isList()) continue;
    for (size_t i = 0; i < refs->items.size(); ++i) {
      std::string field = fieldOf(in, std::string("envFrom.") + kind + "[" + std::to_string(i) + "]");
      EntryInput rin = sub(in, *refs->items[i], field);
      TValue ref = TValue::mapValue();
      setScalar(ref, "name", rin, "name", ValueType::String, ctx);
      TValue item = TValue::mapValue();
      item.set(kind, std::move(ref));
      setScalar(item, "prefix", rin, "prefix", ValueType::String, ctx);
      list.list.push_back(std::move(item));
    }
  }
  if (!list.list.empty()) container.set("envFrom", std::move(list));
}

TValue lowerContainer(const EntryInput& in, const TValue& objectName, LowerContext& ctx,
                      std::vector<TValue> extraMounts) {
  TValue c = TValue::mapValue();
  if (!setScalar(c, "name", in, "containerName", ValueType::String, ctx))
    c.set("name", containerNameFor(objectName));
  if (const ir::Node* image = in.body.get("image"); image && !image->isNull())
    c.set("image", scalarValue(*image, ValueType::String, fieldOf(in, "image"), ctx, true));
  setCopy(c, "command", in, "command", ctx);
  setCopy(c, "args", in, "args", ctx);
  setScalar(c, "workingDir", in, "workingDirectory", ValueType::String, ctx);
  std::optional<TValue> port;
  if (const ir::Node* p = in.body.get("port"); p && !p->isNull()) {
    port = scalarValue(*p, ValueType::Integer, fieldOf(in, "port"), ctx);
    TValue entry = TValue::mapValue();
    entry.set("containerPort", *port);
    if (!setScalar(entry, "protocol", in, "protocol", ValueType::String, ctx))
      entry.set("protocol", TValue::lit("TCP"));
    TValue ports = TValue::listValue();
    ports.list.push_back(std::move(entry));
    c.set("ports", std::move(ports));
  }
  setCopy(c, "env", in, "env", ctx);
  lowerEnvFrom(in, c, ctx);
  lowerResources(in, c, ctx);
  for (const char* which : {"startup", "liveness", "readiness"})
    lowerProbe(in, which, c, port ? &*port : nullptr, ctx);
  lowerSecurityContext(in, c, ctx);
  setCopy(c, "volumeMounts", in, "volumeMounts", ctx, ValueType::Auto);
  if (!extraMounts.empty()) {
    TValue* mounts = c.get("volumeMounts");
    if (!mounts || mounts->kind != TValue::Kind::List) mounts = &c.set("volumeMounts", TValue::listValue());
    for (TValue& m : extraMounts) mounts->list.push_back(std::move(m));
  }
  return c;
}

}  // namespace

TValue lowerPodSpec(const EntryInput& in, const TValue& objectName, const std::string& restartPolicy,
                    LowerContext& ctx, std::vector<TValue> extraMounts) {
  TValue spec = TValue::mapValue();
  TValue containers = TValue::listValue();
  containers.list.push_back(lowerContainer(in, objectName, ctx, std::move(extraMounts)));
  spec.set("containers", std::move(containers));
  if (!restartPolicy.empty() &&
      !setScalar(spec, "restartPolicy", in, "restartPolicy", ValueType::String, ctx))
    spec.set("restartPolicy", TValue::lit(restartPolicy));
  setScalar(spec, "serviceAccountName", in, "serviceAccountName", ValueType::String, ctx);
  setCopy(spec, "nodeSelector", in, "nodeSelector", ctx);
  setCopy(spec, "tolerations", in, "tolerations", ctx, ValueType::Auto);
  if (const ir::Node* secrets = in.body.get("imagePullSecrets"); secrets && secrets->isList()) {
    TValue list = TValue::listValue();
    for (size_t i = 0; i < secrets->items.size(); ++i) {
      TValue ref = TValue::mapValue();
      ref.set("name", scalarValue(*secrets->items[i], ValueType::String,
                                  fieldOf(in, "imagePullSecrets[" + std::to_string(i) + "]"), ctx));
      list.list.push_back(std::move(ref));
    }
    spec.set("imagePullSecrets", std::move(list));
  }
  setCopy(spec, "volumes", in, "volumes", ctx, ValueType::Auto);
  return spec;
}

TValue lowerPodTemplate(const EntryInput& in, const TValue& objectName, const std::string& restartPolicy,
                        LowerContext& ctx, std::vector<TValue> extraMounts) {
  TValue labels = TValue::mapValue();
  labels.set("app", objectName);
  labels.set("orkestra-owner", ownerLabelTemplate());
  if (const ir::Node* extra = in.body.get("podLabels"); extra && extra->isMap()) {
    std::string field = fieldOf(in, "podLabels");
    TValue copied = copyValue(*extra, field, ctx);
    for (size_t i = 0; i < extra->entries.size(); ++i) {
      const ir::MapEntry& e = extra->entries[i];
      if (e.key == "app" || e.key == "orkestra-owner") {
        lowerError(
            ctx, DiagCode::ReservedLabel, e.keySpan, field + "." + e.key,
            field + ": label '" + e.key + "' is set by ork on the pod template and cannot be overridden");
        continue;
      }
      labels.map.push_back(std::move(copied.map[i]));
    }
  }
  TValue meta = TValue::mapValue();
  meta.set("labels", std::move(labels));
  setCopy(meta, "annotations", in, "podAnnotations", ctx);
  TValue tpl = TValue::mapValue();
  tpl.set("metadata", std::move(meta));
  tpl.set("spec", lowerPodSpec(in, objectName, restartPolicy, ctx, std::move(extraMounts)));
  return tpl;
}

}  // namespace ork::backend
