// End-to-end tests of `ork inspect` (FORMATS.md §11.3) against the real docker-registry on loopback (with
// its access log, to prove that only the manifest is read) and OCI layouts: the text, --view,
// --versions, -o json and the §10.3 errors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>

#include "testdata/cli/artifact_push.h"
#include "testdata/cli/cli_harness.h"

using namespace ork::clitest;

namespace {

struct Env {
  TempDir dir;
  std::string vars() const {
    return "ORK_CACHE_DIR=" + shellQuote((dir / "cache").string()) +
           " DOCKER_CONFIG=" + shellQuote((dir / "docker").string());
  }
};

// A small pattern with fixed contents, so sizes in the text are stable.
fs::path smallPattern(const fs::path& dir) {
  writeFile(dir / "katalog.yaml",
            "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: pg, version: v14}\n");
  writeFile(dir / "crd.yaml", std::string(2048, '#') + "\n");
  writeFile(dir / "cr.yaml", "kind: Postgres\n");
  writeFile(dir / "komposer.yaml", "kind: Komposer\n");
  writeFile(dir / "README.md", "# pg\n");
  return dir;
}

const std::map<std::string, std::string> kAnnotations = {
    {"org.opencontainers.image.created", "2026-03-02T09:14:05Z"},
    {"org.opencontainers.image.description", "PostgreSQL with backups"},
    {"io.orkestra.pattern.kind", "Katalog"},
    {"io.orkestra.pattern.name", "postgres"},
    {"io.orkestra.pattern.version", "v14"},
    {"io.orkestra.pattern.license", "MIT"},
    {"io.orkestra.katalog.deprecated", "true"},
    {"io.orkestra.katalog.deprecated.migrated_to", "postgres:v15"},
    {"io.orkestra.simulate.status", "failed"},
    {"io.orkestra.simulate.assertions", "4"},
    {"io.orkestra.simulate.failed", "1"},
    {"io.orkestra.e2e.status", "skipped"},
    {"io.orkestra.pattern.draft", "true"},
    {"io.orkestra.pattern.draft.reason", "simulate,version"},
};

// Lines of the registry's access log that fetched a blob (GET …/blobs/…).
std::vector<std::string> blobGets(const Registry& reg) {
  std::vector<std::string> out;
  std::istringstream log(readFile(fs::path(reg.storage()) / "registry.log").value_or(""));
  for (std::string line; std::getline(log, line);)
    if (line.find("GET /v2/") != std::string::npos && line.find("/blobs/") != std::string::npos)
      out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("inspect prints the §11.3 text from the manifest alone", "[cli][inspect]") {
  Registry reg({"--access-log"});
  REQUIRE(reg.ok());
  Env env;
  Pushed pushed =
      pushArtifact(reg.host(), "team/postgres", "v14", smallPattern(env.dir / "src").string(), kAnnotations);
  INFO(pushed.error);
  REQUIRE(!pushed.digest.empty());

  RunResult r = runOrk(env.dir.path(), "inspect " + reg.host() + "/team/postgres:v14", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  std::string text = r.out;
  text = std::regex_replace(text, std::regex(reg.host()), "HOST");
  text = std::regex_replace(text, std::regex(R"(\(\d+[smhd] ago\))"), "(AGE ago)");
  CHECK(text.find("Digest:      " + pushed.digest.substr(0, 19) + "…\n") != std::string::npos);
  text = std::regex_replace(text, std::regex(R"(sha256:[0-9a-f]{12}…)"), "sha256:DIGEST…");
  CHECK(text ==
        "⚠  This pattern is deprecated.\n"
        "  Migrate to:  postgres:v15\n"
        "\n"
        "postgres:v14\n"
        "  Registry:    HOST\n"
        "  Kind:        Katalog\n"
        "  Digest:      sha256:DIGEST…\n"
        "  Pushed:      2026-03-02T09:14:05Z (AGE ago)\n"
        "  Size:        2.1 KB in 5 files\n"
        "  Description: PostgreSQL with backups\n"
        "  License:     MIT\n"
        "  Simulate:    ✗ Failed · 1 of 4 assertions failed\n"
        "  E2E:         ⊘ Skipped\n"
        "  Typed:       no\n"
        "  Draft:       ⚠ pushed with --force (simulate, version)\n"
        "\n"
        "  Files:\n"
        "    katalog.yaml                   85 B\n"
        "    crd.yaml                       2.0 KB\n"
        "    cr.yaml                        15 B\n"
        "    komposer.yaml                  15 B\n"
        "    README.md                      5 B\n"
        "\n"
        "To pull:  ork pull HOST/team/postgres:v14\n");
  // Manifest only: not one blob was downloaded.
  CHECK(blobGets(reg).empty());

  // --view downloads just the named layers, in the order given.
  r = runOrk(env.dir.path(), "inspect " + reg.host() + "/team/postgres:v14 --view README.md,cr.yaml",
             env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out == "# ── README.md ──\n# pg\n# ── cr.yaml ──\nkind: Postgres\n");
  CHECK(blobGets(reg).size() == 2);

  // By digest, and as JSON.
  r = runOrk(env.dir.path(), "inspect " + reg.host() + "/team/postgres@" + pushed.digest + " -o json",
             env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["reference"] == reg.host() + "/team/postgres@" + pushed.digest);
  CHECK(j["digest"] == pushed.digest);
  CHECK(j["artifactType"] == "application/vnd.orkestra.pattern.v1+tar+gzip");
  CHECK(j["annotations"]["io.orkestra.simulate.status"] == "failed");
  REQUIRE(j["layers"].size() == 5);
  CHECK(j["layers"][0]["title"] == "katalog.yaml");
  CHECK(j["layers"][0]["mediaType"] == "application/vnd.orkestra.katalog.v1+yaml");
  CHECK(j["layers"][1]["size"] == 2049);
  CHECK_FALSE(j.contains("versions"));
}

TEST_CASE("inspect --versions lists tags highest semver first with their gates", "[cli][inspect]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  fs::path src = smallPattern(env.dir / "src");
  for (const char* tag : {"v1.9.0", "v1.10.0", "v1.2.0", "latest"}) {
    std::map<std::string, std::string> a = {{"io.orkestra.pattern.kind", "Katalog"}};
    if (std::string(tag) == "v1.10.0") a["io.orkestra.simulate.status"] = "passed";
    REQUIRE(pushArtifact(reg.host(), "team/postgres", tag, src.string(), a).error == "");
  }
  RunResult r =
      runOrk(env.dir.path(), "inspect " + reg.host() + "/team/postgres:v1.9.0 --versions", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  std::string versions = r.out.substr(r.out.find("  Versions:\n"));
  CHECK(versions ==
        "  Versions:\n"
        "    v1.10.0          simulate ✓  e2e -\n"
        "    v1.9.0           simulate -  e2e -\n"
        "    v1.2.0           simulate -  e2e -\n"
        "    latest           simulate -  e2e -\n"
        "\n"
        "To pull:  ork pull " +
            reg.host() + "/team/postgres:v1.9.0\n");

  // Without a tag, --versions lists the versions only; -o json carries them too.
  r = runOrk(env.dir.path(), "inspect " + reg.host() + "/team/postgres --versions -o json", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  nlohmann::json j = nlohmann::json::parse(r.out);
  REQUIRE(j["versions"].size() == 4);
  CHECK(j["versions"][0]["tag"] == "v1.10.0");
  CHECK(j["versions"][0]["simulate"] == "passed");
  CHECK(j["versions"][1]["tag"] == "v1.9.0");
  CHECK_FALSE(j.contains("digest"));
}

TEST_CASE("inspect errors: not found, 401 with docker login, --view of an unknown file", "[cli][inspect]") {
  Registry reg({"--htpasswd", "alice:s3cret"});
  REQUIRE(reg.ok());
  Env env;
  REQUIRE(pushArtifact(reg.host(), "team/postgres", "v14", smallPattern(env.dir / "src").string(), {}, false,
                       "alice", "s3cret")
              .error == "");
  const std::string ref = reg.host() + "/team/postgres:v14";
  RunResult r = runOrk(env.dir.path(), "inspect " + ref, env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1261]: " + ref + ": authentication required (401)\n") != std::string::npos);
  CHECK(r.err.find("help: run 'docker login " + reg.host() + "'") != std::string::npos);

  writeFile(env.dir / "docker" / "config.json",
            "{\"auths\": {\"" + reg.host() + "\": {\"username\": \"alice\", \"password\": \"s3cret\"}}}");
  r = runOrk(env.dir.path(), "inspect " + reg.host() + "/team/postgres:v15", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1260]: " + reg.host() + "/team/postgres:v15: reference not found\n") !=
        std::string::npos);
  CHECK(r.err.find("help: Check available versions in the registry\n") != std::string::npos);

  r = runOrk(env.dir.path(), "inspect " + ref + " --view README.mdx", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("error[ORK1852]: " + ref +
                   ": no file \"README.mdx\" in the artifact (did you mean \"README.md\"?)") !=
        std::string::npos);
  CHECK(r.err.find("help: files: katalog.yaml, crd.yaml, cr.yaml, komposer.yaml, README.md\n") !=
        std::string::npos);

  r = runOrk(env.dir.path(), "inspect 'bad ref'", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1850]: invalid reference \"bad ref\"") != std::string::npos);
  CHECK(runOrk(env.dir.path(), "inspect " + ref + " -o yaml", env.vars()).exit == 2);
}

TEST_CASE("inspect an OCI layout and a motif", "[cli][inspect]") {
  Env env;
  REQUIRE(pushToLayout((env.dir / "registry" / "postgres").string(), "v14",
                       smallPattern(env.dir / "src").string(), {{"io.orkestra.pattern.kind", "Katalog"}})
              .error == "");
  RunResult r =
      runOrk(env.dir.path(), "inspect postgres:v14", env.vars() + " ORK_REGISTRY=oci-layout:registry");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("postgres:v14\n  Registry:    oci-layout:registry/postgres\n") != std::string::npos);
  CHECK(r.out.find("To pull:  ork pull postgres:v14\n") != std::string::npos);

  writeFile(env.dir / "motif" / "motif.yaml", "apiVersion: orkestra.orkspace.io/v1\nkind: Motif\n");
  writeFile(env.dir / "motif" / "README.md", "# web\n");
  REQUIRE(
      pushToLayout((env.dir / "motifs" / "web").string(), "v1.1.0", (env.dir / "motif").string(), {}, true)
          .error == "");
  r = runOrk(env.dir.path(), "inspect --motif web:v1.1.0",
             env.vars() + " ORK_MOTIFS_REGISTRY=oci-layout:motifs");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("  Kind:        Motif\n") != std::string::npos);
  CHECK(r.out.find("E2E:") == std::string::npos);
  CHECK(r.out.find("To pull:  ork pull web:v1.1.0 --motif\n") != std::string::npos);
}
