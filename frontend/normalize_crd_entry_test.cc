// Tests of CRD entry normalisation: older operatorBox shapes, shorthands, flat admission keys,
// reconcile.imports, include, and the list form of spec.crds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "frontend/loader.h"
#include "frontend/testing/loaded_documents.h"
#include "frontend/normalize_crd_entry.h"
#include "frontend/yaml_reader.h"
#include "support/source_manager.h"

using namespace ork;
namespace fs = std::filesystem;

namespace {

using frontend::testing::TempDir;

const char* kHeader =
    "apiVersion: orkestra.orkspace.io/v1\n"
    "kind: Katalog\n"
    "metadata: {name: k}\n"
    "spec:\n"
    "  crds:\n"
    "    webapp:\n";

/// A Katalog (kHeader + `entry`) and any extra files, written to a fresh directory and loaded.
struct Case {
  TempDir tmp;
  SourceManager sm;
  DiagnosticEngine diags;
  std::vector<std::unique_ptr<ir::Document>> docs;

  explicit Case(const std::string& entry, const std::vector<std::pair<std::string, std::string>>& files = {}) {
    for (const auto& [name, text] : files) tmp.write(name, text);
    std::string path = tmp.write("katalog.yaml", std::string(kHeader) + entry);
    frontend::LoadContext ctx{sm, diags};
    docs = frontend::loadDocuments(ctx, path);
  }
  /// "file:line:col: severity[ORKnnnn]: message" with the temp directory left out.
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.diagnostics()) {
      std::string s = renderDiagnostic(d, sm, false);
      out.push_back(strip(s.substr(0, s.find('\n'))));
    }
    return out;
  }
  std::string strip(std::string s) const {
    const std::string prefix = tmp.dir.string() + "/";
    for (size_t at; (at = s.find(prefix)) != std::string::npos;) s.erase(at, prefix.size());
    return s;
  }
  std::string where(Span span) const { return strip(sm.location(span)); }
  const ir::Node& body() const { return *docs.at(0)->crds.at(0).body; }
  /// The keys of a mapping of the body, in order.
  std::vector<std::string> keys(std::string_view path) const {
    std::vector<std::string> out;
    const ir::Node* n = path.empty() ? &body() : body().at(path);
    if (n)
      for (const ir::MapEntry& e : n->entries) out.push_back(e.key);
    return out;
  }
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("the reconciler: shape is normalised, each moved key warned once with its new place") {
  Case c("      operatorBox:\n"
         "        reconciler:\n"
         "          default: true\n"
         "          profile: conservative\n"
         "          workers: 2\n"
         "          resync: 30s\n"
         "          queue: {maxDepth: 10}\n"
         "          requeue: {after: 1m}\n"
         "        finalizers: [acme.io/x]\n"
         "        status: {fields: [{path: phase, value: Running}]}\n"
         "        onCreate: {}\n"
         "        onDelete: {}\n");
  CHECK(c.lines() ==
        Lines{
            "katalog.yaml:9:11: warning[ORK1106]: 'operatorBox.reconciler.default' is deprecated; use "
            "operatorBox.reconcile.default",
            "katalog.yaml:10:11: warning[ORK1106]: 'operatorBox.reconciler.profile' is deprecated; use "
            "operatorBox.reconcile.profile",
            "katalog.yaml:11:11: warning[ORK1106]: 'operatorBox.reconciler.workers' is deprecated; use "
            "operatorBox.reconcile.workers",
            "katalog.yaml:12:11: warning[ORK1106]: 'operatorBox.reconciler.resync' is deprecated; use "
            "operatorBox.reconcile.resync",
            "katalog.yaml:13:11: warning[ORK1106]: 'operatorBox.reconciler.queue' is deprecated; use "
            "operatorBox.reconcile.queue",
            "katalog.yaml:14:11: warning[ORK1106]: 'operatorBox.reconciler.requeue' is deprecated; use "
            "operatorBox.reconcile.requeue",
            "katalog.yaml:15:9: warning[ORK1106]: 'operatorBox.finalizers' is deprecated; use "
            "operatorBox.runtime.finalizers",
            "katalog.yaml:16:9: warning[ORK1106]: 'operatorBox.status' is deprecated; use operatorBox.emit.status",
            "katalog.yaml:17:9: warning[ORK1106]: 'operatorBox.onCreate' is deprecated; use "
            "operatorBox.reconcile.onCreate",
            "katalog.yaml:18:9: warning[ORK1106]: 'operatorBox.onDelete' is deprecated; use "
            "operatorBox.reconcile.onDelete"});
  CHECK(c.diags.diagnostics()[2].path == "spec.crds.webapp.operatorBox.reconciler.workers");
  CHECK(c.keys("operatorBox") == Lines{"reconcile", "runtime", "emit"});
  CHECK(c.keys("operatorBox.reconcile") ==
        Lines{"default", "profile", "workers", "resync", "queue", "requeue", "onCreate", "onDelete"});
  CHECK(c.body().at("operatorBox.reconcile.workers")->intValue == 2);
  CHECK(c.body().at("operatorBox.runtime.finalizers")->items.size() == 1);
  CHECK(c.body().at("operatorBox.emit.status.fields")->items.size() == 1);
  // Moved keys and values keep the user's spans.
  CHECK(c.where(c.body().at("operatorBox.reconcile.resync")->span) == "katalog.yaml:12:19");
  CHECK(c.where(c.body().at("operatorBox.reconcile")->entry("resync")->keySpan) == "katalog.yaml:12:11");
}

