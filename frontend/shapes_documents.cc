// The closed key sets of Motif, Simulate and E2E documents (FORMATS.md §1.1, §8.1, §12.1, §12.4).
// Cross-field rules that need more than one mapping (input defaults, the simulate envelope) live
// in the builders.
#include "frontend/shapes.h"

namespace ork::frontend {
namespace {

using ir::Node;

void unsupported(Shape& s, std::initializer_list<const char*> keys) {
  for (const char* k : keys) s.add(k, anyShape()).unsupported = true;
}

ShapeRef stringList() {
  static const ShapeRef s = listOf(str());
  return s;
}

/// `metadata` of Motif, Simulate and E2E documents: §8.1's keys.
ShapeRef documentMetadataShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("name", str()).req();
    r->add("version", str());
    r->add("description", str());
    r->add("author", str());
    r->add("license", str());
    r->add("tags", stringList());
    return r;
  }();
  return s;
}

void addEnvelope(Shape& r) {
  r.add("apiVersion", str()).req();
  r.add("kind", str()).req();
  r.add("metadata", documentMetadataShape()).req();
}

// ── §8.1 Motif ──────────────────────────────────────────────────────────────
ShapeRef motifInputShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("name", str()).req();
    r->add("required", boolean());
    r->add("default", anyShape());  // fitted to `type` by buildMotif
    r->add("type", enumOf({"string", "integer", "number", "boolean", "int", "float", "bool"}));
    r->add("description", str());
    return r;
  }();
  return s;
}

/// `resources`: a resource block whose `onCreate`/`onReconcile`/`onDelete` sub-blocks feed
/// the importing CRD's blocks of the same name.
ShapeRef motifResourcesShape() {
  static const ShapeRef s = [] {
    auto r = std::make_shared<Shape>(*resourceBlockShape());
    if (r->kind != Shape::Kind::Record) return anyShape();  // resource shapes not available yet
    r->add("onCreate", resourceBlockShape());
    r->add("onReconcile", resourceBlockShape());
    r->add("onDelete", onDeleteShape());
    return ShapeRef(r);
  }();
  return s;
}

/// `admission` without `conversion`: a motif's `conversion` is reported by buildMotif as
/// MotifConversion (ORK1603), so it is accepted here with any content.
ShapeRef motifAdmissionShape() {
  static const ShapeRef s = [] {
    auto r = std::make_shared<Shape>(*admissionShape());
    if (r->kind != Shape::Kind::Record) return anyShape();
    r->add("conversion", anyShape());
    return ShapeRef(r);
  }();
  return s;
}

// ── §12.1 Simulate ──────────────────────────────────────────────────────────
ShapeRef opRuleShape(bool absent) {
  auto r = record();
  r->add("cycle", integer(1, 100));
  Field& verb = r->add("verb", enumOf({"create", "update", "apply", "patch", "delete"}));
  if (!absent) verb.req();  // an absent rule without verb matches every verb
  r->add("resource", str()).req();
  r->add("name", str());
  if (!absent) r->add("count", integer(0));
  return r;
}

/// The assertions of one operator (`expect.crds.<name>`): everything but `crds`.
ShapeRef expectBody(bool withCrds) {
  auto r = record();
  r->add("noErrors", boolean());
  r->add("steady", boolean());
  r->add("steadyAt", integer(1, 100));
  r->add("denied", boolean());
  r->add("ops", listOf(opRuleShape(false)));
  r->add("absent", listOf(opRuleShape(true)));
  if (withCrds) r->add("crds", mapOf(expectBody(false)));
  return r;
}

ShapeRef simulateExpectShape() {
  static const ShapeRef s = expectBody(true);
  return s;
}

ShapeRef simulateSpecShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("katalog", str()).req();
    r->add("cr", str());
    r->add("crFiles", stringList());
    r->add("crd", str());
    r->add("crdFiles", stringList());
    r->add("cycles", integer(1, 100));
    r->add("expect", simulateExpectShape());
    unsupported(*r, {"target", "skipExternal"});
    return r;
  }();
  return s;
}

// ── §12.4 E2E ───────────────────────────────────────────────────────────────
ShapeRef pathItemShape() {
  static const ShapeRef s = [] {
    auto item = record();
    item->add("path", str()).req();
    return oneOf({str(), item}, "a path or {path}");
  }();
  return s;
}

ShapeRef e2eExpectShape() {
  static const ShapeRef s = [] {
    auto r = record();
    r->add("name", str()).req();
    // FORMATS.md names these keys without fixing their inner shape; ork only checks
    // the key set of an expect item (the gate that runs them is not in this build).
    r->add("after", anyShape());
    r->add("timeout", duration());
    r->add("resources", anyShape());
    r->add("commands", anyShape());
    r->add("kubectl", anyShape());
    r->add("when", conditionListShape());
    r->add("or", conditionListShape());
    r->add("include", oneOf({str(), stringList()}, "a path or a list of paths"));
    r->add("onFailure", anyShape());
    return r;
  }();
  return s;
}

ShapeRef e2eSpecShape() {
  static const ShapeRef s = [] {
    auto cluster = record();
    cluster->add("provider", enumOf({"kind", "existing"}));
    cluster->add("name", str());
    cluster->add("reuse", boolean());
    auto setup = record();
    setup->add("apply", listOf(pathItemShape()));
    setup->add("wait", anyShape());
    unsupported(*setup, {"helm"});
    auto r = record();
    r->add("katalog", str()).req();
    r->add("crd", str());
    r->add("crdFiles", stringList());
    r->add("cr", str());
    r->add("crFiles", stringList());
    r->add("cluster", cluster);
    r->add("setup", setup);
    r->add("expect", listOf(e2eExpectShape()));
    return r;
  }();
  return s;
}

}  // namespace

ShapeRef motifShape() {
  static const ShapeRef s = [] {
    auto r = record();
    addEnvelope(*r);
    r->add("inputs", listOf(motifInputShape()));
    r->add("resources", motifResourcesShape());
    r->add("status", statusShape());
    r->add("admission", motifAdmissionShape());
    // Not in §8.1's list, but §9.4 checks deprecated motif imports: a motif states its
    // maturity and deprecation the way a Katalog does.
    r->add("lifecycle", lifecycleShape());
    unsupported(*r, {"profiles", "imports", "notes"});
    return r;
  }();
  return s;
}

ShapeRef simulateShape() {
  static const ShapeRef s = [] {
    auto r = record();
    addEnvelope(*r);
    r->add("spec", simulateSpecShape());  // required unless `imports` is given (buildSimulate)
    r->add("imports", stringList());
    r->add("expect", simulateExpectShape()).deprecated = "use spec.expect";  // moved there by buildSimulate
    return r;
  }();
  return s;
}

ShapeRef e2eShape() {
  static const ShapeRef s = [] {
    auto r = record();
    addEnvelope(*r);
    r->add("spec", e2eSpecShape());
    r->add("imports", stringList());
    return r;
  }();
  return s;
}

}  // namespace ork::frontend
