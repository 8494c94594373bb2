// Tests of buildKatalog/buildKomposer through loadDocuments: what users see (codes, messages,
// line:col) and the typed IR the passes read; plus the Orkestra corpus.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "frontend/loader.h"
#include "frontend/testing/loaded_documents.h"
#include "support/source_manager.h"

using namespace ork;
namespace fs = std::filesystem;

namespace {

using frontend::testing::TempDir;

/// Loads one file and keeps everything a test inspects.
struct Loaded {
  SourceManager sm;
  DiagnosticEngine diags;
  std::vector<std::unique_ptr<ir::Document>> docs;
  std::string prefix;  // stripped from printed locations

  explicit Loaded(const std::string& path, std::string stripPrefix = "") : prefix(std::move(stripPrefix)) {
    frontend::LoadContext ctx{sm, diags};
    docs = frontend::loadDocuments(ctx, path);
  }
  /// The first line of every rendered diagnostic: "file:line:col: severity[ORKnnnn]: message".
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.diagnostics()) {
      std::string s = renderDiagnostic(d, sm, false);
      s = s.substr(0, s.find('\n'));
      if (!prefix.empty() && s.rfind(prefix, 0) == 0) s = s.substr(prefix.size());
      out.push_back(s);
    }
    return out;
  }
  const ir::Document& doc(size_t i = 0) const { return *docs.at(i); }
};

/// Writes `text` as katalog.yaml in a fresh directory and loads it.
struct Case {
  TempDir tmp;
  std::unique_ptr<Loaded> loaded;
  explicit Case(const std::string& text, const std::string& name = "katalog.yaml") {
    std::string path = tmp.write(name, text);
    loaded = std::make_unique<Loaded>(path, tmp.dir.string() + "/");
  }
  std::vector<std::string> lines() const { return loaded->lines(); }
  const ir::Document& doc() const { return loaded->doc(); }
  const DiagnosticEngine& diags() const { return loaded->diags; }
};

const char* kHeader =
    "apiVersion: orkestra.orkspace.io/v1\n"
    "kind: Katalog\n"
    "metadata:\n"
    "  name: webapp-operator\n";

std::string sharedDir() {
  const char* s = std::getenv("ORK_SHARED_DIR");
  return s ? s : "../shared";
}

}  // namespace

TEST_CASE("the FORMATS §1 golden example: a misspelt resource key") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    webapp:\n"
         "      operatorBox:\n"
         "        reconcile:\n"
         "          onCreate:\n"
         "            deployments:\n"
         "              - image: nginx\n"
         "                replcas: 3\n");
  // Needs the resource shapes of shapes_resources.cc (the res engineer's work).
  CHECK(c.lines() == std::vector<std::string>{
                         "katalog.yaml:13:17: error[ORK1102]: unknown key 'replcas' in "
                         "spec.crds.webapp.operatorBox.reconcile.onCreate.deployments[0] (did you mean 'replicas'?)"});
  REQUIRE(c.diags().diagnostics().size() == 1);
  CHECK(c.diags().diagnostics()[0].path == "spec.crds.webapp.operatorBox.reconcile.onCreate.deployments[0].replcas");
}

TEST_CASE("a wrong scalar type is reported at the value") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    webapp:\n"
         "      operatorBox:\n"
         "        reconcile:\n"
         "          workers: \"many\"\n"
         "          resync: soon\n");
  CHECK(c.lines() ==
        std::vector<std::string>{
            "katalog.yaml:10:20: error[ORK1103]: spec.crds.webapp.operatorBox.reconcile.workers: expected an "
            "integer, got \"many\"",
            "katalog.yaml:11:19: error[ORK1108]: spec.crds.webapp.operatorBox.reconcile.resync: invalid duration "
            "\"soon\" (use Go syntax such as 30s, 5m, 1h30m, or d/w/mo/y)"});
}

TEST_CASE("workers outside 1–50 is an invalid value") {
  Case c(std::string(kHeader) + "spec:\n  crds:\n    webapp: {workers: 51}\n");
  CHECK(c.lines() == std::vector<std::string>{"katalog.yaml:7:23: error[ORK1108]: "
                                              "spec.crds.webapp.operatorBox.reconcile.workers: 51 is out of range "
                                              "(1–50)"});
}

TEST_CASE("a Katalog cannot declare top-level imports") {
  Case c(std::string(kHeader) + "imports:\n  files: [./a.yaml]\nspec: {crds: {}}\n");
  CHECK(c.lines() == std::vector<std::string>{"katalog.yaml:5:1: error[ORK1201]: kind Katalog cannot declare imports "
                                              "— use kind: Komposer to compose multiple Katalogs"});
}

TEST_CASE("unknown document keys get a did-you-mean; missing metadata.name is reported") {
  Case c("apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata:\n  version: v1\nlifecyle: {}\n");
  CHECK(c.lines() ==
        std::vector<std::string>{
            "katalog.yaml:4:3: error[ORK1104]: metadata: missing required field 'name'",
            "katalog.yaml:5:1: error[ORK1102]: unknown key 'lifecyle' in the document (did you mean 'lifecycle'?)"});
}

