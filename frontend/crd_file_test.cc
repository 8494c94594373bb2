// Tests of loadCrdFile and loadCrFile: corpus CRDs and CRs, multi-document files, and each
// InvalidCrdFile/InvalidCr case at the node that causes it.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "frontend/loader.h"

using namespace ork;
using namespace ork::frontend;

namespace {

struct Ctx {
  SourceManager sm;
  DiagnosticEngine diags;
  LoadContext ctx{sm, diags};

  std::string lc(Span s) const {
    LineColumn l = sm.lineColumn(s.file, s.begin);
    return std::to_string(l.line) + ":" + std::to_string(l.column);
  }
  const Diagnostic& only() const {
    INFO(renderAll(diags, sm, {}));
    REQUIRE(diags.diagnostics().size() == 1);
    return diags.diagnostics()[0];
  }
  std::unique_ptr<ir::CrdFile> crd(const std::string& text, Span from = {}) {
    sm.addBuffer("crd.yaml", text);
    return loadCrdFile(ctx, "crd.yaml", from);
  }
  std::vector<std::unique_ptr<ir::CrDocument>> crs(const std::string& text) {
    sm.addBuffer("cr.yaml", text);
    return loadCrFile(ctx, "cr.yaml");
  }
};

std::string corpus(const std::string& rel) {
  const char* shared = std::getenv("ORK_SHARED_DIR");
  return std::string(shared ? shared : "../shared") + "/corpus/orkestra/" + rel;
}

const char* kWidget =
    "apiVersion: apiextensions.k8s.io/v1\n"
    "kind: CustomResourceDefinition\n"
    "metadata: {name: widgets.acme.io}\n"
    "spec:\n"
    "  group: acme.io\n"
    "  names: {kind: Widget, plural: widgets}\n"
    "  scope: Cluster\n"
    "  versions:\n"
    "    - name: v1\n"
    "      served: true\n"
    "      storage: false\n"
    "      schema: {openAPIV3Schema: {type: object}}\n"
    "    - name: v2\n"
    "      served: true\n"
    "      storage: true\n"
    "      subresources: {status: {}}\n"
    "      schema:\n"
    "        openAPIV3Schema:\n"
    "          type: object\n"
    "          properties: {spec: {type: object}}\n"
    "    - name: v0\n"
    "      served: false\n"
    "      storage: false\n";

}  // namespace

TEST_CASE("corpus CRD files load") {
  Ctx c;
  auto website = loadCrdFile(c.ctx, corpus("ialexeze/examples/beginner/01-hello-website/crd.yaml"));
  REQUIRE(website);
  CHECK(website->group == "demo.orkestra.io");
  CHECK(website->kind == "Website");
  CHECK(website->plural == "websites");
  CHECK(website->singular == "website");
  CHECK(website->scope == "Namespaced");
  CHECK(website->storageVersion == "v1alpha1");
  CHECK(website->servedVersions == std::vector<std::string>{"v1alpha1"});
  CHECK_FALSE(website->hasStatusSubresource);
  REQUIRE(website->schemas.size() == 1);
  CHECK(website->schemas[0].first == "v1alpha1");
  CHECK(website->schemas[0].second->at("properties.spec.properties.image.type")->text == "string");
  CHECK(website->root->get("kind")->text == "CustomResourceDefinition");

  auto cache = loadCrdFile(c.ctx, corpus("ialexeze/examples/registry-guide/03-katalog-cache/crd.yaml"));
  REQUIRE(cache);
  CHECK(cache->kind == "Cache");
  CHECK(cache->hasStatusSubresource);
  auto platform = loadCrdFile(c.ctx, corpus("ialexeze/examples/registry-guide/04-katalog-platform/crd.yaml"));
  REQUIRE(platform);
  INFO(renderAll(c.diags, c.sm, {}));
  CHECK(c.diags.diagnostics().empty());
}

TEST_CASE("a CRD with several versions: storage, served, schemas, status of the storage version") {
  Ctx c;
  auto crd = c.crd(kWidget);
  INFO(renderAll(c.diags, c.sm, {}));
  REQUIRE(crd);
  CHECK(crd->scope == "Cluster");
  CHECK(crd->singular == "widget");  // defaulted to the lowercased kind
  CHECK(crd->storageVersion == "v2");
  CHECK(crd->servedVersions == std::vector<std::string>{"v1", "v2"});
  CHECK(crd->hasStatusSubresource);
  REQUIRE(crd->schemas.size() == 2);
  CHECK(crd->schemas[0].first == "v1");
  CHECK(crd->schemas[1].first == "v2");
  CHECK(c.lc(crd->schemas[1].second->span) == "19:11");  // schemas keep their spans
  CHECK(c.lc(crd->span) == "1:1");
}

