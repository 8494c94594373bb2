// The pod and container parts every workload kind shares (FORMATS.md §5.4): the container, the pod
// spec, the pod template with its labels, profile tables, and templates built from templates.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backend/lower_internal.h"

namespace ork::backend {

/// A profile table column: profile name → literal value.
using ProfileColumn = std::vector<std::pair<std::string, nlohmann::json>>;

/// The value a profile selects from `column`: a literal when the profile is literal, else a template
/// choosing by the rendered profile (an unknown profile renders as itself, so the field's
/// conversion reports it).
plan::TValue profileValue(const plan::TValue& profile, const ProfileColumn& column, plan::ValueType type);

/// The container name of an object name (§5.4: at most 63 characters, a trailing `-` trimmed); for
/// a template name, a template piping it through `trunc 63 | trimSuffix "-"`.
plan::TValue containerNameFor(const plan::TValue& objectName);

/// `{{ .metadata.name }}` as the `orkestra-owner` label value, shortened like ownerLabelValue (§5.2).
plan::TValue ownerLabelTemplate();

/// `{app: <object name>}`.
plan::TValue appSelector(const plan::TValue& objectName);

/// The pod template `{metadata: {labels, annotations}, spec}` of a workload; `restartPolicy` is the
/// default restart policy ("" for none: Deployments, ReplicaSets, StatefulSets).
/// `extraMounts` are added to the container's volumeMounts (statefulSet claim templates).
plan::TValue lowerPodTemplate(const EntryInput& in, const plan::TValue& objectName,
                              const std::string& restartPolicy, LowerContext& ctx,
                              std::vector<plan::TValue> extraMounts = {});

/// The pod spec (containers[0] and the pod fields) of an entry.
plan::TValue lowerPodSpec(const EntryInput& in, const plan::TValue& objectName,
                          const std::string& restartPolicy, LowerContext& ctx,
                          std::vector<plan::TValue> extraMounts = {});

/// The object's lowered metadata.name (set by the framework before the kind lowerer runs).
const plan::TValue& objectNameOf(const plan::TValue& object);

}  // namespace ork::backend
