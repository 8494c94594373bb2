// Tests of the validate pipeline: the pass list, --print-ir-after, and end-to-end runs through
// frontend::loadDocuments on projects on disk and on the corpus. The end-to-end cases ([e2e]) need
// the real frontend builders (buildKatalog, buildKomposer, buildMotif, loadCrdFile, loadCrFile).
#include "passes/pipeline.h"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "passes/check_dependencies.h"
#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;

namespace {

Date today() { return *parseDate("2026-03-01"); }

std::string corpus(const std::string& rel) {
  const char* shared = std::getenv("ORK_SHARED_DIR");
  // Normalised, so the entry path and the imported paths (joined and normalised) share a prefix.
  std::string root = std::string(shared ? shared : "../shared") + "/corpus/orkestra/ialexeze/examples/";
  return std::filesystem::path(root + rel).lexically_normal().string();
}

/// Loads `entry` and runs the validate pipeline; returns the diagnostics with codes in
/// [from, to], as `file:line:col: severity[code]: message` with `strip` removed from paths.
struct Run {
  testing::Harness h;
  std::string strip;

  void load(const std::string& entry) {
    h.loadEntry(entry);
    runPipeline(h.module, h.ctx, "", {}, PipelineOptions{today()});
  }
  std::vector<std::string> rendered(int from = 1200, int to = 1799) const {
    std::vector<std::string> out;
    const auto& all = h.diags.diagnostics();
    std::vector<std::string> r = h.rendered();
    for (size_t i = 0; i < all.size(); ++i) {
      int code = static_cast<int>(all[i].code);
      if (code < from || code > to) continue;
      std::string s = r[i];
      for (size_t p; !strip.empty() && (p = s.find(strip)) != std::string::npos;) s.erase(p, strip.size());
      out.push_back(s);
    }
    return out;
  }
};

const char* kHeader = "apiVersion: orkestra.orkspace.io/v1\n";

}  // namespace

TEST_CASE("the validate pipeline runs its passes in order", "[pipeline]") {
  CHECK(validatePassNames() ==
        std::vector<std::string>{"load-imports", "parse-templates", "check-crds", "merge-overrides", "check-motif-bindings",
                                 "expand-motifs", "check-template-types", "check-dependencies", "check-lifecycle"});
  for (const PassPtr& p : buildValidatePipeline()) CHECK_FALSE(p->summary().empty());
}

TEST_CASE("--print-ir-after calls the hook after the named pass, or after every pass", "[pipeline]") {
  testing::Harness h;
  std::vector<std::string> printed;
  auto hook = [&](std::string_view name, const ir::Module&) { printed.emplace_back(name); };
  CHECK(runPipeline(buildValidatePipeline(), h.module, h.ctx, "check-crds", hook));
  CHECK(printed == std::vector<std::string>{"check-crds"});
  printed.clear();
  CHECK(runPipeline(buildValidatePipeline(), h.module, h.ctx, "all", hook));
  CHECK(printed == validatePassNames());
  printed.clear();
  CHECK_FALSE(runPipeline(buildValidatePipeline(), h.module, h.ctx, "merge-everything", hook));
  CHECK(printed.empty());
  CHECK(runPipeline(h.module, h.ctx));
}

TEST_CASE("[e2e] a Komposer project: duplicates, overrides, dependencies, lifecycle", "[pipeline][e2e]") {
  testing::TempDir t;
  t.write("komposer.yaml", std::string(kHeader) +
                               "kind: Komposer\n"
                               "metadata: {name: shop}\n"
                               "imports:\n"
                               "  files: [./katalogs/web.yaml, ./katalogs/db.yaml]\n"
                               "spec:\n"
                               "  crds:\n"
                               "    webapp: {dependsOn: [cache]}\n"
                               "    cache: {dependsOn: {webapp: healthy}}\n"
                               "    postgress: {workers: 2}\n");
  t.write("katalogs/web.yaml", std::string(kHeader) +
                                   "kind: Katalog\n"
                                   "metadata: {name: web-operator, version: v1.0.0}\n"
                                   "lifecycle: {maturity: deprecated, deprecation: {message: use web v2}}\n"
                                   "spec:\n"
                                   "  crds:\n"
                                   "    webapp: {apiTypes: {group: acme.io, version: v1, kind: WebApp}}\n"
                                   "    cache: {apiTypes: {group: acme.io, version: v1, kind: Cache}}\n");
  t.write("katalogs/db.yaml", std::string(kHeader) +
                                  "kind: Katalog\n"
                                  "metadata: {name: db-operator}\n"
                                  "spec:\n"
                                  "  crds:\n"
                                  "    postgres: {apiTypes: {group: acme.io, version: v1, kind: Postgres}}\n"
                                  "    cache: {apiTypes: {group: acme.io, version: v1, kind: Cache}}\n");
  Run r;
  r.strip = t.path() + "/";
  r.load(t.at("komposer.yaml"));
  CHECK(r.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:5:32: error[ORK1205]: duplicate CRD \"cache\": defined in \"file:./katalogs/web.yaml\" and "
            "\"file:./katalogs/db.yaml\" — names must be unique across all imports",
            "komposer.yaml:10:5: error[ORK1204]: override for unknown CRD \"postgress\" in spec.crds (did you mean "
            "\"postgres\"?)",
            "komposer.yaml:8:26: error[ORK1302]: circular dependency: cache → webapp → cache",
            "komposer.yaml:5:11: warning[ORK1401]: file \"./katalogs/web.yaml\" is deprecated (use web v2)"});
  CHECK(r.h.module.loadOrder.size() == 3);
}