TEST_CASE("known Orkestra keys ork does not implement are warnings, once each") {
  Case c(std::string(kHeader) +
         "gateway: {endpoint: http://x}\n"
         "notification: {}\n"
         "providers: []\n"
         "crossAccess: {}\n"
         "security: {webhooks: {}}\n"
         "publish: {}\n"
         "profiles: {}\n"
         "spec:\n"
         "  imports: [{motif: ./m}]\n"
         "  crds:\n"
         "    webapp:\n"
         "      serve: {}\n"
         "      crossAccess: {}\n"
         "      enrich: {}\n"
         "      enrichAll: true\n"
         "      endpoints: []\n"
         "      normalize: {}\n"
         "      webhooks: {}\n"
         "      removeFinalizers: true\n"
         "      katalogName: x\n"
         "      operatorBox:\n"
         "        observe: {}\n"
         "        preReconcile: {reconcileGate: {eventAware: true}}\n"
         "        watch: [{apiVersion: v1, kind: ConfigMap}]\n"
         "        runtime: {autoscale: {}, rollback: {}, cleanup: {}, rollBackOnError: true}\n"
         "        reconcile:\n"
         "          remote: {}\n"
         "          queue: {behaviour: {}, shared: true}\n");
  std::vector<std::string> expected;
  auto w = [&](int line, int col, const std::string& path) {
    expected.push_back("katalog.yaml:" + std::to_string(line) + ":" + std::to_string(col) +
                       ": warning[ORK1105]: '" + path + "' is not supported by ork; ignored");
  };
  w(5, 1, "gateway");
  w(6, 1, "notification");
  w(7, 1, "providers");
  w(8, 1, "crossAccess");
  w(9, 1, "security");
  w(10, 1, "publish");
  w(11, 1, "profiles");
  w(13, 3, "spec.imports");
  const std::string e = "spec.crds.webapp.";
  w(16, 7, e + "serve");
  w(17, 7, e + "crossAccess");
  w(18, 7, e + "enrich");
  w(19, 7, e + "enrichAll");
  w(20, 7, e + "endpoints");
  w(21, 7, e + "normalize");
  w(22, 7, e + "webhooks");
  w(23, 7, e + "removeFinalizers");
  w(24, 7, e + "katalogName");
  w(26, 9, e + "operatorBox.observe");
  w(27, 9, e + "operatorBox.preReconcile");
  w(28, 9, e + "operatorBox.watch");
  w(29, 19, e + "operatorBox.runtime.autoscale");
  w(29, 34, e + "operatorBox.runtime.rollback");
  w(29, 48, e + "operatorBox.runtime.cleanup");
  w(29, 61, e + "operatorBox.runtime.rollBackOnError");
  w(31, 11, e + "operatorBox.reconcile.remote");
  w(32, 19, e + "operatorBox.reconcile.queue.behaviour");
  w(32, 34, e + "operatorBox.reconcile.queue.shared");
  CHECK(c.lines() == expected);
  CHECK(c.diags().errorCount() == 0);
}

TEST_CASE("CRD entry names must be lowercase RFC 1123 labels") {
  Case c(std::string(kHeader) + "spec:\n  crds:\n    WebApp: {}\n    web_app: {}\n    ok-name: {}\n");
  const std::string rule =
      "in spec.crds: use a lowercase RFC 1123 label (lowercase letters, digits and '-', starting and ending with a "
      "letter or digit, at most 63 characters)";
  CHECK(c.lines() == std::vector<std::string>{"katalog.yaml:7:5: error[ORK1115]: invalid CRD entry name 'WebApp' " + rule,
                                              "katalog.yaml:8:5: error[ORK1115]: invalid CRD entry name 'web_app' " + rule});
  CHECK(c.doc().crds.size() == 3);  // still built, so later passes can report more
}

TEST_CASE("list form of spec.crds means the map form, with shorthands") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    - name: postgres\n"
         "      workers: 4\n"
         "      resync: 30s\n"
         "      apiTypes: {group: acme.io, version: v1, kind: Postgres}\n");
  CHECK(c.lines().empty());
  REQUIRE(c.doc().crds.size() == 1);
  const ir::CrdEntry& e = c.doc().crds[0];
  CHECK(e.name.value == "postgres");
  CHECK(c.loaded->sm.location(e.name.span).ends_with("katalog.yaml:7:13"));
  CHECK(e.body->at("operatorBox.reconcile.workers")->intValue == 4);
  CHECK(e.body->at("operatorBox.reconcile.resync")->text == "30s");
  CHECK(e.body->get("name") == nullptr);
  CHECK(e.body->get("workers") == nullptr);
  CHECK(e.apiTypes.plural == "postgreses");
  // The moved value keeps the span of what the user wrote.
  CHECK(c.loaded->sm.location(e.body->at("operatorBox.reconcile.workers")->span).ends_with("katalog.yaml:8:16"));
}

