// Rendering the model for one CR (FORMATS.md §5.2, §5.3, §6): object templates to Kubernetes objects
// with typed values, conditions, forEach instances, ork's labels and the owner reference. The
// interpreter core shared by `ork template`, `ork simulate` and `ork run`.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend/plan/model.h"
#include "support/template.h"

namespace ork::plan {

/// A render failure: the message users see (`deployments[0].replicas: rendered "three" is not an
/// integer`), where the template is (`katalog.yaml:31:20`), and the compile-time span when known.
struct RenderFailure {
  std::string message;
  std::string location;
  Span span;
  std::string help;
  /// The code to report it with: ValueConversion (ORK3301) for §5.3 typing failures; unset for
  /// template evaluation errors and other failures (`ork template` reports those as ORK0021).
  std::optional<DiagCode> code;
};

/// A value or a RenderFailure.
template <class T>
struct Rendered {
  std::optional<T> value;
  RenderFailure failure;
  bool ok() const { return value.has_value(); }
  static Rendered fail(RenderFailure f) {
    Rendered r;
    r.failure = std::move(f);
    return r;
  }
};

/// Converts rendered text to `type` (§5.3): trimmed; integers, booleans (any case), int-or-string
/// (digits give an integer), quantities (validated), numbers; Auto keeps `value` when it is not a
/// string. Returns nullopt when the text does not convert (the caller reports it).
std::optional<nlohmann::json> convertScalar(const nlohmann::json& value, ValueType type);

/// Renders a templated value against `ctx`: templates are evaluated and converted to their type; an
/// empty result omits an optional field (the key disappears from its map) and fails a required one.
Rendered<nlohmann::json> renderValue(const TValue& value, const tmpl::EvalContext& ctx);

/// Evaluates one condition / a when+or set against `ctx.data` (§6.1). `unique` asks `uniqueness`
/// (true when no other CR has the same value at the path); without it `unique` passes.
using UniquenessCheck = std::function<bool(const std::vector<std::string>& path, const nlohmann::json& value)>;
Rendered<bool> evaluateCondition(const Condition& c, const tmpl::EvalContext& ctx, const UniquenessCheck& uniqueness = {});
Rendered<bool> evaluateConditions(const Conditions& cs, const tmpl::EvalContext& ctx,
                                  const UniquenessCheck& uniqueness = {});

/// Reads a dot path over a JSON object (missing → null).
const nlohmann::json* lookupPath(const nlohmann::json& data, const std::vector<std::string>& path);

/// The `orkestra-owner` label value of a CR name (§5.2: names over 63 characters become their first
/// 54 characters, `-` and 8 hex digits of their sha256).
std::string ownerLabelValue(const std::string& crName);

/// The data roots of a CR for templates (§7.1): metadata, spec, status, children (given).
nlohmann::json templateData(const nlohmann::json& cr, const nlohmann::json& children = nlohmann::json::object());

/// One rendered child object and where it came from.
struct RenderedObject {
  std::string entryId;    // "onReconcile.deployments[0]"
  std::string resource;   // "deployments"
  bool reconciled = false;
  nlohmann::json object;  // complete: apiVersion, kind, metadata (labels, ownerReferences), body
};

/// Renders every entry of `crd` for the CR `cr` (a complete object with metadata.uid): conditions
/// decide, forEach expands (`.item`, `.value`, `.<as>`), objects get ork's labels (§5.2; user labels
/// overriding them are a failure) and the owner reference when namespaced in the CR's namespace or
/// when the CR is cluster-scoped; default namespaces are filled. Stops at the first failure (§4.3
/// step 4).
Rendered<std::vector<RenderedObject>> renderEntries(const CrdPlan& crd, const nlohmann::json& cr,
                                                    const tmpl::EvalContext& ctx,
                                                    const UniquenessCheck& uniqueness = {});

}  // namespace ork::plan
