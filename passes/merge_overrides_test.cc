// Tests of the merge-overrides pass (FORMATS.md §9.3): every merge rule on Komposers and Katalogs
// loaded from real files, the typed fields re-derived from the merged body, and value origins.
#include "passes/merge_overrides.h"

#include <catch2/catch.hpp>

#include "passes/check_crds.h"
#include "passes/load_imports.h"
#include "passes/testing.h"
#include "support/strings.h"

using namespace ork;
using namespace ork::passes;
using testing::Harness;
using testing::TempDir;

namespace {

/// katalog.yaml defining `db` (apiTypes plus `definition`, indented under the entry) and
/// komposer.yaml importing it with `overrides` as its spec.crds (indented under crds:); both
/// loaded, then load-imports, check-crds and merge-overrides run.
struct Merged {
  TempDir dir;
  Harness h;

  Merged(const std::string& definition, const std::string& overrides, const std::string& fileOverride = "",
         const std::string& katalogSpec = "",
         const std::vector<std::pair<std::string, std::string>>& extraFiles = {}) {
    for (const auto& [path, text] : extraFiles) dir.write(path, text);
    dir.write("katalog.yaml",
              "apiVersion: orkestra.orkspace.io/v1\n"
              "kind: Katalog\n"
              "metadata: {name: db-operator}\n"
              "spec:\n" +
                  katalogSpec +
                  "  crds:\n"
                  "    db:\n"
                  "      apiTypes: {group: acme.io, version: v1, kind: Database}\n" +
                  definition);
    std::string files = "./katalog.yaml";
    if (!fileOverride.empty()) {
      dir.write(
          "override.yaml",
          "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: tweaks}\nspec:\n  crds:\n"
          "    db:\n" +
              fileOverride);
      files += ", ./override.yaml";
    }
    dir.write("komposer.yaml",
              "apiVersion: orkestra.orkspace.io/v1\n"
              "kind: Komposer\n"
              "metadata: {name: platform}\n"
              "imports: {files: [" +
                  files +
                  "]}\n"
                  "spec:\n"
                  "  crds:\n" +
                  overrides);
    h.loadEntry(dir.at("komposer.yaml"));
    h.run(createLoadImportsPass());
    h.run(createCheckCrdsPass());
    h.run(createMergeOverridesPass());
  }

  const ir::CrdEntry& db() const {
    REQUIRE(h.module.composedCrds.size() == 1);
    return h.module.composedCrds.front();
  }
  const ir::Node* at(const std::string& path) const { return db().body->at(path); }
  /// `file:line:col` of a node of the merged body, relative to the temp directory.
  std::string origin(const ir::Node* n) const {
    REQUIRE(n);
    std::string loc = h.loc(n->span);
    return loc.substr(loc.rfind('/') + 1);
  }
  std::vector<std::string> texts(const std::string& path) const {
    std::vector<std::string> out;
    const ir::Node* n = at(path);
    REQUIRE(n);
    for (const auto& item : n->items) out.push_back(item->scalarText());
    return out;
  }
};

}  // namespace

TEST_CASE("merge-overrides: scalars replace and keep the overriding file as origin; maps merge key by key") {
  Merged m("      operatorBox: {reconcile: {workers: 2, resync: 5m, queue: {maxDepth: 10}}}\n",
           "    - name: db\n"
           "      workers: 4\n"
           "      operatorBox: {reconcile: {queue: {failureThreshold: 3}}}\n");
  CHECK(m.h.diags.errorCount() == 0);
  CHECK(m.at("operatorBox.reconcile.workers")->intValue == 4);
  CHECK(m.origin(m.at("operatorBox.reconcile.workers")) == "komposer.yaml:8:16");
  CHECK(m.at("operatorBox.reconcile.resync")->text == "5m");
  CHECK(m.origin(m.at("operatorBox.reconcile.resync")) == "katalog.yaml:8:53");
  CHECK(m.at("operatorBox.reconcile.queue.maxDepth")->intValue == 10);
  CHECK(m.at("operatorBox.reconcile.queue.failureThreshold")->intValue == 3);
  CHECK(isOverridden(m.db(), *m.at("operatorBox.reconcile.workers")));
  CHECK_FALSE(isOverridden(m.db(), *m.at("operatorBox.reconcile.resync")));
  CHECK(originNote(m.h.sm, *m.at("operatorBox.reconcile.workers")).rfind("overridden by ", 0) == 0);
  CHECK(ork::endsWith(originNote(m.h.sm, *m.at("operatorBox.reconcile.workers")), "komposer.yaml:8:16"));
  // The overridden entry itself is untouched; the composed one is a new entry named like the definition.
  CHECK(m.db().name.value == "db");
  CHECK(m.origin(m.h.module.documents[1]->crds[0].body->at("operatorBox.reconcile.workers")) ==
        "katalog.yaml:8:42");
}

