// End-to-end tests of import resolution in `ork validate` (FORMATS.md §10.2–§10.5): the real registry
// on loopback, a GitHub look-alike (http_server.py) and OCI layouts; every §10.3 row that involves a
// fetch, asserted on ork's stderr; ork.lock written, unchanged, --locked, --offline with the registry
// stopped, --refresh after a re-push, an edited lock (ORK1281), a malformed lock (ORK1280).
#include <catch2/catch.hpp>

#include <algorithm>

#include "testdata/cli/artifact_push.h"
#include "testdata/cli/cli_harness.h"

using namespace ork::clitest;

namespace {

/// A project directory with a private cache and Docker configuration for its ork runs.
struct Project {
  TempDir dir;
  std::string cache = "cache";
  std::string vars(const std::string& extra = "") const {
    return "ORK_CACHE_DIR=" + shellQuote((dir / cache).string()) +
           " DOCKER_CONFIG=" + shellQuote((dir / "docker").string()) + " " + extra;
  }
  RunResult validate(const std::string& flags = "", const std::string& extra = "") const {
    return runOrk(dir.path(), "validate -f komposer.yaml " + flags, vars(extra));
  }
  /// komposer.yaml importing `entry` (the text after `- ` on line 7).
  void importing(const std::string& entry) const {
    writeFile(
        dir / "komposer.yaml",
        "apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata:\n  name: app\nimports:\n  registry:\n"
        "    - " +
            entry + "\n");
  }
  std::string lock() const { return readFile(dir / "ork.lock").value_or(""); }
  /// A copy of the quickstart's cache pattern at `rel`, metadata.version `version`.
  fs::path pattern(const std::string& rel, const std::string& version = "v1") const {
    return writePattern(dir / rel, version);
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Pushes `src` to `host/team/pg:tag`; returns the manifest digest.
std::string push(const std::string& host, const std::string& tag, const fs::path& src,
                 const std::string& user = "", const std::string& password = "") {
  Pushed p = pushArtifact(host, "team/pg", tag, src.string(), {}, false, user, password);
  INFO(p.error);
  REQUIRE(!p.digest.empty());
  return p.digest;
}

}  // namespace

TEST_CASE(
    "ork.lock is written by the first validate, unchanged by the second; --locked fails on a new version",
    "[cli][resolver]") {
  Registry reg({"--access-log"});
  REQUIRE(reg.ok());
  Project p;
  std::string digest = push(reg.host(), "v1", p.pattern("src-v1"));
  p.importing(reg.host() + "/team/pg@v1");
  auto requests = [&] {  // registry requests so far (one access-log line each)
    std::string log = readFile(fs::path(reg.storage()) / "registry.log").value_or("");
    return std::count(log.begin(), log.end(), '\n');
  };

  RunResult r = p.validate();
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out == "✓ komposer.yaml: valid (1 CRD)\n");
  std::string lock = p.lock();
  CHECK(contains(lock, "\"kind\": \"oci\""));
  CHECK(contains(lock, "\"url\": \"" + reg.host() + "/team/pg\""));
  CHECK(contains(lock, "\"resolved\": \"" + digest + "\""));
  CHECK(contains(lock, "\"usedBy\": [\n        \"imports.registry[0]\"\n      ]"));
  CHECK(contains(lock, "\"README.md\": \"sha256:"));

  auto before = requests();
  CHECK(before > 0);
  r = p.validate();
  REQUIRE(r.exit == 0);
  CHECK(p.lock() == lock);
  CHECK(requests() == before);  // pinned by the lock and in the cache: not one request
  r = p.validate("--locked");
  INFO(r.err);
  CHECK(r.exit == 0);

