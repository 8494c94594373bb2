// End-to-end tests of `ork push` (FORMATS.md §11.1, §11.2) against the real docker-registry on loopback and
// OCI layout directories: layout and annotations as skopeo sees them, the version/tag rule and --update-meta,
// immutable tags, the checks that block a push, the gates, SOURCE_DATE_EPOCH, and the registry index.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>

#include "frontend/sources/oci.h"
#include "support/http.h"
#include "testdata/cli/cli_harness.h"

using namespace ork::clitest;
namespace src = ork::sources;

namespace {

// A working directory with a private cache and Docker configuration for every ork run.
struct Work {
  TempDir dir;
  RunResult ork(const std::string& args, const std::string& env = "") const {
    return runOrk(dir.path(), args,
                  "ORK_CACHE_DIR=" + shellQuote((dir / "cache").string()) +
                      " DOCKER_CONFIG=" + shellQuote((dir / "docker").string()) + " " + env);
  }
  fs::path operator/(const std::string& rel) const { return dir / rel; }
};

// The registry seen through ork's own client (for tags and manifests), without Docker credentials.
struct Remote {
  std::unique_ptr<ork::http::Client> client = ork::http::makeCurlClient();
  std::unique_ptr<src::Registry> registry;
  explicit Remote(const std::string& host) {
    src::RemoteOptions o;
    o.useDockerConfig = false;
    registry = src::openRemoteRegistry(host, *client, o);
  }
  std::vector<std::string> tags(const std::string& repo) {
    auto t = registry->listTags(repo);
    return t.ok() ? *t.value : std::vector<std::string>{};
  }
  std::map<std::string, std::string> annotations(const std::string& repo, const std::string& tag) {
    auto m = registry->getManifest(repo, tag);
    REQUIRE(m.ok());
    return m.value->annotations();
  }
};

// `Digest:  sha256:…` of a push's stdout.
std::string pushedDigest(const std::string& out) {
  std::smatch m;
  std::regex re("Digest:  (sha256:[0-9a-f]{64})");
  return std::regex_search(out, m, re) ? m[1].str() : "";
}

void replaceIn(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = readFile(file).value_or("");
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  writeFile(file, text);
}

std::string annotationOr(const std::map<std::string, std::string>& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? "<absent>" : it->second;
}

}  // namespace

