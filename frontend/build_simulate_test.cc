// Tests of the Simulate and E2E builders (FORMATS.md §12.1, §12.4): keys, defaults, the older
// top-level expect, imports documents and the referenced paths passes resolve.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "frontend/loader.h"
#include "frontend/testing/loaded_documents.h"

using namespace ork;
using namespace ork::frontend;

namespace {

using testing::Loaded;
using testing::corpus;
using testing::loadFile;

std::unique_ptr<Loaded> load(const std::string& text, const std::string& name = "simulate.yaml") {
  return testing::load(text, name);
}

const char* kSim = "apiVersion: orkestra.orkspace.io/v1\nkind: Simulate\nmetadata: {name: sim}\n";
const char* kE2E = "apiVersion: orkestra.orkspace.io/v1\nkind: E2E\nmetadata: {name: e2e}\n";

std::unique_ptr<Loaded> sim(const std::string& body) { return load(kSim + body); }
std::unique_ptr<Loaded> e2e(const std::string& body) { return load(kE2E + body, "e2e.yaml"); }

}  // namespace

TEST_CASE("corpus simulate documents load without errors") {
  for (const char* rel : {"ialexeze/examples/registry-guide/03-katalog-cache/simulate.yaml",
                          "ialexeze/examples/registry-guide/04-katalog-platform/simulate-denied.yaml",
                          "ialexeze/examples/registry-guide/10-hooks-katalog/simulate.yaml"}) {
    auto l = loadFile(corpus(rel));
    INFO(rel << "\n" << l->rendered());
    CHECK(l->diags.diagnostics().empty());
    REQUIRE(l->docs.size() == 1);
    CHECK(l->docs[0]->kind == ir::DocKind::Simulate);
  }
}

TEST_CASE("corpus cache simulate: referenced paths with spans, cycles and ops") {
  auto l = loadFile(corpus("ialexeze/examples/registry-guide/03-katalog-cache/simulate.yaml"));
  CHECK(l->paths() == std::vector<std::string>{"./katalog.yaml@11:12", "./cr.yaml@12:7"});
  const ir::Node& root = *l->doc().root;
  CHECK(root.at("spec.cycles")->intValue == 5);
  REQUIRE(root.at("spec.expect.ops"));
  CHECK(root.at("spec.expect.ops")->items.size() == 4);
  CHECK(l->doc().metadata.name.value == "cache-sim");
}

TEST_CASE("the FORMATS.md §12.1 example loads") {
  auto l = sim(
      "spec:\n"
      "  katalog: ./katalog.yaml\n"
      "  cr: ./cr.yaml\n"
      "  cycles: 5\n"
      "  expect:\n"
      "    noErrors: true\n"
      "    steady: true\n"
      "    steadyAt: 3\n"
      "    denied: false\n"
      "    ops: [{cycle: 1, verb: create, resource: deployments, name: web, count: 1},\n"
      "          {cycle: 1, verb: create, resource: services, name: web-svc}]\n"
      "    absent: [{verb: create, resource: ingresses}]\n"
      "    crds: {cache: {ops: [{cycle: 1, verb: create, resource: statefulSets}], steady: true}}\n");
  INFO(l->rendered());
  CHECK(l->diags.diagnostics().empty());
  CHECK(l->paths() == std::vector<std::string>{"./katalog.yaml@5:12", "./cr.yaml@6:7"});
}

TEST_CASE("simulate: cycles defaults to 10 and must be 1-100") {
  auto l = sim("spec: {katalog: k.yaml}\n");
  CHECK(l->diags.diagnostics().empty());
  const ir::Node* cycles = l->doc().root->at("spec.cycles");
  REQUIRE(cycles);
  CHECK(cycles->intValue == 10);

  auto zero = sim("spec: {katalog: k.yaml, cycles: 0}\n");
  CHECK(zero->one(DiagCode::InvalidValue).message == "spec.cycles: 0 is out of range (1–100)");
  CHECK(zero->lc(zero->one(DiagCode::InvalidValue).span) == "4:33");
  CHECK(sim("spec: {katalog: k.yaml, cycles: 101}\n")->with(DiagCode::InvalidValue).size() == 1);
  CHECK(sim("spec: {katalog: k.yaml, cycles: many}\n")->one(DiagCode::WrongType).message ==
        "spec.cycles: expected an integer, got \"many\"");
}