TEST_CASE("a CRD name given twice in one document is DuplicateName naming both positions") {
  Case c(std::string(kHeader) + "spec:\n  crds:\n    - name: db\n    - {name: cache}\n    - name: db\n");
  REQUIRE(c.lines() == std::vector<std::string>{"katalog.yaml:9:13: error[ORK1112]: duplicate CRD entry 'db' in spec.crds: spec.crds[0] and "
                                                "spec.crds[2] have the same name"});
  const Diagnostic& d = c.diags().diagnostics()[0];
  REQUIRE(d.notes.size() == 1);
  CHECK(c.loaded->sm.location(d.notes[0].span).ends_with("katalog.yaml:7:13"));
  CHECK(d.notes[0].message == "'db' is first defined here");
  CHECK(c.doc().crds.size() == 2);
}

TEST_CASE("apiTypes plural defaults follow §3.1") {
  auto plural = [](const std::string& kind) {
    Case c(std::string(kHeader) + "spec:\n  crds:\n    x: {apiTypes: {group: a.io, version: v1, kind: " + kind + "}}\n");
    return c.doc().crds.at(0).apiTypes.plural;
  };
  CHECK(plural("WebApp") == "webapps");
  CHECK(plural("Policy") == "policies");
  CHECK(plural("Gateway") == "gateways");
  CHECK(plural("Ingress") == "ingresses");
  CHECK(plural("Box") == "boxes");
  CHECK(plural("Batch") == "batches");
  CHECK(plural("Mesh") == "meshes");
  Case explicitPlural(std::string(kHeader) +
                      "spec:\n  crds:\n    x: {apiTypes: {group: a.io, version: v1, kind: Datum, plural: data}}\n");
  CHECK(explicitPlural.doc().crds[0].apiTypes.plural == "data");
  CHECK(explicitPlural.doc().crds[0].apiTypes.present);
}

TEST_CASE("CRD entry typed fields: enabled, crdFile, crFiles, dependsOn in every form") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    webapp:\n"
         "      enabled: false\n"
         "      crdFile: ./crd.yaml\n"
         "      crFiles: [./cr.yaml, ./cr2.yaml]\n"
         "      dependsOn: [postgres, {redis: healthy}, {queue: {condition: started}}, {cache: {condition: healthy}}]\n"
         "    api:\n"
         "      dependsOn: {postgres: healthy, redis: started}\n");
  CHECK(c.lines().empty());
  const ir::CrdEntry& w = c.doc().crds.at(0);
  CHECK_FALSE(w.enabled);
  CHECK(w.crdFile.value == "./crd.yaml");
  CHECK(w.crFiles.size() == 2);
  CHECK(w.crFiles[1].value == "./cr2.yaml");
  REQUIRE(w.dependsOn.size() == 4);
  CHECK(w.dependsOn[0].name.value == "postgres");
  CHECK(w.dependsOn[0].condition == ir::DependencyCondition::Started);
  CHECK(w.dependsOn[1].name.value == "redis");
  CHECK(w.dependsOn[1].condition == ir::DependencyCondition::Healthy);
  CHECK(w.dependsOn[2].condition == ir::DependencyCondition::Started);
  CHECK(w.dependsOn[3].name.value == "cache");
  CHECK(w.dependsOn[3].condition == ir::DependencyCondition::Healthy);
  CHECK(c.loaded->sm.location(w.dependsOn[1].name.span).ends_with("katalog.yaml:11:30"));
  const ir::CrdEntry& a = c.doc().crds.at(1);
  CHECK(a.enabled);
  REQUIRE(a.dependsOn.size() == 2);
  CHECK(a.dependsOn[0].condition == ir::DependencyCondition::Healthy);
  CHECK(a.dependsOn[1].name.value == "redis");
}

TEST_CASE("dependsOn with a bad condition or two names in one item is an error") {
  Case c(std::string(kHeader) + "spec:\n  crds:\n    webapp:\n      dependsOn: [{redis: ready, db: healthy}]\n");
  CHECK(c.lines() ==
        std::vector<std::string>{
            "katalog.yaml:8:27: error[ORK1108]: spec.crds.webapp.dependsOn[0].redis: invalid value \"ready\" "
            "(expected one of started, healthy)",
            "katalog.yaml:8:19: error[ORK1108]: spec.crds.webapp.dependsOn[0]: a dependsOn list item names exactly "
            "one CRD ({name: condition}), got 2 keys"});
}

