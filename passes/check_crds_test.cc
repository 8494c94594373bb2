// Tests of the check-crds pass: duplicates across imports, unknown overrides (FORMATS.md §9.2–§9.3)
// and agreement with crdFiles (§3.1, §4.7), on modules built by hand.
#include "passes/check_crds.h"

#include <catch2/catch.hpp>

#include "frontend/yaml_reader.h"
#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;
using testing::addCrd;
using testing::Harness;

namespace {

const char* kKomposer =
    "imports:\n"                                      // 1
    "  registry: [ghcr.io/acme/postgres@v14]\n"      // 2
    "  files: [./katalogs/db.yaml]\n"                // 3
    "spec:\n"                                         // 4
    "  crds: {postgress: {workers: 2}, newcrd: {apiTypes: {kind: New}}, webapp: {workers: 3}}\n";  // 5

/// The komposer.yaml of kKomposer with a registry pattern and a file Katalog imported by it.
struct Composition {
  Harness h;
  FileId komposerFile, patternFile, fileKatalog;
  ir::Document* komposer;
  ir::Document* pattern;
  ir::Document* db;

  Composition() {
    komposerFile = h.addFile("komposer.yaml", kKomposer);
    patternFile = h.addFile("cache/pg/katalog.yaml", "spec: {crds: {postgres: {crdFile: ./crd.yaml}}}\n");
    fileKatalog = h.addFile("katalogs/db.yaml", "spec: {crds: {webapp: {crdFile: ./w.yaml}, postgres: {crdFile: ./crd.yaml}}}\n");
    komposer = &h.addEntry(ir::DocKind::Komposer, "komposer.yaml");
    pattern = &h.addDocument(ir::DocKind::Katalog, "cache/pg/katalog.yaml");
    pattern->importedBy = {ir::ImportRecord::Kind::Registry, "registry:ghcr.io/acme/postgres@v14",
                           "ghcr.io/acme/postgres", "v14", komposer, h.find(komposerFile, "ghcr.io")};
    db = &h.addDocument(ir::DocKind::Katalog, "katalogs/db.yaml");
    db->importedBy = {ir::ImportRecord::Kind::File, "file:./katalogs/db.yaml", "./katalogs/db.yaml", "", komposer,
                      h.find(komposerFile, "./katalogs")};
    define(*pattern, patternFile, "postgres");
    define(*db, fileKatalog, "webapp");
    h.module.loadOrder = {pattern, db, komposer};
  }

  ir::CrdEntry& define(ir::Document& doc, FileId file, const std::string& name) {
    ir::CrdEntry& e = addCrd(doc, name, h.find(file, name));
    e.crdFile.value = "./crd.yaml";
    e.origin.span = doc.importedBy.span;
    return e;
  }
  ir::CrdEntry& inline_(const std::string& name, bool defines = false) {
    ir::CrdEntry& e = addCrd(*komposer, name, h.find(komposerFile, name + ":"));
    e.apiTypes.present = defines;
    return e;
  }
};

}  // namespace

TEST_CASE("a CRD defined by two imports is ORK1205 with notes at both definitions", "[check_crds]") {
  Composition c;
  c.define(*c.db, c.fileKatalog, "postgres");
  c.h.run(createCheckCrdsPass());
  CHECK(c.h.rendered() == std::vector<std::string>{
                              "komposer.yaml:3:11: error[ORK1205]: duplicate CRD \"postgres\": defined in "
                              "\"registry:ghcr.io/acme/postgres@v14\" and \"file:./katalogs/db.yaml\" — names must be "
                              "unique across all imports"});
  CHECK(c.h.notes(0) == std::vector<std::string>{
                            "cache/pg/katalog.yaml:1:15: first definition (registry:ghcr.io/acme/postgres@v14)",
                            "katalogs/db.yaml:1:44: second definition (file:./katalogs/db.yaml)"});
  CHECK(c.h.diags.diagnostics()[0].path == "spec.crds.postgres");
}

TEST_CASE("a file Katalog entry without apiTypes or crdFile overrides a loaded CRD", "[check_crds]") {
  Composition c;
  addCrd(*c.db, "postgres", c.h.find(c.fileKatalog, "postgres"));
  c.h.run(createCheckCrdsPass());
  CHECK(c.h.diags.diagnostics().empty());
}

TEST_CASE("inline entries naming no CRD and defining none are ORK1204", "[check_crds]") {
  Composition c;
  c.inline_("postgress");
  c.inline_("newcrd", true);  // defines a new CRD
  c.inline_("webapp");        // overrides the file Katalog's
  c.h.run(createCheckCrdsPass());
  CHECK(c.h.rendered() == std::vector<std::string>{
                              "komposer.yaml:5:10: error[ORK1204]: override for unknown CRD \"postgress\" in spec.crds "
                              "(did you mean \"postgres\"?)"});
  CHECK(c.h.diags.diagnostics()[0].path == "spec.crds.postgress");
}

TEST_CASE("unknown overrides are not reported when an import could not be loaded", "[check_crds]") {
  Composition c;
  c.inline_("postgress");
  c.h.module.importsIncomplete = true;
  c.h.run(createCheckCrdsPass());
  CHECK(c.h.diags.diagnostics().empty());
}

