// Tests of the registry index (FORMATS.md §11.4): its JSON, the highest-semver rule, rows from manifest
// annotations, and reading/writing/listing on real OCI image layout directories.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "frontend/sources/artifact.h"
#include "frontend/sources/pattern_index.h"

namespace fs = std::filesystem;
using namespace ork::sources;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "ork-index-XXXXXX").string();
    path = mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

// Pushes a one-layer artifact of `artifactType` with `annotations` as `repo:tag`.
void pushArtifact(Registry& registry, const std::string& repo, const std::string& tag,
                  const std::string& artifactType, const std::map<std::string, std::string>& annotations) {
  std::string bytes = "kind: Katalog # " + repo + ":" + tag + "\n";
  Descriptor layer;
  layer.mediaType = "application/vnd.orkestra.katalog.v1+yaml";
  layer.digest = sha256Digest(bytes);
  layer.size = static_cast<int64_t>(bytes.size());
  layer.annotations[kTitleAnnotation] = "katalog.yaml";
  REQUIRE(registry.pushBlob(repo, kEmptyConfigDigest, kEmptyConfigBytes).ok());
  REQUIRE(registry.pushBlob(repo, layer.digest, bytes).ok());
  REQUIRE(
      registry.pushManifest(repo, tag, buildManifest({layer}, artifactType, annotations), kManifestMediaType)
          .ok());
}

std::map<std::string, std::string> katalogAnnotations(const std::string& version,
                                                      const std::string& description) {
  return {{"io.orkestra.pattern.kind", "Katalog"},
          {"io.orkestra.pattern.version", version},
          {"org.opencontainers.image.description", description}};
}

}  // namespace

TEST_CASE("highestSemverTag: highest release, pre-releases only when nothing else", "[pattern-index]") {
  CHECK(highestSemverTag({"v1.9.0", "v1.10.0", "v1.2.0"}) == "v1.10.0");
  CHECK(highestSemverTag({"v2.0.0-rc.1", "v1.0.0", "latest"}) == "v1.0.0");
  CHECK(highestSemverTag({"v2.0.0-rc.1", "v2.0.0-beta.1", "main"}) == "v2.0.0-rc.1");
  CHECK(highestSemverTag({"v14", "v7"}) == "v14");
  CHECK_FALSE(highestSemverTag({"latest", "main"}).has_value());
  CHECK_FALSE(highestSemverTag({}).has_value());
}

TEST_CASE("index JSON: every key, rows sorted by name, round trip", "[pattern-index]") {
  PatternIndex index;
  index.updatedAt = "2026-03-02T09:14:05Z";
  PatternIndexRow web{"webapp-operator", "Katalog", "v1.2.0", "Web apps",     {"web"}, "acme",
                      "passed",          "skipped", true,     "webapp:v2.0.0"};
  PatternIndexRow pg{"postgres", "Katalog", "v14.2", "PostgreSQL", {}, "", "", "", false, ""};
  upsertPatternRow(index, web);
  upsertPatternRow(index, pg);
  std::string json = serializePatternIndex(index);
  CHECK(json ==
        "{\n"
        "  \"patterns\": [\n"
        "    {\n"
        "      \"author\": \"\",\n"
        "      \"deprecated\": false,\n"
        "      \"description\": \"PostgreSQL\",\n"
        "      \"e2eStatus\": \"\",\n"
        "      \"kind\": \"Katalog\",\n"
        "      \"latestVersion\": \"v14.2\",\n"
        "      \"migratedTo\": \"\",\n"
        "      \"name\": \"postgres\",\n"
        "      \"simulateStatus\": \"\",\n"
        "      \"tags\": []\n"
        "    },\n"
        "    {\n"
        "      \"author\": \"acme\",\n"
        "      \"deprecated\": true,\n"
        "      \"description\": \"Web apps\",\n"
        "      \"e2eStatus\": \"skipped\",\n"
        "      \"kind\": \"Katalog\",\n"
        "      \"latestVersion\": \"v1.2.0\",\n"
        "      \"migratedTo\": \"webapp:v2.0.0\",\n"
        "      \"name\": \"webapp-operator\",\n"
        "      \"simulateStatus\": \"passed\",\n"
        "      \"tags\": [\n"
        "        \"web\"\n"
        "      ]\n"
        "    }\n"
        "  ],\n"
        "  \"updatedAt\": \"2026-03-02T09:14:05Z\"\n"
        "}\n");
  std::string error;
  auto back = parsePatternIndex(json, &error);
  REQUIRE(back);
  CHECK(back->updatedAt == index.updatedAt);
  REQUIRE(back->patterns.size() == 2);
  CHECK(back->patterns[0] == pg);
  CHECK(back->patterns[1] == web);

  // Replacing a row keeps one row per name.
  web.latestVersion = "v1.3.0";
  upsertPatternRow(*back, web);
  REQUIRE(back->patterns.size() == 2);
  CHECK(back->patterns[1].latestVersion == "v1.3.0");
}

TEST_CASE("index JSON: malformed documents are refused with a reason", "[pattern-index]") {
  std::string error;
  CHECK_FALSE(parsePatternIndex("[]", &error));
  CHECK(error == "index.json is not a JSON object");
  CHECK_FALSE(parsePatternIndex("{\"updatedAt\": \"x\"}", &error));
  CHECK(error == "index.json has no \"patterns\" list");
  CHECK_FALSE(parsePatternIndex("{\"patterns\": [{\"kind\": \"Katalog\"}]}", &error));
  CHECK(error == "index.json: every entry of \"patterns\" must be an object with a \"name\"");
  // Unknown keys are ignored, missing ones read as empty.
  auto ok = parsePatternIndex("{\"patterns\": [{\"name\": \"a\", \"extra\": 1}], \"future\": true}", &error);
  REQUIRE(ok);
  CHECK(ok->patterns.at(0).name == "a");
  CHECK(ok->patterns.at(0).latestVersion.empty());
}