TEST_CASE("merge-overrides: lists replace wholesale") {
  Merged m(
      "      crFiles: [./a.yaml, ./b.yaml]\n"
      "      operatorBox: {reconcile: {onReconcile: {deployments: [{name: a, image: x}, {name: b, image: "
      "y}]}}}\n",
      "    - name: db\n"
      "      operatorBox: {reconcile: {onReconcile: {deployments: [{name: c, image: z}]}}}\n");
  const ir::Node* deps = m.at("operatorBox.reconcile.onReconcile.deployments");
  REQUIRE(deps->items.size() == 1);
  CHECK(deps->items[0]->get("name")->text == "c");
  CHECK(m.texts("crFiles") == std::vector<std::string>{"./a.yaml", "./b.yaml"});
}

TEST_CASE("merge-overrides: runtime.finalizers, allowedNamespaces and restrictedNamespaces union in order") {
  Merged m(
      "      allowedNamespaces: [a, b]\n"
      "      restrictedNamespaces: [x]\n"
      "      operatorBox:\n"
      "        runtime: {finalizers: [acme.io/one]}\n"
      "        reconcile: {onReconcile: {custom: [{apiVersion: v1, kind: Thing, name: t, finalizers: "
      "[k1]}]}}\n",
      "    - name: db\n"
      "      allowedNamespaces: [c, a]\n"
      "      restrictedNamespaces: [y]\n"
      "      operatorBox: {runtime: {finalizers: [acme.io/two, acme.io/one]}}\n",
      "      operatorBox: {runtime: {finalizers: [acme.io/three]}}\n");
  CHECK(m.texts("allowedNamespaces") == std::vector<std::string>{"a", "b", "c"});
  CHECK(m.texts("restrictedNamespaces") == std::vector<std::string>{"x", "y"});
  // The file Katalog's override applies before the inline one.
  CHECK(m.texts("operatorBox.runtime.finalizers") ==
        std::vector<std::string>{"acme.io/one", "acme.io/three", "acme.io/two"});
}

TEST_CASE("merge-overrides: a finalizers list elsewhere replaces; only runtime.finalizers unions") {
  Merged m(
      "      operatorBox: {reconcile: {onReconcile: {custom: [{apiVersion: v1, kind: T, name: t, "
      "spec: {finalizers: [k1]}}]}}}\n",
      "    - name: db\n"
      "      operatorBox: {reconcile: {onReconcile: {custom: [{apiVersion: v1, kind: T, name: t, "
      "spec: {finalizers: [k2]}}]}}}\n");
  const ir::Node* custom = m.at("operatorBox.reconcile.onReconcile.custom");
  REQUIRE(custom->items.size() == 1);
  const ir::Node* fin = custom->items[0]->at("spec.finalizers");
  REQUIRE(fin->items.size() == 1);
  CHECK(fin->items[0]->text == "k2");
}

TEST_CASE("merge-overrides: an explicit null removes the field") {
  Merged m(
      "      description: the db\n"
      "      operatorBox: {reconcile: {onReconcile: {deployments: [{name: a, image: x}], "
      "ingresses: [{name: a, host: h}]}}}\n",
      "    - name: db\n"
      "      description: null\n"
      "      operatorBox: {reconcile: {onReconcile: {ingresses: null}}}\n");
  CHECK(m.at("description") == nullptr);
  CHECK(m.at("operatorBox.reconcile.onReconcile.ingresses") == nullptr);
  CHECK(m.at("operatorBox.reconcile.onReconcile.deployments") != nullptr);
}

TEST_CASE("merge-overrides: enabled false → true and true → false") {
  SECTION("re-enabled by the Komposer") {
    Merged m("      enabled: false\n", "    - {name: db, enabled: true}\n");
    CHECK(m.db().enabled);
    CHECK(m.origin(m.at("enabled")) == "komposer.yaml:7:27");
  }
  SECTION("disabled by the Komposer") {
    Merged m("      enabled: true\n", "    - {name: db, enabled: false}\n");
    CHECK_FALSE(m.db().enabled);
  }
  SECTION("disabled by a file Katalog, re-enabled inline") {
    Merged m("", "    - {name: db, enabled: true}\n", "      enabled: false\n");
    CHECK(m.db().enabled);
  }
}