TEST_CASE("the flat operatorBox shape is normalised") {
  Case c("      operatorBox:\n"
         "        default: true\n"
         "        hooks: {function: Hooks}\n"
         "        constructor: {function: New}\n"
         "        workers: 3\n"
         "        resync: 1m\n"
         "        onReconcile: {}\n"
         "        autoscale: {}\n"
         "        rollBackOnError: true\n"
         "        rollback: {}\n"
         "        cross: [{crd: db}]\n");
  Lines expected;
  auto moved = [&](int line, const std::string& key, const std::string& section) {
    expected.push_back("katalog.yaml:" + std::to_string(line) + ":9: warning[ORK1106]: 'operatorBox." + key +
                       "' is deprecated; use operatorBox." + section + "." + key);
  };
  moved(8, "default", "reconcile");
  moved(9, "hooks", "reconcile");
  moved(10, "constructor", "reconcile");
  moved(11, "workers", "reconcile");
  moved(12, "resync", "reconcile");
  moved(13, "onReconcile", "reconcile");
  moved(14, "autoscale", "runtime");
  moved(15, "rollBackOnError", "runtime");
  moved(16, "rollback", "runtime");
  expected.push_back("katalog.yaml:17:9: warning[ORK1106]: 'operatorBox.cross' is deprecated; use operatorBox.observe");
  // Validation of the normalised entry: the §1.1 keys at their new place, then the typed-operator warning.
  for (auto [col, key] : std::vector<std::pair<int, std::string>>{{14, "autoscale"}, {15, "rollBackOnError"}, {16, "rollback"}})
    expected.push_back("katalog.yaml:" + std::to_string(col) + ":9: warning[ORK1105]: 'spec.crds.webapp.operatorBox.runtime." +
                       key + "' is not supported by ork; ignored");
  expected.push_back(
      "katalog.yaml:17:9: warning[ORK1105]: 'spec.crds.webapp.operatorBox.observe' is not supported by ork; ignored");
  expected.push_back(
      "katalog.yaml:9:9: warning[ORK1113]: CRD \"webapp\" is a typed operator (Go hooks, from "
      "operatorBox.reconcile.hooks): ork validates and renders its declarative parts only");
  CHECK(c.lines() == expected);
  CHECK(c.keys("operatorBox") == Lines{"reconcile", "runtime", "observe"});
  CHECK(c.keys("operatorBox.reconcile") == Lines{"default", "hooks", "constructor", "workers", "resync", "onReconcile"});
}

TEST_CASE("a key in an old and the new place is ConflictingKeys") {
  Case c("      operatorBox:\n"
         "        reconcile: {workers: 4}\n"
         "        reconciler: {workers: 4}\n"
         "        emit: {status: {}}\n"
         "        status: {}\n"
         "        observe: {}\n"
         "        cross: {}\n");
  CHECK(c.lines() ==
        Lines{"katalog.yaml:9:22: error[ORK1107]: 'operatorBox.reconciler.workers' and 'operatorBox.reconcile.workers' "
              "are the same setting; keep only 'operatorBox.reconcile.workers'",
              "katalog.yaml:11:9: error[ORK1107]: 'operatorBox.status' and 'operatorBox.emit.status' are the same "
              "setting; keep only 'operatorBox.emit.status'",
              "katalog.yaml:13:9: error[ORK1107]: 'operatorBox.cross' and 'operatorBox.observe' are the same setting; "
              "keep only 'operatorBox.observe'",
              "katalog.yaml:12:9: warning[ORK1105]: 'spec.crds.webapp.operatorBox.observe' is not supported by ork; "
              "ignored"});
  const Diagnostic& d = c.diags.diagnostics()[0];
  REQUIRE(d.notes.size() == 1);
  CHECK(c.where(d.notes[0].span) == "katalog.yaml:8:21");
  CHECK(d.notes[0].message == "'operatorBox.reconcile.workers' is set here");
}

