// Rendering the entries of one CRD for one CR (FORMATS.md §5.2, §6.2, §7.1): forEach instances,
// conditions, the object, then ork's metadata (default namespace, labels, owner reference).
#include <array>

#include "backend/plan/render.h"
#include "support/template_functions.h"

namespace ork::plan {
namespace {

using nlohmann::json;

/// ork's labels (§5.2), which user labels may not set.
constexpr std::array<const char*, 4> kOrkLabels{
    "managed-by", "orkestra-owner", "orkestra.orkspace.io/owner-uid", "orkestra.orkspace.io/mode"};

std::string stringAt(const json& obj, const char* a, const char* b = nullptr) {
  const json* cur = lookupPath(obj, b ? std::vector<std::string>{a, b} : std::vector<std::string>{a});
  return cur && cur->is_string() ? cur->get<std::string>() : std::string();
}

RenderFailure entryFailure(const Entry& e, const std::string& sub, std::string message) {
  RenderFailure f;
  std::string field = e.source.field.empty() ? e.id : e.source.field;
  if (!sub.empty()) field += "." + sub;
  f.message = field + ": " + message;
  f.location = e.source.location;
  f.span = e.source.span;
  return f;
}

/// The data of each forEach instance (§6.2), or one instance with the CR's data.
bool instancesOf(const Entry& e, const json& data, std::vector<json>& out, RenderFailure& failure) {
  if (!e.forEach) {
    out.push_back(data);
    return true;
  }
  const ForEach& each = *e.forEach;
  const json* v = lookupPath(data, each.path);
  if (!v) return true;  // absent: no instance
  auto instance = [&](const json& item, const json* value) {
    json d = data;
    d["item"] = item;
    if (value) d["value"] = *value;
    if (!each.as.empty()) d[each.as] = item;
    out.push_back(std::move(d));
  };
  if (v->is_array()) {
    for (const json& item : *v) instance(item, nullptr);
  } else if (v->is_object()) {
    for (auto it = v->begin(); it != v->end(); ++it) instance(json(it.key()), &it.value());  // sorted keys
  } else {
    std::string path;
    for (const std::string& s : each.path) path += (path.empty() ? "" : ".") + s;
    failure.message = (each.source.field.empty() ? e.id + ".forEach" : each.source.field) + ": " + path +
                      " is a " +
                      (v->is_string()    ? "string"
                       : v->is_boolean() ? "boolean"
                                         : "number") +
                      ", not a list or map";
    failure.location = each.source.location.empty() ? e.source.location : each.source.location;
    failure.span = each.source.span;
    return false;
  }
  return true;
}

/// Adds ork's metadata (§5.2) to a rendered object.
bool finishObject(const Entry& e, const CrdPlan& crd, const json& cr, json& obj, RenderFailure& failure) {
  if (!obj.is_object()) {
    failure = entryFailure(e, "", "the object did not render to a mapping");
    return false;
  }
  if (!obj.contains("apiVersion") && !e.apiVersion.empty()) obj["apiVersion"] = e.apiVersion;
  if (!obj.contains("kind") && !e.kind.empty()) obj["kind"] = e.kind;
  json& meta = obj["metadata"];
  if (!meta.is_object()) meta = json::object();

  if (!meta.contains("name") || !meta["name"].is_string() || meta["name"].get<std::string>().empty()) {
    failure = entryFailure(e, "name", "rendered value is empty");
    failure.code = DiagCode::ValueConversion;
    return false;
  }
  std::string crNamespace = stringAt(cr, "metadata", "namespace");
  bool crNamespaced = crd.namespaced && !crNamespace.empty();
  std::string childNamespace;
  if (e.namespaced) {
    if (meta.contains("namespace") && meta["namespace"].is_string())
      childNamespace = meta["namespace"].get<std::string>();
    if (childNamespace.empty()) {
      if (!crNamespaced) {
        failure = entryFailure(e, "namespace",
                               "a namespaced " + (e.kind.empty() ? std::string("object") : e.kind) +
                                   " of a cluster-scoped CR needs a namespace");
        return false;
      }
      childNamespace = crNamespace;
      meta["namespace"] = childNamespace;
    }
  } else {
    meta.erase("namespace");
  }

  json& labels = meta["labels"];
  if (!labels.is_object()) labels = json::object();
  for (const char* key : kOrkLabels) {
    if (labels.contains(key)) {
      failure = entryFailure(e, "labels",
                             std::string("label '") + key + "' is set by ork and cannot be overridden");
      return false;
    }
  }
  std::string crName = stringAt(cr, "metadata", "name");
  std::string uid = stringAt(cr, "metadata", "uid");
  labels["managed-by"] = "orkestra";
  labels["orkestra-owner"] = ownerLabelValue(crName);
  labels["orkestra.orkspace.io/owner-uid"] = uid;
  labels["orkestra.orkspace.io/mode"] = e.reconciled ? "reconciled" : "created";

  bool owned = !crd.namespaced || (e.namespaced && childNamespace == crNamespace);
  if (owned) {
    std::string apiVersion = stringAt(cr, "apiVersion");
    std::string kind = stringAt(cr, "kind");
    json ref = {{"apiVersion", apiVersion.empty() ? crd.gvk.apiVersion() : apiVersion},
                {"kind", kind.empty() ? crd.gvk.kind : kind},
                {"name", crName},
                {"uid", uid},
                {"controller", true},
                {"blockOwnerDeletion", true}};
    json& refs = meta["ownerReferences"];
    if (!refs.is_array()) refs = json::array();
    refs.push_back(std::move(ref));
  }
  return true;
}

}  // namespace

std::string ownerLabelValue(const std::string& crName) {
  if (crName.size() <= 63) return crName;
  return crName.substr(0, 54) + "-" + tmpl::sha256Hex(crName).substr(0, 8);
}

json templateData(const json& cr, const json& children) {
  auto part = [&](const char* key) {
    if (cr.is_object()) {
      auto it = cr.find(key);
      if (it != cr.end() && it->is_object()) return *it;
    }
    return json::object();
  };
  return json{{"metadata", part("metadata")},
              {"spec", part("spec")},
              {"status", part("status")},
              {"children", children.is_object() ? children : json::object()}};
}

Rendered<std::vector<RenderedObject>> renderEntries(const CrdPlan& crd, const json& cr,
                                                    const tmpl::EvalContext& ctx,
                                                    const UniquenessCheck& uniqueness) {
  using Result = Rendered<std::vector<RenderedObject>>;
  json ownData;
  if (!ctx.data) ownData = templateData(cr);
  const json& data = ctx.data ? *ctx.data : ownData;

  std::vector<RenderedObject> out;
  for (const Entry& e : crd.entries) {
    std::vector<json> instances;
    RenderFailure failure;
    if (!instancesOf(e, data, instances, failure)) return Result::fail(std::move(failure));
    for (const json& d : instances) {
      tmpl::EvalContext ictx = ctx;
      ictx.data = &d;
      if (!e.conditions.empty()) {
        Rendered<bool> pass = evaluateConditions(e.conditions, ictx, uniqueness);
        if (!pass.ok()) return Result::fail(std::move(pass.failure));
        if (!*pass.value) continue;
      }
      Rendered<json> obj = renderValue(e.object, ictx);
      if (!obj.ok()) return Result::fail(std::move(obj.failure));
      if (!finishObject(e, crd, cr, *obj.value, failure)) return Result::fail(std::move(failure));
      out.push_back(RenderedObject{e.id, e.resource, e.reconciled, std::move(*obj.value)});
    }
  }
  Result r;
  r.value = std::move(out);
  return r;
}

}  // namespace ork::plan