TEST_CASE("an inline override may set apiTypes or crdFile on an imported CRD", "[check_crds]") {
  Composition c;
  c.inline_("postgres", true);
  c.h.run(createCheckCrdsPass());
  CHECK(c.h.diags.diagnostics().empty());
}

namespace {

const char* kEntry =
    "spec:\n"                                                                    // 1
    "  crds:\n"                                                                  // 2
    "    webapp:\n"                                                              // 3
    "      crdFile: ./crd.yaml\n"                                                // 4
    "      namespaced: false\n"                                                  // 5
    "      apiTypes: {group: acme.io, kind: WebApp, version: v2, plural: webapp}\n"  // 6
    "      operatorBox:\n"                                                       // 7
    "        emit: {status: {fields: [{path: phase, value: Ready}]}}\n"          // 8
    "    plain:\n"                                                               // 9
    "      crdFile: ./plain.yaml\n";                                             // 10

std::unique_ptr<ir::CrdFile> crdFile(const std::string& path, const std::string& group, const std::string& kind,
                                     const std::string& plural, std::vector<std::string> served, std::string scope,
                                     bool status) {
  auto f = std::make_unique<ir::CrdFile>();
  f->path = path;
  f->group = group;
  f->kind = kind;
  f->plural = plural;
  f->servedVersions = std::move(served);
  f->storageVersion = f->servedVersions.back();
  f->scope = std::move(scope);
  f->hasStatusSubresource = status;
  return f;
}

}  // namespace

TEST_CASE("apiTypes, namespaced and status fields are checked against the crdFile", "[check_crds]") {
  Harness h;
  FileId f = h.addFile("app/katalog.yaml", kEntry);
  auto docs = frontend::readYaml(h.sm, f, h.diags);
  REQUIRE(docs.size() == 1);
  ir::Document& doc = h.addEntry(ir::DocKind::Katalog, "app/katalog.yaml");
  for (const char* name : {"webapp", "plain"}) {
    ir::CrdEntry& e = addCrd(doc, name, h.find(f, std::string(name) + ":"));
    e.body = docs[0].root->at(std::string("spec.crds.") + name)->clone();
    e.crdFile.value = e.body->get("crdFile")->text;
  }
  h.module.crdFiles.push_back(crdFile("app/crd.yaml", "example.com", "WebApp", "webapps", {"v1"}, "Namespaced", false));
  h.module.crdFiles.push_back(crdFile("app/plain.yaml", "acme.io", "Plain", "plainz", {"v1alpha1", "v1"}, "Cluster", false));
  h.run(createCheckCrdsPass());
  CHECK(h.rendered() ==
        std::vector<std::string>{
            "app/katalog.yaml:6:25: error[ORK1702]: apiTypes.group \"acme.io\" does not match crdFile \"./crd.yaml\" "
            "(group \"example.com\")",
            "app/katalog.yaml:6:69: error[ORK1702]: apiTypes.plural \"webapp\" does not match crdFile \"./crd.yaml\" "
            "(plural \"webapps\")",
            "app/katalog.yaml:6:57: error[ORK1702]: apiTypes.version \"v2\" is not a version of crdFile \"./crd.yaml\" "
            "(versions: v1)",
            "app/katalog.yaml:5:19: error[ORK1702]: namespaced: false does not match crdFile \"./crd.yaml\" (scope "
            "Namespaced)",
            "app/katalog.yaml:8:33: warning[ORK1703]: CRD \"webapp\" declares status fields but crdFile \"./crd.yaml\" "
            "has no status subresource; status is not written"});
  CHECK(h.diags.diagnostics()[0].path == "spec.crds.webapp.apiTypes.group");
  CHECK(h.diags.diagnostics()[3].path == "spec.crds.webapp.namespaced");
  CHECK(h.diags.diagnostics()[4].path == "spec.crds.webapp.operatorBox.emit.status.fields");

  // The entry without apiTypes takes them from its crdFile (storage version, the file's plural).
  const ir::ApiTypes& api = doc.crds[1].apiTypes;
  CHECK(api.present);
  CHECK(api.group == "acme.io");
  CHECK(api.kind == "Plain");
  CHECK(api.version == "v1");
  CHECK(api.plural == "plainz");
}

TEST_CASE("a crdFile with a status subresource and matching apiTypes is silent", "[check_crds]") {
  Harness h;
  FileId f = h.addFile("katalog.yaml", "webapp: {crdFile: ./crd.yaml, apiTypes: {group: acme.io, version: v1}}\n");
  auto docs = frontend::readYaml(h.sm, f, h.diags);
  ir::Document& doc = h.addEntry(ir::DocKind::Katalog, "katalog.yaml");
  ir::CrdEntry& e = addCrd(doc, "webapp", h.find(f, "webapp"));
  e.body = docs[0].root->get("webapp")->clone();
  e.crdFile.value = "./crd.yaml";
  h.module.crdFiles.push_back(crdFile("crd.yaml", "acme.io", "WebApp", "webapps", {"v1beta1", "v1"}, "Namespaced", true));
  h.run(createCheckCrdsPass());
  CHECK(h.diags.diagnostics().empty());
}