TEST_CASE("an unknown key in reconciler: gets a did-you-mean; a reconciler that is not a mapping is WrongType") {
  Case c("      operatorBox:\n        reconciler: {wrokers: 2, onCreate: {}}\n");
  CHECK(c.lines() == Lines{"katalog.yaml:8:22: error[ORK1102]: unknown key 'wrokers' in "
                           "spec.crds.webapp.operatorBox.reconciler (did you mean 'workers'?)",
                           "katalog.yaml:8:34: error[ORK1102]: unknown key 'onCreate' in "
                           "spec.crds.webapp.operatorBox.reconciler"});
  Case bad("      operatorBox:\n        reconciler: fast\n");
  CHECK(bad.lines() == Lines{"katalog.yaml:8:21: error[ORK1103]: spec.crds.webapp.operatorBox.reconciler: expected a "
                             "mapping, got string"});
}

TEST_CASE("shorthand workers/resync: the same value twice is fine, different values conflict") {
  Case same("      workers: 2\n      resync: 60s\n      operatorBox: {reconcile: {workers: 2, resync: 1m}}\n");
  CHECK(same.lines().empty());
  CHECK(same.body().get("workers") == nullptr);
  CHECK(same.body().at("operatorBox.reconcile.resync")->text == "1m");

  Case diff("      workers: 4\n      operatorBox: {reconcile: {workers: 8}}\n");
  CHECK(diff.lines() == Lines{"katalog.yaml:7:7: error[ORK1107]: 'workers' (4) and 'operatorBox.reconcile.workers' "
                              "(8) give different values"});
  REQUIRE(diff.diags.diagnostics()[0].notes.size() == 1);
  CHECK(diff.where(diff.diags.diagnostics()[0].notes[0].span) == "katalog.yaml:8:33");

  // The shorthand next to an older shape: both land in reconcile; the older one is still reported.
  Case old("      resync: 30s\n      operatorBox: {reconciler: {resync: 45s}}\n");
  CHECK(old.lines() == Lines{"katalog.yaml:8:34: warning[ORK1106]: 'operatorBox.reconciler.resync' is deprecated; use "
                             "operatorBox.reconcile.resync",
                             "katalog.yaml:7:7: error[ORK1107]: 'resync' (\"30s\") and 'operatorBox.reconcile.resync' "
                             "(\"45s\") give different values"});
}

TEST_CASE("the entry's deletionProtection means operatorBox.runtime.deletionProtection") {
  Case c("      deletionProtection: {protectCRs: true}\n");
  CHECK(c.lines().empty());
  CHECK(c.body().at("operatorBox.runtime.deletionProtection.protectCRs")->boolValue);
  Case both("      deletionProtection: {protectCRs: true}\n"
            "      operatorBox: {runtime: {deletionProtection: {protectCRD: true}}}\n");
  CHECK(both.lines() == Lines{"katalog.yaml:7:7: error[ORK1107]: 'deletionProtection' and "
                              "'operatorBox.runtime.deletionProtection' are the same setting; keep only "
                              "'operatorBox.runtime.deletionProtection'"});
}

TEST_CASE("flat validation/mutation/conversion mean admission.*; both forms conflict") {
  Case c("      validation: {rules: [{field: spec.image, exists: true}]}\n"
         "      admission: {mutation: {rules: [{field: spec.replicas, default: 2}]}}\n"
         "      conversion: {storageVersion: v2}\n");
  CHECK(c.lines().empty());
  CHECK(c.keys("") == Lines{"admission"});
  CHECK(c.keys("admission") == Lines{"mutation", "validation", "conversion"});
  Case both("      validation: {rules: []}\n      admission: {validation: {rules: []}}\n");
  CHECK(both.lines() == Lines{"katalog.yaml:7:7: error[ORK1107]: 'validation' and 'admission.validation' are the same "
                              "setting; keep only 'admission.validation'"});
}

