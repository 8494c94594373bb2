// Fetcher tests over OCI against the real distribution registry (testdata/fixtures/registry.sh) and
// OCI layout directories: tags, digests, pins, the warm cache (zero requests), --offline, artifactType,
// 401 and `auth`, tampering, size bounds, unsafe titles, and concurrent fetchers over one cache.
#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

#include "frontend/sources/fetcher.h"
#include "frontend/sources/testing/fetcher_helpers.h"
#include "support/testing/server_process.h"

namespace fs = std::filesystem;
using namespace ork::sources;
using namespace ork::sources::testing;
using ork::testing::ServerProcess;

namespace {

bool needRegistry() {
  if (std::system("command -v docker-registry >/dev/null 2>&1") == 0) return true;
  const char* allow = std::getenv("ORK_ALLOW_SKIP_REGISTRY");
  if (allow && std::string(allow) == "1") {
    WARN("docker-registry is not installed: skipped (ORK_ALLOW_SKIP_REGISTRY=1)");
    return false;
  }
  FAIL("docker-registry is not installed (scripts/install-deps.sh); set ORK_ALLOW_SKIP_REGISTRY=1 to skip");
  return false;
}

/// testdata/fixtures/registry.sh: line 1 is the port, line 2 the storage directory.
struct RegistryServer {
  ServerProcess process;
  std::string port, dir;
  explicit RegistryServer(std::vector<std::string> args = {})
      : process([&] {
          std::vector<std::string> argv = {
              "bash", ork::testing::sourceDir() + "/testdata/fixtures/registry.sh", "--lifetime", "120"};
          argv.insert(argv.end(), args.begin(), args.end());
          return argv;
        }()) {
    port = process.readLine(60000);
    REQUIRE(!port.empty());
    dir = process.readLine();
  }
  std::string host() const { return "127.0.0.1:" + port; }
  /// The file holding blob `digest` in the registry's storage.
  fs::path blobFile(const std::string& digest) const {
    std::string hex = digest.substr(7);
    return fs::path(dir) / "data/docker/registry/v2/blobs/sha256" / hex.substr(0, 2) / hex / "data";
  }
};

RemoteOptions pushOptions(const std::string& user = "", const std::string& pass = "") {
  RemoteOptions o;
  o.useDockerConfig = false;
  o.credentials.username = user;
  o.credentials.password = pass;
  return o;
}

FetchRequest ociRequest(const std::string& url, const std::string& version, const std::string& pinned = "") {
  FetchRequest r;
  r.kind = FetchKind::Oci;
  r.url = url;
  r.version = version;
  r.pinned = pinned;
  return r;
}

/// A cache in `tmp`, an HTTP client and a Fetcher over them.
struct Setup {
  StoreTempDir tmp;
  Cache cache{tmp.path("cache")};
  std::unique_ptr<ork::http::Client> client = ork::http::makeCurlClient();
  std::unique_ptr<Fetcher> fetcher;
  explicit Setup(FetcherOptions options = {}) { fetcher = makeFetcher(cache, *client, options); }
  std::unique_ptr<Fetcher> another(FetcherOptions options) { return makeFetcher(cache, *client, options); }
};

/// Nothing of a failed fetch stayed: no blob, no pattern, nothing in tmp/.
void checkNothingKept(const Cache& cache) {
  CHECK(filesUnder(cache.root() + "/blobs").empty());
  CHECK(entriesIn(cache.root() + "/patterns") == 0);
  CHECK(entriesIn(cache.root() + "/tmp") == 0);
}

}  // namespace