TEST_CASE("push: skopeo reads the artifact, layers in §11.1 order with their media types", "[cli][push]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  fs::path pg = writePattern(work / "pg", "v14");
  // A second CR file the Katalog references and a go.mod are pushed; an unreferenced file is not.
  writeFile(pg / "examples/second.yaml", readFile(pg / "cr.yaml").value_or(""));
  replaceIn(pg / "katalog.yaml", "crFiles: [./cr.yaml]", "crFiles: [./cr.yaml, ./examples/second.yaml]");
  writeFile(pg / "go.mod", "module example.com/cache\n");
  writeFile(pg / "notes.txt", "not pushed\n");

  std::string ref = registry.host() + "/team/postgres:v14";
  RunResult r = work.ork("push " + ref + " pg", "SOURCE_DATE_EPOCH=1700000000");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pushed " + ref + " (katalog.yaml, 7 files,") == 0);
  CHECK(r.out.find("To import it in a Komposer:\n  imports:\n    registry:\n      - " + registry.host() +
                   "/team/postgres@v14\n") != std::string::npos);

  TempDir tmp;
  REQUIRE(runShell(tmp.path(),
                   "skopeo inspect --raw --tls-verify=false docker://" + ref + " > manifest.json") == 0);
  auto manifest = nlohmann::json::parse(readFile(tmp / "manifest.json").value_or(""));
  CHECK(src::sha256Digest(readFile(tmp / "manifest.json").value_or("")) == pushedDigest(r.out));
  CHECK(manifest["mediaType"] == "application/vnd.oci.image.manifest.v1+json");
  CHECK(manifest["artifactType"] == "application/vnd.orkestra.pattern.v1+tar+gzip");
  CHECK(manifest["config"]["mediaType"] == "application/vnd.oci.empty.v1+json");
  CHECK(manifest["config"]["digest"] ==
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  std::vector<std::pair<std::string, std::string>> layers;
  for (const auto& l : manifest["layers"])
    layers.emplace_back(l["annotations"]["org.opencontainers.image.title"], l["mediaType"]);
  CHECK(layers == std::vector<std::pair<std::string, std::string>>{
                      {"katalog.yaml", "application/vnd.orkestra.katalog.v1+yaml"},
                      {"crd.yaml", "application/vnd.kubernetes.crd.v1+yaml"},
                      {"cr.yaml", "application/vnd.kubernetes.cr.v1+yaml"},
                      {"komposer.yaml", "application/octet-stream"},
                      {"README.md", "text/markdown"},
                      {"examples/second.yaml", "application/octet-stream"},
                      {"go.mod", "text/plain"}});
  std::map<std::string, std::string> annotations = manifest["annotations"];
  CHECK(annotations ==
        std::map<std::string, std::string>{{"org.opencontainers.image.created", "2023-11-14T22:13:20Z"},
                                           {"org.opencontainers.image.title", "cache"},
                                           {"org.opencontainers.image.version", "v14"},
                                           {"org.opencontainers.image.description",
                                            "A Redis cache as a StatefulSet with a headless Service"},
                                           {"org.opencontainers.image.authors", "ork examples"},
                                           {"org.opencontainers.image.licenses", "Apache-2.0"},
                                           {"io.orkestra.pattern.kind", "Katalog"},
                                           {"io.orkestra.pattern.name", "cache"},
                                           {"io.orkestra.pattern.version", "v14"},
                                           {"io.orkestra.pattern.author", "ork examples"},
                                           {"io.orkestra.pattern.license", "Apache-2.0"},
                                           {"io.orkestra.pattern.tags", "cache,redis,example"},
                                           {"io.orkestra.katalog.maturity", "beta"}});
}

TEST_CASE("push: the version must equal the tag; --force does not bypass it; --update-meta rewrites it",
          "[cli][push]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  fs::path pg = writePattern(work / "pg", "v1.0.0");
  std::string original = readFile(pg / "katalog.yaml").value_or("");
  std::string ref = registry.host() + "/team/postgres:v1.1.0";
  const std::string expected =
      "pg/katalog.yaml:7:12: error[ORK1821]: katalog.yaml: metadata.version \"v1.0.0\" does not match "
      "provided tag "
      "\"v1.1.0\"; use '--update-meta' to set it\n";
  for (const char* flags : {"", " --force"}) {
    RunResult r = work.ork("push " + ref + " pg" + flags);
    INFO(flags);
    CHECK(r.exit == 1);
    CHECK(r.err.find(expected) == 0);
    CHECK(r.out.empty());
  }
  Remote remote(registry.host());
  CHECK(remote.tags("team/postgres").empty());  // nothing was pushed
  CHECK(readFile(pg / "katalog.yaml") == original);

  RunResult r = work.ork("push " + ref + " pg --update-meta");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("updated katalog.yaml: metadata.version -> \"v1.1.0\"\n✓ pushed " + ref) == 0);
  // Only the scalar changed: comments and layout are kept.
  std::string updated = original;
  updated.replace(updated.find("version: v1.0.0"), 15, "version: v1.1.0");
  CHECK(readFile(pg / "katalog.yaml") == updated);
  CHECK(remote.tags("team/postgres") == std::vector<std::string>{"v1.1.0"});

  // A quoted version keeps its quotes; a missing one is added after the name.
  replaceIn(pg / "katalog.yaml", "version: v1.1.0", "version: 'v1.1.0'");
  CHECK(work.ork("push " + registry.host() + "/team/postgres:v1.2.0 pg --update-meta").exit == 0);
  CHECK(readFile(pg / "katalog.yaml").value_or("").find("  version: 'v1.2.0'\n") != std::string::npos);
  replaceIn(pg / "katalog.yaml", "  version: 'v1.2.0'\n", "");
  RunResult missing = work.ork("push " + registry.host() + "/team/postgres:v1.3.0 pg");
  CHECK(missing.exit == 1);
  CHECK(missing.err.find(
            "pg/katalog.yaml:6:9: error[ORK1821]: katalog.yaml: metadata.version is not set and must "
            "equal provided tag \"v1.3.0\"; use '--update-meta' to set it\n") == 0);
  CHECK(work.ork("push " + registry.host() + "/team/postgres:v1.3.0 pg --update-meta").exit == 0);
  CHECK(readFile(pg / "katalog.yaml").value_or("").find("  name: cache\n  version: v1.3.0\n") !=
        std::string::npos);
}

TEST_CASE("push: no version anywhere, digest refs and unrewritable versions are refused", "[cli][push]") {
  Work work;
  fs::path pg = writePattern(work / "pg", "v1.0.0");
  replaceIn(pg / "katalog.yaml", "  version: v1.0.0\n", "");
  RunResult r = work.ork("push pg", "ORK_REGISTRY=oci-layout:./registry");
  CHECK(r.exit == 1);
  CHECK(r.err.find(
            "pg/katalog.yaml:6:9: error[ORK1821]: katalog.yaml: metadata.version is not set and no reference "
            "was given; ork push needs a version\n") == 0);
  r = work.ork("push cache pg", "ORK_REGISTRY=oci-layout:./registry");
  CHECK(r.exit == 1);
  CHECK(r.err.find(
            "error[ORK1821]: katalog.yaml: metadata.version is not set and the reference \"cache\" has no "
            "tag; ork push needs a version\n") != std::string::npos);

  writePattern(work / "pg", "v1.0.0");
  r = work.ork("push localhost:5000/team/pg@sha256:" + std::string(64, 'a') + " pg");
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1822]: cannot push to a digest reference \"localhost:5000/team/pg@sha256:") ==
        0);
  r = work.ork("push localhost:5000/team/index:v1.0.0 pg");
  CHECK(r.exit == 1);
  CHECK(
      r.err.find(
          "error[ORK1822]: cannot push to \"localhost:5000/team/index:v1.0.0\": the repository name 'index' "
          "holds the registry index\n") == 0);

  // A block scalar cannot be rewritten in place.
  replaceIn(pg / "katalog.yaml", "  version: v1.0.0\n", "  version: >-\n    v1.0.0\n");
  r = work.ork("push cache:v2.0.0 pg --update-meta", "ORK_REGISTRY=oci-layout:./registry");
  CHECK(r.exit == 1);
  CHECK(r.err.find(
            "pg/katalog.yaml:7:12: error[ORK1830]: katalog.yaml: cannot set metadata.version to \"v2.0.0\": "
            "metadata.version is not a one-line plain or quoted scalar\n") == 0);
  CHECK_FALSE(fs::exists(work / "registry/cache"));
}

