// The closed key sets of Katalogs, Komposers, CRD entries and operatorBox (FORMATS.md §1.1, §1.2,
// §2, §3, §4, §9.1, §10.1). CRD entries are checked after normalisation (normalize_crd_entry.h).
#include "frontend/shapes.h"

#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::Node;

void unsupported(Shape& s, std::initializer_list<const char*> keys) {
  for (const char* k : keys) s.add(k, anyShape()).unsupported = true;
}

/// A copy of a shared shape that may be extended without touching the original.
ShapeRef extend(const ShapeRef& base) { return std::make_shared<Shape>(*base); }

/// `when`, `or` and the `anyOf` rejection (§6.1); wraps a `check` already set on `s`.
void addWhenOr(Shape& s) { addConditionKeys(s); }

/// `include: path` or `include: [paths]` (FORMATS.md §4.1).
ShapeRef includeShape() {
  static const ShapeRef s = oneOf({str(), listOf(str())}, "a path or a list of paths");
  return s;
}

ShapeRef stringList() {
  static const ShapeRef s = listOf(str());
  return s;
}

/// Credentials come from environment variables only (§10.2); unknown credential-like
/// keys (token, password) get the fromEnv note from the schema engine.
ShapeRef authShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("type", enumOf({"github", "bearer", "basic"})).req();
    r->add("fromEnv", str());
    r->add("usernameFromEnv", str());
    r->add("passwordFromEnv", str());
    return r;
  }();
  return s;
}

/// A motif import of a CRD entry (§8.2).
ShapeRef motifImportShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("motif", str()).req();
    r->add("with", mapOf(anyShape()));
    r->add("version", str());
    r->add("oci", boolean());
    r->add("auth", authShape());
    return r;
  }();
  return s;
}

// ── §3.2 dependsOn ──────────────────────────────────────────────────────────
ShapeRef dependencyConditionShape() {
  static const ShapeRef s = [] {
    auto cond = enumOf({"started", "healthy"});
    auto full = record();
    full->add("condition", cond).req();
    return oneOf({cond, full}, "started, healthy or {condition: started|healthy}");
  }();
  return s;
}

ShapeRef dependsOnShape() {
  static const ShapeRef s = [] {
    auto single = mapOf(dependencyConditionShape());
    single->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
      if (!n.isMap() || n.entries.size() == 1) return;
      Diagnostic& d = diags.report(DiagCode::InvalidValue, n.span,
                                   path + ": a dependsOn list item names exactly one CRD ({name: condition}), got " +
                                       std::to_string(n.entries.size()) + " keys");
      d.path = path;
    };
    auto item = oneOf({str(), single}, "a CRD name or {name: condition}");
    return oneOf({listOf(item), mapOf(dependencyConditionShape())},
                 "a list of CRD names or a mapping {name: condition}");
  }();
  return s;
}

// ── §3.3 admission ──────────────────────────────────────────────────────────
/// A validation rule: a condition (§6.1) plus action and message.
ShapeRef validationRuleShape() {
  static const ShapeRef s = [] {
    auto r = conditionRecord();
    r->add("action", enumOf({"deny", "warn"}));
    r->add("message", str());
    addWhenOr(*r);
    return r;
  }();
  return s;
}

/// A mutation rule: field plus exactly one of default, set, remove: true.
ShapeRef mutationRuleShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("field", str()).req();
    r->add("default", anyShape());
    r->add("set", anyShape());
    r->add("remove", boolean());
    r->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
      if (!n.isMap()) return;
      std::vector<std::string> given;
      for (const char* k : {"default", "set"})
        if (n.entry(k)) given.push_back(k);
      const Node* remove = n.get("remove");
      if (remove && remove->kind == ir::NodeKind::Bool && remove->boolValue) given.push_back("remove");
      if (given.size() == 1) return;
      if (given.empty()) {
        Diagnostic& d = diags.report(DiagCode::MissingField, n.span,
                                     path + ": a mutation rule needs one of default, set or remove: true");
        d.path = path;
        return;
      }
      const ir::MapEntry* second = n.entry(given[1]);
      Diagnostic& d = diags.report(DiagCode::ConflictingKeys, second->keySpan,
                                   path + ": a mutation rule takes exactly one of default, set, remove (got " +
                                       join(given, " and ") + ")");
      d.path = path;
    };
    addWhenOr(*r);  // after the check above, which it wraps
    return r;
  }();
  return s;
}

