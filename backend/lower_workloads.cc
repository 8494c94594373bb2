// The workload lowerers (FORMATS.md §5.4): deployments, replicaSets, statefulSets, pods, jobs and
// cronJobs. The container and pod parts they share are in lower_workloads_pod.cc.
#include "backend/lower_internal.h"
#include "backend/lower_workloads_pod.h"

namespace ork::backend {
namespace {

using plan::TValue;
using plan::ValueType;

// clang-format off
const ProfileColumn kMaxSurge{{"safe", 1}, {"fast", "100%"}, {"blue-green", "100%"}};
const ProfileColumn kMaxUnavailable{{"safe", 0}, {"fast", "50%"}, {"blue-green", 0}};
// clang-format on

std::string fieldOf(const EntryInput& in, const std::string& name) { return in.field + "." + name; }

/// `{maxSurge, maxUnavailable}` from `rollingUpdate` (a profile or explicit values); null when absent.
std::optional<TValue> rollingUpdate(const EntryInput& in, bool withSurge, LowerContext& ctx) {
  const ir::Node* ru = in.body.get("rollingUpdate");
  if (!ru || !ru->isMap()) return std::nullopt;
  std::string field = fieldOf(in, "rollingUpdate");
  TValue out = TValue::mapValue();
  if (const ir::Node* p = ru->get("profile"); p && !p->isNull()) {
    TValue profile = scalarValue(*p, ValueType::String, field + ".profile", ctx);
    if (withSurge) out.set("maxSurge", profileValue(profile, kMaxSurge, ValueType::IntOrString));
    out.set("maxUnavailable", profileValue(profile, kMaxUnavailable, ValueType::IntOrString));
    return out;
  }
  EntryInput rin{*ru, in.key, in.block, in.index, field, in.extras};
  if (withSurge) setScalar(out, "maxSurge", rin, "maxSurge", ValueType::IntOrString, ctx);
  setScalar(out, "maxUnavailable", rin, "maxUnavailable", ValueType::IntOrString, ctx);
  return out;
}

/// replicas (default 1) and the selector every replicated workload has.
TValue replicatedSpec(const EntryInput& in, const TValue& name, LowerContext& ctx) {
  TValue spec = TValue::mapValue();
  if (!setScalar(spec, "replicas", in, "replicas", ValueType::Integer, ctx))
    spec.set("replicas", TValue::lit(1));
  TValue selector = TValue::mapValue();
  selector.set("matchLabels", appSelector(name));
  spec.set("selector", std::move(selector));
  return spec;
}

/// The job spec shared by jobs and cronJobs' jobTemplate.
TValue jobSpec(const EntryInput& in, const TValue& name, LowerContext& ctx) {
  TValue spec = TValue::mapValue();
  if (!setScalar(spec, "backoffLimit", in, "backoffLimit", ValueType::Integer, ctx))
    spec.set("backoffLimit", TValue::lit(6));
  setScalar(spec, "activeDeadlineSeconds", in, "activeDeadlineSeconds", ValueType::Integer, ctx);
  setScalar(spec, "ttlSecondsAfterFinished", in, "ttlSecondsAfterFinished", ValueType::Integer, ctx);
  spec.set("template", lowerPodTemplate(in, name, "Never", ctx));
  return spec;
}

/// The default serviceName of a statefulSet: the CR's first headless service, else the object name.
TValue defaultServiceName(const TValue& name, const LowerContext& ctx) {
  for (const EntryRef& s : ctx.services)
    if (s.headless) return s.name;
  return name;
}

}  // namespace

void lowerDeployment(const EntryInput& in, TValue& object, LowerContext& ctx) {
  const TValue name = objectNameOf(object);
  TValue spec = replicatedSpec(in, name, ctx);
  if (auto ru = rollingUpdate(in, true, ctx)) {
    TValue strategy = TValue::mapValue();
    strategy.set("type", TValue::lit("RollingUpdate"));
    strategy.set("rollingUpdate", std::move(*ru));
    spec.set("strategy", std::move(strategy));
  }
  spec.set("template", lowerPodTemplate(in, name, "", ctx));
  object.set("spec", std::move(spec));
}

void lowerReplicaSet(const EntryInput& in, TValue& object, LowerContext& ctx) {
  const TValue name = objectNameOf(object);
  TValue spec = replicatedSpec(in, name, ctx);
  spec.set("template", lowerPodTemplate(in, name, "", ctx));
  object.set("spec", std::move(spec));
}

void lowerStatefulSet(const EntryInput& in, TValue& object, LowerContext& ctx) {
  const TValue name = objectNameOf(object);
  TValue spec = TValue::mapValue();
  if (!setScalar(spec, "serviceName", in, "serviceName", ValueType::String, ctx))
    spec.set("serviceName", defaultServiceName(name, ctx));
  TValue base = replicatedSpec(in, name, ctx);
  for (plan::TMapItem& item : base.map) spec.map.push_back(std::move(item));
  // A StatefulSet's rolling update has no surge: maxSurge is not lowered.
  if (auto ru = rollingUpdate(in, false, ctx)) {
    TValue strategy = TValue::mapValue();
    strategy.set("type", TValue::lit("RollingUpdate"));
    strategy.set("rollingUpdate", std::move(*ru));
    spec.set("updateStrategy", std::move(strategy));
  }
  std::vector<TValue> mounts;
  TValue claims = TValue::listValue();
  if (const ir::Node* vcts = in.body.get("volumeClaimTemplates"); vcts && vcts->isList()) {
    for (size_t i = 0; i < vcts->items.size(); ++i) {
      const ir::Node& v = *vcts->items[i];
      std::string field = fieldOf(in, "volumeClaimTemplates[" + std::to_string(i) + "]");
      EntryInput vin{v, in.key, in.block, in.index, field, in.extras};
      // An unnamed claim is "data" (the second "data-1", …).
      TValue claimName = TValue::lit(i == 0 ? std::string("data") : "data-" + std::to_string(i));
      if (const ir::Node* n = v.get("name"); n && !n->isNull())
        claimName = scalarValue(*n, ValueType::String, field + ".name", ctx, true);
      TValue meta = TValue::mapValue();
      meta.set("name", claimName);
      TValue cspec = TValue::mapValue();
      if (!setCopy(cspec, "accessModes", vin, "accessModes", ctx))
        cspec.set("accessModes", TValue::lit(nlohmann::json::array({"ReadWriteOnce"})));
      if (!setScalar(cspec, "storageClassName", vin, "storageClassName", ValueType::String, ctx))
        setScalar(cspec, "storageClassName", vin, "storageClass", ValueType::String, ctx);
      TValue requests = TValue::mapValue();
      setScalar(requests, "storage", vin, "storageSize", ValueType::Quantity, ctx);
      TValue resources = TValue::mapValue();
      resources.set("requests", std::move(requests));
      cspec.set("resources", std::move(resources));
      TValue claim = TValue::mapValue();
      claim.set("metadata", std::move(meta));
      claim.set("spec", std::move(cspec));
      claims.list.push_back(std::move(claim));
      if (const ir::Node* mp = v.get("mountPath"); mp && !mp->isNull()) {
        TValue mount = TValue::mapValue();
        mount.set("name", claimName);
        mount.set("mountPath", scalarValue(*mp, ValueType::String, field + ".mountPath", ctx));
        mounts.push_back(std::move(mount));
      }
    }
  }
  spec.set("template", lowerPodTemplate(in, name, "", ctx, std::move(mounts)));
  if (!claims.list.empty()) spec.set("volumeClaimTemplates", std::move(claims));
  object.set("spec", std::move(spec));
}

void lowerPod(const EntryInput& in, TValue& object, LowerContext& ctx) {
  object.set("spec", lowerPodSpec(in, objectNameOf(object), "Always", ctx));
}

void lowerJob(const EntryInput& in, TValue& object, LowerContext& ctx) {
  object.set("spec", jobSpec(in, objectNameOf(object), ctx));
}

void lowerCronJob(const EntryInput& in, TValue& object, LowerContext& ctx) {
  const TValue name = objectNameOf(object);
  TValue spec = TValue::mapValue();
  if (const ir::Node* s = in.body.get("schedule"); s && !s->isNull())
    spec.set("schedule", scalarValue(*s, ValueType::String, fieldOf(in, "schedule"), ctx, true));
  setScalar(spec, "timeZone", in, "timeZone", ValueType::String, ctx);
  if (!setScalar(spec, "concurrencyPolicy", in, "concurrencyPolicy", ValueType::String, ctx))
    spec.set("concurrencyPolicy", TValue::lit("Forbid"));
  setScalar(spec, "suspend", in, "suspend", ValueType::Boolean, ctx);
  setScalar(spec, "successfulJobsHistoryLimit", in, "successfulJobsHistoryLimit", ValueType::Integer, ctx);
  setScalar(spec, "failedJobsHistoryLimit", in, "failedJobsHistoryLimit", ValueType::Integer, ctx);
  TValue jobTemplate = TValue::mapValue();
  jobTemplate.set("spec", jobSpec(in, name, ctx));
  spec.set("jobTemplate", std::move(jobTemplate));
  object.set("spec", std::move(spec));
}

}  // namespace ork::backend
