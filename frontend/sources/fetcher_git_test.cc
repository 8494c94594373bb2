// Fetcher tests over GitHub (testdata/fixtures/http_server.py behind ORK_GITHUB_API_BASE/RAW_BASE),
// HTTPS files and a real bare Git repository (file://): pins and remembered refs served from the cache
// without the network, --offline, and the message/help texts of every failure kind.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "frontend/sources/fetcher.h"
#include "frontend/sources/testing/fetcher_helpers.h"
#include "support/testing/server_process.h"

namespace fs = std::filesystem;
using namespace ork::sources;
using namespace ork::sources::testing;

namespace {

const std::string kSha = "0123456789abcdef0123456789abcdef01234567";

/// A GitHub look-alike: the commits API answer for `v14` and raw files of the five pattern files.
struct GitHubHost {
  StoreTempDir root;
  ork::testing::ServerProcess server;
  std::string base;
  explicit GitHubHost(std::vector<std::string> extra = {})
      : server([&] {
          root.write("repos/acme/patterns/commits/v14", kSha + "\n");
          for (const char* f : {"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"})
            root.write("acme/patterns/" + kSha + "/postgres/" + f, std::string("gh ") + f + "\n");
          root.write("acme/patterns/" + kSha + "/postgres/simulate.yaml", "gh simulate\n");
          root.write("files/audit.yaml", "kind: Katalog\n");
          std::vector<std::string> argv{
              "python3",    ork::testing::sourceDir() + "/testdata/fixtures/http_server.py",
              "--root",     root.path(),
              "--lifetime", "60"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    std::string port = server.readLine();
    REQUIRE(!port.empty());
    base = "http://127.0.0.1:" + port;
  }
};

FetchRequest request(FetchKind kind, const std::string& url, const std::string& version,
                     const std::string& pinned = "") {
  FetchRequest r;
  r.kind = kind;
  r.url = url;
  r.version = version;
  r.pinned = pinned;
  return r;
}

/// Runs a shell command (fails the test on a non-zero exit); returns its trimmed stdout.
std::string sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  INFO(cmd << "\n" << out);
  REQUIRE(rc == 0);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("GitHub: fetched by tag, then the pinned commit is served from the cache, also offline",
          "[fetcher][git]") {
  GitHubHost host({"--bearer", "gh-s3cret"});
  ScopedEnv api("ORK_GITHUB_API_BASE", host.base);
  ScopedEnv raw("ORK_GITHUB_RAW_BASE", host.base);
  StoreTempDir tmp;
  Cache cache(tmp.path("cache"));
  auto client = ork::http::makeCurlClient();
  auto fetcher = makeFetcher(cache, *client);
  const std::string url = "https://github.com/acme/patterns/postgres";
  FetchFailure failure;

  FetchRequest r = request(FetchKind::GitHub, url, "v14");
  CHECK_FALSE(fetcher->fetch(r, &failure));
  CHECK(failure.message() == "authentication required (401)");

  r.auth = AuthSpec{"github", "", "", ""};
  ScopedEnv token("GITHUB_TOKEN", std::string("gh-s3cret"));
  auto got = fetcher->fetch(r, &failure);
  INFO(failure.message());
  REQUIRE(got);
  CHECK(got->resolved == kSha);
  CHECK(got->network);
  CHECK(got->files.size() == 6);  // five required files and simulate.yaml
  CHECK(slurp(got->path + "/crd.yaml") == "gh crd.yaml\n");
  checkFilesHash(got->path, got->files);
  CHECK(lockKind(FetchKind::GitHub) == std::string("github"));

  // Pinned: no request at all, the same files.
  uint64_t before = fetcher->requestCount();
  FetchRequest pinned = request(FetchKind::GitHub, url, "v14", kSha);
  auto warm = fetcher->fetch(pinned, &failure);
  REQUIRE(warm);
  CHECK_FALSE(warm->network);
  CHECK(fetcher->requestCount() == before);
  CHECK(warm->files == got->files);
  CHECK(warm->path == got->path);

  // Offline, without credentials: the pin and the remembered tag come from the cache.
  FetcherOptions offline;
  offline.offline = true;
  ScopedEnv noToken("GITHUB_TOKEN", std::nullopt);
  auto off = makeFetcher(cache, *client, offline);
  pinned.auth = r.auth;
  auto fromCache = off->fetch(pinned, &failure);
  INFO(failure.message());
  REQUIRE(fromCache);
  CHECK(fromCache->files == got->files);
  auto byTag = off->fetch(request(FetchKind::GitHub, url, "v14"), &failure);
  REQUIRE(byTag);
  CHECK(byTag->resolved == kSha);
  CHECK(off->requestCount() == 0);

  CHECK_FALSE(off->fetch(request(FetchKind::GitHub, url, "v15"), &failure));
  CHECK(failure.kind == FetchFailure::Kind::Offline);
  CHECK(failure.message() == "--offline: reference " + url + "@v15 is not in the cache");
  std::string otherSha(40, 'b');
  CHECK_FALSE(off->fetch(request(FetchKind::GitHub, url, "v14", otherSha), &failure));
  CHECK(failure.message() == "--offline: commit " + otherSha + " of " + url + " is not in the cache");

  // Online without the token variable: the §10.2 error, before any request.
  CHECK_FALSE(fetcher->fetch(r, &failure));
  CHECK(failure.message() ==
        "auth type \"github\": environment variable \"GITHUB_TOKEN\" is not set or empty");
}

TEST_CASE("GitHub: 404 on the ref, 403 and missing required files", "[fetcher][git]") {
  GitHubHost host({"--fault", "/repos/acme/denied/commits/v1=status:403"});
  ScopedEnv api("ORK_GITHUB_API_BASE", host.base);
  ScopedEnv raw("ORK_GITHUB_RAW_BASE", host.base);
  StoreTempDir tmp;
  auto client = ork::http::makeCurlClient();
  auto fetcher = makeFetcher(Cache(tmp.path("cache")), *client);
  FetchFailure failure;
  CHECK_FALSE(fetcher->fetch(request(FetchKind::GitHub, "https://github.com/acme/patterns/postgres", "v99"),
                             &failure));
  CHECK(failure.message() == "reference not found");
  CHECK_FALSE(fetcher->fetch(request(FetchKind::GitHub, "https://github.com/acme/denied", "v1"), &failure));
  CHECK(failure.kind == FetchFailure::Kind::Forbidden);
  CHECK(failure.message() == "access denied (403)");
  CHECK(failure.help() == "Grant read access to the repository or registry");

  // A motif at a pattern directory: motif.yaml is absent, which the structure check reports later.
  FetchRequest motif = request(FetchKind::GitHub, "https://github.com/acme/patterns/postgres", "v14");
  motif.motif = true;
  auto got = fetcher->fetch(motif, &failure);
  REQUIRE(got);
  CHECK(got->files.size() == 1);
  CHECK(got->files.count("README.md") == 1);
}

TEST_CASE("HTTPS files: fetched once, then served by their digest, also offline", "[fetcher][https]") {
  GitHubHost host;
  StoreTempDir tmp;
  Cache cache(tmp.path("cache"));
  auto client = ork::http::makeCurlClient();
  auto fetcher = makeFetcher(cache, *client);
  const std::string url = host.base + "/files/audit.yaml";
  FetchFailure failure;
  auto got = fetcher->fetch(request(FetchKind::Https, url, ""), &failure);
  INFO(failure.message());
  REQUIRE(got);
  CHECK(got->resolved == sha256Digest("kind: Katalog\n"));
  CHECK(slurp(got->path) == "kind: Katalog\n");
  CHECK(got->files.empty());
  CHECK(got->network);

  uint64_t before = fetcher->requestCount();
  auto pinned = fetcher->fetch(request(FetchKind::Https, url, "", got->resolved), &failure);
  REQUIRE(pinned);
  CHECK_FALSE(pinned->network);
  CHECK(fetcher->requestCount() == before);

  FetcherOptions offline;
  offline.offline = true;
  auto off = makeFetcher(cache, *client, offline);
  REQUIRE(off->fetch(request(FetchKind::Https, url, ""), &failure));  // refs/ remembers the URL
  CHECK_FALSE(off->fetch(request(FetchKind::Https, host.base + "/files/other.yaml", ""), &failure));
  CHECK(failure.message() == "--offline: file " + host.base + "/files/other.yaml is not in the cache");
  CHECK(off->requestCount() == 0);

  CHECK_FALSE(fetcher->fetch(request(FetchKind::Https, host.base + "/files/missing.yaml", ""), &failure));
  CHECK(failure.message() == "reference not found");
}

TEST_CASE("generic Git: a branch over file://, then the pinned commit without the repository",
          "[fetcher][git]") {
  StoreTempDir tmp;
  std::string work = tmp.path("work");
  std::string git = "git -C " + work + " -c user.name=t -c user.email=t@e -c commit.gpgsign=false ";
  sh("git init -q -b main " + work);
  writePattern(tmp, "work/postgres", "main");
  sh(git + "add -A && " + git + "commit -q -m one");
  std::string commit = sh(git + "rev-parse HEAD");
  std::string bare = tmp.path("patterns.git");
  sh("git clone -q --bare " + work + " " + bare);

  Cache cache(tmp.path("cache"));
  auto client = ork::http::makeCurlClient();
  auto fetcher = makeFetcher(cache, *client);
  const std::string url = "file://" + bare + "//postgres";
  FetchFailure failure;
  auto got = fetcher->fetch(request(FetchKind::Git, url, "main"), &failure);
  INFO(failure.message());
  REQUIRE(got);
  CHECK(got->resolved == commit);
  CHECK(got->network);
  CHECK(got->files.size() == 5);
  checkFilesHash(got->path, got->files);

  fs::remove_all(bare);  // the pinned commit no longer needs the repository
  auto pinned = fetcher->fetch(request(FetchKind::Git, url, "main", commit), &failure);
  REQUIRE(pinned);
  CHECK_FALSE(pinned->network);
  CHECK(pinned->files == got->files);
  CHECK_FALSE(fetcher->fetch(request(FetchKind::Git, url, "main"), &failure));
  CHECK(failure.kind == FetchFailure::Kind::NotFound);
}

TEST_CASE("FetchFailure messages and help lines", "[fetcher]") {
  using Kind = FetchFailure::Kind;
  auto text = [](Kind k, int status, const std::string& detail) {
    FetchFailure f;
    f.kind = k;
    f.status = status;
    f.detail = detail;
    return f;
  };
  CHECK(text(Kind::NotFound, 404, "manifest x").message() == "reference not found");
  CHECK(text(Kind::Unauthorized, 401, "").message() == "authentication required (401)");
  CHECK(text(Kind::Forbidden, 403, "").message() == "access denied (403)");
  CHECK(text(Kind::Status, 502, "manifest x").message() == "unexpected status 502");
  CHECK(text(Kind::Network, 0, "connection refused").message() == "network error: connection refused");
  CHECK(text(Kind::Offline, 0, "--offline: blob sha256:1 is not in the cache").message() ==
        "--offline: blob sha256:1 is not in the cache");
  for (Kind k : {Kind::NotFound, Kind::Unauthorized, Kind::Forbidden, Kind::Status, Kind::Network,
                 Kind::DigestMismatch, Kind::TooLarge, Kind::Invalid, Kind::Insecure, Kind::AuthConfig,
                 Kind::Offline, Kind::Cache}) {
    CHECK_FALSE(text(k, 0, "").help().empty());
  }
  CHECK(text(Kind::Unauthorized, 401, "").help() == "Set the environment variable and check token expiry");
}

TEST_CASE("an unreachable registry is a network error after retries", "[fetcher]") {
  StoreTempDir tmp;
  auto client = ork::http::makeCurlClient();
  auto fetcher = makeFetcher(Cache(tmp.path("cache")), *client);
  FetchFailure failure;
  FetchRequest r = request(FetchKind::Oci, "127.0.0.1:1/team/pg", "v1");
  CHECK_FALSE(fetcher->fetch(r, &failure));
  CHECK(failure.kind == FetchFailure::Kind::Network);
  CHECK(failure.message().rfind("network error: ", 0) == 0);
  CHECK(fetcher->requestCount() >= 1);
}