TEST_CASE("motif imports: ref, version per §8.2, oci, auth and a with pointer into the body") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    webapp:\n"
         "      imports:\n"
         "        - {motif: web-service:v1.1.0, with: {image: \"{{ .spec.image }}\"}}\n"
         "        - {motif: ./motifs/platform-admission}\n"
         "        - {motif: registry.acme.io/motifs/db@sha256:0f3a, auth: {type: basic, usernameFromEnv: U, "
         "passwordFromEnv: P}}\n"
         "        - {motif: oci://ghcr.io/acme/motifs/cache, version: v2, oci: true}\n"
         "        - {motif: https://github.com/acme/motifs/web}\n"
         "        - {motif: web-service@v3}\n"
         "        - {motif: web-service}\n");
  CHECK(c.lines().empty());
  const auto& m = c.doc().crds.at(0).imports;
  REQUIRE(m.size() == 7);
  CHECK(m[0].ref.value == "web-service:v1.1.0");
  CHECK(m[0].version == "v1.1.0");
  REQUIRE(m[0].with != nullptr);
  CHECK(m[0].with->get("image")->text == "{{ .spec.image }}");
  CHECK(m[0].with == c.doc().crds[0].body->get("imports")->items[0]->get("with"));
  CHECK(m[1].version.empty());
  CHECK(m[1].with == nullptr);
  CHECK(m[2].version == "sha256:0f3a");
  REQUIRE(m[2].auth.has_value());
  CHECK(m[2].auth->type == "basic");
  CHECK(m[2].auth->usernameFromEnv == "U");
  CHECK(m[3].version == "v2");
  CHECK(m[3].oci);
  CHECK(m[4].version == "main");
  CHECK(m[5].version == "v3");
  CHECK(m[6].version == "latest");
  CHECK(m[6].index == 6);
}

TEST_CASE("credentials in YAML get the fromEnv note") {
  Case c("apiVersion: orkestra.orkspace.io/v1\n"
         "kind: Komposer\n"
         "metadata: {name: p}\n"
         "imports:\n"
         "  registry:\n"
         "    - url: ghcr.io/acme/pg@v1\n"
         "      auth: {type: bearer, token: abc}\n",
         "komposer.yaml");
  REQUIRE(c.lines() == std::vector<std::string>{"komposer.yaml:7:28: error[ORK1111]: 'token' in imports.registry[0].auth: "
                                                "credentials cannot be written in YAML"});
  REQUIRE(c.diags().diagnostics()[0].notes.size() == 1);
  CHECK(c.diags().diagnostics()[0].notes[0].message ==
        "credentials are read from environment variables only; use fromEnv");
}

TEST_CASE("auth.type is required when auth is set") {
  Case c(std::string(kHeader) + "spec:\n  crds:\n    w:\n      imports: [{motif: x:v1, auth: {fromEnv: T}}]\n");
  CHECK(c.lines() == std::vector<std::string>{
                         "katalog.yaml:8:37: error[ORK1104]: spec.crds.w.imports[0].auth: missing required field 'type'"});
}

TEST_CASE("a typed entry gets one TypedOperator warning") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    database:\n"
         "      apiTypes: {group: a.io, version: v1, kind: Database, location: github.com/x/api, alias: dbv1}\n"
         "      operatorBox:\n"
         "        reconcile: {hooks: {function: DatabaseHooks}, default: false}\n"
         "    plain: {mode: dynamic}\n"
         "    typed-by-mode: {mode: typed}\n");
  CHECK(c.lines() == std::vector<std::string>{
                         "katalog.yaml:10:21: warning[ORK1113]: CRD \"database\" is a typed operator (Go hooks, from "
                         "operatorBox.reconcile.hooks): ork validates and renders its declarative parts only",
                         "katalog.yaml:12:21: warning[ORK1113]: CRD \"typed-by-mode\" is a typed operator (Go hooks, "
                         "from mode: typed): ork validates and renders its declarative parts only"});
  CHECK(c.diags().diagnostics()[0].help ==
        "ork run, ork simulate and ork generate bundle refuse typed operators; run it with an Orkestra runtime image "
        "built for this Katalog");
  CHECK(c.doc().crds.at(0).typed);
  CHECK_FALSE(c.doc().crds.at(1).typed);
  CHECK(c.doc().crds.at(2).typed);
}

TEST_CASE("reconcile.default: false and apiTypes Go-type fields alone make an entry typed") {
  Case c(std::string(kHeader) +
         "spec:\n  crds:\n"
         "    a: {operatorBox: {reconcile: {default: false}}}\n"
         "    b: {operatorBox: {reconcile: {default: true}}}\n"
         "    c: {apiTypes: {kind: C, objectList: CList}}\n");
  CHECK(c.diags().diagnostics().size() == 2);
  CHECK(c.doc().crds.at(0).typed);
  CHECK_FALSE(c.doc().crds.at(1).typed);
  CHECK(c.doc().crds.at(2).typed);
  CHECK(c.lines()[1] == "katalog.yaml:9:29: warning[ORK1113]: CRD \"c\" is a typed operator (Go hooks, from "
                        "apiTypes.objectList): ork validates and renders its declarative parts only");
}

