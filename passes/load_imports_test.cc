// Tests of the load-imports pass on files on disk: imports.files, motif refs, crdFile/crFiles, kind
// checks, registry patterns served from local directories (stand-ins for pulled patterns), cycles,
// policy and the useKomposer rule (FORMATS.md §1, §8.2, §9, §10.1, §10.3).
#include "passes/load_imports.h"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;

namespace {

std::string katalog(const std::string& name, const std::string& crds) {
  return "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: " + name + "}\nspec:\n  crds:\n" + crds;
}

std::string komposer(const std::string& imports, const std::string& rest = "") {
  return "apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: app}\nimports:\n" + imports + rest;
}

const char* kMotif = "apiVersion: orkestra.orkspace.io/v1\nkind: Motif\nmetadata: {name: web}\nresources: {}\n";

const char* kCrd =
    "apiVersion: apiextensions.k8s.io/v1\n"
    "kind: CustomResourceDefinition\n"
    "metadata: {name: widgets.acme.io}\n"
    "spec:\n"
    "  group: acme.io\n"
    "  names: {kind: Widget, plural: widgets}\n"
    "  scope: Namespaced\n"
    "  versions:\n"
    "    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}\n";

const char* kCr = "apiVersion: acme.io/v1\nkind: Widget\nmetadata: {name: w1}\n";

/// A project directory on disk and a harness to load it.
struct Project {
  testing::TempDir dir;
  testing::Harness h;

  std::string write(const std::string& rel, const std::string& text) const { return dir.write(rel, text); }
  /// A complete pattern directory whose katalog.yaml defines `crd`.
  std::string pattern(const std::string& rel, const std::string& crd, const std::string& komposerYaml = "k\n") const {
    write(rel + "/katalog.yaml", katalog(rel, "    " + crd + ": {crdFile: ./crd.yaml}\n"));
    write(rel + "/crd.yaml", kCrd);
    write(rel + "/cr.yaml", kCr);
    write(rel + "/komposer.yaml", komposerYaml);
    write(rel + "/README.md", "# " + rel + "\n");
    return dir.at(rel);
  }
  void load(const std::string& entry = "komposer.yaml") {
    h.loadEntry(dir.at(entry));
    h.run(createLoadImportsPass());
  }
  /// Diagnostics (or notes of diagnostic `i`) with the temporary directory's prefix removed.
  std::string strip(std::string s) const {
    const std::string prefix = dir.path() + "/";
    for (size_t p; (p = s.find(prefix)) != std::string::npos;) s.erase(p, prefix.size());
    return s;
  }
  std::vector<std::string> rendered() const {
    std::vector<std::string> out;
    for (const std::string& r : h.rendered()) out.push_back(strip(r));
    return out;
  }
  std::vector<std::string> notes(size_t i) const {
    std::vector<std::string> out;
    for (const std::string& r : h.notes(i)) out.push_back(strip(r));
    return out;
  }
  const ir::Document* document(const std::string& name) const {
    for (const auto& d : h.module.documents)
      if (d->metadata.name.value == name) return d.get();
    return nullptr;
  }
};

}  // namespace

TEST_CASE("imports.files Katalogs load with their motifs, crdFiles and crFiles, in load order", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  files: [./katalogs/db.yaml, ./katalogs/web.yaml]\n",
                                    "spec:\n  crds: {db: {workers: 2}}\n"));
  p.write("katalogs/db.yaml",
          katalog("db-operator", "    db:\n      crdFile: ../crds/widget.yaml\n      crFiles: [../crs/w.yaml]\n"
                                 "      imports: [{motif: ../motifs/web}, {motif: ../motifs/extra.yaml}]\n"));
  p.write("katalogs/web.yaml", katalog("web-operator", "    web:\n      crdFile: ../crds/widget.yaml\n"
                                                       "      imports: [{motif: ../motifs/web}]\n"));
  p.write("crds/widget.yaml", kCrd);
  p.write("crs/w.yaml", kCr);
  p.write("motifs/web/motif.yaml", kMotif);
  p.write("motifs/extra.yaml", kMotif);
  p.load();
  INFO(p.rendered().size());
  CHECK(p.rendered().empty());

  const ir::Module& m = p.h.module;
  REQUIRE(m.loadOrder.size() == 3);
  CHECK(m.loadOrder[0]->metadata.name.value == "db-operator");
  CHECK(m.loadOrder[1]->metadata.name.value == "web-operator");
  CHECK(m.loadOrder[2]->kind == ir::DocKind::Komposer);
  CHECK(m.documents.size() == 5);  // komposer, db, web, two motifs: each file once
  CHECK(m.crdFiles.size() == 1);
  CHECK(m.crs.size() == 1);
  CHECK_FALSE(m.importsIncomplete);

  const ir::Document& db = *m.loadOrder[0];
  CHECK(db.importedBy.kind == ir::ImportRecord::Kind::File);
  CHECK(db.importedBy.source == "file:./katalogs/db.yaml");
  CHECK(db.importedBy.importer == m.loadOrder[2]);
  CHECK(db.crds[0].origin.source == "file:./katalogs/db.yaml");
  CHECK(p.h.loc(db.crds[0].origin.span) == p.dir.at("komposer.yaml") + ":5:11");
  CHECK(m.loadOrder[2]->crds[0].origin.source == p.dir.at("komposer.yaml"));

  const ir::Document* motif = db.crds[0].imports[0].resolved;
  REQUIRE(motif);
  CHECK(motif->kind == ir::DocKind::Motif);
  CHECK(motif->importedBy.source == "motif:../motifs/web");
  CHECK(m.loadOrder[1]->crds[0].imports[0].resolved == motif);  // the same directory loads once
  REQUIRE(db.crds[0].imports[1].resolved);
  CHECK(db.crds[0].imports[1].resolved != motif);
}

