// End-to-end tests of `ork patterns` (FORMATS.md §11.4) against the real docker-registry on loopback: the
// index `ork push` keeps (latestVersion is the highest semver, not the last pushed), --no-index through the
// catalog, filters, JSON, an empty registry, an index that is not an ork index, and a failed index update.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "frontend/sources/artifact.h"
#include "frontend/sources/oci.h"
#include "support/http.h"
#include "testdata/cli/cli_harness.h"

using namespace ork::clitest;
namespace src = ork::sources;

namespace {

struct Work {
  TempDir dir;
  RunResult ork(const std::string& args, const std::string& env = "") const {
    return runOrk(dir.path(), args,
                  "ORK_CACHE_DIR=" + shellQuote((dir / "cache").string()) +
                      " DOCKER_CONFIG=" + shellQuote((dir / "docker").string()) + " " + env);
  }
  fs::path operator/(const std::string& rel) const { return dir / rel; }
};

void setDescription(const fs::path& pattern, const std::string& description) {
  std::string text = readFile(pattern / "katalog.yaml").value_or("");
  const std::string from = "  description: A Redis cache as a StatefulSet with a headless Service\n";
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), "  description: " + description + "\n");
  writeFile(pattern / "katalog.yaml", text);
}

// Pushes the cache pattern as `<host>/<repo>:<version>` with a description naming the version.
void push(const Work& work, const std::string& host, const std::string& repo, const std::string& version) {
  fs::path dir = writePattern(work / ("p-" + version), version);
  setDescription(dir, "cache " + version);
  RunResult r = work.ork("push " + host + "/" + repo + ":" + version + " " + dir.filename().string());
  INFO(r.err);
  REQUIRE(r.exit == 0);
}

}  // namespace

TEST_CASE("patterns: the index lists the highest semver, not the last pushed", "[cli][patterns]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  for (const char* v : {"v1.2.0", "v1.10.0", "v2.0.0-rc.1", "v1.9.0"})
    push(work, registry.host(), "team/postgres", v);
  push(work, registry.host(), "team/webapp", "v0.3.0");

  RunResult r = work.ork("patterns " + registry.host() + "/team");
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.err.empty());
  std::string expectedTable =
      "NAME      LATEST   KIND     SIMULATE  E2E  DEPRECATED  DESCRIPTION\n"
      "postgres  v1.10.0  Katalog  -         -                cache v1.10.0\n"
      "webapp    v0.3.0   Katalog  -         -                cache v0.3.0\n"
      "2 pattern(s) in " +
      registry.host() + "/team — updated ";
  CHECK(r.out.find(expectedTable) == 0);
  CHECK((r.out.find(" — updated 0s ago\n") != std::string::npos ||
         r.out.find(" — updated 1s ago\n") != std::string::npos ||
         r.out.find("s ago\n") != std::string::npos));

  // The same through the registry API; with --no-index no index is read.
  RunResult api = work.ork("patterns " + registry.host() + "/team --no-index");
  CHECK(api.exit == 0);
  CHECK(api.out ==
        "NAME      LATEST   KIND     SIMULATE  E2E  DEPRECATED  DESCRIPTION\n"
        "postgres  v1.10.0  Katalog  -         -                cache v1.10.0\n"
        "webapp    v0.3.0   Katalog  -         -                cache v0.3.0\n"
        "2 pattern(s) in " +
            registry.host() + "/team (no index; listed through the registry API)\n");

  // Filters and JSON.
  RunResult motifs = work.ork("patterns " + registry.host() + "/team --motifs");
  CHECK(motifs.out.find("0 pattern(s) in ") == 0);
  RunResult tagged = work.ork("patterns " + registry.host() + "/team --tag redis -o json");
  CHECK(tagged.exit == 0);
  auto json = nlohmann::json::parse(tagged.out);
  REQUIRE(json["registries"].size() == 1);
  CHECK(json["registries"][0]["registry"] == registry.host() + "/team");
  CHECK(json["registries"][0]["source"] == "index");
  REQUIRE(json["registries"][0]["patterns"].size() == 2);
  CHECK(json["registries"][0]["patterns"][0]["latestVersion"] == "v1.10.0");
  CHECK(json["registries"][0]["patterns"][0]["tags"] == nlohmann::json({"cache", "redis", "example"}));
  CHECK(work.ork("patterns " + registry.host() + "/team --tag nothing").out.find("0 pattern(s)") == 0);
  CHECK(work.ork("patterns " + registry.host() + "/team -o yaml").exit == 2);
}