TEST_CASE("metadata, lifecycle and policy are extracted") {
  Case c("apiVersion: orkestra.orkspace.io/v1\n"
         "kind: Katalog\n"
         "metadata: {name: webapp-operator, version: v1.2.0, description: Web apps, author: acme, license: "
         "Apache-2.0, tags: [web, demo], namespace: team-a}\n"
         "lifecycle:\n"
         "  maturity: deprecated\n"
         "  deprecation: {message: Replaced, migratedTo: webapp:v2.0.0, timeline: {from: 2026-01-01, to: "
         "2026-09-30}}\n"
         "  compatibility: {orkestra: \">= 0.7.0\", kubernetes: \">= 1.28\"}\n"
         "  accept: {patterns: [{name: old, author: acme, version: \"<2.0.0\"}]}\n"
         "policy: {lifecycle: {minMaturity: beta}, allowedRegistries: [ghcr.io/acme]}\n"
         "notes: {isProd: {expression: '{{ eq .metadata.namespace \"prod\" }}'}}\n"
         "spec:\n"
         "  finalizers: [acme.io/audit]\n"
         "  crds: {}\n");
  CHECK(c.lines().empty());
  const ir::Document& d = c.doc();
  CHECK(d.metadata.name.value == "webapp-operator");
  CHECK(d.metadata.version.value == "v1.2.0");
  CHECK(d.metadata.license == "Apache-2.0");
  CHECK(d.metadata.namespace_ == "team-a");
  CHECK(d.metadata.tags == std::vector<std::string>{"web", "demo"});
  CHECK(d.lifecycle.maturity.value == "deprecated");
  CHECK(d.lifecycle.deprecation.present);
  CHECK(d.lifecycle.deprecation.migratedTo == "webapp:v2.0.0");
  CHECK(d.lifecycle.deprecation.timelineTo == "2026-09-30");
  CHECK(d.lifecycle.compatKubernetes == ">= 1.28");
  REQUIRE(d.lifecycle.accept.size() == 1);
  CHECK(d.lifecycle.accept[0].version == "<2.0.0");
  REQUIRE(d.policy.has_value());
  CHECK(d.policy->minMaturity.value == "beta");
  REQUIRE(d.policy->allowedRegistries.size() == 1);
  CHECK(d.policy->allowedRegistries[0].value == "ghcr.io/acme");
  CHECK(d.finalizers == std::vector<std::string>{"acme.io/audit"});
}

TEST_CASE("lifecycle values are checked: maturity, dates, semver ranges") {
  Case c(std::string(kHeader) +
         "lifecycle:\n"
         "  maturity: gold\n"
         "  deprecation: {timeline: {from: 2026-13-01}}\n"
         "  compatibility: {kubernetes: \"~> 1\"}\n"
         "policy: {lifecycle: {minMaturity: deprecated}}\n");
  CHECK(c.lines() ==
        std::vector<std::string>{
            "katalog.yaml:6:13: error[ORK1108]: lifecycle.maturity: invalid value \"gold\" (expected one of alpha, "
            "beta, stable, deprecated)",
            "katalog.yaml:7:34: error[ORK1108]: lifecycle.deprecation.timeline.from: invalid date \"2026-13-01\" "
            "(expected YYYY-MM-DD)",
            "katalog.yaml:8:31: error[ORK1108]: lifecycle.compatibility.kubernetes: invalid semver range \"~> 1\" "
            "(operators = != > >= < <= ~ ^, joined by space, ',' or '||')",
            "katalog.yaml:9:35: error[ORK1108]: policy.lifecycle.minMaturity: invalid value \"deprecated\" (expected "
            "one of alpha, beta, stable)"});
}

TEST_CASE("metadata.deprecation is a synonym; legacy deprecated/deprecationMessage warn") {
  Case synonym(std::string(kHeader) + "  deprecation: {message: gone, migratedTo: x:v2}\n");
  CHECK(synonym.lines().empty());
  CHECK(synonym.doc().lifecycle.deprecation.present);
  CHECK(synonym.doc().lifecycle.deprecation.message == "gone");

  Case legacy(std::string(kHeader) + "  deprecated: true\n  deprecationMessage: use v2\n");
  CHECK(legacy.lines() ==
        std::vector<std::string>{"katalog.yaml:5:3: warning[ORK1404]: 'metadata.deprecated' is deprecated; use "
                                 "lifecycle.maturity: deprecated or lifecycle.deprecation",
                                 "katalog.yaml:6:3: warning[ORK1404]: 'metadata.deprecationMessage' is deprecated; use "
                                 "lifecycle.deprecation.message"});
  CHECK(legacy.doc().lifecycle.deprecation.present);
  CHECK(legacy.doc().lifecycle.deprecation.message == "use v2");

  Case both(std::string(kHeader) + "  deprecation: {message: a}\nlifecycle: {deprecation: {message: b}}\n");
  CHECK(both.lines() == std::vector<std::string>{"katalog.yaml:5:3: error[ORK1107]: 'metadata.deprecation' and "
                                                 "'lifecycle.deprecation' are the same setting; keep only "
                                                 "'lifecycle.deprecation'"});
  CHECK(both.doc().lifecycle.deprecation.message == "b");
}

TEST_CASE("notes accept the map and the list form") {
  Case m(std::string(kHeader) + "notes: {isProd: {expression: x}}\n");
  CHECK(m.lines().empty());
  Case l(std::string(kHeader) + "notes: [{name: isProd, expression: x}, {name: y}]\n");
  CHECK(l.lines() == std::vector<std::string>{
                         "katalog.yaml:5:40: error[ORK1104]: notes[1]: missing required field 'expression'"});
}

