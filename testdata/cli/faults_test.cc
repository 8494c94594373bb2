// Fault tests of the registry issue at the CLI: a tampered blob in the real registry's storage, unsafe layer
// titles (`../`, absolute), oversized blobs, and through http_server.py as GitHub a 500 that is retried and a
// truncated body. Each asserts what the user sees and that the cache holds nothing half-written.
#include <catch2/catch.hpp>

#include <regex>

#include "frontend/sources/artifact.h"
#include "frontend/sources/cache.h"
#include "frontend/sources/fetcher.h"
#include "testdata/cli/artifact_push.h"
#include "testdata/cli/cli_harness.h"

using namespace ork::clitest;
namespace sources = ork::sources;

namespace {

// A private cache and Docker configuration for every ork run of one test.
struct Env {
  TempDir dir;
  fs::path cache() const { return dir / "cache"; }
  std::string vars() const {
    return "ORK_CACHE_DIR=" + shellQuote(cache().string()) +
           " DOCKER_CONFIG=" + shellQuote((dir / "docker").string());
  }
};

// Regular files under `dir` (recursively), as paths relative to it.
std::vector<std::string> filesUnder(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it)
    if (!it->is_directory()) out.push_back(fs::relative(it->path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

// Entries directly under `dir` (files and directories).
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Nothing half-written: tmp/ holds no file, patterns/ no materialised artifact.
void checkNothingHalfWritten(const Env& env) {
  INFO("cache " << env.cache());
  CHECK(filesUnder(env.cache() / "tmp").empty());
  CHECK(entries(env.cache() / "patterns").empty());
}

// One layer of a hand-made manifest: its title, content and (when >= 0) a size to declare instead of the real
// one.
struct Layer {
  std::string title;
  std::string bytes;
  int64_t declaredSize = -1;
};

// Pushes the blobs of `layers` and a pattern manifest naming them (titles and sizes as given) to `repo:tag`.
Pushed pushHandMade(const std::string& host, const std::string& repo, const std::string& tag,
                    const std::vector<Layer>& layers) {
  std::unique_ptr<ork::http::Client> client = ork::http::makeCurlClient();
  sources::RemoteOptions options;
  options.useDockerConfig = false;
  auto registry = sources::openRemoteRegistry(host, *client, options);
  Pushed out;
  auto config = registry->pushBlob(repo, sources::kEmptyConfigDigest, sources::kEmptyConfigBytes);
  if (!config.ok()) {
    out.error = config.error.message();
    return out;
  }
  std::vector<sources::Descriptor> descriptors;
  for (const Layer& l : layers) {
    sources::ArtifactFile f{l.title, sources::layerMediaType(l.title), l.bytes, false};
    sources::Descriptor d = sources::layerDescriptor(f);
    d.annotations[sources::kTitleAnnotation] = l.title;
    if (l.declaredSize >= 0) d.size = l.declaredSize;
    auto pushed = registry->pushBlob(repo, d.digest, l.bytes);
    if (!pushed.ok()) {
      out.error = pushed.error.message();
      return out;
    }
    descriptors.push_back(d);
  }
  auto m = registry->pushManifest(repo, tag,
                                  sources::buildManifest(descriptors, sources::kPatternArtifactType, {}),
                                  sources::kManifestMediaType);
  if (!m.ok()) {
    out.error = m.error.message();
    return out;
  }
  out.digest = *m.value;
  return out;
}

// The five files of a valid pattern, as layers.
std::vector<Layer> patternLayers(const fs::path& dir) {
  std::vector<Layer> out;
  for (const char* f : {"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"})
    out.push_back({f, readFile(dir / f).value_or("")});
  return out;
}

std::string komposer(const std::string& url) {
  return "apiVersion: orkestra.orkspace.io/v1\n"
         "kind: Komposer\n"
         "metadata: {name: shop, version: v0.1.0}\n"
         "imports:\n"
         "  registry:\n"
         "    - url: " +
         url + "\n";
}

}  // namespace

TEST_CASE("a tampered blob in the registry's storage is refused with the digest message", "[cli][faults]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  fs::path src = writePattern(env.dir / "src", "v14");
  const std::string repo = reg.host() + "/team/postgres";
  RunResult r = runOrk(env.dir.path(), "push " + repo + ":v14 src", env.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex("\n  Digest:  (sha256:[0-9a-f]{64})\n")));
  const std::string manifest = m[1];

  // Flip one bit of crd.yaml's blob as the registry stores it (same size, so only the digest tells).
  const std::string crd = sources::sha256Digest(readFile(src / "crd.yaml").value_or(""));
  const std::string hex = crd.substr(7);
  fs::path data =
      fs::path(reg.storage()) / "data/docker/registry/v2/blobs/sha256" / hex.substr(0, 2) / hex / "data";
  std::string bytes = readFile(data).value_or("");
  REQUIRE(!bytes.empty());
  bytes[10] ^= 1;
  writeFile(data, bytes);

  r = runOrk(env.dir.path(), "pull " + repo + ":v14 -o out", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("error[ORK1265]: " + repo + ":v14: content of layer crd.yaml of " + repo + "@" + manifest +
                   " does not match its digest " + crd + "\n") != std::string::npos);
  CHECK(r.err.find("help: the source served content that does not match its digest; nothing was kept\n") !=
        std::string::npos);
  checkNothingHalfWritten(env);
  CHECK_FALSE(fs::exists(env.cache() / "blobs/sha256" / hex));
  CHECK_FALSE(fs::exists(env.dir / "out"));

  // As an import: the same words after the §10.3 prefix, at the import's location; no lock written.
  writeFile(env.dir / "app" / "komposer.yaml", komposer(repo + "@v14"));
  r = runOrk(env.dir / "app", "validate", env.vars());
  CHECK(r.exit == 1);
  CHECK(r.err.find("komposer.yaml:6:12: error[ORK1265]: registry \"" + repo +
                   "\"@v14: content of layer crd.yaml of " + repo + "@" + manifest +
                   " does not match its digest " + crd + "\n") != std::string::npos);
  CHECK_FALSE(fs::exists(env.dir / "app" / "ork.lock"));
  checkNothingHalfWritten(env);
}

TEST_CASE("a layer title with ../ or an absolute path is refused before anything is written",
          "[cli][faults]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  fs::path src = writePattern(env.dir / "src", "v1");
  const std::string repo = reg.host() + "/team/evil";
  struct Case {
    std::string tag, title, why;
  };
  const std::string absolute = (env.dir / "abs" / "evil.yaml").string();  // inside this test's directory
  for (const Case& c : {Case{"dotdot", "../evil.yaml", "contains '..'"},
                        Case{"nested", "docs/../../evil.yaml", "contains '..'"},
                        Case{"absolute", absolute, "absolute path"}}) {
    INFO(c.title);
    std::vector<Layer> layers = patternLayers(src);
    layers.push_back({c.title, "kind: Evil\n"});
    Pushed pushed = pushHandMade(reg.host(), "team/evil", c.tag, layers);
    INFO(pushed.error);
    REQUIRE(!pushed.digest.empty());

    RunResult r = runOrk(env.dir.path(), "pull " + repo + ":" + c.tag + " -o out", env.vars());
    INFO(r.err);
    CHECK(r.exit == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("error[ORK1267]: " + repo + ":" + c.tag + ": unsafe layer title \"" + c.title +
                     "\": " + c.why + " (" + repo + "@" + pushed.digest + ")\n") != std::string::npos);
    checkNothingHalfWritten(env);
    // The refusal comes from the manifest alone: no layer was downloaded either.
    CHECK(entries(env.cache() / "blobs/sha256").empty());
    CHECK_FALSE(fs::exists(env.dir / "out"));
    CHECK_FALSE(fs::exists(env.dir / "evil.yaml"));
    CHECK_FALSE(fs::exists(env.cache() / "evil.yaml"));
    CHECK_FALSE(fs::exists(absolute));
  }
}

TEST_CASE("oversized blobs: a layer over the 64 MiB bound and a blob longer than its descriptor",
          "[cli][faults]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  fs::path src = writePattern(env.dir / "src", "v1");
  const std::string repo = reg.host() + "/team/big";
  const uint64_t bound = 64ull << 20;  // sources::Limits{}.maxBlobBytes; no flag or variable changes it

  // A real README.md of 64 MiB + 1 byte, declared with its true size: refused from the manifest, before
  // download.
  {
    std::vector<Layer> layers = patternLayers(src);
    layers.back().bytes = std::string(bound + 1, 'x');
    Pushed pushed = pushHandMade(reg.host(), "team/big", "huge", layers);
    INFO(pushed.error);
    REQUIRE(!pushed.digest.empty());
    RunResult r = runOrk(env.dir.path(), "pull " + repo + ":huge", env.vars());
    INFO(r.err);
    CHECK(r.exit == 1);
    CHECK(r.err.find("error[ORK1266]: " + repo + ":huge: layer README.md of " + repo + "@" + pushed.digest +
                     " is larger than the limit of " + std::to_string(bound) + " bytes\n") !=
          std::string::npos);
    checkNothingHalfWritten(env);
    CHECK(entries(env.cache() / "blobs/sha256").empty());
  }

  // A descriptor that understates the size (10 bytes for a 1 KiB README.md): the download stops at the
  // declared size, which the client reports as content not matching the descriptor, and nothing is kept.
  {
    std::vector<Layer> layers = patternLayers(src);
    layers.back().bytes = std::string(1024, 'y');
    layers.back().declaredSize = 10;
    Pushed pushed = pushHandMade(reg.host(), "team/big", "liar", layers);
    INFO(pushed.error);
    REQUIRE(!pushed.digest.empty());
    RunResult r = runOrk(env.dir.path(), "pull " + repo + ":liar", env.vars());
    INFO(r.err);
    CHECK(r.exit == 1);
    const std::string readme = sources::sha256Digest(std::string(1024, 'y'));
    CHECK(r.err.find("error[ORK1265]: " + repo + ":liar: content of layer README.md of " + repo + "@" +
                     pushed.digest + " does not match its digest " + readme + "\n") != std::string::npos);
    checkNothingHalfWritten(env);
    CHECK_FALSE(fs::exists(env.cache() / "blobs/sha256" / readme.substr(7)));
  }
}

TEST_CASE("the blob bound of the Fetcher (not settable from the CLI) refuses a real blob over it",
          "[cli][faults]") {
  Registry reg;
  REQUIRE(reg.ok());
  Env env;
  fs::path src = writePattern(env.dir / "src", "v1");
  Pushed pushed = pushArtifact(reg.host(), "team/postgres", "v1", src.string());
  INFO(pushed.error);
  REQUIRE(!pushed.digest.empty());

  sources::Cache cache(env.cache().string());
  std::string error;
  REQUIRE(cache.ensure(&error));
  std::unique_ptr<ork::http::Client> client = ork::http::makeCurlClient();
  sources::FetcherOptions options;
  options.limits.maxBlobBytes = 1024;  // katalog.yaml is 2 KB
  auto fetcher = sources::makeFetcher(cache, *client, options);
  sources::FetchRequest request;
  request.url = reg.host() + "/team/postgres";
  request.version = "v1";
  sources::FetchFailure failure;
  auto result = fetcher->fetch(request, &failure);
  REQUIRE_FALSE(result);
  CHECK(failure.kind == sources::FetchFailure::Kind::TooLarge);
  CHECK(failure.message() == "layer katalog.yaml of " + reg.host() + "/team/postgres@" + pushed.digest +
                                 " is larger than the limit of 1024 bytes");
  checkNothingHalfWritten(env);
  CHECK(entries(env.cache() / "blobs/sha256").empty());
}

namespace {

const std::string kSha = "0123456789abcdef0123456789abcdef01234567";

// http_server.py serving a GitHub look-alike (commits API and raw files of acme/patterns at kSha, sub-path
// pg) with the given --fault options.
struct GitHubHost {
  TempDir root;
  std::unique_ptr<ork::testing::ServerProcess> server;
  std::string base;
  explicit GitHubHost(const fs::path& pattern, const std::vector<std::string>& faults) {
    writeFile(root / "repos/acme/patterns/commits/v1", kSha + "\n");
    for (const auto& e : fs::directory_iterator(pattern))
      writeFile(root / ("acme/patterns/" + kSha + "/pg/" + e.path().filename().string()),
                readFile(e.path()).value_or(""));
    std::vector<std::string> argv{"python3",    (sourceDir() / "testdata/fixtures/http_server.py").string(),
                                  "--root",     root.path().string(),
                                  "--lifetime", "120"};
    for (const std::string& f : faults) {
      argv.push_back("--fault");
      argv.push_back(f);
    }
    server = std::make_unique<ork::testing::ServerProcess>(argv);
    std::string port = server->readLine(20000);
    if (!port.empty()) base = "http://127.0.0.1:" + port;
  }
  std::string vars() const { return "ORK_GITHUB_API_BASE=" + base + " ORK_GITHUB_RAW_BASE=" + base; }
  // How many requests the server saw for `path` (from its /__log, fetched with curl).
  int requests(const std::string& path) const {
    TempDir tmp;
    if (runShell(tmp.path(), "curl -sf " + base + "/__log >log.json") != 0) return -1;
    std::string log = readFile(tmp / "log.json").value_or("");
    int n = 0;
    for (size_t at = log.find("\"path\": \"" + path + "\""); at != std::string::npos;
         at = log.find("\"path\": \"" + path + "\"", at + 1))
      ++n;
    return n;
  }
};

const std::string kRaw = "/acme/patterns/" + kSha + "/pg/";

}  // namespace

TEST_CASE("GitHub source: a 500 (and a 503 on the commits API) is retried and the import then succeeds",
          "[cli][faults]") {
  Env env;
  fs::path src = writePattern(env.dir / "src", "v1");
  GitHubHost gh(src, {kRaw + "katalog.yaml=fail:1:500", "/repos/acme/patterns/commits/v1=fail:2:503"});
  REQUIRE(!gh.base.empty());
  writeFile(env.dir / "app" / "komposer.yaml", komposer("https://github.com/acme/patterns/pg@v1"));

  RunResult r = runOrk(env.dir / "app", "validate", env.vars() + " " + gh.vars());
  INFO(r.err);
  REQUIRE(r.exit == 0);
  CHECK(r.out == "✓ komposer.yaml: valid (1 CRD)\n");
  CHECK(gh.requests(kRaw + "katalog.yaml") == 2);
  CHECK(gh.requests("/repos/acme/patterns/commits/v1") == 3);
  CHECK(gh.requests(kRaw + "crd.yaml") == 1);
  std::string lock = readFile(env.dir / "app" / "ork.lock").value_or("");
  CHECK(lock.find("\"kind\": \"github\"") != std::string::npos);
  CHECK(lock.find("\"resolved\": \"" + kSha + "\"") != std::string::npos);
  CHECK(filesUnder(env.cache() / "tmp").empty());
  // Exactly one materialised pattern, with the served (not the error) bytes.
  std::vector<std::string> patterns = entries(env.cache() / "patterns");
  REQUIRE(patterns.size() == 1);
  CHECK(readFile(env.cache() / "patterns" / patterns[0] / "katalog.yaml") == readFile(src / "katalog.yaml"));
}

TEST_CASE("GitHub source: a truncated body is retried, then fails cleanly as a network error",
          "[cli][faults]") {
  Env env;
  fs::path src = writePattern(env.dir / "src", "v1");
  GitHubHost gh(src, {kRaw + "crd.yaml=truncate:100"});
  REQUIRE(!gh.base.empty());
  writeFile(env.dir / "app" / "komposer.yaml", komposer("https://github.com/acme/patterns/pg@v1"));

  RunResult r = runOrk(env.dir / "app", "validate", env.vars() + " " + gh.vars());
  CHECK(r.exit == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("komposer.yaml:6:12: error[ORK1264]: registry \"https://github.com/acme/patterns/pg\"@v1: "
                   "network error: connection closed before the body was complete\n") != std::string::npos);
  CHECK(r.err.find(
            "help: check that the host is reachable and try again (ork already retried with backoff)\n") !=
        std::string::npos);
  CHECK(gh.requests(kRaw + "crd.yaml") == 3);  // the first try and two retries
  CHECK_FALSE(fs::exists(env.dir / "app" / "ork.lock"));
  checkNothingHalfWritten(env);
  // The truncated crd.yaml never reached blobs/.
  CHECK_FALSE(fs::exists(env.cache() / "blobs/sha256" /
                         sources::sha256Digest(readFile(src / "crd.yaml").value_or("")).substr(7)));
}