TEST_CASE("[e2e] the startup order of a valid project", "[pipeline][e2e]") {
  testing::TempDir t;
  t.write("katalog.yaml", std::string(kHeader) +
                              "kind: Katalog\n"
                              "metadata: {name: shop}\n"
                              "spec:\n"
                              "  crds:\n"
                              "    webapp: {apiTypes: {group: acme.io, version: v1, kind: WebApp}, dependsOn: [postgres, cache]}\n"
                              "    cache: {apiTypes: {group: acme.io, version: v1, kind: Cache}, dependsOn: {postgres: healthy}}\n"
                              "    postgres: {apiTypes: {group: acme.io, version: v1, kind: Postgres}}\n"
                              "    api: {apiTypes: {group: acme.io, version: v1, kind: Api}}\n");
  Run r;
  r.load(t.at("katalog.yaml"));
  CHECK(r.h.diags.errorCount() == 0);
  CHECK(buildDependencyGraph(r.h.module).startupOrder ==
        std::vector<std::string>{"api", "postgres", "cache", "webapp"});
}

TEST_CASE("[e2e] corpus 05-komposer: an oci:// registry URL, OCI motifs, local imports", "[pipeline][e2e]") {
  Run r;
  r.strip = corpus("");
  r.load(corpus("registry-guide/05-komposer/komposer.yaml"));
  CHECK(r.rendered() ==
        std::vector<std::string>{
            "registry-guide/05-komposer/komposer.yaml:14:7: error[ORK1210]: registry "
            "\"oci://ghcr.io/myorg/katalogs/webapp-operator\"@v1.0.0: invalid URL",
            "registry-guide/04-katalog-platform/katalog.yaml:31:18: error[ORK1209]: motif "
            "\"ghcr.io/myorg/motifs/web-service\"@v1.0.0: OCI sources cannot be fetched by this resolver (it serves "
            "local paths only)",
            "registry-guide/04-katalog-platform/katalog.yaml:40:18: error[ORK1209]: motif "
            "\"ghcr.io/myorg/motifs/platform-admission\"@v1.0.0: OCI sources cannot be fetched by this resolver (it "
            "serves local paths only)",
            // The cache Katalog declares the data-store motif's status fields itself: the CRD wins (§8.3).
            "registry-guide/01-motifs/data-store/motif.yaml:90:13: note[ORK1607]: motif \"data-store\": status field "
            "\"ready\" is also declared by CRD \"cache\"; the CRD's field wins and the motif's is dropped",
            "registry-guide/01-motifs/data-store/motif.yaml:92:13: note[ORK1607]: motif \"data-store\": status field "
            "\"connectionSecret\" is also declared by CRD \"cache\"; the CRD's field wins and the motif's is dropped",
            "registry-guide/01-motifs/data-store/motif.yaml:94:13: note[ORK1607]: motif \"data-store\": status field "
            "\"endpoint\" is also declared by CRD \"cache\"; the CRD's field wins and the motif's is dropped"});
  // The two local Katalogs (they use apiTypes, no crdFile) and the data-store motif loaded.
  CHECK(r.h.module.loadOrder.size() == 3);
  CHECK(r.h.module.crdFiles.empty());
  const ir::Document* cache = r.h.module.loadOrder[0];
  REQUIRE(cache->crds.size() == 1);
  REQUIRE(cache->crds[0].imports.size() == 1);
  REQUIRE(cache->crds[0].imports[0].resolved);
  CHECK(cache->crds[0].imports[0].resolved->metadata.name.value == "data-store");
  CHECK(cache->crds[0].origin.source == "file:../03-katalog-cache/katalog.yaml");
}

TEST_CASE("[e2e] corpus 13-deprecation-accept: an unacknowledged deprecated file import", "[pipeline][e2e]") {
  Run r;
  r.strip = corpus("");
  r.load(corpus("registry-guide/13-deprecation-accept/komposer.yaml"));
  CHECK(r.rendered() ==
        std::vector<std::string>{
            "registry-guide/13-deprecation-accept/katalog.yaml:24:16: error[ORK1206]: crdFile \"./crd-v1.yaml\" not "
            "found (looked for \"registry-guide/13-deprecation-accept/crd-v1.yaml\")",
            "registry-guide/13-deprecation-accept/komposer.yaml:19:7: warning[ORK1401]: file \"./katalog.yaml\" is "
            "deprecated — migrate to: ghcr.io/myorg/katalogs/webapp@v2.0.0 (v1.0.0 is end-of-life. Migrate to v2.0.0: "
            "add spec.healthPath to your CRs.)"});
}

TEST_CASE("[e2e] corpus 01-hello-website: crdFile and crFiles load; apiTypes come from the CRD", "[pipeline][e2e]") {
  Run r;
  r.strip = corpus("");
  r.load(corpus("beginner/01-hello-website/katalog.yaml"));
  CHECK(r.rendered() == std::vector<std::string>{
                            "beginner/01-hello-website/katalog.yaml:27:13: warning[ORK1703]: CRD \"website\" declares "
                            "status fields but crdFile \"./crd.yaml\" has no status subresource; status is not written"});
  CHECK(r.h.module.crdFiles.size() == 1);
  CHECK(r.h.module.crs.size() == 1);
  const ir::CrdEntry& website = r.h.module.documents[0]->crds.at(0);
  CHECK(website.apiTypes.present);
  CHECK(website.apiTypes.kind == r.h.module.crdFiles[0]->kind);
  CHECK(website.apiTypes.plural == r.h.module.crdFiles[0]->plural);
  CHECK(website.apiTypes.version == r.h.module.crdFiles[0]->storageVersion);
}