TEST_CASE("rowFromAnnotations reads the §11.1 keys", "[pattern-index]") {
  PatternIndexRow r = rowFromAnnotations("webapp", "v1.2.0",
                                         {{"io.orkestra.pattern.kind", "Katalog"},
                                          {"org.opencontainers.image.description", "Web apps"},
                                          {"io.orkestra.pattern.author", "acme"},
                                          {"io.orkestra.pattern.tags", "web, frontend"},
                                          {"io.orkestra.simulate.status", "passed"},
                                          {"io.orkestra.e2e.status", "skipped"},
                                          {"io.orkestra.katalog.deprecated", "true"},
                                          {"io.orkestra.katalog.deprecated.migrated_to", "webapp:v2.0.0"}});
  CHECK(r == PatternIndexRow{"webapp",
                             "Katalog",
                             "v1.2.0",
                             "Web apps",
                             {"web", "frontend"},
                             "acme",
                             "passed",
                             "skipped",
                             true,
                             "webapp:v2.0.0"});
  CHECK(parentRepository("team/katalogs/webapp") == "team/katalogs");
  CHECK(parentRepository("webapp").empty());
  CHECK(joinRepository("", "index") == "index");
  CHECK(joinRepository("team", "index") == "team/index");
}

TEST_CASE("the index is written and read back as an OCI artifact in a layout", "[pattern-index]") {
  TempDir dir;
  auto registry = openLayoutRegistry(dir.path.string(), true);
  auto absent = readPatternIndex(*registry, "");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent.value->has_value());

  PatternIndex index;
  index.updatedAt = "2026-01-01T00:00:00Z";
  upsertPatternRow(index, PatternIndexRow{"cache", "Katalog", "v1.0.0", "Redis", {}, "", "", "", false, ""});
  auto written = writePatternIndex(*registry, "", index);
  REQUIRE(written.ok());

  auto manifest = registry->getManifest("index", "latest");
  REQUIRE(manifest.ok());
  CHECK(manifest.value->artifactType() == kIndexArtifactType);
  REQUIRE(manifest.value->layers().size() == 1);
  CHECK(manifest.value->layers()[0].mediaType == "application/json");
  CHECK(manifest.value->layers()[0].annotations.at(kTitleAnnotation) == "index.json");

  auto read = readPatternIndex(*registry, "");
  REQUIRE(read.ok());
  REQUIRE(read.value->has_value());
  CHECK((*read.value)->patterns == index.patterns);
  CHECK((*read.value)->updatedAt == "2026-01-01T00:00:00Z");
}

TEST_CASE("an index of the wrong artifactType is Invalid", "[pattern-index]") {
  TempDir dir;
  auto registry = openLayoutRegistry(dir.path.string(), true);
  pushArtifact(*registry, "index", "latest", kPatternArtifactType, {});
  auto read = readPatternIndex(*registry, "");
  REQUIRE_FALSE(read.ok());
  CHECK(read.error.kind == OciError::Kind::Invalid);
  CHECK(read.error.detail == std::string("index:latest has artifactType \"") + kPatternArtifactType +
                                 "\", not application/vnd.orkestra.index.v1+json");
}

TEST_CASE("listing through the catalog: highest semver per repository, non-patterns left out",
          "[pattern-index]") {
  TempDir dir;
  auto registry = openLayoutRegistry(dir.path.string(), true);
  pushArtifact(*registry, "webapp", "v1.9.0", kPatternArtifactType, katalogAnnotations("v1.9.0", "old"));
  pushArtifact(*registry, "webapp", "v1.10.0", kPatternArtifactType, katalogAnnotations("v1.10.0", "new"));
  pushArtifact(*registry, "webapp", "v2.0.0-rc.1", kPatternArtifactType,
               katalogAnnotations("v2.0.0-rc.1", "rc"));
  pushArtifact(*registry, "web-service", "v1.1.0", kMotifArtifactType, {});
  pushArtifact(*registry, "image", "v1", "application/vnd.example.other", {});
  PatternIndex idx;
  upsertPatternRow(idx, PatternIndexRow{"stale", "Katalog", "v0", "", {}, "", "", "", false, ""});
  REQUIRE(writePatternIndex(*registry, "", idx).ok());

  auto listed = listPatternsThroughCatalog(*registry, "");
  REQUIRE(listed.ok());
  REQUIRE(listed.value->patterns.size() == 2);
  CHECK(listed.value->patterns[0].name == "web-service");
  CHECK(listed.value->patterns[0].kind == "Motif");
  CHECK(listed.value->patterns[1].name == "webapp");
  CHECK(listed.value->patterns[1].latestVersion == "v1.10.0");
  CHECK(listed.value->patterns[1].description == "new");

  auto described = describeRepository(*registry, "", "image");
  REQUIRE_FALSE(described.ok());
  CHECK(described.error.kind == OciError::Kind::Invalid);
}

TEST_CASE("listing a registry path that does not exist is NotFound, an empty one lists nothing",
          "[pattern-index]") {
  TempDir dir;
  auto missing = openLayoutRegistry((dir.path / "none").string());
  auto listed = listPatternsThroughCatalog(*missing, "");
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error.kind == OciError::Kind::NotFound);
  auto empty = openLayoutRegistry(dir.path.string());
  auto none = listPatternsThroughCatalog(*empty, "");
  REQUIRE(none.ok());
  CHECK(none.value->patterns.empty());
}