TEST_CASE("reconcile.imports is the entry's imports; both at once conflict") {
  Case c("      operatorBox: {reconcile: {imports: [{motif: ./m.yaml}]}}\n");
  CHECK(c.lines().empty());
  REQUIRE(c.docs.at(0)->crds.at(0).imports.size() == 1);
  CHECK(c.docs[0]->crds[0].imports[0].ref.value == "./m.yaml");
  CHECK(c.body().at("operatorBox.reconcile.imports") == nullptr);
  Case both("      imports: [{motif: ./a.yaml}]\n      operatorBox: {reconcile: {imports: [{motif: ./m.yaml}]}}\n");
  CHECK(both.lines() == Lines{"katalog.yaml:8:33: error[ORK1107]: 'operatorBox.reconcile.imports' and 'imports' are "
                              "the same setting; keep only 'imports'"});
}

TEST_CASE("include: files merge under the mapping, the mapping wins, rules append in file order") {
  Case c("      admission:\n"
         "        validation:\n"
         "          include: [./inc/a.yaml, ./inc/b.yaml]\n"
         "          rules: [{field: spec.own, exists: true}]\n",
         {{"inc/a.yaml", "rules:\n  - {field: spec.a, exists: true}\n"},
          {"inc/b.yaml", "rules:\n  - {field: spec.b1, exists: true}\n  - {field: spec.b2, exists: true}\n"}});
  CHECK(c.lines().empty());
  const ir::Node* rules = c.body().at("admission.validation.rules");
  REQUIRE(rules);
  REQUIRE(rules->items.size() == 4);
  CHECK(rules->items[0]->get("field")->text == "spec.own");
  CHECK(rules->items[1]->get("field")->text == "spec.a");
  CHECK(rules->items[2]->get("field")->text == "spec.b1");
  CHECK(rules->items[3]->get("field")->text == "spec.b2");
  CHECK(c.where(rules->items[2]->span) == "inc/b.yaml:2:5");
  CHECK(c.body().at("admission.validation.include") == nullptr);
}

TEST_CASE("include at reconcile: the entry wins, later files win over earlier ones, maps merge") {
  Case c("      workers: 4\n"
         "      operatorBox:\n"
         "        reconcile:\n"
         "          include: [./one.yaml, ./two.yaml]\n"
         "          queue: {maxDepth: 10}\n",
         {{"one.yaml", "workers: 2\nresync: 1m\nqueue: {maxDepth: 5, failureThreshold: 3}\n"},
          {"two.yaml", "resync: 2m\nprofile: conservative\n"}});
  CHECK(c.lines().empty());
  CHECK(c.body().at("operatorBox.reconcile.workers")->intValue == 4);
  CHECK(c.body().at("operatorBox.reconcile.resync")->text == "2m");
  CHECK(c.body().at("operatorBox.reconcile.profile")->text == "conservative");
  CHECK(c.body().at("operatorBox.reconcile.queue.maxDepth")->intValue == 10);
  CHECK(c.body().at("operatorBox.reconcile.queue.failureThreshold")->intValue == 3);
  CHECK(c.where(c.body().at("operatorBox.reconcile.resync")->span) == "two.yaml:1:9");
}

TEST_CASE("include in the older reconciler: shape and nested includes resolve against each file") {
  Case c("      operatorBox:\n"
         "        reconciler: {include: ./parts/reconcile.yaml}\n"
         "        status: {include: ./parts/status.yaml, fields: [{path: own, value: x}]}\n",
         {{"parts/reconcile.yaml", "workers: 3\ninclude: ./more/queue.yaml\n"},
          {"parts/more/queue.yaml", "queue: {maxDepth: 7}\n"},
          {"parts/status.yaml", "conditions: false\nfields: [{path: phase, value: Running}]\n"}});
  CHECK(c.lines() == Lines{"katalog.yaml:8:22: warning[ORK1106]: 'operatorBox.reconciler.include' is deprecated; use "
                           "operatorBox.reconcile.include",
                           "katalog.yaml:9:9: warning[ORK1106]: 'operatorBox.status' is deprecated; use "
                           "operatorBox.emit.status"});
  CHECK(c.body().at("operatorBox.reconcile.workers")->intValue == 3);
  CHECK(c.body().at("operatorBox.reconcile.queue.maxDepth")->intValue == 7);
  const ir::Node* fields = c.body().at("operatorBox.emit.status.fields");
  REQUIRE(fields->items.size() == 2);
  CHECK(fields->items[0]->get("path")->text == "own");
  CHECK(fields->items[1]->get("path")->text == "phase");
  CHECK_FALSE(c.body().at("operatorBox.emit.status.conditions")->boolValue);
}