ShapeRef conversionShape() {
  static const ShapeRef s = [] {
    auto path = record();
    path->add("from", str()).req();
    path->add("to", str()).req();
    path->add("spec", mapOf(anyShape()));
    auto r = record();
    r->add("storageVersion", str());
    r->add("paths", listOf(path));
    return r;
  }();
  return s;
}

ShapeRef validationShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("rules", listOf(validationRuleShape()));
    r->add("include", includeShape());
    return r;
  }();
  return s;
}

ShapeRef mutationShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("rules", listOf(mutationRuleShape()));
    r->add("include", includeShape());
    r->add("mutateFirst", boolean());  // accepted for compatibility; mutations always run first
    return r;
  }();
  return s;
}

// ── §4 operatorBox ──────────────────────────────────────────────────────────
ShapeRef deletionProtectionShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("protectCRs", boolean());
    r->add("strictMode", boolean());
    r->add("protectCRD", boolean());
    return r;
  }();
  return s;
}

ShapeRef runtimeShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("finalizers", stringList());
    r->add("deletionProtection", deletionProtectionShape());
    unsupported(*r, {"autoscale", "rollback", "cleanup", "rollBackOnError"});
    return r;
  }();
  return s;
}

ShapeRef queueShape() {
  static const ShapeRef s = [] {
    auto backoff = record();
    backoff->add("initial", duration());
    backoff->add("max", duration());
    backoff->add("multiplier", number());
    backoff->add("maxAttempts", integer(0));
    auto r = record();
    r->add("maxDepth", integer(0));
    r->add("failureThreshold", integer(1));
    r->add("retryBackoff", oneOf({duration(), backoff}, "a duration or {initial, max, multiplier, maxAttempts}"));
    unsupported(*r, {"behaviour", "shared"});
    return r;
  }();
  return s;
}

ShapeRef requeueShape() {
  static const ShapeRef s = [] {
    auto one = record();
    one->add("after", templatedCopy(duration()));
    addWhenOr(*one);
    return oneOf({one, listOf(one)}, "{after, when, or} or a list of them");
  }();
  return s;
}

ShapeRef reconcileShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("workers", integer(1, 50));
    r->add("resync", duration());
    r->add("profile", enumOf({"high-throughput", "conservative", "development"}));
    r->add("include", includeShape());
    r->add("queue", queueShape());
    r->add("requeue", requeueShape());
    r->add("onCreate", resourceBlockShape());
    r->add("onReconcile", resourceBlockShape());
    r->add("onDelete", onDeleteShape());
    // §1.2 typed operators: validated for presence only, content is Go-specific.
    r->add("default", boolean());
    r->add("hooks", anyShape());
    r->add("constructor", anyShape());
    // Normally moved to the entry's `imports` by normalisation; kept so an unnormalised tree validates.
    r->add("imports", listOf(motifImportShape()));
    unsupported(*r, {"remote"});
    return r;
  }();
  return s;
}

ShapeRef eventsShape() {
  static const ShapeRef s = [] {
    auto on = enumOf({"always", "success", "failure"});
    auto e = record();
    e->add("type", enumOf({"Normal", "Warning"}));
    e->add("reason", str());
    e->add("message", str());
    e->add("on", oneOf({on, listOf(on)}, "always, success, failure or a list of them"));
    addWhenOr(*e);
    return mapOf(e);
  }();
  return s;
}

ShapeRef emitShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("status", statusShape());
    r->add("events", eventsShape());
    return r;
  }();
  return s;
}

// ── §2 document parts ───────────────────────────────────────────────────────
ShapeRef deprecationShape() {
  static const ShapeRef s = [] {
    auto timeline = record();
    timeline->add("from", date());
    timeline->add("to", date());
    auto r = record();
    r->add("message", str());
    r->add("migratedTo", str());
    r->add("timeline", timeline);
    return r;
  }();
  return s;
}

ShapeRef notesShape() {
  static const ShapeRef s = [] {
    auto mapForm = record();
    mapForm->add("expression", str()).req();
    auto listForm = record();
    listForm->add("name", str()).req();
    listForm->add("expression", str()).req();
    return oneOf({mapOf(mapForm), listOf(listForm)}, "{name: {expression}} or a list of {name, expression}");
  }();
  return s;
}