TEST_CASE("patterns: an empty registry is not an error; both default registries without argument",
          "[cli][patterns]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  RunResult r = work.ork("patterns " + registry.host() + "/team");
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.out ==
        "0 pattern(s) in " + registry.host() + "/team (no index; listed through the registry API)\n");

  push(work, registry.host(), "katalogs/cache", "v1.0.0");
  std::string env =
      "ORK_REGISTRY=" + registry.host() + "/katalogs ORK_MOTIFS_REGISTRY=" + registry.host() + "/motifs";
  RunResult both = work.ork("patterns", env);
  INFO(both.err);
  CHECK(both.exit == 0);
  CHECK(both.out.find("cache  v1.0.0  Katalog") != std::string::npos);
  CHECK(both.out.find("1 pattern(s) in " + registry.host() + "/katalogs — updated ") != std::string::npos);
  CHECK(both.out.find("\n\n0 pattern(s) in " + registry.host() + "/motifs (no index;") != std::string::npos);
  RunResult katalogsOnly = work.ork("patterns --katalogs", env);
  CHECK(katalogsOnly.out.find("/motifs") == std::string::npos);
}

TEST_CASE("patterns: an index that is not an ork index is reported and push rebuilds it", "[cli][patterns]") {
  Registry registry;
  REQUIRE(registry.ok());
  Work work;
  push(work, registry.host(), "team/postgres", "v1.0.0");
  // Replace team/index:latest with an artifact of another type.
  auto client = ork::http::makeCurlClient();
  src::RemoteOptions options;
  options.useDockerConfig = false;
  auto remote = src::openRemoteRegistry(registry.host(), *client, options);
  std::string bytes = "{}";
  src::Descriptor layer{
      "application/json", src::sha256Digest(bytes), 2, "", {{src::kTitleAnnotation, "other"}}};
  REQUIRE(remote->pushBlob("team/index", layer.digest, bytes).ok());
  REQUIRE(remote
              ->pushManifest("team/index", "latest",
                             src::buildManifest({layer}, "application/vnd.example", {}),
                             src::kManifestMediaType)
              .ok());

  RunResult r = work.ork("patterns " + registry.host() + "/team");
  CHECK(r.exit == 0);
  CHECK(r.err.find(
            "warning[ORK1829]: " + registry.host() +
            "/team: the index is not a valid ork index (team/index:latest has artifactType "
            "\"application/vnd.example\", not application/vnd.orkestra.index.v1+json); listing through the "
            "registry API\n") == 0);
  CHECK(r.out.find("postgres  v1.0.0") != std::string::npos);

  push(work, registry.host(), "team/webapp", "v0.1.0");
  RunResult listed = work.ork("patterns " + registry.host() + "/team");
  CHECK(listed.err.empty());
  CHECK(listed.out.find("2 pattern(s) in " + registry.host() + "/team — updated ") != std::string::npos);
}

TEST_CASE("patterns: a failed index update is a warning, the pattern is pushed", "[cli][patterns]") {
  Work work;
  writePattern(work / "pg", "v1.0.0");
  writeFile(work / "registry/index", "a file where the index layout would go\n");
  RunResult r = work.ork("push pg", "ORK_REGISTRY=oci-layout:./registry");
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.out.find("✓ pushed oci-layout:./registry/cache:v1.0.0") == 0);
  CHECK(r.err.find(
            "warning[ORK1828]: pushed, but the index oci-layout:./registry/index:latest was not updated: ") ==
        0);
  RunResult list = work.ork("patterns oci-layout:./registry");
  CHECK(list.exit == 0);
  CHECK(list.out.find("cache  v1.0.0  Katalog") != std::string::npos);
}