TEST_CASE("a multi-document CRD file uses its first CustomResourceDefinition") {
  Ctx c;
  auto crd = c.crd(std::string("apiVersion: v1\nkind: Namespace\nmetadata: {name: acme}\n---\n") + kWidget +
                   "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {}\n");
  REQUIRE(crd);
  CHECK(crd->kind == "Widget");
  CHECK(c.lc(crd->span) == "5:1");
  CHECK(c.diags.diagnostics().empty());
}

TEST_CASE("InvalidCrdFile: wrong apiVersion, at the value") {
  Ctx c;
  std::string text = kWidget;
  text.replace(text.find("apiextensions.k8s.io/v1"), 23, "apiextensions.k8s.io/v1beta1");
  CHECK(c.crd(text) == nullptr);
  const Diagnostic& d = c.only();
  CHECK(d.code == DiagCode::InvalidCrdFile);
  CHECK(d.message ==
        "a CustomResourceDefinition must have apiVersion apiextensions.k8s.io/v1 (got 'apiextensions.k8s.io/v1beta1')");
  CHECK(c.lc(d.span) == "1:13");
}

TEST_CASE("InvalidCrdFile: missing names.plural at names; a bad scope at the value; a note at the reference") {
  Ctx c;
  FileId katalog = c.sm.addBuffer("katalog.yaml", "crdFile: ./crd.yaml\n");
  Span ref{katalog, 9, 19};
  CHECK(c.crd("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: acme.io\n"
              "  names: {kind: Widget}\n  scope: Global\n  versions: [{name: v1, served: true, storage: true}]\n",
              ref) == nullptr);
  const auto& all = c.diags.diagnostics();
  REQUIRE(all.size() == 2);
  CHECK(all[0].code == DiagCode::InvalidCrdFile);
  CHECK(all[0].message == "spec.names: missing required field 'plural'");
  CHECK(all[0].path == "spec.names.plural");
  CHECK(c.lc(all[0].span) == "5:10");
  REQUIRE(all[0].notes.size() == 1);
  CHECK(all[0].notes[0].message == "referenced here");
  CHECK(c.sm.location(all[0].notes[0].span) == "katalog.yaml:1:10");
  CHECK(all[1].message == "spec.scope: invalid value 'Global' (expected Namespaced or Cluster)");
  CHECK(c.lc(all[1].span) == "6:10");
}

TEST_CASE("InvalidCrdFile: group, spec, versions") {
  const std::string head = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n";
  {
    Ctx c;
    CHECK(c.crd(head + "metadata: {name: x}\n") == nullptr);
    CHECK(c.only().message == "CustomResourceDefinition: missing required field 'spec'");
    CHECK(c.lc(c.only().span) == "1:1");
  }
  {
    Ctx c;
    CHECK(c.crd(head + "spec:\n  group: [a]\n  names: {kind: W, plural: ws}\n  scope: Namespaced\n"
                       "  versions: [{name: v1, served: true, storage: true}]\n") == nullptr);
    CHECK(c.only().message == "spec.group: expected a non-empty string");
    CHECK(c.lc(c.only().span) == "4:10");
  }
  {
    Ctx c;
    CHECK(c.crd(head + "spec:\n  group: a.io\n  names: {kind: W, plural: ws}\n  scope: Namespaced\n  versions: []\n") ==
          nullptr);
    CHECK(c.only().message == "spec.versions: expected a non-empty list of versions");
    CHECK(c.lc(c.only().span) == "7:13");
  }
  {
    Ctx c;
    CHECK(c.crd(head + "spec:\n  group: a.io\n  names: {kind: W, plural: ws}\n  scope: Namespaced\n"
                       "  versions: [{name: v1, served: true}]\n") == nullptr);
    CHECK(c.only().message == "spec.versions: no version is marked 'storage: true'");
  }
  {
    Ctx c;
    CHECK(c.crd(head + "spec:\n  group: a.io\n  names: {kind: W, plural: ws}\n  scope: Namespaced\n  versions:\n"
                       "    - {name: v1, storage: true}\n    - {name: v2, storage: true}\n") == nullptr);
    CHECK(c.only().message == "spec.versions: more than one version is marked 'storage: true' (first: 'v1')");
    CHECK(c.lc(c.only().span) == "9:7");
  }
  {
    Ctx c;
    CHECK(c.crd(head + "spec:\n  group: a.io\n  names: {kind: W, plural: ws}\n  scope: Namespaced\n"
                       "  versions: [{served: true, storage: true}]\n") == nullptr);
    CHECK(c.only().message == "spec.versions[0]: missing required field 'name'");
  }
}

TEST_CASE("InvalidCrdFile: a file without a CustomResourceDefinition, at the first kind") {
  Ctx c;
  CHECK(c.crd("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n") == nullptr);
  const Diagnostic& d = c.only();
  CHECK(d.code == DiagCode::InvalidCrdFile);
  CHECK(d.message == "crdFile 'crd.yaml' holds no CustomResourceDefinition (first document: kind 'Deployment')");
  CHECK(c.lc(d.span) == "2:7");
}

