// Unit tests of the pure renderers of `ork inspect` (tools/ork/inspect_format.h) and the shared cells of
// tools/ork/registry_cli.h, with a fixed "now": the exact §11.3 text, gate cells, sizes, ages, tag order.
#include <catch2/catch.hpp>

#include "frontend/sources/artifact.h"
#include "tools/ork/inspect_format.h"
#include "tools/ork/registry_cli.h"

using namespace ork;
using namespace ork::cli;

namespace {

// 2026-03-14T09:14:05Z: twelve days after the pushes below.
constexpr int64_t kNow = 1773479645;

sources::Descriptor layer(const std::string& title, int64_t size, const std::string& mediaType) {
  sources::Descriptor d;
  d.mediaType = mediaType;
  d.digest = sources::sha256Digest(title);
  d.size = size;
  d.annotations[sources::kTitleAnnotation] = title;
  return d;
}

sources::Manifest manifestOf(const std::vector<sources::Descriptor>& layers, const std::string& artifactType,
                             const std::map<std::string, std::string>& annotations) {
  sources::Manifest m;
  m.bytes = sources::buildManifest(layers, artifactType, annotations);
  m.digest = sources::sha256Digest(m.bytes);
  m.mediaType = sources::kManifestMediaType;
  m.json = nlohmann::json::parse(m.bytes);
  return m;
}

std::vector<sources::Descriptor> webappLayers() {
  return {layer("katalog.yaml", 1536, "application/vnd.orkestra.katalog.v1+yaml"),
          layer("crd.yaml", 2048, "application/vnd.kubernetes.crd.v1+yaml"),
          layer("cr.yaml", 300, "application/vnd.kubernetes.cr.v1+yaml"),
          layer("komposer.yaml", 400, "application/octet-stream"),
          layer("README.md", 2500, "text/markdown"),
          layer("simulate.yaml", 793, "application/vnd.orkestra.simulate.v1+yaml")};
}

InspectView webappView() {
  InspectView v;
  v.title = "webapp-operator:v1.2.0";
  v.registry = "ghcr.io";
  v.pullRef = "webapp-operator:v1.2.0";
  v.now = kNow;
  return v;
}

}  // namespace

TEST_CASE("the §11.3 text of a deprecated draft Katalog with both gates", "[inspect]") {
  std::map<std::string, std::string> a = {
      {"org.opencontainers.image.created", "2026-03-02T09:14:05Z"},
      {"org.opencontainers.image.description", "Web apps"},
      {"io.orkestra.pattern.kind", "Katalog"},
      {"io.orkestra.pattern.tags", "web,apps"},
      {"io.orkestra.pattern.author", "Platform team"},
      {"io.orkestra.pattern.license", "Apache-2.0"},
      {"io.orkestra.katalog.maturity", "stable"},
      {"io.orkestra.katalog.deprecated", "true"},
      {"io.orkestra.katalog.deprecated.migrated_to", "webapp:v2.0.0"},
      {"io.orkestra.katalog.deprecated.message", "Replaced by webapp v2"},
      {"io.orkestra.simulate.status", "passed"},
      {"io.orkestra.simulate.assertions", "6"},
      {"io.orkestra.simulate.duration", "862ms"},
      {"io.orkestra.simulate.tested_at", "2026-03-02T09:14:00Z"},
      {"io.orkestra.e2e.status", "skipped"},
      {"io.orkestra.katalog.typed", "true"},
      {"io.orkestra.katalog.has_hooks", "true"},
      {"io.orkestra.pattern.draft", "true"},
      {"io.orkestra.pattern.draft.reason", "simulate"},
  };
  sources::Manifest m = manifestOf(webappLayers(), sources::kPatternArtifactType, a);
  std::string expected =
      "⚠  This pattern is deprecated.\n"
      "  Migrate to:  webapp:v2.0.0\n"
      "  Note:        Replaced by webapp v2\n"
      "\n"
      "webapp-operator:v1.2.0\n"
      "  Registry:    ghcr.io\n"
      "  Kind:        Katalog\n"
      "  Digest:      " +
      m.digest.substr(0, 19) +
      "…\n"
      "  Pushed:      2026-03-02T09:14:05Z (12d ago)\n"
      "  Size:        7.4 KB in 6 files\n"
      "  Description: Web apps\n"
      "  Tags:        web, apps\n"
      "  Author:      Platform team\n"
      "  License:     Apache-2.0\n"
      "  Maturity:    stable\n"
      "  Simulate:    ✓ Verified · 6 assertions · 862ms · tested 12d ago\n"
      "  E2E:         ⊘ Skipped\n"
      "  Typed:       ✓ Has hooks · requires a custom Orkestra runtime image; ork run cannot run it\n"
      "  Draft:       ⚠ pushed with --force (simulate)\n"
      "\n"
      "  Files:\n"
      "    katalog.yaml                   1.5 KB\n"
      "    crd.yaml                       2.0 KB\n"
      "    cr.yaml                        300 B\n"
      "    komposer.yaml                  400 B\n"
      "    README.md                      2.4 KB\n"
      "    simulate.yaml                  793 B\n"
      "\n"
      "To pull:  ork pull webapp-operator:v1.2.0\n";
  CHECK(renderInspectText(webappView(), m) == expected);
}

