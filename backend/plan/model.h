// The in-memory model of what the runtime interprets (FORMATS.md §14.1): object templates whose
// templated scalars are parsed templates with a target type (§5.3), normalised conditions (§6.1),
// forEach (§6.2) and the lowered entries of one CRD. The backend builds it; the plan writer (#5)
// serialises it; backend/plan/render.h renders it for one CR.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/span.h"
#include "support/template.h"

namespace ork::plan {

/// The type a rendered scalar is converted to (§5.3, §5.7, §4.7).
enum class ValueType {
  String,       // text as rendered
  Integer,      // decimal integer (replicas, port, …)
  Number,       // integer or float
  Boolean,      // true/false, any case
  IntOrString,  // digits give an integer (targetPort, maxSurge, …)
  Quantity,     // a Kubernetes quantity, kept as a string (storageSize, resources)
  Auto,         // a single action keeps its value's type; otherwise text (custom bodies, with: bindings)
};
std::string_view valueTypeName(ValueType t);  // "string", "integer", …, "intOrString", "quantity", "auto"

/// Where a template came from, for messages at render time (`katalog.yaml:31:20`) and compile-time
/// diagnostics (`span`, not serialised).
struct SourceRef {
  std::string location;  // "file:line:col" of the scalar (the first character of the template)
  std::string field;     // the entry-relative data path: "deployments[0].replicas"
  Span span;
};

struct TValue;

/// One key of a mapping: the key text, and its parsed template when the key holds `{{` (labels,
/// annotations, configMap data keys are templates).
struct TMapItem;

/// A templated value tree: the lowered object of §5 in which every templated scalar is a parsed
/// template. Literal scalars are plain JSON.
struct TValue {
  enum class Kind { Literal, Template, Map, List };
  Kind kind = Kind::Literal;
  nlohmann::json literal;                      // Literal: a JSON scalar or null
  std::shared_ptr<const tmpl::Template> tmpl;  // Template
  ValueType type = ValueType::String;          // Template: the target type
  bool required = false;                       // Template: an empty result is an error, else omitted
  SourceRef source;                            // Template (and Literal when known)
  std::vector<TMapItem> map;                   // Map, in key order as lowered
  std::vector<TValue> list;                    // List

  static TValue lit(nlohmann::json v);
  static TValue mapValue();
  static TValue listValue();
  static TValue templ(std::shared_ptr<const tmpl::Template> t, ValueType type, SourceRef src, bool required = false);

  /// Map access: the item's value for `key` (null when absent or not a map).
  TValue* get(std::string_view key);
  const TValue* get(std::string_view key) const;
  /// Sets (replacing) a literal-keyed item and returns the stored value.
  TValue& set(std::string key, TValue value);
  /// Removes a key; true when it was present.
  bool erase(std::string_view key);
};

struct TMapItem {
  std::string key;
  std::shared_ptr<const tmpl::Template> keyTmpl;  // set when the key holds an action
  TValue value;
};

/// One condition (§6.1), normalised. `op` is the canonical operator name: equals, notEquals,
/// contains, notContains, prefix, notPrefix, suffix, notSuffix, regex, exists, notExists, gt, lt,
/// gte, lte, between, notBetween, in, notIn, unique, typeOf, time, dayOfWeek, cron.
struct Condition {
  std::vector<std::string> path;               // a dot path over the data roots ("spec", "tier")
  std::shared_ptr<const tmpl::Template> fieldTmpl;  // or a template field
  std::string op;
  nlohmann::json value;                        // scalar, list ("in", "between") or null
  std::shared_ptr<const tmpl::Template> valueTmpl;  // value holding `{{` (rendered before comparing)
  std::string valueType;                       // "" | string | int | float | bool
  bool negate = false;
  nlohmann::json time;                         // time/dayOfWeek/cron: the operator's own mapping
  SourceRef source;
};

/// `when` (all must pass) and `or` (one must pass).
struct Conditions {
  std::vector<Condition> when;
  std::vector<Condition> anyOf;
  bool empty() const { return when.empty() && anyOf.empty(); }
};

/// §6.2: one instance per element of the list/map at `path`; `.item` and `.<as>` name it.
struct ForEach {
  std::vector<std::string> path;
  std::string as;  // "" when only .item
  SourceRef source;
};

/// One lowered resource entry (§5, §14.1).
struct Entry {
  std::string id;          // "onReconcile.deployments[0]" (onDelete: "onDelete.<group>.jobs[0]")
  std::string block;       // onCreate | onReconcile | onDelete
  std::string resource;    // the §5.1 key: "deployments"
  std::string apiVersion;  // of the object ("apps/v1")
  std::string kind;        // "Deployment"
  bool namespaced = true;  // the child's scope
  bool reconciled = false; // onReconcile, or onCreate with reconcile: true (not Jobs/Pods)
  bool forceConflict = true;
  int order = 0;           // rank × 1000 + position (§14.1)
  TValue object;           // the lowered object, without ork's labels and owner reference
  Conditions conditions;
  std::optional<ForEach> forEach;
  /// Kind-specific behaviour the object alone cannot carry (secrets: once, rotateAfter, tls,
  /// fromSecret/fromNamespace, toNamespaces; configMaps: fromConfigMap, toNamespaces; …): a
  /// templated map rendered like the object.
  TValue extras = TValue::mapValue();
  SourceRef source;        // the entry's mapping
};

/// The identity of the CR's kind.
struct Gvk {
  std::string group, version, kind, plural;
  std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
};

/// One operator as far as rendering objects needs it (the plan issue adds settings, status, events,
/// admission, RBAC, …).
struct CrdPlan {
  std::string name;
  Gvk gvk;
  bool namespaced = true;
  std::string pattern;          // the pattern / document that defined it (for `# Source:`)
  std::vector<Entry> entries;   // onCreate + onReconcile, sorted by `order`
  std::vector<Entry> onDelete;  // in group order
};

}  // namespace ork::plan