TEST_CASE("missing local files are ORK1206 at the referencing value", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  files: [./katalogs/none.yaml, ./katalog.yaml]\n"));
  p.write("katalog.yaml", katalog("k", "    db:\n      crdFile: ./crd.yaml\n      crFiles: [./cr.yaml]\n"
                                       "      imports: [{motif: ./motifs/none}, {motif: ./motifs/empty}, {motif: x.yaml}]\n"));
  p.dir.mkdir("motifs/empty");
  p.load();
  CHECK(p.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:5:11: error[ORK1206]: imported file \"./katalogs/none.yaml\" not found (looked for "
            "\"katalogs/none.yaml\")",
            "katalog.yaml:9:25: error[ORK1206]: motif \"./motifs/none\" not found (looked for \"motifs/none\")",
            "katalog.yaml:9:49: error[ORK1206]: motif \"./motifs/empty\" not found: directory \"motifs/empty\" holds "
            "no motif.yaml",
            "katalog.yaml:9:74: error[ORK1206]: motif \"x.yaml\" not found (looked for \"x.yaml\")",
            "katalog.yaml:7:16: error[ORK1206]: crdFile \"./crd.yaml\" not found (looked for \"crd.yaml\")",
            "katalog.yaml:8:17: error[ORK1206]: crFiles entry \"./cr.yaml\" not found (looked for \"cr.yaml\")"});
  CHECK(p.h.diags.diagnostics()[0].path == "imports.files[0]");
  CHECK(p.h.diags.diagnostics()[1].path == "spec.crds.db.imports[0].motif");
  CHECK(p.h.diags.diagnostics()[4].path == "spec.crds.db.crdFile");
  CHECK(p.h.diags.diagnostics()[5].path == "spec.crds.db.crFiles[0]");
  CHECK(p.h.module.importsIncomplete);
}

TEST_CASE("imports.files accepts Katalogs only (ORK1202, ORK1110)", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  files: [./other.yaml, ./motif.yaml, ./k.yaml]\n"));
  p.write("other.yaml", komposer("  files: [./k.yaml]\n"));
  p.write("motif.yaml", kMotif);
  p.write("k.yaml", katalog("k", "    db: {crdFile: ./crd.yaml}\n"));
  p.write("crd.yaml", kCrd);
  p.load();
  CHECK(p.rendered() == std::vector<std::string>{
                            "komposer.yaml:5:11: error[ORK1202]: a Komposer cannot import another Komposer — only "
                            "Katalog files are valid imports",
                            "komposer.yaml:5:25: error[ORK1110]: kind \"Motif\" cannot be used here — expected kind: "
                            "Katalog"});
  CHECK(p.notes(0) == std::vector<std::string>{"other.yaml:2:7: \"./other.yaml\" declares kind Komposer here"});
  CHECK(p.h.module.documents.size() == 2);  // the entry and k.yaml
}

TEST_CASE("a motif ref must name a Motif (ORK1110)", "[load_imports]") {
  Project p;
  p.write("katalog.yaml", katalog("k", "    db:\n      imports: [{motif: ./other.yaml}]\n"));
  p.write("other.yaml", katalog("other", "    x: {}\n"));
  p.load("katalog.yaml");
  CHECK(p.rendered() == std::vector<std::string>{
                            "katalog.yaml:7:25: error[ORK1110]: kind \"Katalog\" cannot be used here — expected kind: "
                            "Motif"});
}