TEST_CASE(
    "push: the same files twice is 'already pushed'; other files under the tag are refused unless --force",
    "[cli][push]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  fs::path pg = writePattern(work / "pg", "v14");
  std::string ref = registry.host() + "/team/postgres:v14";
  RunResult first = work.ork("push " + ref + " pg");
  REQUIRE(first.exit == 0);
  RunResult again = work.ork("push " + ref + " pg");
  INFO(again.err);
  CHECK(again.exit == 0);
  CHECK(again.out == "✓ " + ref + " already pushed with the same files; left untouched\n  Digest:  " +
                         pushedDigest(first.out) + "\n");

  writeFile(pg / "README.md", "# cache, changed\n");
  RunResult changed = work.ork("push " + ref + " pg");
  CHECK(changed.exit == 1);
  CHECK(changed.err.find("error[ORK1825]: tag \"v14\" already exists with a different digest; versions are "
                         "immutable\n") == 0);
  Remote remote(registry.host());
  CHECK(annotationOr(remote.annotations("team/postgres", "v14"), "io.orkestra.pattern.draft") == "<absent>");

  RunResult forced = work.ork("push " + ref + " pg --force");
  INFO(forced.err);
  CHECK(forced.exit == 0);
  CHECK(forced.out.find("  Draft:   ⚠ pushed with --force (overwrite)\n") != std::string::npos);
  auto a = remote.annotations("team/postgres", "v14");
  CHECK(annotationOr(a, "io.orkestra.pattern.draft") == "true");
  CHECK(annotationOr(a, "io.orkestra.pattern.draft.reason") == "overwrite");
}