TEST_CASE("Komposer imports: registry strings and records, files paths and URLs") {
  Case c("apiVersion: orkestra.orkspace.io/v1\n"
         "kind: Komposer\n"
         "metadata: {name: app-platform}\n"
         "imports:\n"
         "  registry:\n"
         "    - {url: ghcr.io/orkspace/orkestra-registry/postgres@v14, oci: true}\n"
         "    - ghcr.io/orkspace/orkestra-registry/redis:v7\n"
         "    - {url: https://github.com/acme/patterns/webapp, version: v1.4.0, useKomposer: true, auth: {type: "
         "github}}\n"
         "  files: [./katalogs/billing.yaml, {url: https://files.acme.io/audit.yaml, auth: {type: bearer, fromEnv: "
         "AUDIT_TOKEN}}, {url: $AUDIT_URL}]\n"
         "spec:\n"
         "  crds: [{name: postgres, workers: 4, resync: 30s}, {name: webapp, dependsOn: {postgres: healthy}}]\n",
         "komposer.yaml");
  CHECK(c.lines().empty());
  const ir::Document& d = c.doc();
  CHECK(d.kind == ir::DocKind::Komposer);
  REQUIRE(d.registryImports.size() == 3);
  CHECK(d.registryImports[0].url.value == "ghcr.io/orkspace/orkestra-registry/postgres@v14");
  CHECK(d.registryImports[0].oci);
  CHECK(d.registryImports[1].url.value == "ghcr.io/orkspace/orkestra-registry/redis:v7");
  CHECK_FALSE(d.registryImports[1].oci);
  CHECK(d.registryImports[1].index == 1);
  CHECK(c.loaded->sm.location(d.registryImports[1].url.span).ends_with("komposer.yaml:7:7"));
  CHECK(d.registryImports[2].version == "v1.4.0");
  CHECK(d.registryImports[2].useKomposer);
  REQUIRE(d.registryImports[2].auth.has_value());
  CHECK(d.registryImports[2].auth->type == "github");
  REQUIRE(d.fileImports.size() == 3);
  CHECK(d.fileImports[0].path.value == "./katalogs/billing.yaml");
  CHECK_FALSE(d.fileImports[0].isUrl);
  CHECK(d.fileImports[1].isUrl);
  CHECK(d.fileImports[1].auth->fromEnv == "AUDIT_TOKEN");
  CHECK(d.fileImports[2].isUrl);
  REQUIRE(d.crds.size() == 2);
  CHECK(d.crds[0].body->at("operatorBox.reconcile.workers")->intValue == 4);
  CHECK_FALSE(d.crds[0].definesCrd());
}

TEST_CASE("imports.helm is unsupported; a misspelt imports key gets a did-you-mean") {
  Case c("apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: p}\n"
         "imports: {helm: [{repo: x}], file: [./a.yaml]}\n",
         "komposer.yaml");
  CHECK(c.lines() == std::vector<std::string>{
                         "komposer.yaml:4:11: warning[ORK1105]: 'imports.helm' is not supported by ork; ignored",
                         "komposer.yaml:4:30: error[ORK1102]: unknown key 'file' in imports (did you mean 'files'?)",
                         "komposer.yaml:2:7: warning[ORK1208]: Komposer 'p' has neither imports nor spec.crds; it "
                         "defines no operator"});
}

TEST_CASE("a Komposer with neither imports nor spec.crds is a warning") {
  Case c("apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: empty}\nspec: {crds: {}}\n",
         "komposer.yaml");
  CHECK(c.lines() == std::vector<std::string>{"komposer.yaml:2:7: warning[ORK1208]: Komposer 'empty' has neither "
                                              "imports nor spec.crds; it defines no operator"});
}

TEST_CASE("legacy sources are read as imports, sources.oci as registry entries with oci: true") {
  Case c("apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: p}\n"
         "sources:\n"
         "  oci: [ghcr.io/acme/pg@v1, {url: ghcr.io/acme/redis@v7}]\n"
         "  files: [./a.yaml]\n",
         "komposer.yaml");
  CHECK(c.lines() == std::vector<std::string>{"komposer.yaml:4:1: warning[ORK1106]: 'sources' is deprecated; use imports"});
  const ir::Document& d = c.doc();
  REQUIRE(d.registryImports.size() == 2);
  CHECK(d.registryImports[0].url.value == "ghcr.io/acme/pg@v1");
  CHECK(d.registryImports[0].oci);
  CHECK(d.registryImports[1].oci);
  REQUIRE(d.fileImports.size() == 1);
  CHECK(d.root->get("sources") == nullptr);
  CHECK(d.root->at("imports.files") != nullptr);

  Case both("apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: p}\n"
            "sources: {files: [./a.yaml]}\nimports: {files: [./b.yaml]}\n",
            "komposer.yaml");
  CHECK(both.lines() == std::vector<std::string>{
                            "komposer.yaml:4:1: warning[ORK1106]: 'sources' is deprecated; use imports",
                            "komposer.yaml:4:1: error[ORK1107]: 'sources' and 'imports' are the same setting (sources "
                            "is the older name); keep only 'imports'"});
  REQUIRE(both.doc().fileImports.size() == 1);
  CHECK(both.doc().fileImports[0].path.value == "./b.yaml");
}