TEST_CASE("merge-overrides: zero values override (resync: 0s, workers stays)") {
  Merged m("      operatorBox: {reconcile: {workers: 3, resync: 5m, queue: {maxDepth: 100}}}\n",
           "    - name: db\n"
           "      resync: 0s\n"
           "      operatorBox: {reconcile: {queue: {maxDepth: 0}}}\n");
  CHECK(m.at("operatorBox.reconcile.resync")->text == "0s");
  CHECK(m.at("operatorBox.reconcile.queue.maxDepth")->intValue == 0);
  CHECK(m.at("operatorBox.reconcile.workers")->intValue == 3);
}

TEST_CASE("merge-overrides: apiTypes, crdFile and dependsOn are re-derived from the merged body") {
  Merged m("      dependsOn: [cache]\n",
           "    - name: db\n"
           "      apiTypes: {kind: Postgres, version: v2}\n"
           "      crdFile: ./pg.yaml\n"
           "      dependsOn: {queue: healthy}\n");
  const ir::CrdEntry& db = m.db();
  CHECK(db.apiTypes.group == "acme.io");
  CHECK(db.apiTypes.kind == "Postgres");
  CHECK(db.apiTypes.version == "v2");
  CHECK(db.apiTypes.plural == "postgreses");  // §3.1: s → +es
  CHECK(db.crdFile.value == "./pg.yaml");
  CHECK(m.origin(m.at("crdFile")) == "komposer.yaml:9:16");
  REQUIRE(db.dependsOn.size() == 1);
  CHECK(db.dependsOn[0].name.value == "queue");
  CHECK(db.dependsOn[0].condition == ir::DependencyCondition::Healthy);
}

TEST_CASE("merge-overrides: imports are replaced and re-derived, `with` pointing into the merged body") {
  Merged m("      imports: [{motif: ./motifs/a, with: {image: a}}]\n",
           "    - name: db\n"
           "      imports: [{motif: ./motifs/b, with: {image: b}}, {motif: ./motifs/c}]\n");
  const ir::CrdEntry& db = m.db();
  REQUIRE(db.imports.size() == 2);
  CHECK(db.imports[0].ref.value == "./motifs/b");
  CHECK(db.imports[1].ref.value == "./motifs/c");
  REQUIRE(db.imports[0].with);
  CHECK(db.imports[0].with == m.at("imports")->items[0]->get("with"));
}

TEST_CASE("merge-overrides: a CRD without overrides is its definition; a new inline CRD is composed too") {
  Merged m("      description: alone\n",
           "    - {name: fresh, apiTypes: {group: acme.io, version: v1, kind: Fresh}}\n");
  REQUIRE(m.h.module.composedCrds.size() == 2);
  const ir::CrdEntry& db = m.h.module.composedCrds[0];
  CHECK(db.name.value == "db");
  CHECK(db.body->get("description")->text == "alone");
  CHECK(db.origin.source == "file:./katalog.yaml");
  const ir::CrdEntry& fresh = m.h.module.composedCrds[1];
  CHECK(fresh.name.value == "fresh");
  CHECK(fresh.apiTypes.plural == "freshes");
  CHECK_FALSE(isOverridden(fresh, *fresh.body->get("apiTypes")));
}

TEST_CASE("merge-overrides: a Katalog's spec.finalizers join runtime.finalizers of its entries") {
  Merged m("      operatorBox: {runtime: {finalizers: [acme.io/own]}}\n",
           "    - name: db\n"
           "      operatorBox: {runtime: {finalizers: [acme.io/inline]}}\n",
           "      description: tweaked\n", "  finalizers: [acme.io/audit, acme.io/own]\n");
  CHECK(m.texts("operatorBox.runtime.finalizers") ==
        std::vector<std::string>{"acme.io/own", "acme.io/audit", "acme.io/inline"});
  CHECK(m.origin(m.at("operatorBox.runtime.finalizers")->items[1].get()) == "katalog.yaml:5:16");
}

TEST_CASE("merge-overrides: composed motif imports keep the Motif load-imports resolved") {
  auto named = [](const std::string& n) {
    return "apiVersion: orkestra.orkspace.io/v1\nkind: Motif\nmetadata: {name: " + n + "}\nresources: {}\n";
  };
  Merged m("      imports: [{motif: ./motifs/a}]\n",
           "    - name: db\n"
           "      imports: [{motif: ./motifs/b}, {motif: ./motifs/a}]\n",
           "", "", {{"motifs/a/motif.yaml", named("a")}, {"motifs/b/motif.yaml", named("b")}});
  CHECK(m.h.diags.errorCount() == 0);
  const ir::CrdEntry& db = m.db();
  REQUIRE(db.imports.size() == 2);
  REQUIRE(db.imports[0].resolved);
  CHECK(db.imports[0].resolved->metadata.name.value == "b");
  REQUIRE(db.imports[1].resolved);
  CHECK(db.imports[1].resolved->metadata.name.value == "a");
}
