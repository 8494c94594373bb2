// End-to-end tests of `ork pull` (FORMATS.md §11.3) against the real docker-registry on loopback and OCI
// layout directories: by tag and by digest with a port in the ref, -o, the §10.3 errors with their help
// lines, the structure check after the pull, and `pull -f` writing ork.lock for two imports.
#include <catch2/catch.hpp>

#include <regex>

#include "testdata/cli/artifact_push.h"
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

}  // namespace

TEST_CASE("pull by tag and by digest with a port in the ref; -o copies the files out", "[cli][pull]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  fs::path src = writePattern(env.dir / "src", "v14");
  Pushed pushed = pushArtifact(reg.host(), "team/postgres", "v14", src.string());
  INFO(pushed.error);
  REQUIRE(!pushed.digest.empty());
  const std::string ref = reg.host() + "/team/postgres:v14";

  RunResult r = runOrk(env.dir.path(), "pull " + ref, env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pulled " + ref + "\n") == 0);
  CHECK(r.out.find("  Digest:  " + pushed.digest + "\n") != std::string::npos);
  CHECK(r.out.find("    katalog.yaml                   ") != std::string::npos);
  CHECK(r.out.find("Run:       ork run " + ref + " --dev\n") != std::string::npos);
  CHECK(r.out.find("  imports:\n    registry:\n      - url: " + reg.host() +
                   "/team/postgres\n        version: v14\n") != std::string::npos);

  // By digest, into a new directory: the five files, byte for byte.
  r = runOrk(env.dir.path(), "pull " + reg.host() + "/team/postgres@" + pushed.digest + " -o out",
             env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("  Into:    out\n") != std::string::npos);
  CHECK(r.out.find("        version: " + pushed.digest + "\n") != std::string::npos);
  for (const char* f : {"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"})
    CHECK(readFile(env.dir / "out" / f) == readFile(src / f));
  CHECK(runOrk(env.dir.path(), "validate -f out", env.vars()).exit == 0);

  // An empty existing directory is fine; a non-empty one is refused and left untouched.
  fs::create_directories(env.dir / "empty");
  CHECK(runOrk(env.dir.path(), "pull " + ref + " -o empty", env.vars()).exit == 0);
  CHECK(fs::exists(env.dir / "empty" / "katalog.yaml"));
  writeFile(env.dir / "busy" / "keep.txt", "mine");
  r = runOrk(env.dir.path(), "pull " + ref + " -o busy", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1851]: " + ref + ": -o busy exists and is not empty\n") != std::string::npos);
  CHECK(r.err.find("help: name a new or empty directory; nothing was written") != std::string::npos);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(env.dir / "busy")) left.push_back(e.path().filename().string());
  CHECK(left == std::vector<std::string>{"keep.txt"});
  for (const auto& e : fs::directory_iterator(env.dir.path()))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);

  // --offline: a tag pulled before comes from the cache; one never pulled names what is missing.
  reg.stop();
  r = runOrk(env.dir.path(), "pull " + ref + " --offline", env.vars());
  INFO(r.err);
  CHECK(r.exit == 0);
  r = runOrk(env.dir.path(), "pull " + reg.host() + "/team/postgres:v15 --offline", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1283]: " + reg.host() + "/team/postgres:v15: --offline: ") != std::string::npos);
}

TEST_CASE("pull errors: reference not found, a malformed ref, usage", "[cli][pull]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  REQUIRE(
      pushArtifact(reg.host(), "team/postgres", "v14", writePattern(env.dir / "src", "v14").string()).error ==
      "");

  RunResult r = runOrk(env.dir.path(), "pull " + reg.host() + "/team/postgres:v99", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("error[ORK1260]: " + reg.host() + "/team/postgres:v99: reference not found\n") !=
        std::string::npos);
  CHECK(r.err.find("help: Check available versions in the registry\n") != std::string::npos);

  r = runOrk(env.dir.path(), "pull " + reg.host() + "/team/absent:v1", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find(reg.host() + "/team/absent:v1: reference not found") != std::string::npos);

  r = runOrk(env.dir.path(), "pull '" + reg.host() + "/Team/Bad:v1'", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1850]: invalid reference") != std::string::npos);

  CHECK(runOrk(env.dir.path(), "pull", env.vars()).exit == 2);
  CHECK(runOrk(env.dir.path(), "pull x -f komposer.yaml", env.vars()).exit == 2);
  r = runOrk(env.dir.path(), "pull x --locked", env.vars());
  CHECK(r.exit == 2);
  CHECK(r.err.find("--locked needs -f <file>") != std::string::npos);
}

TEST_CASE("pull from an htpasswd registry: 401 without credentials names docker login, works with them",
          "[cli][pull]") {
  Registry reg({"--htpasswd", "alice:s3cret"});
  REQUIRE(reg.ok());
  Env env;
  Pushed pushed = pushArtifact(reg.host(), "team/postgres", "v14",
                               writePattern(env.dir / "src", "v14").string(), {}, false, "alice", "s3cret");
  INFO(pushed.error);
  REQUIRE(!pushed.digest.empty());
  const std::string ref = reg.host() + "/team/postgres:v14";

  RunResult r = runOrk(env.dir.path(), "pull " + ref, env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("error[ORK1261]: " + ref + ": authentication required (401)\n") != std::string::npos);
  CHECK(r.err.find("docker login " + reg.host()) != std::string::npos);

  writeFile(env.dir / "docker" / "config.json",
            "{\"auths\": {\"" + reg.host() + "\": {\"auth\": \"" + base64("alice:s3cret") + "\"}}}");
  r = runOrk(env.dir.path(), "pull " + ref, env.vars());
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.out.find("s3cret") == std::string::npos);
  CHECK(r.err.find("s3cret") == std::string::npos);
}