  push(reg.host(), "v2", p.pattern("src-v2", "v2"));
  p.importing(reg.host() + "/team/pg@v2");
  r = p.validate("--locked");
  CHECK(r.exit == 1);
  CHECK(r.err == "komposer.yaml:7:7: error[ORK1282]: registry \"" + reg.host() +
                     "/team/pg\"@v2: not in ork.lock; run without --locked to add it\n"
                     "   7 |     - " +
                     reg.host() +
                     "/team/pg@v2\n"
                     "     |       ^" +
                     std::string(reg.host().size() + 10, '~') +
                     "\n"
                     "1 error(s), 0 warning(s)\n");
  CHECK(p.lock() == lock);
  r = p.validate();
  CHECK(r.exit == 0);
  CHECK(contains(p.lock(), "\"version\": \"v2\""));
  CHECK_FALSE(contains(p.lock(), "\"version\": \"v1\""));  // the unused entry is dropped
}

TEST_CASE("§10.3 rows through ork validate: reference not found, 401, structure, useKomposer",
          "[cli][resolver]") {
  Registry reg;
  REQUIRE(reg.ok());
  Project p;
  push(reg.host(), "v1", p.pattern("good"));
  const std::string pg = reg.host() + "/team/pg";

  p.importing(pg + "@v9");
  RunResult r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err,
                 "komposer.yaml:7:7: error[ORK1260]: registry \"" + pg + "\"@v9: reference not found\n"));
  CHECK(contains(r.err, "\nhelp: Check available versions in the registry\n"));

  fs::path missing = p.pattern("missing");
  fs::remove(missing / "cr.yaml");
  push(reg.host(), "missing", missing);
  p.importing(pg + "@missing");
  r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err, "komposer.yaml:7:7: error[ORK1501]: registry \"" + pg +
                            "\"@missing: failed structure validation: missing: cr.yaml\n"));
  CHECK(contains(r.err, "\nhelp: Add the file to the upstream pattern\n"));

  fs::path empty = p.pattern("empty");
  writeFile(empty / "README.md", "");
  push(reg.host(), "empty", empty);
  p.importing(pg + "@empty");
  r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err, "komposer.yaml:7:7: error[ORK1501]: registry \"" + pg +
                            "\"@empty: failed structure validation: empty: README.md\n"));
  CHECK(contains(r.err, "\nhelp: Populate the file in the upstream pattern\n"));

  // katalog.yaml holding a Komposer, imported as a Katalog pattern.
  fs::path komposerKind = p.pattern("komposer-kind");
  fs::copy_file(komposerKind / "komposer.yaml", komposerKind / "katalog.yaml",
                fs::copy_options::overwrite_existing);
  push(reg.host(), "komposer-kind", komposerKind);
  p.importing(pg + "@komposer-kind");
  r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err,
                 "komposer.yaml:7:7: error[ORK1203]: registry \"" + pg +
                     "\"@komposer-kind: useKomposer is false but katalog.yaml contains kind \"Komposer\"\n"));
  CHECK(contains(r.err, "\nhelp: Set useKomposer: true or check pattern structure\n"));

  // komposer.yaml holding a Katalog, imported with useKomposer: true.
  fs::path katalogKind = p.pattern("katalog-kind");
  fs::copy_file(katalogKind / "katalog.yaml", katalogKind / "komposer.yaml",
                fs::copy_options::overwrite_existing);
  push(reg.host(), "katalog-kind", katalogKind);
  p.importing("{url: " + pg + "@katalog-kind, useKomposer: true}");
  r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err,
                 "komposer.yaml:7:13: error[ORK1203]: registry \"" + pg +
                     "\"@katalog-kind: useKomposer is true but komposer.yaml contains kind \"Katalog\"\n"));
  CHECK(contains(r.err, "\nhelp: Remove useKomposer: true or check pattern structure\n"));

  // The pattern's own komposer.yaml, imported with useKomposer: true, loads its katalog.yaml from the cache.
  p.importing("{url: " + pg + "@v1, useKomposer: true}");
  r = p.validate();
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(contains(p.lock(), "\"version\": \"v1\""));

  p.importing("oci://" + pg + "@v1");
  r = p.validate();
  CHECK(
      contains(r.err, "komposer.yaml:7:7: error[ORK1210]: registry \"oci://" + pg + "\"@v1: invalid URL\n"));
  CHECK(contains(r.err, "\nhelp: Remove scheme prefix or fix the URL\n"));
}