/// `spec.crds`: entries are checked one by one after normalisation (buildKatalog).
ShapeRef crdsContainerShape() {
  static const ShapeRef s = oneOf({mapOf(anyShape()), listOf(anyShape())},
                                  "a mapping of CRD entries or a list of entries with name");
  return s;
}

ShapeRef registryImportShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("url", str()).req();
    r->add("version", str());
    r->add("oci", boolean());
    r->add("useKomposer", boolean());
    r->add("auth", authShape());
    return oneOf({str(), r}, "a URL or {url, version, oci, useKomposer, auth}");
  }();
  return s;
}

ShapeRef fileImportShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("url", str()).req();
    r->add("auth", authShape());
    return oneOf({str(), r}, "a path or {url, auth}");
  }();
  return s;
}

ShapeRef komposerImportsShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("registry", listOf(registryImportShape()));
    r->add("files", listOf(fileImportShape()));
    unsupported(*r, {"helm"});
    return r;
  }();
  return s;
}

/// Legacy `sources` (§9.1): `imports` plus an `oci` list of registry entries.
ShapeRef legacySourcesShape() {
  static const ShapeRef s = [] {
    auto r = extend(komposerImportsShape());
    r->add("oci", listOf(registryImportShape()));
    return r;
  }();
  return s;
}

/// §4.7: with `conditions` on (the default) ork owns status.conditions and
/// status.observedGeneration, so a field writing either is an error.
void checkReservedStatusPaths(const Node& n, const std::string& path, DiagnosticEngine& diags) {
  const Node* conditions = n.get("conditions");
  const Node* fields = n.get("fields");
  if ((conditions && conditions->kind == ir::NodeKind::Bool && !conditions->boolValue) || !fields || !fields->isList())
    return;
  for (size_t i = 0; i < fields->items.size(); ++i) {
    const Node* p = fields->items[i]->get("path");
    if (!p || !p->isString()) continue;
    std::string root = p->text.substr(0, p->text.find_first_of(".["));
    if (root != "conditions" && root != "observedGeneration") continue;
    std::string at = childPath(indexPath(childPath(path, "fields"), i), "path");
    Diagnostic& d = diags.report(DiagCode::InvalidValue, p->span,
                                 at + ": status." + root + " is written by ork while " + childPath(path, "conditions") +
                                     " is true; use another path or set conditions: false");
    d.path = at;
  }
}

/// Keys shared by Katalogs and Komposers.
void addDocumentKeys(Shape& r) {
  r.add("apiVersion", str()).req();
  r.add("kind", str()).req();
  r.add("metadata", metadataShape()).req();
  r.add("lifecycle", lifecycleShape());
  r.add("policy", policyShape());
  r.add("notes", notesShape());
  unsupported(r, {"gateway", "notification", "providers", "crossAccess", "security", "publish", "profiles"});
}

}  // namespace

ShapeRef statusShape() {
  static const ShapeRef s = [] {
    auto field = record();
    field->add("path", str()).req();
    field->add("value", anyShape());
    field->add("type", enumOf({"string", "integer", "number", "boolean", "auto", "str", "int", "float", "bool"}));
    field->add("clearOnFalse", boolean());
    addWhenOr(*field);
    auto r = record();
    r->add("conditions", boolean());
    r->add("fields", listOf(field));
    r->add("include", includeShape());
    r->check = checkReservedStatusPaths;
    return r;
  }();
  return s;
}

ShapeRef admissionShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("validation", validationShape());
    r->add("mutation", mutationShape());
    r->add("conversion", conversionShape());
    return r;
  }();
  return s;
}

ShapeRef operatorBoxShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("runtime", runtimeShape());
    r->add("reconcile", reconcileShape());
    r->add("emit", emitShape());
    // §1.1; `watch` (used by the ctrl-runtime fixture) is treated the same way.
    unsupported(*r, {"observe", "preReconcile", "watch"});
    return r;
  }();
  return s;
}

