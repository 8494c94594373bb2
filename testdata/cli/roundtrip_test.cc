// End-to-end round trip of the registry issue against the real docker-registry on loopback, with the port
// in every reference: `ork push` → `ork inspect` (tag and digest) → `ork pull -o` → `ork validate` of a
// Komposer importing the pattern (by tag and by digest, ork.lock, --locked) → `ork template`; anonymous
// and with htpasswd basic auth taken from $DOCKER_CONFIG/config.json.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>

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

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

const std::vector<std::string> kFiles{"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"};

std::string komposer(const std::string& url) {
  return "apiVersion: orkestra.orkspace.io/v1\n"
         "kind: Komposer\n"
         "metadata: {name: shop, version: v0.1.0}\n"
         "imports:\n"
         "  registry:\n"
         "    - url: " +
         url + "\n";
}

// The one import entry of `app/ork.lock` (null when the lock is absent or not JSON).
nlohmann::json lockEntry(const fs::path& lockPath) {
  auto text = readFile(lockPath);
  if (!text) return nullptr;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("imports") || j["imports"].size() != 1) return nullptr;
  CHECK(j["lockVersion"] == 1);
  return j["imports"][0];
}

// The whole round trip on `reg` (the caller has put any credentials into env's DOCKER_CONFIG). `secret`, when
// not empty, must never be printed.
void roundTrip(const Registry& reg, const Env& env, const std::string& secret) {
  const fs::path& root = env.dir.path();
  fs::path src = writePattern(root / "src", "v14");
  const std::string repo = reg.host() + "/team/postgres";
  const std::string ref = repo + ":v14";
  std::vector<RunResult> runs;
  auto run = [&](const fs::path& cwd, const std::string& args) {
    runs.push_back(runOrk(cwd, args, env.vars()));
    return runs.back();
  };

  // push
  RunResult r = run(root, "push " + ref + " src");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pushed " + ref + " (katalog.yaml, 5 files, ") == 0);
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex("\n  Digest:  (sha256:[0-9a-f]{64})\n")));
  const std::string digest = m[1];
  CHECK(r.out.find("      - " + repo + "@v14\n") != std::string::npos);

  // inspect by tag (text), by tag (JSON: digest, artifactType, layer order) and by the printed digest
  r = run(root, "inspect " + ref);
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("postgres:v14\n  Registry:    " + reg.host() + "\n  Kind:        Katalog\n") == 0);
  CHECK(r.out.find("  Digest:      " + digest.substr(0, 19) + "…\n") != std::string::npos);
  CHECK(r.out.find("  Size:        ") != std::string::npos);
  CHECK(r.out.find(" in 5 files\n") != std::string::npos);
  CHECK(r.out.find("To pull:  ork pull " + ref + "\n") != std::string::npos);

  r = run(root, "inspect " + ref + " -o json");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["digest"] == digest);
  CHECK(j["artifactType"] == "application/vnd.orkestra.pattern.v1+tar+gzip");
  CHECK(j["annotations"]["org.opencontainers.image.version"] == "v14");
  std::vector<std::string> titles;
  std::map<std::string, std::string> layerDigests;
  for (const auto& l : j["layers"]) {
    titles.push_back(l["title"]);
    layerDigests[l["title"]] = l["digest"];
  }
  CHECK(titles == kFiles);

  r = run(root, "inspect " + repo + "@" + digest);
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("postgres@" + digest + "\n") == 0);
  CHECK(r.out.find("To pull:  ork pull " + repo + "@" + digest + "\n") != std::string::npos);

  // pull -o: the five files, byte for byte; by digest too
  r = run(root, "pull " + ref + " -o out");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pulled " + ref + "\n  Digest:  " + digest + "\n  Into:    out\n") == 0);
  for (const std::string& f : kFiles) {
    INFO(f);
    CHECK(readFile(root / "out" / f) == readFile(src / f));
  }
  std::vector<std::string> outFiles;
  for (const auto& e : fs::directory_iterator(root / "out")) outFiles.push_back(e.path().filename().string());
  CHECK(outFiles.size() == kFiles.size());
  r = run(root, "pull " + repo + "@" + digest + " -o byDigest");
  INFO(r.err);
  REQUIRE(r.exit == 0);
  for (const std::string& f : kFiles) CHECK(readFile(root / "byDigest" / f) == readFile(src / f));

  // validate a Komposer importing it by tag: ork.lock records the pushed digest and each file's digest
  for (const std::string& version : {std::string("v14"), digest}) {
    INFO("imported as " << repo << "@" << version);
    fs::path app = root / ("app-" + version.substr(0, 6));
    writeFile(app / "komposer.yaml", komposer(repo + "@" + version));
    r = run(app, "validate");
    INFO(r.err);
    REQUIRE(r.exit == 0);
    CHECK(r.out == "✓ komposer.yaml: valid (1 CRD)\n");
    nlohmann::json e = lockEntry(app / "ork.lock");
    REQUIRE(e.is_object());
    CHECK(e["kind"] == "oci");
    CHECK(e["url"] == repo);
    CHECK(e["version"] == version);
    CHECK(e["resolved"] == digest);
    CHECK(e["usedBy"] == nlohmann::json::array({"imports.registry[0]"}));
    for (const auto& [title, d] : layerDigests) CHECK(e["files"][title] == d);
    CHECK(e["files"].size() == kFiles.size());
    const std::string lockBefore = readFile(app / "ork.lock").value_or("");

    // a second run with --locked passes and leaves the lock as it was
    r = run(app, "validate --locked");
    INFO(r.err);
    CHECK(r.exit == 0);
    CHECK(readFile(app / "ork.lock") == lockBefore);

    // template renders the pattern's objects for its example CR
    r = run(app, "template");
    INFO(r.err);
    CHECK(r.exit == 0);
    CHECK(r.out.find("# Source: registry:" + repo + "@" + version + " cache ") != std::string::npos);
    CHECK(r.out.find("\nkind: StatefulSet\n") != std::string::npos);
    CHECK(r.out.find("\nkind: Service\n") != std::string::npos);
  }

  if (!secret.empty()) {
    for (const RunResult& each : runs) {
      CHECK(each.out.find(secret) == std::string::npos);
      CHECK(each.err.find(secret) == std::string::npos);
    }
  }
}

}  // namespace

TEST_CASE("push, inspect, pull, validate and template round-trip through the real registry",
          "[cli][roundtrip]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  roundTrip(reg, env, "");
}

TEST_CASE("the round trip works against an htpasswd registry with credentials from DOCKER_CONFIG",
          "[cli][roundtrip]") {
  Registry reg({"--htpasswd", "u:p4ssw0rd-xyz"});
  REQUIRE(reg.ok());
  Env env;
  writePattern(env.dir / "src", "v14");
  const std::string ref = reg.host() + "/team/postgres:v14";

  // Without credentials the push is refused with the §10.3 words and the docker login hint.
  RunResult r = runOrk(env.dir.path(), "push " + ref + " src", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("authentication required (401)") != std::string::npos);
  CHECK(r.err.find("docker login " + reg.host()) != std::string::npos);

  writeFile(env.dir / "docker" / "config.json",
            "{\"auths\": {\"" + reg.host() + "\": {\"auth\": \"" + base64("u:p4ssw0rd-xyz") + "\"}}}");
  roundTrip(reg, env, "p4ssw0rd-xyz");
}