TEST_CASE("a registry with htpasswd answers 401 without credentials: the table's help and docker login",
          "[cli][resolver]") {
  Registry reg({"--htpasswd", "alice:secret"});
  REQUIRE(reg.ok());
  Project p;
  push(reg.host(), "v1", p.pattern("src"), "alice", "secret");
  p.importing(reg.host() + "/team/pg@v1");
  RunResult r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err, "komposer.yaml:7:7: error[ORK1261]: registry \"" + reg.host() +
                            "/team/pg\"@v1: authentication required (401)\n"));
  CHECK(contains(r.err,
                 "\nnote: without an auth block, registry credentials come from the Docker configuration: "
                 "docker login " +
                     reg.host() + "\n"));
  CHECK(contains(r.err, "\nhelp: Set the environment variable and check token expiry\n"));
  CHECK_FALSE(contains(r.err, "secret"));

  // The import's auth block: basic credentials from the environment.
  p.importing("{url: " + reg.host() +
              "/team/pg@v1, auth: {type: basic, usernameFromEnv: REG_USER, "
              "passwordFromEnv: REG_PASS}}");
  r = p.validate("", "REG_USER=alice REG_PASS=secret");
  INFO(r.err);
  CHECK(r.exit == 0);
  r = p.validate("--refresh", "REG_USER=alice");
  CHECK(contains(
      r.err,
      "error[ORK1269]: registry \"" + reg.host() +
          "/team/pg\"@v1: auth type \"basic\": environment variable \"REG_PASS\" is not set or empty\n"));
}

TEST_CASE("GitHub imports: a pattern at a commit (locked as github), and 403 is access denied",
          "[cli][resolver]") {
  TempDir host;
  const std::string sha = std::string(40, 'c');
  writeFile(host / "repos/acme/patterns/commits/v1", sha + "\n");
  fs::path files = writePattern(host / "acme/patterns" / sha / "pg", "v1");
  auto server = std::make_unique<ork::testing::ServerProcess>(std::vector<std::string>{
      "python3", (sourceDir() / "testdata/fixtures/http_server.py").string(), "--root", host.path().string(),
      "--bearer", "gh-token", "--lifetime", "60", "--fault", "/repos/acme/patterns/commits/v2=status:403"});
  std::string port = server->readLine();
  REQUIRE(!port.empty());
  std::string base = "http://127.0.0.1:" + port;
  std::string hooks = "ORK_GITHUB_API_BASE=" + base + " ORK_GITHUB_RAW_BASE=" + base + " GH_TOKEN=gh-token";

  Project p;
  p.importing("{url: https://github.com/acme/patterns/pg@v1, auth: {type: github, fromEnv: GH_TOKEN}}");
  RunResult r = p.validate("", hooks);
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(contains(p.lock(), "\"kind\": \"github\""));
  CHECK(contains(p.lock(), "\"resolved\": \"" + sha + "\""));
  CHECK(contains(p.lock(), "\"url\": \"https://github.com/acme/patterns/pg\""));

  p.importing("{url: https://github.com/acme/patterns/pg@v2, auth: {type: github, fromEnv: GH_TOKEN}}");
  r = p.validate("", hooks);
  CHECK(r.exit == 1);
  CHECK(contains(r.err,
                 "komposer.yaml:7:13: error[ORK1262]: registry \"https://github.com/acme/patterns/pg\"@v2: "
                 "access denied (403)\n"));
  CHECK(contains(r.err, "\nhelp: Grant read access to the repository or registry\n"));
  CHECK_FALSE(contains(r.err, "gh-token"));
}

TEST_CASE("--offline: a warm cache works with the registry stopped; a cold cache names what is missing",
          "[cli][resolver]") {
  Registry reg;
  REQUIRE(reg.ok());
  Project p;
  std::string digest = push(reg.host(), "v1", p.pattern("src"));
  p.importing(reg.host() + "/team/pg@v1");
  REQUIRE(p.validate().exit == 0);
  std::string lock = p.lock();
  reg.stop();

  RunResult r = p.validate("--offline");
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.err.empty());
  CHECK(p.lock() == lock);

  p.cache = "cold-cache";
  r = p.validate("--offline");
  CHECK(r.exit == 1);
  CHECK(contains(r.err, "komposer.yaml:7:7: error[ORK1283]: registry \"" + reg.host() +
                            "/team/pg\"@v1: --offline: "
                            "manifest " +
                            digest + " of " + reg.host() + "/team/pg is not in the cache\n"));
  CHECK(contains(r.err,
                 "\nhelp: run once without --offline to fill the cache (ork pull -f <komposer.yaml>)\n"));
  // Without the lock, the tag itself is what is missing.
  fs::remove(p.dir / "ork.lock");
  r = p.validate("--offline");
  CHECK(contains(r.err, "error[ORK1283]: registry \"" + reg.host() + "/team/pg\"@v1: --offline: reference " +
                            reg.host() + "/team/pg:v1 is not in the cache\n"));
  CHECK_FALSE(fs::exists(p.dir / "ork.lock"));
}