TEST_CASE("registry patterns load through the resolver with the structure and kind checks", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  registry:\n"
                                    "    - ghcr.io/acme/postgres@v14\n"
                                    "    - {url: ghcr.io/acme/broken, version: v1}\n"
                                    "    - {url: ghcr.io/acme/swapped@v2, useKomposer: true}\n"
                                    "    - {url: ghcr.io/acme/plain@v3, version: v4}\n"));
  p.h.resolver.patterns["ghcr.io/acme/postgres"] = p.pattern("pg", "postgres");
  p.h.resolver.patterns["ghcr.io/acme/broken"] = p.pattern("broken", "broken");
  std::filesystem::remove(p.dir.at("broken/cr.yaml"));
  p.write("broken/README.md", "");
  p.h.resolver.patterns["ghcr.io/acme/swapped"] = p.pattern("swapped", "swapped", katalog("s", "    s: {}\n"));
  p.h.resolver.patterns["ghcr.io/acme/plain"] = p.pattern("plain", "plain");
  p.load();
  CHECK(p.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:7:13: error[ORK1501]: registry \"ghcr.io/acme/broken\"@v1: failed structure validation: "
            "missing: cr.yaml; empty: README.md",
            "komposer.yaml:8:13: error[ORK1203]: registry \"ghcr.io/acme/swapped\"@v2: useKomposer is true but "
            "komposer.yaml contains kind \"Katalog\"",
            "komposer.yaml:9:13: warning[ORK1211]: registry \"ghcr.io/acme/plain\"@v3: version \"v4\" is ignored; the "
            "URL names v3"});
  CHECK(p.h.diags.diagnostics()[1].help == "Remove useKomposer: true or check pattern structure");
  const ir::Document* pg = p.document("pg");
  REQUIRE(pg);
  CHECK(pg->importedBy.kind == ir::ImportRecord::Kind::Registry);
  CHECK(pg->crds[0].origin.source == "registry:ghcr.io/acme/postgres@v14");
  CHECK(p.h.module.crdFiles.size() == 2);  // pg/crd.yaml and plain/crd.yaml
  CHECK(p.h.module.loadOrder.size() == 3);
}

TEST_CASE("useKomposer false with a Komposer in katalog.yaml (ORK1203)", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  registry: [ghcr.io/acme/wrong@v1]\n"));
  std::string dir = p.pattern("wrong", "w");
  p.write("wrong/katalog.yaml", komposer("  files: [./x.yaml]\n"));
  p.h.resolver.patterns["ghcr.io/acme/wrong"] = dir;
  p.load();
  CHECK(p.rendered() == std::vector<std::string>{
                            "komposer.yaml:5:14: error[ORK1203]: registry \"ghcr.io/acme/wrong\"@v1: useKomposer is "
                            "false but katalog.yaml contains kind \"Komposer\""});
  CHECK(p.h.diags.diagnostics()[0].help == "Set useKomposer: true or check pattern structure");
  CHECK(p.notes(0) == std::vector<std::string>{"wrong/katalog.yaml:2:7: kind declared here"});
}

TEST_CASE("checkPatternKinds on pattern directories on disk", "[load_imports]") {
  Project p;
  std::string dir = p.pattern("pg", "postgres", komposer("  registry: [ghcr.io/acme/x@v1]\n"));
  frontend::LoadContext lctx{p.h.sm, p.h.diags};
  CHECK(loadPatternDocuments(lctx, dir, false, "registry \"pg\"@v1: ", {}).size() == 1);
  CHECK(loadPatternDocuments(lctx, dir, true, "registry \"pg\"@v1: ", {}).size() == 1);
  CHECK(p.h.diags.diagnostics().empty());
  std::string motifDir = p.pattern("motif", "m");
  p.write("motif/katalog.yaml", kMotif);
  CHECK(loadPatternDocuments(lctx, motifDir, false, "registry \"pg\"@v1: ", {}).empty());
  CHECK(p.rendered() == std::vector<std::string>{
                            "<unknown>: error[ORK1110]: registry \"pg\"@v1: kind \"Motif\" cannot be used here — "
                            "expected kind: Katalog"});
}