TEST_CASE("rows appear only when set; E2E and Typed always for Katalogs, Simulate only when annotated",
          "[inspect]") {
  sources::Manifest m = manifestOf(webappLayers(), sources::kPatternArtifactType, {});
  std::string text = renderInspectText(webappView(), m);
  CHECK(text.find("deprecated") == std::string::npos);
  CHECK(text.find("Pushed:") == std::string::npos);
  CHECK(text.find("Description:") == std::string::npos);
  CHECK(text.find("Simulate:") == std::string::npos);
  CHECK(text.find("Draft:") == std::string::npos);
  CHECK(text.find("  Kind:        Katalog\n") != std::string::npos);  // from artifactType
  CHECK(text.find("  E2E:         - Not verified\n") != std::string::npos);
  CHECK(text.find("  Typed:       no\n") != std::string::npos);
}

TEST_CASE("a Motif has no E2E or Typed row unless annotated", "[inspect]") {
  sources::Manifest m = manifestOf({layer("motif.yaml", 100, "application/vnd.orkestra.motif.v1+yaml")},
                                   sources::kMotifArtifactType, {});
  InspectView v = webappView();
  v.title = "web-service:v1.1.0";
  v.pullRef = "web-service:v1.1.0 --motif";
  std::string text = renderInspectText(v, m);
  CHECK(text.find("  Kind:        Motif\n") != std::string::npos);
  CHECK(text.find("  Size:        100 B in 1 file\n") != std::string::npos);
  CHECK(text.find("E2E:") == std::string::npos);
  CHECK(text.find("Typed:") == std::string::npos);
  CHECK(text.find("To pull:  ork pull web-service:v1.1.0 --motif\n") != std::string::npos);
}

TEST_CASE("gate cells of §11.3", "[inspect]") {
  using A = std::map<std::string, std::string>;
  CHECK(gateCell(A{}, "simulate", kNow) == "- Not verified");
  CHECK(gateCell(A{{"io.orkestra.e2e.status", "skipped"}}, "e2e", kNow) == "⊘ Skipped");
  CHECK(gateCell(A{{"io.orkestra.simulate.status", "no-assertion"}}, "simulate", kNow) == "⚠ No assertions");
  CHECK(gateCell(A{{"io.orkestra.simulate.status", "failed"},
                   {"io.orkestra.simulate.assertions", "6"},
                   {"io.orkestra.simulate.failed", "2"}},
                 "simulate", kNow) == "✗ Failed · 2 of 6 assertions failed");
  CHECK(gateCell(A{{"io.orkestra.e2e.status", "passed"},
                   {"io.orkestra.e2e.assertions", "1"},
                   {"io.orkestra.e2e.duration", "1m2s"},
                   {"io.orkestra.e2e.tested_at", "2026-03-14T06:14:05Z"}},
                 "e2e", kNow) == "✓ Verified · 1 assertion · 1m2s · tested 3h ago");
  // The simulate annotations do not feed the e2e cell.
  CHECK(gateCell(A{{"io.orkestra.simulate.status", "passed"}}, "e2e", kNow) == "- Not verified");
  CHECK(gateMark("passed") == "✓");
  CHECK(gateMark("failed") == "✗");
  CHECK(gateMark("skipped") == "⊘");
  CHECK(gateMark("no-assertion") == "⚠");
  CHECK(gateMark("") == "-");
}