ShapeRef crdEntryShape() {
  static const ShapeRef s = [] {
    auto apiTypes = record();
    for (const char* k : {"group", "version", "kind", "plural", "location", "object", "objectList", "alias"})
      apiTypes->add(k, str());
    auto setupItem = record();
    setupItem->add("path", str()).req();
    auto setup = record();
    setup->add("apply", listOf(oneOf({str(), setupItem}, "a path or {path}")));

    auto r = record();
    r->add("enabled", boolean());
    r->add("description", str());
    r->add("apiTypes", apiTypes);
    r->add("crdFile", str());
    r->add("crFiles", stringList());
    r->add("setup", setup);
    r->add("namespaced", boolean());
    r->add("namespace", str());
    r->add("allowedNamespaces", stringList());
    r->add("restrictedNamespaces", stringList());
    r->add("labels", mapOf(str()));
    r->add("labelSelector", mapOf(anyShape()));
    r->add("fieldSelector", mapOf(anyShape()));
    r->add("dependsOn", dependsOnShape());
    r->add("admission", admissionShape());
    r->add("deletionProtection", deletionProtectionShape());
    r->add("forceConflict", boolean());
    r->add("ignoreStatusPatch", boolean());
    r->add("ignoreObservedGeneration", boolean());
    r->add("imports", listOf(motifImportShape()));
    r->add("operatorBox", operatorBoxShape());
    r->add("mode", enumOf({"dynamic", "typed"}));
    // Shorthands and flat keys: normalisation moves them; kept so an unnormalised entry validates.
    r->add("workers", integer(1, 50));
    r->add("resync", duration());
    r->add("validation", validationShape());
    r->add("mutation", mutationShape());
    r->add("conversion", conversionShape());
    unsupported(*r, {"serve", "crossAccess", "enrich", "enrichAll", "endpoints", "normalize", "webhooks",
                     "removeFinalizers", "katalogName"});
    return r;
  }();
  return s;
}

ShapeRef metadataShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("name", str()).req();
    r->add("version", str());
    r->add("description", str());
    r->add("author", str());
    r->add("license", str());
    r->add("tags", stringList());
    r->add("namespace", str());
    r->add("deprecation", deprecationShape());
    // Legacy spellings: LegacyDeprecation warnings come from extractMetadata.
    r->add("deprecated", boolean());
    r->add("deprecationMessage", str());
    return r;
  }();
  return s;
}

ShapeRef lifecycleShape() {
  static const ShapeRef s = [] {
    auto compat = record();
    compat->add("orkestra", semverRange());
    compat->add("kubernetes", semverRange());
    auto pattern = record();
    pattern->add("name", str()).req();
    pattern->add("author", str());
    pattern->add("version", semverRange());
    auto accept = record();
    accept->add("patterns", listOf(pattern));
    auto r = record();
    r->add("maturity", enumOf({"alpha", "beta", "stable", "deprecated"}));
    r->add("deprecation", deprecationShape());
    r->add("compatibility", compat);
    r->add("accept", accept);
    return r;
  }();
  return s;
}

ShapeRef policyShape() {
  static const ShapeRef s = [] {
    auto lifecycle = record();
    lifecycle->add("minMaturity", enumOf({"alpha", "beta", "stable"}));
    auto r = record();
    r->add("lifecycle", lifecycle);
    r->add("allowedRegistries", stringList());
    return r;
  }();
  return s;
}

ShapeRef katalogShape() {
  static const ShapeRef s = [] {
    auto spec = record();
    spec->add("crds", crdsContainerShape());
    spec->add("finalizers", stringList());
    unsupported(*spec, {"imports"});
    auto r = record();
    addDocumentKeys(*r);
    r->add("spec", spec);
    r->add("imports", anyShape());  // rejected by the check below with the §2 message
    r->check = [](const Node& n, const std::string&, DiagnosticEngine& diags) {
      const ir::MapEntry* imports = n.entry("imports");
      if (!imports) return;
      Diagnostic& d = diags.report(DiagCode::KatalogImports, imports->keySpan,
                                   "kind Katalog cannot declare imports — use kind: Komposer to compose multiple "
                                   "Katalogs");
      d.path = "imports";
    };
    return r;
  }();
  return s;
}

ShapeRef komposerShape() {
  static const ShapeRef s = [] {
    auto spec = record();
    spec->add("crds", crdsContainerShape());
    unsupported(*spec, {"imports"});
    auto r = record();
    addDocumentKeys(*r);
    r->add("spec", spec);
    r->add("imports", komposerImportsShape());
    r->add("sources", legacySourcesShape()).deprecated = "use imports";
    return r;
  }();
  return s;
}

}  // namespace ork::frontend