TEST_CASE("fetch by tag, by digest and pinned; a warm pinned fetch sends no request", "[fetcher][registry]") {
  if (!needRegistry()) return;
  RegistryServer server;
  Setup s;
  auto reg = openRemoteRegistry(server.host(), *s.client, pushOptions());
  std::string digest = pushPattern(*reg, "team/pg", "v14", writePattern(s.tmp, "src", "v14"));
  const std::string url = server.host() + "/team/pg";

  FetchFailure failure;
  auto byTag = s.fetcher->fetch(ociRequest(url, "v14"), &failure);
  INFO(failure.message());
  REQUIRE(byTag);
  CHECK(byTag->resolved == digest);
  CHECK(byTag->network);
  CHECK(byTag->path == s.cache.patternDir(digest));
  CHECK(byTag->annotations.at("io.orkestra.pattern.version") == "v14");
  CHECK(filesUnder(byTag->path) ==
        std::vector<std::string>{"README.md", "cr.yaml", "crd.yaml", "katalog.yaml", "komposer.yaml"});
  CHECK(slurp(byTag->path + "/crd.yaml") == "crd.yaml of src v14\n");
  checkFilesHash(byTag->path, byTag->files);
  CHECK(s.cache.hasBlob(digest));                           // the manifest is in blobs/
  CHECK(s.cache.readRef("oci:" + url + ":v14") == digest);  // the tag is remembered in refs/
  CHECK(s.fetcher->requestCount() > 0);

  // A tag is resolved again online (tags are mutable): one manifest request, no layer.
  uint64_t before = s.fetcher->requestCount();
  auto again = s.fetcher->fetch(ociRequest(url, "v14"), &failure);
  REQUIRE(again);
  CHECK(again->network);
  CHECK(s.fetcher->requestCount() == before + 1);

  // A digest version and a pin are served from the warm cache without any request.
  before = s.fetcher->requestCount();
  auto byDigest = s.fetcher->fetch(ociRequest(url, digest), &failure);
  REQUIRE(byDigest);
  auto pinned = s.fetcher->fetch(ociRequest(url, "v14", digest), &failure);
  REQUIRE(pinned);
  CHECK(s.fetcher->requestCount() == before);
  CHECK_FALSE(pinned->network);
  CHECK(pinned->files == byTag->files);
  CHECK(pinned->annotations == byTag->annotations);
  CHECK(pinned->path == byTag->path);

  // A pin wins over the tag: re-tagging v14 does not move a pinned fetch.
  std::string other = pushPattern(*reg, "team/pg", "v14", writePattern(s.tmp, "src2", "v14b"));
  REQUIRE(other != digest);
  auto stillPinned = s.fetcher->fetch(ociRequest(url, "v14", digest), &failure);
  REQUIRE(stillPinned);
  CHECK(stillPinned->resolved == digest);
  auto moved = s.fetcher->fetch(ociRequest(url, "v14"), &failure);
  REQUIRE(moved);
  CHECK(moved->resolved == other);

  // A cold cache fetches a pinned digest from the registry.
  Setup cold;
  auto fresh = cold.fetcher->fetch(ociRequest(url, "v14", digest), &failure);
  REQUIRE(fresh);
  CHECK(fresh->network);
  CHECK(fresh->files == byTag->files);
  CHECK(cold.fetcher->requestCount() == 6);  // the manifest and five layers, nothing else
}

TEST_CASE("--offline serves pins and remembered tags from the cache and names what is missing",
          "[fetcher][registry]") {
  if (!needRegistry()) return;
  RegistryServer server;
  Setup s;
  auto reg = openRemoteRegistry(server.host(), *s.client, pushOptions());
  std::string digest = pushPattern(*reg, "team/pg", "v1", writePattern(s.tmp, "src", "v1"));
  const std::string url = server.host() + "/team/pg";
  FetchFailure failure;
  auto warm = s.fetcher->fetch(ociRequest(url, "v1"), &failure);
  REQUIRE(warm);

  FetcherOptions offline;
  offline.offline = true;
  auto off = s.another(offline);
  auto pinned = off->fetch(ociRequest(url, "v1", digest), &failure);
  INFO(failure.message());
  REQUIRE(pinned);
  CHECK_FALSE(pinned->network);
  CHECK(pinned->files == warm->files);
  auto byTag = off->fetch(ociRequest(url, "v1"), &failure);  // refs/ remembers v1
  REQUIRE(byTag);
  CHECK(byTag->resolved == digest);
  CHECK(off->requestCount() == 0);

  CHECK_FALSE(off->fetch(ociRequest(url, "v2"), &failure));
  CHECK(failure.kind == FetchFailure::Kind::Offline);
  CHECK(failure.message() == "--offline: reference " + url + ":v2 is not in the cache");

  std::string unknown = "sha256:" + std::string(64, '0');
  CHECK_FALSE(off->fetch(ociRequest(url, "v1", unknown), &failure));
  CHECK(failure.message() == "--offline: manifest " + unknown + " of " + url + " is not in the cache");

  // A layer blob dropped from the cache: offline names it, the pattern directory does not hide it.
  std::string crd = warm->files.at("crd.yaml");
  fs::remove(s.cache.blobPath(crd));
  CHECK_FALSE(off->fetch(ociRequest(url, "v1", digest), &failure));
  CHECK(failure.kind == FetchFailure::Kind::Offline);
  CHECK(failure.message() ==
        "--offline: blob " + crd + " (crd.yaml of " + url + "@" + digest + ") is not in the cache");
  CHECK(failure.help() == "run once without --offline to fill the cache (ork pull -f <komposer.yaml>)");
  CHECK(off->requestCount() == 0);

  // --refresh ignores refs/: offline, a tag then cannot be resolved.
  offline.refresh = true;
  CHECK_FALSE(s.another(offline)->fetch(ociRequest(url, "v1"), &failure));
  CHECK(failure.kind == FetchFailure::Kind::Offline);

  // Online again, only the missing blob is fetched.
  auto repaired = s.fetcher->fetch(ociRequest(url, "v1", digest), &failure);
  REQUIRE(repaired);
  CHECK(s.cache.hasBlob(crd));
}