TEST_CASE("sizes are 1024-based, ages in the largest whole unit, RFC 3339 read with offsets", "[inspect]") {
  CHECK(humanSize(0) == "0 B");
  CHECK(humanSize(1023) == "1023 B");
  CHECK(humanSize(1024) == "1.0 KB");
  CHECK(humanSize(7577) == "7.4 KB");
  CHECK(humanSize(5u << 20) == "5.0 MB");
  CHECK(humanAge(59) == "59s");
  CHECK(humanAge(60) == "1m");
  CHECK(humanAge(3599) == "59m");
  CHECK(humanAge(7200) == "2h");
  CHECK(humanAge(86400 * 12 + 5) == "12d");
  CHECK(humanAge(-5) == "0s");
  CHECK(parseRfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(parseRfc3339("2026-03-02T09:14:05Z") == 1772442845);
  CHECK(parseRfc3339("2026-03-02T10:14:05.123+01:00") == 1772442845);
  CHECK_FALSE(parseRfc3339("2026-03-02 garbage"));
  CHECK_FALSE(parseRfc3339("2026-03-02T09:14:05"));
}

TEST_CASE("--versions: highest semver first, at most 10, other tags after", "[inspect]") {
  std::vector<std::string> tags = {"v1.9.0", "latest", "v1.10.0", "v1.2.0", "v2.0.0-rc.1", "v2.0.0"};
  CHECK(sortVersionTags(tags) ==
        std::vector<std::string>{"v2.0.0", "v2.0.0-rc.1", "v1.10.0", "v1.9.0", "v1.2.0", "latest"});
  std::vector<std::string> many;
  for (int i = 0; i < 15; ++i) many.push_back("v1." + std::to_string(i) + ".0");
  std::vector<std::string> top = sortVersionTags(many);
  REQUIRE(top.size() == 10);
  CHECK(top.front() == "v1.14.0");
  CHECK(top.back() == "v1.5.0");

  VersionInfo ok;
  ok.tag = "v1.10.0";
  ok.manifest = manifestOf(webappLayers(), sources::kPatternArtifactType,
                           {{"org.opencontainers.image.created", "2026-03-13T09:14:05Z"},
                            {"io.orkestra.simulate.status", "passed"},
                            {"io.orkestra.e2e.status", "skipped"},
                            {"io.orkestra.pattern.draft", "true"}});
  CHECK(renderVersionLine(ok, kNow) == "v1.10.0          simulate ✓  e2e ⊘  pushed 1d ago  ⚠ draft");
  VersionInfo broken;
  broken.tag = "v0.1.0";
  broken.error = "reference not found";
  CHECK(renderVersionLine(broken, kNow) == "v0.1.0           (reference not found)");
}

TEST_CASE("-o json carries the reference, digest, annotations, layers and versions", "[inspect]") {
  sources::Manifest m =
      manifestOf(webappLayers(), sources::kPatternArtifactType, {{"io.orkestra.pattern.kind", "Katalog"}});
  InspectView v = webappView();
  v.versionsAsked = true;
  v.versions.push_back({"v1.2.0", m, ""});
  nlohmann::json j = renderInspectJson("ghcr.io/x/webapp-operator:v1.2.0", v, m);
  CHECK(j["reference"] == "ghcr.io/x/webapp-operator:v1.2.0");
  CHECK(j["digest"] == m.digest);
  CHECK(j["artifactType"] == sources::kPatternArtifactType);
  CHECK(j["size"] == 7577);
  CHECK(j["annotations"]["io.orkestra.pattern.kind"] == "Katalog");
  REQUIRE(j["layers"].size() == 6);
  CHECK(j["layers"][0]["title"] == "katalog.yaml");
  CHECK(j["layers"][0]["size"] == 1536);
  CHECK(j["versions"][0]["tag"] == "v1.2.0");
  CHECK(j["versions"][0]["digest"] == m.digest);
}