TEST_CASE("--refresh picks up a re-pushed tag; runs with the lock keep the old digest", "[cli][resolver]") {
  Registry reg;
  REQUIRE(reg.ok());
  Project p;
  std::string first = push(reg.host(), "v1", p.pattern("src"));
  p.importing(reg.host() + "/team/pg@v1");
  REQUIRE(p.validate().exit == 0);
  std::string lock = p.lock();

  fs::path changed = p.pattern("changed");
  writeFile(changed / "README.md", "# cache, pushed again\n");
  std::string second = push(reg.host(), "v1", changed);
  REQUIRE(second != first);

  CHECK(p.validate().exit == 0);
  CHECK(p.lock() == lock);
  CHECK(p.validate("--locked").exit == 0);
  CHECK(p.lock() == lock);

  RunResult r = p.validate("--refresh");
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(contains(p.lock(), "\"resolved\": \"" + second + "\""));
  CHECK_FALSE(contains(p.lock(), first));
}

TEST_CASE("an edited file digest in ork.lock is ORK1281; a malformed lock is ORK1280", "[cli][resolver]") {
  Registry reg;
  REQUIRE(reg.ok());
  Project p;
  push(reg.host(), "v1", p.pattern("src"));
  p.importing(reg.host() + "/team/pg@v1");
  REQUIRE(p.validate().exit == 0);
  std::string lock = p.lock();
  const std::string key = "\"cr.yaml\": \"";
  size_t at = lock.find(key) + key.size();
  std::string recorded = lock.substr(at, 71);
  std::string edited = "sha256:" + std::string(64, 'f');
  lock.replace(at, 71, edited);
  writeFile(p.dir / "ork.lock", lock);

  RunResult r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err, "komposer.yaml:7:7: error[ORK1281]: registry \"" + reg.host() +
                            "/team/pg\"@v1: cr.yaml has "
                            "digest " +
                            recorded + " but ork.lock records " + edited + "\n"));
  CHECK(contains(r.err,
                 "\nhelp: if the change is intended, run with --refresh to record the new content in "
                 "ork.lock\n"));
  CHECK(p.lock() == lock);
  CHECK(p.validate("--refresh").exit == 0);
  CHECK(contains(p.lock(), recorded));

  writeFile(p.dir / "ork.lock", "{\"lockVersion\": 2, \"imports\": []}\n");
  r = p.validate();
  CHECK(r.exit == 1);
  CHECK(contains(r.err,
                 "ork.lock:1:1: error[ORK1280]: ork.lock is malformed: lockVersion: 2 is not supported "
                 "(supported: 1)\n"));
  CHECK(contains(r.err, "\nhelp: fix the file, or delete it and run without --locked to write it again\n"));
}

TEST_CASE("an oci-layout: import is read relative to the komposer file and locked by the ref as written",
          "[cli][resolver]") {
  Project p;
  Pushed pushed = pushToLayout((p.dir / "app/registry/pg").string(), "v1", p.pattern("src").string());
  REQUIRE(pushed.error.empty());
  writeFile(
      p.dir / "app/komposer.yaml",
      "apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata:\n  name: app\nimports:\n  registry:\n"
      "    - oci-layout:./registry/pg@v1\n");
  RunResult r = runOrk(p.dir.path(), "validate -f app/komposer.yaml --offline", p.vars());
  INFO(r.err);
  CHECK(r.exit == 0);  // layouts are local: --offline reads them
  r = runOrk(p.dir.path(), "validate -f app/komposer.yaml", p.vars());
  INFO(r.err);
  CHECK(r.exit == 0);
  std::string lock = readFile(p.dir / "app/ork.lock").value_or("");
  CHECK(contains(lock, "\"kind\": \"oci-layout\""));
  CHECK(contains(lock, "\"url\": \"oci-layout:./registry/pg\""));
  CHECK(contains(lock, "\"resolved\": \"" + pushed.digest + "\""));
  CHECK_FALSE(fs::exists(p.dir / "ork.lock"));

  // The project moves: the lock still applies, to ork template too.
  fs::rename(p.dir / "app", p.dir / "moved");
  r = runOrk(p.dir.path(), "validate -f moved/komposer.yaml --locked", p.vars());
  INFO(r.err);
  CHECK(r.exit == 0);
  r = runOrk(p.dir.path(), "template -f moved/komposer.yaml --graph --locked", p.vars());
  INFO(r.err);
  CHECK(r.exit == 0);
  CHECK(r.out == "# startup order (dependencies first, ties by name); operators stop in reverse\n1. cache\n");
}