TEST_CASE("admission rules: validation actions, mutation exactly one of default/set/remove, conversion paths") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    webapp:\n"
         "      admission:\n"
         "        validation:\n"
         "          rules:\n"
         "            - {field: spec.image, prefix: ghcr.io/acme/, action: deny, message: bad image}\n"
         "            - {field: spec.image, exists: true, action: block}\n"
         "        mutation:\n"
         "          mutateFirst: true\n"
         "          rules:\n"
         "            - {field: spec.replicas, default: 2}\n"
         "            - {field: spec.debug, remove: true, when: [{field: metadata.namespace, equals: prod}]}\n"
         "            - {field: spec.a, default: 1, set: 2}\n"
         "            - {field: spec.b, remove: false}\n"
         "        conversion:\n"
         "          storageVersion: v2\n"
         "          paths: [{from: v1, to: v2, spec: {portName: null}}, {from: v2}]\n");
  CHECK(c.lines() ==
        std::vector<std::string>{
            "katalog.yaml:12:57: error[ORK1108]: spec.crds.webapp.admission.validation.rules[1].action: invalid value "
            "\"block\" (expected one of deny, warn)",
            "katalog.yaml:18:43: error[ORK1107]: spec.crds.webapp.admission.mutation.rules[2]: a mutation rule takes "
            "exactly one of default, set, remove (got default and set)",
            "katalog.yaml:19:15: error[ORK1104]: spec.crds.webapp.admission.mutation.rules[3]: a mutation rule needs "
            "one of default, set or remove: true",
            "katalog.yaml:22:63: error[ORK1104]: spec.crds.webapp.admission.conversion.paths[1]: missing required "
            "field 'to'"});
}

TEST_CASE("reconcile settings: queue, retryBackoff forms, requeue forms, profile") {
  Case ok(std::string(kHeader) +
          "spec:\n"
          "  crds:\n"
          "    a:\n"
          "      operatorBox:\n"
          "        reconcile:\n"
          "          profile: high-throughput\n"
          "          queue: {maxDepth: 0, failureThreshold: 5, retryBackoff: 1s}\n"
          "          requeue: {after: 10m, when: [{field: status.phase, notEquals: Ready}]}\n"
          "    b:\n"
          "      operatorBox:\n"
          "        reconcile:\n"
          "          queue: {retryBackoff: {initial: 1s, max: 5m, multiplier: 2, maxAttempts: 0}}\n"
          "          requeue: [{after: \"{{ .spec.interval }}\"}, {after: 1h}]\n");
  CHECK(ok.lines().empty());
  Case bad(std::string(kHeader) +
           "spec:\n"
           "  crds:\n"
           "    a:\n"
           "      operatorBox:\n"
           "        reconcile:\n"
           "          profile: fast\n"
           "          queue: {maxDepth: -1, retryBackoff: {initial: 1s, factor: 2}}\n");
  CHECK(bad.lines() ==
        std::vector<std::string>{
            "katalog.yaml:10:20: error[ORK1108]: spec.crds.a.operatorBox.reconcile.profile: invalid value \"fast\" "
            "(expected one of high-throughput, conservative, development)",
            "katalog.yaml:11:29: error[ORK1108]: spec.crds.a.operatorBox.reconcile.queue.maxDepth: -1 is out of range "
            "(at least 0)",
            "katalog.yaml:11:61: error[ORK1102]: unknown key 'factor' in "
            "spec.crds.a.operatorBox.reconcile.queue.retryBackoff"});
}

TEST_CASE("emit: status fields and events") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    a:\n"
         "      operatorBox:\n"
         "        runtime: {finalizers: [acme.io/backup], deletionProtection: {protectCRs: true, strictMode: false}}\n"
         "        emit:\n"
         "          status:\n"
         "            conditions: true\n"
         "            fields:\n"
         "              - {path: phase, value: Pending, when: [{field: status.phase, notExists: true}]}\n"
         "              - {path: replicas, type: int, value: \"{{ readyReplicas .children.deployment }}\"}\n"
         "              - {path: url, type: url, clearOnFalse: true}\n"
         "          events:\n"
         "            ready: {type: Normal, reason: BecameReady, message: ok, on: [success]}\n"
         "            failed: {type: Error, on: sometimes}\n");
  CHECK(c.lines() ==
        std::vector<std::string>{
            "katalog.yaml:16:35: error[ORK1108]: spec.crds.a.operatorBox.emit.status.fields[2].type: invalid value "
            "\"url\" (expected one of string, integer, number, boolean, auto, str, int, float, bool)",
            "katalog.yaml:19:28: error[ORK1108]: spec.crds.a.operatorBox.emit.events.failed.type: invalid value "
            "\"Error\" (expected one of Normal, Warning)",
            "katalog.yaml:19:39: error[ORK1108]: spec.crds.a.operatorBox.emit.events.failed.on: invalid value "
            "\"sometimes\" (expected one of always, success, failure)"});
}