TEST_CASE("artifactType and missing references are reported with §10.3 words", "[fetcher][registry]") {
  if (!needRegistry()) return;
  RegistryServer server;
  Setup s;
  auto reg = openRemoteRegistry(server.host(), *s.client, pushOptions());
  pushPattern(*reg, "team/pg", "v1", writePattern(s.tmp, "pattern", "v1"));
  pushPattern(*reg, "motifs/web", "v1", writePattern(s.tmp, "motif", "v1", true), true);
  FetchFailure failure;

  FetchRequest asMotif = ociRequest(server.host() + "/team/pg", "v1");
  asMotif.motif = true;
  CHECK_FALSE(s.fetcher->fetch(asMotif, &failure));
  CHECK(failure.kind == FetchFailure::Kind::Invalid);
  CHECK(failure.message() ==
        "artifact type \"application/vnd.orkestra.pattern.v1+tar+gzip\" is not an ork motif (expected "
        "application/vnd.orkestra.motif.v1+tar+gzip)");
  CHECK_FALSE(s.fetcher->fetch(ociRequest(server.host() + "/motifs/web", "v1"), &failure));
  CHECK(failure.message() ==
        "artifact type \"application/vnd.orkestra.motif.v1+tar+gzip\" is not an ork pattern (expected "
        "application/vnd.orkestra.pattern.v1+tar+gzip)");
  checkNothingKept(s.cache);

  FetchRequest motif = ociRequest(server.host() + "/motifs/web", "v1");
  motif.motif = true;
  auto got = s.fetcher->fetch(motif, &failure);
  REQUIRE(got);
  CHECK(filesUnder(got->path) == std::vector<std::string>{"README.md", "motif.yaml"});

  CHECK_FALSE(s.fetcher->fetch(ociRequest(server.host() + "/team/pg", "v9"), &failure));
  CHECK(failure.kind == FetchFailure::Kind::NotFound);
  CHECK(failure.message() == "reference not found");
  CHECK(failure.help() == "Check available versions in the registry");
  CHECK_FALSE(s.fetcher->fetch(ociRequest(server.host() + "/team/nothing", "v1"), &failure));
  CHECK(failure.message() == "reference not found");
  CHECK_FALSE(s.fetcher->fetch(ociRequest("no-slash", "v1"), &failure));
  CHECK(failure.message() == "invalid URL");
}

TEST_CASE("htpasswd registry: 401 without credentials, auth basic from the environment works",
          "[fetcher][registry]") {
  if (!needRegistry()) return;
  RegistryServer server({"--htpasswd", "alice:s3cret-pw"});
  Setup s;
  ScopedEnv docker("DOCKER_CONFIG", s.tmp.path("no-docker-config"));  // no host credentials leak in
  auto reg = openRemoteRegistry(server.host(), *s.client, pushOptions("alice", "s3cret-pw"));
  std::string digest = pushPattern(*reg, "team/pg", "v1", writePattern(s.tmp, "src", "v1"));
  const std::string url = server.host() + "/team/pg";
  FetchFailure failure;

  CHECK_FALSE(s.fetcher->fetch(ociRequest(url, "v1"), &failure));
  CHECK(failure.kind == FetchFailure::Kind::Unauthorized);
  CHECK(failure.message() == "authentication required (401)");
  CHECK(failure.help() == "Set the environment variable and check token expiry");

  FetchRequest withAuth = ociRequest(url, "v1");
  withAuth.auth = AuthSpec{"basic", "", "REG_USER", "REG_PASS"};
  {
    ScopedEnv user("REG_USER", std::string("alice"));
    ScopedEnv pass("REG_PASS", std::string("wrong-pw"));
    CHECK_FALSE(s.fetcher->fetch(withAuth, &failure));
    CHECK(failure.message() == "authentication required (401)");
    CHECK(failure.detail.find("wrong-pw") == std::string::npos);
  }
  {
    ScopedEnv user("REG_USER", std::string("alice"));
    ScopedEnv pass("REG_PASS", std::string("s3cret-pw"));
    auto got = s.fetcher->fetch(withAuth, &failure);
    INFO(failure.message());
    REQUIRE(got);
    CHECK(got->resolved == digest);
    checkFilesHash(got->path, got->files);
  }
  {
    ScopedEnv user("REG_USER", std::nullopt);
    CHECK_FALSE(s.fetcher->fetch(withAuth, &failure));
    CHECK(failure.kind == FetchFailure::Kind::AuthConfig);
    CHECK(failure.message() == "auth type \"basic\": environment variable \"REG_USER\" is not set or empty");
  }
}