TEST_CASE("push: a structure violation, local motif refs and files outside the directory block the push",
          "[cli][push]") {
  Work work;
  const std::string env = "ORK_REGISTRY=oci-layout:./registry";
  fs::path pg = writePattern(work / "pg", "v1.0.0");
  fs::remove(pg / "README.md");
  writeFile(pg / "cr.yaml", "");
  RunResult r = work.ork("push pg", env);
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1501]: pg: failed structure validation: empty: cr.yaml; missing: README.md\n") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(work / "registry"));

  pg = writePattern(work / "pg2", "v1.0.0");
  writeFile(pg / "README.md", "# cache\n");
  replaceIn(pg / "katalog.yaml", "      crFiles: [./cr.yaml]\n",
            "      crFiles: [./cr.yaml]\n      imports:\n        - {motif: ./motifs/web}\n"
            "        - {motif: \"oci-layout:./layouts/web:v1\"}\n");
  r = work.ork("push pg2", env);
  CHECK(r.exit == 1);
  CHECK(r.err.find(
            "pg2/katalog.yaml:21:19: error[ORK1823]: push blocked: local file imports in katalog.yaml\n") !=
        std::string::npos);
  CHECK(r.err.find("pg2/katalog.yaml:21:19: note: spec.crds.cache.imports[0]: \"./motifs/web\"\n") !=
        std::string::npos);
  CHECK(r.err.find(
            "pg2/katalog.yaml:22:19: note: spec.crds.cache.imports[1]: \"oci-layout:./layouts/web:v1\"\n") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(work / "registry"));

  pg = writePattern(work / "pg3", "v1.0.0");
  writeFile(work / "outside.yaml", readFile(pg / "cr.yaml").value_or(""));
  replaceIn(pg / "katalog.yaml", "crFiles: [./cr.yaml]", "crFiles: [./cr.yaml, ../outside.yaml]");
  r = work.ork("push pg3", env);
  CHECK(r.exit == 1);
  CHECK(r.err.find(
            "pg3/katalog.yaml:19:28: error[ORK1824]: spec.crds.cache.crFiles[1] \"../outside.yaml\" lies "
            "outside the pushed directory 'pg3'\n") != std::string::npos);
  CHECK_FALSE(fs::exists(work / "registry"));

  // Neither a Katalog nor a Motif, and both at once.
  fs::create_directories(work / "empty");
  r = work.ork("push empty", env);
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1820]: 'empty' holds neither katalog.yaml nor motif.yaml: nothing to push\n") ==
        0);
  pg = writePattern(work / "both", "v1.0.0");
  fs::copy_file(sourceDir() / "examples/quickstart/motifs/web-service/motif.yaml", pg / "motif.yaml");
  r = work.ork("push both", env);
  CHECK(r.exit == 1);
  CHECK(
      r.err.find(
          "error[ORK1820]: 'both' holds both katalog.yaml (kind: Katalog) and motif.yaml (kind: Motif)\n") ==
      0);
}

TEST_CASE("push: SOURCE_DATE_EPOCH gives byte-identical manifests in two repositories", "[cli][push]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  writePattern(work / "pg", "v1.0.0");
  RunResult a = work.ork("push " + registry.host() + "/team/a:v1.0.0 pg", "SOURCE_DATE_EPOCH=1700000000");
  RunResult b = work.ork("push " + registry.host() + "/other/b:v1.0.0 pg", "SOURCE_DATE_EPOCH=1700000000");
  INFO(a.err << b.err);
  REQUIRE(a.exit == 0);
  REQUIRE(b.exit == 0);
  CHECK_FALSE(pushedDigest(a.out).empty());
  CHECK(pushedDigest(a.out) == pushedDigest(b.out));
  RunResult c = work.ork("push " + registry.host() + "/team/c:v1.0.0 pg", "SOURCE_DATE_EPOCH=1700000001");
  CHECK(pushedDigest(c.out) != pushedDigest(a.out));
  CHECK(work.ork("push " + registry.host() + "/team/d:v1.0.0 pg", "SOURCE_DATE_EPOCH=soon").exit == 2);
}