TEST_CASE("diagnostics inside an included file point into that file") {
  Case c("      admission: {mutation: {include: ./m.yaml}}\n",
         {{"m.yaml", "rules:\n  - {field: spec.a, sett: 1}\n"}});
  CHECK(c.lines() == Lines{"m.yaml:2:21: error[ORK1102]: unknown key 'sett' in "
                           "spec.crds.webapp.admission.mutation.rules[0] (did you mean 'set'?)",
                           "m.yaml:2:5: error[ORK1104]: spec.crds.webapp.admission.mutation.rules[0]: a mutation rule "
                           "needs one of default, set or remove: true"});
}

TEST_CASE("a missing include is IncludeFailed at the include key") {
  Case c("      admission:\n        validation: {include: ./nope.yaml}\n");
  CHECK(c.lines() == Lines{"katalog.yaml:8:22: error[ORK1114]: cannot read include './nope.yaml' (nope.yaml): no "
                           "such file or directory"});
  CHECK(c.diags.diagnostics()[0].path == "spec.crds.webapp.admission.validation.include");
}

TEST_CASE("a cyclic include is IncludeFailed at the include key that closes the cycle") {
  Case c("      operatorBox: {emit: {status: {include: ./a.yaml}}}\n",
         {{"a.yaml", "include: ./b.yaml\n"}, {"b.yaml", "fields: []\ninclude: ./a.yaml\n"}});
  CHECK(c.lines() == Lines{"b.yaml:2:1: error[ORK1114]: include './a.yaml' forms a cycle: a.yaml → b.yaml → a.yaml"});
  Case self("      operatorBox: {emit: {status: {include: ./katalog.yaml}}}\n");
  CHECK(self.lines() == Lines{"katalog.yaml:7:37: error[ORK1114]: include './katalog.yaml' forms a cycle: "
                              "katalog.yaml → katalog.yaml"});
}

TEST_CASE("an include file must hold one mapping; include must be paths") {
  Case list("      admission: {validation: {include: ./rules.yaml}}\n", {{"rules.yaml", "- {field: a, exists: true}\n"}});
  CHECK(list.lines() == Lines{"katalog.yaml:7:32: error[ORK1114]: include './rules.yaml' must hold one mapping (a "
                              "partial validation), got list"});
  Case two("      admission: {validation: {include: ./two.yaml}}\n", {{"two.yaml", "rules: []\n---\nrules: []\n"}});
  CHECK(two.lines() == Lines{"katalog.yaml:7:32: error[ORK1114]: include './two.yaml' must hold one mapping (a partial "
                             "validation), got 2 documents"});
  Case broken("      admission: {validation: {include: ./bad.yaml}}\n", {{"bad.yaml", "rules: [a, b\n"}});
  REQUIRE(broken.diags.diagnostics().size() == 1);  // the YAML error alone, not a second IncludeFailed
  CHECK(broken.diags.diagnostics()[0].code == DiagCode::YamlSyntax);
  CHECK(broken.where(broken.diags.diagnostics()[0].span).rfind("bad.yaml:", 0) == 0);
  Case typed("      admission: {validation: {include: {file: x}}}\n");
  CHECK(typed.lines() == Lines{"katalog.yaml:7:41: error[ORK1103]: spec.crds.webapp.admission.validation.include: "
                               "expected a path or a list of paths, got mapping"});
}

TEST_CASE("normalizeCrdList: items that are not entries are reported and dropped") {
  SourceManager sm;
  FileId f = sm.addBuffer("k.yaml", "- postgres\n- {workers: 2}\n- {name: [a]}\n- {name: ok, workers: 1}\n");
  DiagnosticEngine diags;
  auto docs = frontend::readYaml(sm, f, diags);
  REQUIRE(docs.size() == 1);
  ir::Node& crds = *docs[0].root;
  frontend::normalizeCrdList(crds, "spec.crds", diags);
  Lines got;
  for (const Diagnostic& d : diags.diagnostics()) {
    std::string s = renderDiagnostic(d, sm, false);
    got.push_back(s.substr(0, s.find('\n')));
  }
  CHECK(got == Lines{"k.yaml:1:3: error[ORK1103]: spec.crds[0]: expected a CRD entry (a mapping with name), got string",
                     "k.yaml:2:3: error[ORK1104]: spec.crds[1]: missing required field 'name'",
                     "k.yaml:3:10: error[ORK1103]: spec.crds[2].name: expected a string, got list"});
  REQUIRE(crds.isMap());
  REQUIRE(crds.entries.size() == 1);
  CHECK(crds.entries[0].key == "ok");
  CHECK(sm.location(crds.entries[0].keySpan) == "k.yaml:4:10");
  CHECK(crds.entries[0].value->get("name") == nullptr);
}