TEST_CASE("auth blocks: the §10.2 errors word for word", "[fetcher]") {
  Setup s;
  FetchFailure failure;
  FetchRequest r = ociRequest("127.0.0.1:1/team/pg", "v1");

  r.auth = AuthSpec{"github", "", "", ""};
  ScopedEnv gh("GITHUB_TOKEN", std::nullopt);
  CHECK_FALSE(s.fetcher->fetch(r, &failure));
  CHECK(failure.kind == FetchFailure::Kind::AuthConfig);
  CHECK(failure.message() ==
        "auth type \"github\": environment variable \"GITHUB_TOKEN\" is not set or empty");

  r.auth = AuthSpec{"github", "X", "", ""};
  ScopedEnv x("X", std::string());
  CHECK_FALSE(s.fetcher->fetch(r, &failure));
  CHECK(failure.message() == "auth type \"github\": environment variable \"X\" is not set or empty");

  r.auth = AuthSpec{"bearer", "", "", ""};
  CHECK_FALSE(s.fetcher->fetch(r, &failure));
  CHECK(failure.message() == "auth type \"bearer\" requires fromEnv");

  r.auth = AuthSpec{"basic", "", "U", ""};
  CHECK_FALSE(s.fetcher->fetch(r, &failure));
  CHECK(failure.message() == "basic auth requires usernameFromEnv and passwordFromEnv");
  CHECK(failure.help().find("usernameFromEnv and passwordFromEnv") != std::string::npos);
  CHECK(s.fetcher->requestCount() == 0);  // nothing was sent
}

TEST_CASE("OCI layout directories fetch like a registry, also offline", "[fetcher][layout]") {
  Setup s;
  std::string dir = s.tmp.path("layout");
  auto layout = openLayoutRegistry(dir, true);
  std::string digest = pushPattern(*layout, "", "v2", writePattern(s.tmp, "src", "v2"));
  FetchRequest r;
  r.kind = FetchKind::OciLayout;
  r.url = dir;
  r.version = "v2";
  FetchFailure failure;
  auto got = s.fetcher->fetch(r, &failure);
  INFO(failure.message());
  REQUIRE(got);
  CHECK(got->resolved == digest);
  CHECK_FALSE(got->network);
  checkFilesHash(got->path, got->files);
  CHECK(lockKind(FetchKind::OciLayout) == std::string("oci-layout"));

  FetcherOptions offline;
  offline.offline = true;
  auto off = s.another(offline);
  Setup other;  // a cold cache: offline still reads the layout itself
  auto cold = other.another(offline)->fetch(r, &failure);
  REQUIRE(cold);
  CHECK(cold->files == got->files);

  r.version = "v3";
  CHECK_FALSE(off->fetch(r, &failure));
  CHECK(failure.message() == "reference not found");
  r.url = s.tmp.path("missing");
  CHECK_FALSE(off->fetch(r, &failure));
  CHECK(failure.message() == "reference not found");
}