TEST_CASE("simulate: unknown keys and verbs get a did-you-mean") {
  auto l = sim("spec:\n  katalog: k.yaml\n  expect:\n    steddy: true\n    ops: [{verb: crate, resource: pods}]\n");
  const Diagnostic& key = l->one(DiagCode::UnknownKey);
  CHECK(key.message == "unknown key 'steddy' in spec.expect (did you mean 'steady'?)");
  CHECK(l->lc(key.span) == "7:5");
  const Diagnostic& verb = l->one(DiagCode::InvalidValue);
  CHECK(verb.message ==
        "spec.expect.ops[0].verb: invalid value \"crate\" (expected one of create, update, apply, patch, delete) "
        "(did you mean 'create'?)");
  CHECK(l->lc(verb.span) == "8:18");

  auto c = sim("spec: {catalog: k.yaml}\n");
  CHECK(c->one(DiagCode::UnknownKey).message == "unknown key 'catalog' in spec (did you mean 'katalog'?)");
  CHECK(c->one(DiagCode::MissingField).message == "spec: missing required field 'katalog'");
}

TEST_CASE("simulate: ops need verb and resource; absent rules need only resource") {
  auto l = sim("spec:\n  katalog: k.yaml\n  expect:\n    ops: [{resource: pods}, {verb: create}]\n    absent: [{resource: pods}]\n");
  auto missing = l->with(DiagCode::MissingField);
  REQUIRE(missing.size() == 2);
  CHECK(missing[0]->message == "spec.expect.ops[0]: missing required field 'verb'");
  CHECK(missing[1]->message == "spec.expect.ops[1]: missing required field 'resource'");
  CHECK(l->lc(missing[1]->span) == "7:29");
  CHECK(sim("spec: {katalog: k, expect: {absent: [{verb: delete, resource: pods, count: 1}]}}\n")
            ->one(DiagCode::UnknownKey)
            .message == "unknown key 'count' in spec.expect.absent[0]");
}

TEST_CASE("simulate: count 0 means at least one, as in Orkestra") {
  auto l = sim("spec: {katalog: k, expect: {ops: [{verb: create, resource: pods, count: 0}], "
               "crds: {a: {ops: [{verb: create, resource: pods, count: 0}]}}}}\n");
  CHECK(l->diags.diagnostics().empty());
  CHECK(l->doc().root->at("spec.expect.ops")->items[0]->get("count") == nullptr);
  CHECK(l->doc().root->at("spec.expect.crds.a.ops")->items[0]->get("count") == nullptr);
  CHECK(sim("spec: {katalog: k, expect: {ops: [{verb: create, resource: pods, count: -1}]}}\n")
            ->with(DiagCode::InvalidValue)
            .size() == 1);
}

TEST_CASE("simulate: a top-level expect is read as spec.expect with a deprecation warning") {
  auto l = sim("spec:\n  katalog: k.yaml\nexpect:\n  steady: true\n");
  const Diagnostic& w = l->one(DiagCode::DeprecatedShape);
  CHECK(w.message == "'expect' is deprecated; use spec.expect");
  CHECK(l->lc(w.span) == "6:1");
  CHECK(l->diags.errorCount() == 0);
  const ir::Node& root = *l->doc().root;
  CHECK(root.get("expect") == nullptr);
  REQUIRE(root.at("spec.expect.steady"));
  CHECK(root.at("spec.expect.steady")->boolValue);
  CHECK(l->lc(root.at("spec")->entry("expect")->keySpan) == "6:1");  // keeps where it was written

  auto both = sim("spec:\n  katalog: k.yaml\n  expect: {steady: true}\nexpect:\n  steady: true\n");
  const Diagnostic& c = both->one(DiagCode::ConflictingKeys);
  CHECK(c.message == "'expect' is given both at the top level and in spec.expect");
  CHECK(both->lc(c.span) == "7:1");
  REQUIRE(c.notes.size() == 1);
  CHECK(both->lc(c.notes[0].span) == "6:3");
}

TEST_CASE("simulate: a document of imports runs each file") {
  auto l = sim("imports:\n  - ./a/simulate.yaml\n  - ./b/simulate.yaml\n");
  CHECK(l->diags.diagnostics().empty());
  CHECK(l->paths() == std::vector<std::string>{"./a/simulate.yaml@5:5", "./b/simulate.yaml@6:5"});
  CHECK(l->doc().root->get("spec") == nullptr);

  auto both = sim("spec: {katalog: k}\nimports: [x.yaml]\n");
  const Diagnostic& c = both->one(DiagCode::ConflictingKeys);
  CHECK(c.message == "a Simulate document takes either 'spec' or 'imports', not both");
  CHECK(both->lc(c.span) == "5:1");

  auto expect = sim("imports: [x.yaml]\nexpect: {steady: true}\n");
  CHECK(expect->one(DiagCode::ConflictingKeys).message ==
        "a top-level 'expect' cannot be used with 'imports'; each imported file has its own");

  auto none = sim("");
  const Diagnostic& m = none->one(DiagCode::MissingField);
  CHECK(m.message == "document: missing required field 'spec'");
  CHECK(m.help == "set spec.katalog, or list other Simulate files under 'imports'");
}