TEST_CASE("crdFile: empty, missing and broken files") {
  {
    Ctx c;
    CHECK(c.crd("# nothing\n") == nullptr);
    CHECK(c.only().code == DiagCode::EmptyFile);
    CHECK(c.only().message == "crdFile 'crd.yaml' holds no YAML document");
  }
  {
    Ctx c;
    FileId katalog = c.sm.addBuffer("katalog.yaml", "crdFile: ./missing-crd.yaml\n");
    CHECK(loadCrdFile(c.ctx, "/nonexistent/ork-test/missing-crd.yaml", Span{katalog, 9, 27}) == nullptr);
    CHECK(c.only().code == DiagCode::FileNotFound);
    CHECK(c.sm.location(c.only().span) == "katalog.yaml:1:10");
    CHECK(c.only().message.rfind("cannot read crdFile '/nonexistent/ork-test/missing-crd.yaml'", 0) == 0);
  }
  {
    Ctx c;
    CHECK(c.crd("spec: [\n") == nullptr);
    CHECK(c.only().code == DiagCode::YamlSyntax);
  }
}

TEST_CASE("corpus CR files load every document") {
  Ctx c;
  auto pipelines = loadCrFile(c.ctx, corpus("orkspace/examples/intermediate/08-state-machine/cr.yaml"));
  REQUIRE(pipelines.size() == 2);
  CHECK(pipelines[0]->apiVersion == "demo.orkestra.io/v1alpha1");
  CHECK(pipelines[0]->kind == "Pipeline");
  CHECK(pipelines[0]->name == "build-and-test");
  CHECK(pipelines[0]->namespace_ == "default");
  CHECK(pipelines[1]->name == "failing-pipeline");
  CHECK(c.lc(pipelines[1]->span) == "19:1");
  CHECK(pipelines[1]->root->at("spec.image")->text == "alpine:3.19");
  auto cache = loadCrFile(c.ctx, corpus("ialexeze/examples/registry-guide/03-katalog-cache/cr.yaml"));
  REQUIRE(cache.size() == 1);
  CHECK(cache[0]->name == "my-cache");
  auto denied = loadCrFile(c.ctx, corpus("ialexeze/examples/registry-guide/04-katalog-platform/cr-denied.yaml"));
  CHECK(denied.size() == 1);
  CHECK(c.diags.diagnostics().empty());
}

TEST_CASE("InvalidCr: each document needs apiVersion, kind and metadata.name; bad ones are skipped") {
  Ctx c;
  auto crs = c.crs(
      "apiVersion: acme.io/v1\nkind: Widget\nmetadata: {name: ok}\n"
      "---\napiVersion: acme.io/v1\nmetadata: {name: nokind}\n"
      "---\napiVersion: acme.io/v1\nkind: Widget\nmetadata: {namespace: x}\n"
      "---\napiVersion: 1\nkind: Widget\nmetadata: {name: n}\n"
      "---\n- a list\n"
      "---\napiVersion: acme.io/v1\nkind: Widget\nmetadata: {name: \"\"}\n"
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: seeded, namespace: shop}\n");
  REQUIRE(crs.size() == 2);
  CHECK(crs[0]->name == "ok");
  CHECK(crs[0]->namespace_.empty());
  CHECK(crs[1]->kind == "ConfigMap");
  CHECK(crs[1]->namespace_ == "shop");
  const auto& all = c.diags.diagnostics();
  REQUIRE(all.size() == 5);
  for (const Diagnostic& d : all) CHECK(d.code == DiagCode::InvalidCr);
  CHECK(all[0].message == "object: missing required field 'kind'");
  CHECK(c.lc(all[0].span) == "5:1");
  CHECK(all[1].message == "metadata: missing required field 'name'");
  CHECK(c.lc(all[1].span) == "10:11");
  CHECK(all[2].message == "apiVersion: expected a non-empty string");
  CHECK(c.lc(all[2].span) == "12:13");
  CHECK(all[3].message ==
        "expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), got list");
  CHECK(c.lc(all[3].span) == "16:1");
  CHECK(all[4].message == "metadata.name: expected a non-empty string");
  CHECK(c.lc(all[4].span) == "20:18");
}

TEST_CASE("InvalidCr: generateName is refused with a hint; an empty CR file is ORK1008") {
  Ctx c;
  CHECK(c.crs("apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\n").empty());
  CHECK(c.only().message == "metadata: 'generateName' is not supported in an example CR; set metadata.name");
  CHECK(c.lc(c.only().span) == "4:3");
  Ctx e;
  CHECK(e.crs("---\n").empty());
  CHECK(e.only().code == DiagCode::EmptyFile);
  CHECK(e.only().message == "CR file 'cr.yaml' holds no YAML document");
}