TEST_CASE("fetchAll: ten artifacts, two Fetchers over one cache at once", "[fetcher][registry]") {
  if (!needRegistry()) return;
  RegistryServer server;
  Setup s;
  auto reg = openRemoteRegistry(server.host(), *s.client, pushOptions());
  std::vector<FetchRequest> requests;
  for (int i = 0; i < 10; ++i) {
    std::string tag = "v" + std::to_string(i);
    pushPattern(*reg, "team/p" + std::to_string(i % 3), tag,
                writePattern(s.tmp, "src" + std::to_string(i), tag));
    requests.push_back(ociRequest(server.host() + "/team/p" + std::to_string(i % 3), tag));
  }
  auto a = s.another({});
  auto b = s.another({});
  std::vector<std::optional<FetchResult>> ra, rb;
  std::vector<FetchFailure> fa, fb;
  size_t doneCalls = 0;  // `done` is serialised: a plain counter is safe
  std::thread other([&] { rb = b->fetchAll(requests, &fb, 4); });
  ra = a->fetchAll(requests, &fa, 4,
                   [&](size_t, const std::optional<FetchResult>&, const FetchFailure&) { ++doneCalls; });
  other.join();
  CHECK(doneCalls == 10);
  REQUIRE(ra.size() == 10);
  REQUIRE(rb.size() == 10);
  for (size_t i = 0; i < 10; ++i) {
    INFO("artifact " << i << ": " << fa[i].message() << " / " << fb[i].message());
    REQUIRE(ra[i]);
    REQUIRE(rb[i]);
    CHECK(ra[i]->resolved == rb[i]->resolved);
    CHECK(ra[i]->path == rb[i]->path);
    checkFilesHash(ra[i]->path, ra[i]->files);
    CHECK(slurp(ra[i]->path + "/katalog.yaml") ==
          "katalog.yaml of src" + std::to_string(i) + " v" + std::to_string(i) + "\n");
  }
  CHECK(entriesIn(s.cache.root() + "/tmp") == 0);
  CHECK(entriesIn(s.cache.root() + "/patterns") == 10);
  // parallelism 0 still runs (one thread).
  auto serial = s.fetcher->fetchAll({requests[0]}, nullptr, 0);
  REQUIRE(serial.size() == 1);
  CHECK(serial[0]);
}

TEST_CASE("a tampered blob, an oversized layer, an unsafe title: nothing is kept", "[fetcher][registry]") {
  if (!needRegistry()) return;
  RegistryServer server;
  Setup s;
  auto reg = openRemoteRegistry(server.host(), *s.client, pushOptions());
  const std::string url = server.host() + "/team/pg";
  FetchFailure failure;

  SECTION("tampered layer in the registry's storage") {
    std::string digest = pushPattern(*reg, "team/pg", "v1", writePattern(s.tmp, "src", "v1"));
    std::string katalog = sha256Digest(slurp(s.tmp.path("src/katalog.yaml")));
    fs::path data = server.blobFile(katalog);
    REQUIRE(fs::exists(data));
    std::string bytes = slurp(data.string());
    bytes[0] = 'K';  // same length, other content
    s.tmp.write("tampered", bytes);
    fs::copy_file(s.tmp.path("tampered"), data, fs::copy_options::overwrite_existing);
    CHECK_FALSE(s.fetcher->fetch(ociRequest(url, "v1"), &failure));
    CHECK(failure.kind == FetchFailure::Kind::DigestMismatch);
    CHECK(failure.message() ==
          "content of layer katalog.yaml of " + url + "@" + digest + " does not match its digest " + katalog);
    checkNothingKept(s.cache);
  }
  SECTION("layer over Limits.maxBlobBytes") {
    std::string digest = pushPattern(*reg, "team/pg", "v1", writePattern(s.tmp, "src", "v1"));
    FetcherOptions small;
    small.limits.maxBlobBytes = 10;
    CHECK_FALSE(s.another(small)->fetch(ociRequest(url, "v1"), &failure));
    CHECK(failure.kind == FetchFailure::Kind::TooLarge);
    CHECK(failure.message() ==
          "layer katalog.yaml of " + url + "@" + digest + " is larger than the limit of 10 bytes");
    checkNothingKept(s.cache);
  }
  SECTION("layer titled ../evil") {
    std::string evil = "evil\n";
    REQUIRE(reg->pushBlob("team/pg", sha256Digest(evil), evil).ok());
    REQUIRE(reg->pushBlob("team/pg", kEmptyConfigDigest, kEmptyConfigBytes).ok());
    Descriptor layer{"application/octet-stream",
                     sha256Digest(evil),
                     static_cast<int64_t>(evil.size()),
                     {},
                     {{kTitleAnnotation, "../evil"}}};
    auto pushed = reg->pushManifest("team/pg", "evil", buildManifest({layer}, kPatternArtifactType, {}),
                                    kManifestMediaType);
    REQUIRE(pushed.ok());
    CHECK_FALSE(s.fetcher->fetch(ociRequest(url, "evil"), &failure));
    CHECK(failure.kind == FetchFailure::Kind::Invalid);
    CHECK(failure.message() ==
          "unsafe layer title \"../evil\": contains '..' (" + url + "@" + *pushed.value + ")");
    checkNothingKept(s.cache);
    CHECK_FALSE(fs::exists(fs::path(s.cache.root()).parent_path() / "evil"));
  }
}