TEST_CASE("push: ORK_REGISTRY=oci-layout:./registry creates ./registry/<name>, which skopeo copies",
          "[cli][push]") {
  Work work;
  writePattern(work / "pg", "v1");
  RunResult r = work.ork("push cache:v1 pg", "ORK_REGISTRY=oci-layout:./registry");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pushed oci-layout:./registry/cache:v1 ") == 0);
  CHECK(r.out.find("  Index:   oci-layout:./registry/index:latest (1 pattern(s))\n") != std::string::npos);
  CHECK(r.out.find("      - oci-layout:./registry/cache@v1\n") != std::string::npos);
  CHECK(fs::exists(work / "registry/cache/oci-layout"));
  CHECK(fs::exists(work / "registry/index/index.json"));
  CHECK(runShell(work.dir.path(), "skopeo copy -q oci:./registry/cache:v1 oci:./copy:v1") == 0);
  CHECK(fs::exists(work / "copy/index.json"));

  // An explicit layout ref, and the listing of the layout registry from its index.
  writePattern(work / "pg2", "v2");
  REQUIRE(work.ork("push oci-layout:./registry/cache2:v2 pg2").exit == 0);
  RunResult list = work.ork("patterns oci-layout:./registry");
  INFO(list.err);
  CHECK(list.exit == 0);
  CHECK(list.out.find("\ncache   v1      Katalog  -         -                A Redis cache") !=
        std::string::npos);
  CHECK(list.out.find("\ncache2  v2      Katalog  -         -                A Redis cache") !=
        std::string::npos);
  CHECK(list.out.find("2 pattern(s) in oci-layout:./registry — updated ") != std::string::npos);
}

TEST_CASE("push: gates — simulate is recorded skipped; E2E blocks unless --no-e2e or --force",
          "[cli][push]") {
  Work work;
  const std::string env = "ORK_REGISTRY=oci-layout:./registry";
  fs::path pg = writePattern(work / "pg", "v1.0.0");
  writeFile(pg / "e2e.yaml",
            "apiVersion: orkestra.orkspace.io/v1\nkind: E2E\nmetadata: {name: e2e}\n"
            "spec: {katalog: ./katalog.yaml, cluster: {provider: existing}, expect: [{name: ready}]}\n");
  RunResult r = work.ork("push pg", env);
  CHECK(r.exit == 1);
  CHECK(r.err.find(
            "error[ORK1826]: E2E gate cannot run: pg/e2e.yaml needs a Kubernetes cluster, and this build of "
            "ork cannot use one — push blocked\n") == 0);
  CHECK_FALSE(fs::exists(work / "registry/cache"));

  r = work.ork("push pg --no-e2e", env);
  INFO(r.err);
  REQUIRE(r.exit == 0);
  std::string manifest = readFile(work / "registry/cache/index.json").value_or("");
  auto layout = src::openLayoutRegistry((work / "registry/cache").string());
  auto m = layout->getManifest("", "v1.0.0");
  REQUIRE(m.ok());
  auto a = m.value->annotations();
  CHECK(annotationOr(a, "io.orkestra.e2e.status") == "skipped");
  CHECK(annotationOr(a, "io.orkestra.simulate.status") == "<absent>");
  CHECK(annotationOr(a, "io.orkestra.pattern.draft") == "<absent>");
  std::vector<std::string> titles;
  for (const auto& l : m.value->layers())
    titles.push_back(l.annotations.at("org.opencontainers.image.title"));
  CHECK(titles.back() == "e2e.yaml");

  pg = writePattern(work / "pg2", "v2.0.0");
  fs::copy_file(sourceDir() / "testdata/validate/ok_simulate/simulate.yaml", pg / "simulate.yaml");
  replaceIn(pg / "simulate.yaml", "name: web}", "name: sessions}");
  writeFile(pg / "e2e.yaml", readFile(work / "pg/e2e.yaml").value_or(""));
  r = work.ork("push cache:v2.0.0 pg2 --force", env);
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.err.find(
            "warning[ORK1827]: simulate gate skipped: simulate gates arrive with 'ork simulate', which this "
            "build does not have; the artifact is pushed unverified (io.orkestra.simulate.status: "
            "skipped)\n") != std::string::npos);
  a = layout->getManifest("", "v2.0.0").value->annotations();
  CHECK(annotationOr(a, "io.orkestra.simulate.status") == "skipped");
  CHECK(annotationOr(a, "io.orkestra.e2e.status") == "skipped");
  CHECK(annotationOr(a, "io.orkestra.pattern.draft") == "true");
  CHECK(annotationOr(a, "io.orkestra.pattern.draft.reason") == "e2e");

  // --no-simulate skips knowingly: no warning.
  pg = writePattern(work / "pg3", "v3.0.0");
  fs::copy_file(work / "pg2/simulate.yaml", pg / "simulate.yaml");
  r = work.ork("push cache:v3.0.0 pg3 --no-simulate", env);
  CHECK(r.exit == 0);
  CHECK(r.err.find("ORK1827") == std::string::npos);

  // --e2e FILE: the gate's document comes from elsewhere; it must exist.
  pg = writePattern(work / "pg4", "v4.0.0");
  r = work.ork("push cache:v4.0.0 pg4 --e2e missing.yaml", env);
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK0001]: --e2e file 'missing.yaml' does not exist\n") == 0);
  r = work.ork("push cache:v4.0.0 pg4 --e2e pg/e2e.yaml", env);
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1826]: E2E gate cannot run: pg/e2e.yaml needs a Kubernetes cluster") == 0);
  r = work.ork("push cache:v4.0.0 pg4 --e2e pg/e2e.yaml --no-e2e", env);
  CHECK(r.exit == 0);
  CHECK(annotationOr(layout->getManifest("", "v4.0.0").value->annotations(), "io.orkestra.e2e.status") ==
        "skipped");
}