TEST_CASE("pull from an OCI layout; the structure check runs after the pull and nothing is copied out",
          "[cli][pull]") {
  Env env;
  fs::path src = writePattern(env.dir / "src", "v1.0.0");
  REQUIRE(pushToLayout((env.dir / "registry" / "cache").string(), "v1.0.0", src.string()).error == "");
  RunResult r = runOrk(env.dir.path(), "pull oci-layout:registry/cache:v1.0.0 -o out", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("✓ pulled oci-layout:registry/cache:v1.0.0\n") == 0);
  CHECK(r.out.find("      - url: oci-layout:registry/cache\n        version: v1.0.0\n") != std::string::npos);
  CHECK(fs::exists(env.dir / "out" / "README.md"));

  // A bare name under ORK_REGISTRY=oci-layout:… (§10.5).
  r = runOrk(env.dir.path(), "pull cache:v1.0.0", env.vars() + " ORK_REGISTRY=oci-layout:./registry");
  INFO(r.err);
  CHECK(r.exit == 0);

  // An artifact without cr.yaml and with an empty README.md: every violation in one message.
  fs::path broken = writePattern(env.dir / "broken", "v2.0.0");
  fs::remove(broken / "cr.yaml");
  writeFile(broken / "README.md", "");
  REQUIRE(pushToLayout((env.dir / "registry" / "cache").string(), "v2.0.0", broken.string()).error == "");
  r = runOrk(env.dir.path(), "pull oci-layout:registry/cache:v2.0.0 -o out2", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("oci-layout:registry/cache:v2.0.0: failed structure validation: missing: cr.yaml; empty: "
                   "README.md") != std::string::npos);
  CHECK_FALSE(fs::exists(env.dir / "out2"));
}

TEST_CASE("pull -f warms every import of a Komposer and writes ork.lock with both", "[cli][pull]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  // Two patterns (load-imports only fetches; the CRD names would only clash in the later checks).
  Pushed cache =
      pushArtifact(reg.host(), "team/cache", "v0.1.0", writePattern(env.dir / "cache", "v0.1.0").string());
  Pushed web =
      pushArtifact(reg.host(), "team/webapp", "v2.0.0", writePattern(env.dir / "webapp", "v2.0.0").string());
  INFO(cache.error << web.error);
  REQUIRE((!cache.digest.empty() && !web.digest.empty()));
  writeFile(env.dir / "app" / "komposer.yaml",
            "apiVersion: orkestra.orkspace.io/v1\n"
            "kind: Komposer\n"
            "metadata: {name: shop, version: v0.1.0}\n"
            "imports:\n"
            "  registry:\n"
            "    - url: " +
                reg.host() +
                "/team/cache\n"
                "      version: v0.1.0\n"
                "    - url: " +
                reg.host() + "/team/webapp@v2.0.0\n");

  RunResult r = runOrk(env.dir.path(), "pull -f app/komposer.yaml", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  // Off a terminal: one line per finished import.
  CHECK(std::regex_search(r.err, std::regex(R"(\[1/2\] pulled )")));
  CHECK(std::regex_search(r.err, std::regex(R"(\[2/2\] pulled )")));
  CHECK(r.out == "✓ app/komposer.yaml: 2 imports in the cache; wrote app/ork.lock\n");
  std::string lock = readFile(env.dir / "app" / "ork.lock").value_or("");
  CHECK(lock.find("\"resolved\": \"" + cache.digest + "\"") != std::string::npos);
  CHECK(lock.find("\"resolved\": \"" + web.digest + "\"") != std::string::npos);
  CHECK(lock.find("\"url\": \"" + reg.host() + "/team/webapp\"") != std::string::npos);

  // On a terminal (a pty from script(1), TERM set, NO_COLOR unset): one line redrawn in place.
  std::string cmd = "env -u NO_COLOR TERM=xterm " + env.vars() + " script -qec " +
                    shellQuote(shellQuote(orkBinary()) + " pull -f app/komposer.yaml --refresh") +
                    " /dev/null >tty.out";
  REQUIRE(runShell(env.dir.path(), cmd) == 0);
  std::string tty = readFile(env.dir / "tty.out").value_or("");
  CHECK(tty.find("\r\033[K[1/2] pulling registry \"" + reg.host()) != std::string::npos);
  CHECK(tty.find("\r\033[K[2/2] pulling registry \"" + reg.host()) != std::string::npos);
  CHECK(tty.find("] pulled ") == std::string::npos);
  CHECK(tty.find("\r\033[K✓ app/komposer.yaml: 2 imports in the cache; app/ork.lock unchanged") !=
        std::string::npos);

  // Warm and locked: nothing changes, and the registry is not needed any more.
  reg.stop();
  r = runOrk(env.dir.path(), "pull -f app/komposer.yaml --locked", env.vars());
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.out == "✓ app/komposer.yaml: 2 imports in the cache; app/ork.lock unchanged\n");
}

TEST_CASE("pull -f lists every failing import together and writes no lock", "[cli][pull]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  writeFile(env.dir / "app" / "komposer.yaml",
            "apiVersion: orkestra.orkspace.io/v1\n"
            "kind: Komposer\n"
            "metadata: {name: shop, version: v0.1.0}\n"
            "imports:\n"
            "  registry:\n"
            "    - url: " +
                reg.host() +
                "/team/cache@v9\n"
                "    - url: " +
                reg.host() + "/team/webapp@v9\n");
  RunResult r = runOrk(env.dir.path(), "pull -f app/komposer.yaml", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("registry \"" + reg.host() + "/team/cache\"@v9: reference not found") !=
        std::string::npos);
  CHECK(r.err.find("registry \"" + reg.host() + "/team/webapp\"@v9: reference not found") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(env.dir / "app" / "ork.lock"));
}