TEST_CASE("a Komposer pattern's own imports load first; cycles are ORK1207", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  registry: [{url: ghcr.io/acme/a@v1, useKomposer: true}]\n"));
  p.h.resolver.patterns["ghcr.io/acme/a"] =
      p.pattern("a", "x", komposer("  registry: [{url: ghcr.io/acme/b@v1, useKomposer: true}]\n"));
  p.h.resolver.patterns["ghcr.io/acme/b"] =
      p.pattern("b", "y", komposer("  registry: [{url: ghcr.io/acme/a@v1, useKomposer: true}]\n  files: [./katalog.yaml]\n"));
  p.load();
  CHECK(p.rendered() == std::vector<std::string>{
                            "b/komposer.yaml:5:20: error[ORK1207]: Komposer import cycle: registry:ghcr.io/acme/a@v1 → "
                            "registry:ghcr.io/acme/b@v1 → registry:ghcr.io/acme/a@v1"});
  // b's Katalog, then b, then a, then the entry: imports before the Komposer that declares them.
  const auto& order = p.h.module.loadOrder;
  REQUIRE(order.size() == 4);
  CHECK(order[0]->kind == ir::DocKind::Katalog);
  CHECK(order[0]->importedBy.source == "file:./katalog.yaml");
  CHECK(order[1]->importedBy.source == "registry:ghcr.io/acme/b@v1");
  CHECK(order[2]->importedBy.source == "registry:ghcr.io/acme/a@v1");
  CHECK(order[3]->importedBy.kind == ir::ImportRecord::Kind::Entry);
}

TEST_CASE("a pattern whose komposer.yaml is the entry Komposer closes a cycle", "[load_imports]") {
  Project p;
  p.pattern(".", "x");
  p.write("komposer.yaml", komposer("  registry: [{url: ghcr.io/acme/self@v1, useKomposer: true}]\n"));
  p.h.resolver.patterns["ghcr.io/acme/self"] = p.dir.path();
  p.load();
  CHECK(p.rendered() == std::vector<std::string>{
                            "komposer.yaml:5:20: error[ORK1207]: Komposer import cycle: komposer.yaml → "
                            "komposer.yaml"});
  CHECK(p.notes(0) == std::vector<std::string>{
                          "<unknown>: this import (registry:ghcr.io/acme/self@v1) loads a Komposer that is still being "
                          "loaded"});
  CHECK(p.h.module.documents.size() == 1);
}

TEST_CASE("a Komposer importing itself through imports.files, or another entry Komposer, is ORK1202 (§9.1)",
          "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  files: [./komposer.yaml]\n"));
  p.write("b.yaml", komposer("  files: [./komposer.yaml]\n"));
  p.h.loadEntry(p.dir.at("komposer.yaml"));
  p.h.loadEntry(p.dir.at("b.yaml"));
  p.h.run(createLoadImportsPass());
  CHECK(p.rendered() == std::vector<std::string>{
                            "komposer.yaml:5:11: error[ORK1202]: a Komposer cannot import another Komposer — only "
                            "Katalog files are valid imports",
                            "b.yaml:5:11: error[ORK1202]: a Komposer cannot import another Komposer — only Katalog "
                            "files are valid imports"});
}

TEST_CASE("invalid, unfetchable and disallowed registry imports", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  registry:\n"
                                    "    - oci://ghcr.io/myorg/katalogs/webapp-operator:v1.0.0\n"
                                    "    - ghcr.io/orkspace/patterns/redis:v7\n"
                                    "    - docker.io/evil/postgres:v1\n"
                                    "  files: [https://files.acme.io/audit.yaml, https://evil.io/x.yaml]\n",
                                    "policy: {allowedRegistries: [ghcr.io/orkspace, files.acme.io]}\n"));
  p.load();
  CHECK(p.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:6:7: error[ORK1210]: registry \"oci://ghcr.io/myorg/katalogs/webapp-operator\"@v1.0.0: "
            "invalid URL",
            "komposer.yaml:7:7: error[ORK1209]: registry \"ghcr.io/orkspace/patterns/redis\"@v7: OCI sources cannot "
            "be fetched by this resolver (it serves local paths only)",
            "komposer.yaml:8:7: error[ORK1403]: import \"docker.io/evil/postgres:v1\" is not allowed by "
            "policy.allowedRegistries (allowed: ghcr.io/orkspace, files.acme.io)",
            "komposer.yaml:9:11: error[ORK1209]: file \"https://files.acme.io/audit.yaml\": HTTPS sources cannot be "
            "fetched by this resolver (it serves local paths only)",
            "komposer.yaml:9:45: error[ORK1403]: import \"https://evil.io/x.yaml\" is not allowed by "
            "policy.allowedRegistries (allowed: ghcr.io/orkspace, files.acme.io)"});
  CHECK(p.h.diags.diagnostics()[0].help == "Remove scheme prefix or fix the URL");
  CHECK(p.h.diags.diagnostics()[0].path == "imports.registry[0]");
  CHECK(p.h.diags.diagnostics()[2].path == "imports.registry[2]");
  CHECK(p.h.module.importsIncomplete);
}