TEST_CASE("push: a motif goes under ORK_MOTIFS_REGISTRY with the motif artifactType", "[cli][push]") {
  Work work;
  fs::create_directories(work / "web");
  for (const char* f : {"motif.yaml", "README.md"})
    fs::copy_file(sourceDir() / "examples/quickstart/motifs/web-service" / f, work / "web" / f);
  fs::create_directories(work / "web/example");
  writeFile(work / "web/example/komposer.yaml", "# how to use it\n");
  RunResult r =
      work.ork("push web", "ORK_MOTIFS_REGISTRY=oci-layout:./motifs ORK_REGISTRY=oci-layout:./katalogs");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pushed oci-layout:./motifs/web-service:v0.1.0 (motif.yaml, 3 files,") == 0);
  CHECK(r.out.find("To import it in a CRD entry:\n  imports:\n    - motif: "
                   "oci-layout:./motifs/web-service@v0.1.0\n") != std::string::npos);
  auto layout = src::openLayoutRegistry((work / "motifs/web-service").string());
  auto m = layout->getManifest("", "v0.1.0");
  REQUIRE(m.ok());
  CHECK(m.value->artifactType() == "application/vnd.orkestra.motif.v1+tar+gzip");
  std::vector<std::string> titles;
  for (const auto& l : m.value->layers())
    titles.push_back(l.annotations.at("org.opencontainers.image.title"));
  CHECK(titles == std::vector<std::string>{"motif.yaml", "README.md", "example"});
  CHECK(annotationOr(m.value->annotations(), "io.orkestra.pattern.kind") == "Motif");
}

TEST_CASE("push: a Katalog importing a published motif validates through the registry, writing no ork.lock",
          "[cli][push]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  fs::create_directories(work / "web");
  for (const char* f : {"motif.yaml", "README.md"})
    fs::copy_file(sourceDir() / "examples/quickstart/motifs/web-service" / f, work / "web" / f);
  std::string motif = registry.host() + "/motifs/web-service";
  REQUIRE(work.ork("push " + motif + ":v0.1.0 web").exit == 0);

  fs::path pg = writePattern(work / "pg", "v1.0.0");
  replaceIn(pg / "katalog.yaml", "      crFiles: [./cr.yaml]\n",
            "      crFiles: [./cr.yaml]\n      imports:\n        - {motif: " + motif +
                "@v0.1.0, with: {image: nginx}}\n");
  RunResult r = work.ork("push " + registry.host() + "/team/cache:v1.0.0 pg");
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK_FALSE(fs::exists(pg / "ork.lock"));

  // A motif that does not exist fails validation with the §10.3 text, and nothing is pushed.
  replaceIn(pg / "katalog.yaml", "@v0.1.0", "@v9.9.9");
  r = work.ork("push " + registry.host() + "/team/cache:v1.0.1 pg --update-meta");
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1260]: motif \"" + motif + "\"@v9.9.9: reference not found\n") !=
        std::string::npos);
  CHECK(Remote(registry.host()).tags("team/cache") == std::vector<std::string>{"v1.0.0"});
}