TEST_CASE("status fields may not write what conditions: true maintains") {
  Case c(std::string(kHeader) +
         "spec:\n"
         "  crds:\n"
         "    a:\n"
         "      operatorBox:\n"
         "        emit:\n"
         "          status:\n"
         "            fields: [{path: conditions, value: x}, {path: observedGeneration.x, value: 1}, {path: ok}]\n"
         "    b:\n"
         "      operatorBox: {emit: {status: {conditions: false, fields: [{path: conditions, value: x}]}}}\n");
  CHECK(c.lines() ==
        std::vector<std::string>{
            "katalog.yaml:11:29: error[ORK1108]: spec.crds.a.operatorBox.emit.status.fields[0].path: "
            "status.conditions is written by ork while spec.crds.a.operatorBox.emit.status.conditions is true; use "
            "another path or set conditions: false",
            "katalog.yaml:11:59: error[ORK1108]: spec.crds.a.operatorBox.emit.status.fields[1].path: "
            "status.observedGeneration is written by ork while spec.crds.a.operatorBox.emit.status.conditions is "
            "true; use another path or set conditions: false"});
}

TEST_CASE("every Katalog and Komposer of the Orkestra corpus loads without errors") {
  const std::string root = sharedDir() + "/corpus/orkestra";
  REQUIRE(fs::is_directory(root));
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    std::string name = e.path().filename().string();
    if (name == "katalog.yaml" || name == "komposer.yaml" || name == "include-katalog.yaml")
      files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  CHECK(files.size() == 14);
  for (const std::string& f : files) {
    INFO(f);
    Loaded l(f);
    for (const std::string& line : l.lines()) INFO(line);
    CHECK(l.docs.size() == 1);
    CHECK(l.diags.errorCount() == 0);
    // Only the documented warnings: unsupported keys, older shapes, typed operators.
    for (const Diagnostic& d : l.diags.diagnostics()) {
      INFO(d.message);
      CHECK((d.code == DiagCode::UnsupportedKey || d.code == DiagCode::DeprecatedShape ||
             d.code == DiagCode::TypedOperator));
    }
  }
}

TEST_CASE("corpus: the ctrl-runtime fixture's watch and preReconcile are unsupported, the entry typed") {
  Loaded l(sharedDir() + "/corpus/orkestra/orkspace/pkg/kubeclient/fixture/04-ctrlruntime/katalog.yaml",
           sharedDir() + "/corpus/orkestra/orkspace/pkg/kubeclient/fixture/04-ctrlruntime/");
  CHECK(l.lines() ==
        std::vector<std::string>{
            "katalog.yaml:41:11: warning[ORK1106]: 'operatorBox.reconciler.default' is deprecated; use "
            "operatorBox.reconcile.default",
            "katalog.yaml:42:11: warning[ORK1106]: 'operatorBox.reconciler.constructor' is deprecated; use "
            "operatorBox.reconcile.constructor",
            "katalog.yaml:48:11: warning[ORK1106]: 'operatorBox.reconciler.workers' is deprecated; use "
            "operatorBox.reconcile.workers",
            "katalog.yaml:49:11: warning[ORK1106]: 'operatorBox.reconciler.resync' is deprecated; use "
            "operatorBox.reconcile.resync",
            // validation runs after normalisation, so its warnings follow
            "katalog.yaml:30:9: warning[ORK1105]: 'spec.crds.webapp.operatorBox.watch' is not supported by ork; "
            "ignored",
            "katalog.yaml:37:9: warning[ORK1105]: 'spec.crds.webapp.operatorBox.preReconcile' is not supported by "
            "ork; ignored",
            "katalog.yaml:42:11: warning[ORK1113]: CRD \"webapp\" is a typed operator (Go hooks, from "
            "operatorBox.reconcile.constructor): ork validates and renders its declarative parts only"});
  REQUIRE(l.docs.size() == 1);
  const ir::CrdEntry& e = l.doc().crds.at(0);
  CHECK(e.typed);
  CHECK(e.apiTypes.plural == "webapps");
  CHECK(e.body->at("operatorBox.reconcile.workers")->intValue == 2);
  CHECK(e.crFiles.at(0).value == "./cr-webapp.yaml");
}

TEST_CASE("corpus: the state-machine include Katalog merges its fragments") {
  const std::string dir = sharedDir() + "/corpus/orkestra/orkspace/examples/intermediate/08-state-machine/";
  Loaded l(dir + "include-katalog.yaml", dir);
  CHECK(l.lines().empty());
  REQUIRE(l.docs.size() == 1);
  const ir::CrdEntry& e = l.doc().crds.at(0);
  const ir::Node* rules = e.body->at("admission.validation.rules");
  REQUIRE(rules);
  CHECK(rules->items.size() == 2);
  const ir::Node* fields = e.body->at("operatorBox.emit.status.fields");
  REQUIRE(fields);
  CHECK(fields->items.size() == 12);
  CHECK(l.sm.location(fields->items[0]->span).ends_with("include/status.yaml:2:5"));
  REQUIRE(e.imports.size() == 1);  // reconcile.imports moved to the entry's imports
  CHECK(e.imports[0].ref.value == "./motif/resources.yaml");
  CHECK(e.body->at("operatorBox.reconcile.imports") == nullptr);
}
