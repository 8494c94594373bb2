// Interoperability of ork's artifacts with skopeo (a second, independent OCI client): what `ork push`
// writes to the real docker-registry reads back through `skopeo inspect --raw` as the §11.1 manifest,
// what `skopeo copy` puts in an OCI image layout is pulled and imported by ork, and the reverse way.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>

#include "frontend/sources/oci.h"
#include "testdata/cli/cli_harness.h"

using namespace ork::clitest;

namespace {

// A private cache and Docker configuration for every ork run of one test.
struct Env {
  TempDir dir;
  std::string vars() const {
    return "ORK_CACHE_DIR=" + shellQuote((dir / "cache").string()) +
           " DOCKER_CONFIG=" + shellQuote((dir / "docker").string());
  }
};

const std::vector<std::string> kFiles{"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"};

// Runs skopeo with a private HOME and no signature policy file; its stdout goes to <cwd>/<outFile>.
int skopeo(const fs::path& cwd, const std::string& args, const std::string& outFile = "skopeo.out") {
  return runShell(cwd, "HOME=" + shellQuote(cwd.string()) + " skopeo --insecure-policy " + args + " >" +
                           shellQuote(outFile) + " 2>skopeo.err");
}

// The manifest digest printed by `ork push` ("" when absent).
std::string pushedDigest(const std::string& out) {
  std::smatch m;
  return std::regex_search(out, m, std::regex("\n  Digest:  (sha256:[0-9a-f]{64})\n")) ? m[1].str() : "";
}

void checkSameFiles(const fs::path& a, const fs::path& b) {
  for (const std::string& f : kFiles) {
    INFO(f);
    CHECK(readFile(a / f) == readFile(b / f));
  }
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(b)) n += e.is_regular_file() ? 1 : 0;
  CHECK(n == kFiles.size());
}

}  // namespace

TEST_CASE("skopeo reads what ork push wrote: the §11.1 manifest, byte for byte under its digest",
          "[cli][interop]") {
  REQUIRE(runShell(".", "command -v skopeo >/dev/null") == 0);
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  writePattern(env.dir / "src", "v14");
  const std::string repo = reg.host() + "/team/postgres";
  RunResult r = runOrk(env.dir.path(), "push " + repo + ":v14 src", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  const std::string digest = pushedDigest(r.out);
  REQUIRE(!digest.empty());

  REQUIRE(skopeo(env.dir.path(), "inspect --raw --tls-verify=false docker://" + repo + ":v14", "raw.json") ==
          0);
  std::string raw = readFile(env.dir / "raw.json").value_or("");
  CHECK(ork::sources::sha256Digest(raw) == digest);
  auto j = nlohmann::json::parse(raw, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["schemaVersion"] == 2);
  CHECK(j["mediaType"] == "application/vnd.oci.image.manifest.v1+json");
  CHECK(j["artifactType"] == "application/vnd.orkestra.pattern.v1+tar+gzip");
  CHECK(j["config"]["mediaType"] == "application/vnd.oci.empty.v1+json");
  CHECK(j["config"]["digest"] == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  CHECK(j["config"]["size"] == 2);
  std::vector<std::string> titles, types;
  for (const auto& l : j["layers"]) {
    titles.push_back(l["annotations"]["org.opencontainers.image.title"]);
    types.push_back(l["mediaType"]);
  }
  CHECK(titles == kFiles);
  CHECK(types == std::vector<std::string>{
                     "application/vnd.orkestra.katalog.v1+yaml", "application/vnd.kubernetes.crd.v1+yaml",
                     "application/vnd.kubernetes.cr.v1+yaml", "application/octet-stream", "text/markdown"});
  CHECK(j["annotations"]["org.opencontainers.image.version"] == "v14");
  CHECK(j["annotations"]["io.orkestra.pattern.kind"] == "Katalog");

  // The same bytes by digest.
  REQUIRE(skopeo(env.dir.path(), "inspect --raw --tls-verify=false docker://" + repo + "@" + digest,
                 "raw2.json") == 0);
  CHECK(readFile(env.dir / "raw2.json") == raw);
}

TEST_CASE("an artifact skopeo copied into an OCI layout is pulled and imported by ork", "[cli][interop]") {
  REQUIRE(runShell(".", "command -v skopeo >/dev/null") == 0);
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  const fs::path& root = env.dir.path();
  fs::path src = writePattern(root / "src", "v14");
  const std::string repo = reg.host() + "/team/postgres";
  RunResult r = runOrk(root, "push " + repo + ":v14 src", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  const std::string digest = pushedDigest(r.out);
  REQUIRE(!digest.empty());

  // skopeo copies registry → layout (the app directory holds the layout beside its Komposer).
  fs::create_directories(root / "app");
  int rc = skopeo(root, "copy -q --src-tls-verify=false docker://" + repo + ":v14 oci:app/layout:v14");
  INFO(readFile(root / "skopeo.err").value_or(""));
  REQUIRE(rc == 0);
  REQUIRE(fs::exists(root / "app" / "layout" / "index.json"));

  r = runOrk(root, "pull oci-layout:app/layout:v14 -o out", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pulled oci-layout:app/layout:v14\n  Digest:  " + digest + "\n") == 0);
  checkSameFiles(src, root / "out");

  // Imported as oci-layout:./layout@v14 by a Komposer beside it; the lock pins the same digest.
  writeFile(root / "app" / "komposer.yaml",
            "apiVersion: orkestra.orkspace.io/v1\n"
            "kind: Komposer\n"
            "metadata: {name: shop, version: v0.1.0}\n"
            "imports:\n"
            "  registry:\n"
            "    - url: oci-layout:./layout@v14\n");
  reg.stop();  // the layout needs no server
  r = runOrk(root / "app", "validate", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out == "✓ komposer.yaml: valid (1 CRD)\n");
  auto lock = nlohmann::json::parse(readFile(root / "app" / "ork.lock").value_or(""), nullptr, false);
  REQUIRE(lock.is_object());
  REQUIRE(lock["imports"].size() == 1);
  CHECK(lock["imports"][0]["kind"] == "oci-layout");
  CHECK(lock["imports"][0]["resolved"] == digest);
  CHECK(lock["imports"][0]["version"] == "v14");
  r = runOrk(root / "app", "validate --locked", env.vars());
  INFO(r.err);
  CHECK(r.exit == 0);
}

TEST_CASE("the reverse way: ork push to a layout, skopeo copy to the registry, ork pull from it",
          "[cli][interop]") {
  REQUIRE(runShell(".", "command -v skopeo >/dev/null") == 0);
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  const fs::path& root = env.dir.path();
  fs::path src = writePattern(root / "src", "v14");
  fs::create_directories(root / "layouts");
  RunResult r = runOrk(root / "layouts", "push oci-layout:postgres:v14 ../src", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pushed oci-layout:postgres:v14 (katalog.yaml, 5 files, ") == 0);
  const std::string digest = pushedDigest(r.out);
  REQUIRE(!digest.empty());

  const std::string repo = reg.host() + "/back/postgres";
  int rc = skopeo(root, "copy -q --dest-tls-verify=false oci:layouts/postgres:v14 docker://" + repo + ":v14");
  INFO(readFile(root / "skopeo.err").value_or(""));
  REQUIRE(rc == 0);

  r = runOrk(root, "pull " + repo + ":v14 -o out", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pulled " + repo + ":v14\n  Digest:  " + digest + "\n") == 0);
  checkSameFiles(src, root / "out");

  r = runOrk(root, "inspect " + repo + ":v14 -o json", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["digest"] == digest);
}