TEST_CASE("push and patterns read registry credentials from the Docker configuration", "[cli][push]") {
  Registry registry({"--htpasswd", "alice:secret"});
  REQUIRE(registry.ok());
  Work work;
  writePattern(work / "pg", "v1.0.0");
  std::string ref = registry.host() + "/team/pg:v1.0.0";
  RunResult r = work.ork("push " + ref + " pg");
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1261]: " + ref + ": authentication required (401)\nhelp: run 'docker login " +
                   registry.host() + "'") == 0);

  // `docker login` writes auths[host].auth = base64("alice:secret").
  writeFile(work / "docker/config.json",
            "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"YWxpY2U6c2VjcmV0\"}}}\n");
  r = work.ork("push " + ref + " pg");
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("secret") == std::string::npos);
  RunResult list = work.ork("patterns " + registry.host() + "/team");
  CHECK(list.exit == 0);
  CHECK(list.out.find("pg    v1.0.0  Katalog") != std::string::npos);
}

TEST_CASE("push: typed and deprecated Katalogs are annotated (§1.2, §2) and patterns marks them",
          "[cli][push]") {
  Work work;
  fs::path pg = writePattern(work / "pg", "v1.0.0");
  replaceIn(pg / "katalog.yaml", "lifecycle:\n  maturity: beta\n",
            "lifecycle:\n  maturity: deprecated\n  deprecation:\n    message: Replaced by cache v2\n"
            "    migratedTo: cache:v2.0.0\n    timeline: {from: 2026-01-01, to: 2026-09-30}\n");
  replaceIn(
      pg / "katalog.yaml", "          workers: 1\n",
      "          workers: 1\n          hooks: {location: example.com/cache/hooks, function: CacheHooks}\n");
  writeFile(pg / "go.mod", "module example.com/cache\n\nrequire github.com/orkspace/orkestra v0.7.3\n");
  RunResult r = work.ork("push pg", "ORK_REGISTRY=oci-layout:./registry");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  auto layout = src::openLayoutRegistry((work / "registry/cache").string());
  auto a = layout->getManifest("", "v1.0.0").value->annotations();
  CHECK(annotationOr(a, "io.orkestra.katalog.typed") == "true");
  CHECK(annotationOr(a, "io.orkestra.katalog.has_hooks") == "true");
  CHECK(annotationOr(a, "io.orkestra.katalog.has_constructor") == "<absent>");
  CHECK(annotationOr(a, "io.orkestra.katalog.runtime_version") == "v0.7.3");
  CHECK(annotationOr(a, "io.orkestra.katalog.maturity") == "deprecated");
  CHECK(annotationOr(a, "io.orkestra.katalog.deprecated") == "true");
  CHECK(annotationOr(a, "io.orkestra.katalog.deprecated.migrated_to") == "cache:v2.0.0");
  CHECK(annotationOr(a, "io.orkestra.katalog.deprecated.message") == "Replaced by cache v2");
  CHECK(annotationOr(a, "io.orkestra.katalog.deprecated.timeline_from") == "2026-01-01");
  CHECK(annotationOr(a, "io.orkestra.katalog.deprecated.timeline_to") == "2026-09-30");
  RunResult list = work.ork("patterns oci-layout:./registry");
  CHECK(list.out.find("\ncache  v1.0.0  Katalog  -         -    ⚠ → cache:v2.0.0  A Redis cache") !=
        std::string::npos);
}