TEST_CASE("network motifs go through the resolver; policy applies to them", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  files: [./k.yaml]\n", "policy: {allowedRegistries: [ghcr.io/acme]}\n"));
  p.write("k.yaml", katalog("k", "    db:\n      imports:\n"
                                 "        - {motif: \"oci://ghcr.io/acme/motifs/web:v1\"}\n"
                                 "        - {motif: ghcr.io/acme/motifs/bare@v2}\n"
                                 "        - {motif: web-service:v1.1.0}\n"));
  p.write("fetched/web/motif.yaml", kMotif);
  p.write("fetched/web/README.md", "# web\n");
  p.write("fetched/bare/motif.yaml", kMotif);
  p.h.resolver.motifs["ghcr.io/acme/motifs/web"] = p.dir.at("fetched/web");
  p.h.resolver.motifs["ghcr.io/acme/motifs/bare"] = p.dir.at("fetched/bare");
  p.load();
  CHECK(p.rendered() ==
        std::vector<std::string>{
            "k.yaml:9:19: warning[ORK1502]: motif \"ghcr.io/acme/motifs/bare\"@v2: motif structure: missing: README.md",
            "k.yaml:10:19: error[ORK1403]: import \"web-service:v1.1.0\" is not allowed by policy.allowedRegistries "
            "(allowed: ghcr.io/acme)"});
  CHECK(p.h.resolver.fetched ==
        std::vector<std::string>{"motif:ghcr.io/acme/motifs/web@v1", "motif:ghcr.io/acme/motifs/bare@v2"});
  const ir::Document* k = p.document("k");
  REQUIRE(k);
  REQUIRE(k->crds[0].imports[0].resolved);
  CHECK(k->crds[0].imports[0].resolved->importedBy.source == "motif:ghcr.io/acme/motifs/web@v1");
  CHECK(k->crds[0].imports[0].resolved->importedBy.version == "v1");
}

TEST_CASE("a url that is exactly $NAME takes the variable's value", "[load_imports]") {
  Project p;
  p.write("komposer.yaml", komposer("  files: [{url: $ORK_TEST_UNSET_AUDIT_URL}, {url: \"${ORK_TEST_AUDIT_URL}\"}]\n"));
  ::setenv("ORK_TEST_AUDIT_URL", "https://files.acme.io/audit.yaml", 1);
  ::unsetenv("ORK_TEST_UNSET_AUDIT_URL");
  p.load();
  CHECK(p.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:5:17: error[ORK1206]: environment variable \"ORK_TEST_UNSET_AUDIT_URL\" named by "
            "imports.files[0] is not set or empty",
            "komposer.yaml:5:51: error[ORK1209]: file \"https://files.acme.io/audit.yaml\": HTTPS sources cannot be "
            "fetched by this resolver (it serves local paths only)"});
  ::unsetenv("ORK_TEST_AUDIT_URL");
}

TEST_CASE("Simulate documents must reference existing files", "[load_imports]") {
  Project p;
  p.write("simulate.yaml",
          "apiVersion: orkestra.orkspace.io/v1\nkind: Simulate\nmetadata: {name: s}\n"
          "spec:\n  katalog: ./katalog.yaml\n  cr: ./cr.yaml\n");
  p.write("cr.yaml", kCr);
  p.load("simulate.yaml");
  CHECK(p.rendered() == std::vector<std::string>{"simulate.yaml:5:12: error[ORK1206]: referenced file "
                                                 "\"./katalog.yaml\" not found (looked for \"katalog.yaml\")"});
}

TEST_CASE("the same file imported under two spellings loads once (no duplicate CRD)", "[load_imports]") {
  Project p;
  p.write("k/komposer.yaml", komposer("  files: [./kat1.yaml, ../k/kat1.yaml, ./sub/../kat1.yaml]\n"));
  p.write("k/kat1.yaml", katalog("kat1", "    web: {apiTypes: {group: a.io, version: v1, kind: Web}}\n"));
  p.h.loadEntry(p.dir.at("k/komposer.yaml"));
  p.h.run(createLoadImportsPass());
  CHECK(p.rendered().empty());
  CHECK(p.h.module.documents.size() == 2);
}