TEST_CASE("simulate: target and skipExternal are accepted and ignored (ORK1105)") {
  auto l = sim("spec: {katalog: k, target: serve, skipExternal: true}\n");
  auto w = l->with(DiagCode::UnsupportedKey);
  REQUIRE(w.size() == 2);
  CHECK(w[0]->message == "'spec.target' is not supported by ork; ignored");
  CHECK(w[1]->message == "'spec.skipExternal' is not supported by ork; ignored");
  CHECK(l->lc(w[1]->span) == "4:35");
  CHECK(l->diags.errorCount() == 0);
}

TEST_CASE("simulate: every referenced path is recorded in order") {
  auto l = sim("spec: {katalog: k.yaml, cr: cr.yaml, crFiles: [a.yaml, b.yaml], crd: crd.yaml, crdFiles: [c.yaml]}\n");
  CHECK(l->paths() == std::vector<std::string>{"k.yaml@4:17", "cr.yaml@4:29", "a.yaml@4:48", "b.yaml@4:56",
                                               "crd.yaml@4:70", "c.yaml@4:91"});
}

TEST_CASE("E2E: the §12.4 keys load; paths include setup.apply; timeout defaults to 60s") {
  auto l = e2e(
      "spec:\n"
      "  katalog: ./katalog.yaml\n"
      "  crd: ./crd.yaml\n"
      "  crFiles: [./cr.yaml]\n"
      "  cluster: {provider: kind, name: ork, reuse: true}\n"
      "  setup:\n"
      "    apply: [./ns.yaml, {path: ./secret.yaml}]\n"
      "    wait: 30s\n"
      "  expect:\n"
      "    - name: deployment ready\n"
      "      after: setup\n"
      "      resources: [{kind: Deployment, name: web}]\n"
      "      when: [{field: spec.replicas, gt: 0}]\n"
      "    - name: curl\n"
      "      timeout: 2m\n"
      "      commands: [curl http://web]\n"
      "      onFailure: {kubectl: [get pods]}\n"
      "imports: []\n");
  INFO(l->rendered());
  // `imports: []` next to `spec` is still both keys.
  CHECK(l->with(DiagCode::ConflictingKeys).size() == 1);
  CHECK(l->diags.errorCount() == 1);
  CHECK(l->paths() == std::vector<std::string>{"./katalog.yaml@5:12", "./cr.yaml@7:13", "./crd.yaml@6:8",
                                               "./ns.yaml@10:13", "./secret.yaml@10:31"});
  const ir::Node& expect = *l->doc().root->at("spec.expect");
  CHECK(expect.items[0]->get("timeout")->text == "60s");
  CHECK(expect.items[1]->get("timeout")->text == "2m");
}

TEST_CASE("E2E: helm is unsupported; expect items need a name; cluster.provider is kind or existing") {
  auto l = e2e("spec:\n  katalog: k\n  setup: {helm: {chart: x}}\n  cluster: {provider: eks}\n  expect: [{timeout: 1m}]\n");
  CHECK(l->one(DiagCode::UnsupportedKey).message == "'spec.setup.helm' is not supported by ork; ignored");
  CHECK(l->lc(l->one(DiagCode::UnsupportedKey).span) == "6:11");
  CHECK(l->one(DiagCode::InvalidValue).message ==
        "spec.cluster.provider: invalid value \"eks\" (expected one of kind, existing)");
  CHECK(l->one(DiagCode::MissingField).message == "spec.expect[0]: missing required field 'name'");
  CHECK(e2e("spec: {katalog: k, expect: [{name: x, timeout: soon}]}\n")->with(DiagCode::InvalidValue).size() == 1);
  CHECK(e2e("spec: {katalog: k, expect: [{name: x, retries: 3}]}\n")->with(DiagCode::UnknownKey).size() == 1);
}

TEST_CASE("E2E: a document of imports; metadata keys are strict") {
  auto l = e2e("imports: [./a/e2e.yaml]\n");
  CHECK(l->diags.diagnostics().empty());
  CHECK(l->paths() == std::vector<std::string>{"./a/e2e.yaml@4:11"});
  auto m = load("apiVersion: orkestra.orkspace.io/v1\nkind: E2E\nmetadata: {name: x, labels: {}}\nimports: []\n");
  CHECK(m->one(DiagCode::UnknownKey).message == "unknown key 'labels' in metadata");
}
