// Tests of openRemoteRegistry against the real distribution registry (testdata/fixtures/registry.sh):
// push/pull by tag and digest, HEAD, tags, catalog, mount, chunked upload, htpasswd with Docker config
// credentials and a credential helper, the Bearer token flow (token_server.py), error mapping, tampering.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/sources/oci.h"
#include "frontend/sources/oci_auth.h"
#include "support/template_functions.h"
#include "support/testing/server_process.h"

namespace fs = std::filesystem;
using namespace ork::sources;
using ork::testing::ServerProcess;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "ork-oci-XXXXXX").string();
    path = mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool registryInstalled() { return std::system("command -v docker-registry >/dev/null 2>&1") == 0; }

// Skips only when the registry is missing AND ORK_ALLOW_SKIP_REGISTRY=1; otherwise a missing registry fails.
bool needRegistry() {
  if (registryInstalled()) return true;
  const char* allow = std::getenv("ORK_ALLOW_SKIP_REGISTRY");
  if (allow && std::string(allow) == "1") {
    WARN("docker-registry is not installed: skipped (ORK_ALLOW_SKIP_REGISTRY=1)");
    return false;
  }
  FAIL("docker-registry is not installed (scripts/install-deps.sh); set ORK_ALLOW_SKIP_REGISTRY=1 to skip");
  return false;
}

struct Registry_ {
  ServerProcess process;
  std::string port, dir, tokenPort;
  explicit Registry_(std::vector<std::string> args)
      : process([&] {
          std::vector<std::string> argv = {
              "bash", ork::testing::sourceDir() + "/testdata/fixtures/registry.sh", "--lifetime", "120"};
          argv.insert(argv.end(), args.begin(), args.end());
          return argv;
        }()) {
    port = process.readLine(60000);
    REQUIRE(!port.empty());
    dir = process.readLine();
    bool token = false;
    for (const auto& a : args) token = token || a == "--token";
    if (token) tokenPort = process.readLine();
  }
  std::string host() const { return "127.0.0.1:" + port; }
};

// Sets an environment variable for one scope.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old) {
      setenv(name.c_str(), old->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }
};

const std::string kLayer = "kind: Katalog\n";
const std::string kConfig = "{}";

std::string manifestFor(const std::string& layer) {
  nlohmann::json m = {
      {"schemaVersion", 2},
      {"mediaType", kManifestMediaType},
      {"artifactType", kPatternArtifactType},
      {"config", {{"mediaType", kEmptyConfigMediaType}, {"digest", kEmptyConfigDigest}, {"size", 2}}},
      {"layers",
       {{{"mediaType", "application/vnd.orkestra.katalog.v1+yaml"},
         {"digest", sha256Digest(layer)},
         {"size", layer.size()},
         {"annotations", {{kTitleAnnotation, "katalog.yaml"}}}}}}};
  return m.dump();
}

// Pushes the config, one layer and the manifest under `tag`; returns the manifest digest.
std::string pushArtifact(Registry& reg, const std::string& repo, const std::string& tag,
                         const std::string& layer = kLayer) {
  auto c = reg.pushBlob(repo, kEmptyConfigDigest, kConfig);
  INFO(c.error.message());
  REQUIRE(c.ok());
  auto l = reg.pushBlob(repo, sha256Digest(layer), layer);
  INFO(l.error.message());
  REQUIRE(l.ok());
  auto m = reg.pushManifest(repo, tag, manifestFor(layer), kManifestMediaType);
  INFO(m.error.message());
  REQUIRE(m.ok());
  return *m.value;
}

RemoteOptions noDocker() {
  RemoteOptions o;
  o.useDockerConfig = false;
  return o;
}

}  // namespace

TEST_CASE("push and pull by tag and digest against the real registry", "[oci][registry]") {
  if (!needRegistry()) return;
  Registry_ server({});
  std::string error;
  auto ref = parseOciRef(server.host() + "/team/postgres:v14", "", &error);
  REQUIRE(ref);
  CHECK(ref->registry == server.host());
  auto client = ork::http::makeCurlClient();
  auto reg = openRemoteRegistry(ref->registry, *client, noDocker());
  std::string digest = pushArtifact(*reg, ref->repository, ref->tag);
  CHECK(digest == sha256Digest(manifestFor(kLayer)));

  auto byTag = reg->getManifest(ref->repository, "v14");
  REQUIRE(byTag.ok());
  CHECK(byTag.value->digest == digest);
  CHECK(byTag.value->bytes == manifestFor(kLayer));
  CHECK(byTag.value->mediaType == kManifestMediaType);
  CHECK(byTag.value->artifactType() == kPatternArtifactType);
  REQUIRE(byTag.value->layers().size() == 1);
  auto byDigest = reg->getManifest(ref->repository, digest);
  REQUIRE(byDigest.ok());
  CHECK(byDigest.value->bytes == byTag.value->bytes);

  auto head = reg->headManifest(ref->repository, "v14");
  REQUIRE(head.ok());
  CHECK(head.value->digest == digest);
  CHECK(head.value->size == static_cast<int64_t>(manifestFor(kLayer).size()));
  CHECK(head.value->mediaType == kManifestMediaType);

  Descriptor layer = byTag.value->layers()[0];
  auto bytes = reg->fetchBlobBytes(ref->repository, layer);
  REQUIRE(bytes.ok());
  CHECK(*bytes.value == kLayer);
  TempDir out;
  auto fetched = reg->fetchBlob(ref->repository, layer, (out.path / "katalog.yaml").string());
  REQUIRE(fetched.ok());
  CHECK(readFile(out.path / "katalog.yaml") == kLayer);
  CHECK(std::distance(fs::directory_iterator(out.path), fs::directory_iterator()) == 1);  // no temp file left

  auto exists = reg->blobExists(ref->repository, layer.digest);
  REQUIRE(exists.ok());
  CHECK(*exists.value);
  auto absent = reg->blobExists(ref->repository, sha256Digest("nothing"));
  REQUIRE(absent.ok());
  CHECK_FALSE(*absent.value);

  pushArtifact(*reg, ref->repository, "v15", "kind: Katalog # v15\n");
  auto tags = reg->listTags(ref->repository);
  REQUIRE(tags.ok());
  std::sort(tags.value->begin(), tags.value->end());  // the registry's order is its storage's
  CHECK(*tags.value == std::vector<std::string>{"v14", "v15"});
  auto repos = reg->catalog();
  REQUIRE(repos.ok());
  CHECK(*repos.value == std::vector<std::string>{"team/postgres"});
  CHECK(reg->requestCount() > 10);

  auto missingTag = reg->getManifest(ref->repository, "v99");
  REQUIRE_FALSE(missingTag.ok());
  CHECK(missingTag.error.kind == OciError::Kind::NotFound);
  CHECK(missingTag.error.message() == "reference not found");
  auto missingRepo = reg->listTags("team/nothing");
  REQUIRE_FALSE(missingRepo.ok());
  CHECK(missingRepo.error.kind == OciError::Kind::NotFound);
  auto wrongContent = reg->pushBlob(ref->repository, sha256Digest("a"), "b");
  REQUIRE_FALSE(wrongContent.ok());
  CHECK(wrongContent.error.kind == OciError::Kind::DigestMismatch);
}

TEST_CASE("cross-repository mount and chunked uploads", "[oci][registry]") {
  if (!needRegistry()) return;
  Registry_ server({});
  auto client = ork::http::makeCurlClient();
  RemoteOptions options = noDocker();
  options.chunkBytes = 1000;
  auto reg = openRemoteRegistry(server.host(), *client, options);
  std::string big;
  for (int i = 0; i < 3500; ++i) big += static_cast<char>('a' + i % 26);
  REQUIRE(reg->pushBlob("team/a", sha256Digest(big), big).ok());
  Descriptor d{"application/octet-stream", sha256Digest(big), static_cast<int64_t>(big.size()), {}, {}};
  auto back = reg->fetchBlobBytes("team/a", d);
  REQUIRE(back.ok());
  CHECK(*back.value == big);

  uint64_t before = reg->requestCount();
  REQUIRE(reg->pushBlob("team/b", d.digest, big, "team/a").ok());
  CHECK(reg->requestCount() - before == 2);  // HEAD (absent), then POST ?mount= answered 201: no upload
  auto mounted = reg->fetchBlobBytes("team/b", d);
  REQUIRE(mounted.ok());
  CHECK(*mounted.value == big);
}

TEST_CASE("a tampered blob or manifest is refused", "[oci][registry]") {
  if (!needRegistry()) return;
  Registry_ server({});
  auto client = ork::http::makeCurlClient();
  auto reg = openRemoteRegistry(server.host(), *client, noDocker());
  std::string digest = pushArtifact(*reg, "team/pg", "v1");
  std::string layerHex = sha256Digest(kLayer).substr(7);
  fs::path data = fs::path(server.dir) / "data/docker/registry/v2/blobs/sha256" / layerHex.substr(0, 2) /
                  layerHex / "data";
  REQUIRE(fs::exists(data));
  writeFile(data, "kind: Komposer\n");  // same length, other bytes
  Descriptor layer{"application/vnd.orkestra.katalog.v1+yaml",
                   sha256Digest(kLayer),
                   static_cast<int64_t>(kLayer.size()),
                   {},
                   {}};
  auto bytes = reg->fetchBlobBytes("team/pg", layer);
  REQUIRE_FALSE(bytes.ok());
  CHECK(bytes.error.kind == OciError::Kind::DigestMismatch);
  TempDir out;
  auto file = reg->fetchBlob("team/pg", layer, (out.path / "katalog.yaml").string());
  REQUIRE_FALSE(file.ok());
  CHECK(file.error.kind == OciError::Kind::DigestMismatch);
  CHECK(fs::is_empty(out.path));  // nothing left behind

  std::string mHex = digest.substr(7);
  fs::path mdata =
      fs::path(server.dir) / "data/docker/registry/v2/blobs/sha256" / mHex.substr(0, 2) / mHex / "data";
  std::string text = readFile(mdata);
  text[text.find("katalog.yaml")] = 'K';
  writeFile(mdata, text);
  auto m = reg->getManifest("team/pg", digest);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error.kind == OciError::Kind::DigestMismatch);
}

TEST_CASE("htpasswd auth with Docker config credentials and a credential helper", "[oci][registry][auth]") {
  if (!needRegistry()) return;
  Registry_ server({"--htpasswd", "alice:s3cret-pw"});
  auto client = ork::http::makeCurlClient();
  TempDir docker;
  ScopedEnv config("DOCKER_CONFIG", docker.path.string());

  // No configuration: anonymous, 401.
  auto anonymous = openRemoteRegistry(server.host(), *client);
  auto denied = anonymous->listTags("team/pg");
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error.kind == OciError::Kind::Unauthorized);
  CHECK(denied.error.message() == "authentication required (401)");

  // auths[host].auth
  writeFile(docker.path / "config.json", R"({"auths":{")" + server.host() + R"(":{"auth":")" +
                                             ork::tmpl::base64Encode("alice:s3cret-pw") + R"("}}})");
  auto withAuths = openRemoteRegistry(server.host(), *client);
  pushArtifact(*withAuths, "team/pg", "v1");
  auto tags = withAuths->listTags("team/pg");
  REQUIRE(tags.ok());
  CHECK(*tags.value == std::vector<std::string>{"v1"});

  // Wrong password: 401, and the secret is in no error text.
  writeFile(docker.path / "config.json", R"({"auths":{"http://)" + server.host() +
                                             R"(/v2/":{"username":"alice","password":"wrong-pw"}}})");
  auto wrong = openRemoteRegistry(server.host(), *client)->getManifest("team/pg", "v1");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error.kind == OciError::Kind::Unauthorized);
  CHECK(wrong.error.detail.find("wrong-pw") == std::string::npos);

  // credsStore through docker-credential-test on PATH (a test helper script standing in for a keychain).
  TempDir bin;
  writeFile(
      bin.path / "docker-credential-test",
      "#!/bin/sh\nread host\nif [ \"$1\" = get ] && [ \"$host\" = \"" + server.host() +
          "\" ]; then echo '{\"ServerURL\":\"'$host'\",\"Username\":\"alice\",\"Secret\":\"s3cret-pw\"}'; "
          "else echo 'credentials not found in native keychain'; exit 1; fi\n");
  fs::permissions(bin.path / "docker-credential-test", fs::perms::owner_all);
  ScopedEnv path("PATH", bin.path.string() + ":" + std::getenv("PATH"));
  writeFile(docker.path / "config.json", R"({"auths":{},"credsStore":"test"})");
  Credentials found = findDockerCredentials(server.host());
  CHECK(found.username == "alice");
  CHECK(found.password == "s3cret-pw");
  CHECK(findDockerCredentials("other.example").empty());
  auto viaHelper = openRemoteRegistry(server.host(), *client)->getManifest("team/pg", "v1");
  INFO(viaHelper.error.message());
  CHECK(viaHelper.ok());

  writeFile(docker.path / "config.json", R"({"credHelpers":{")" + server.host() + R"(":"missing"}})");
  std::string error;
  CHECK(findDockerCredentials(server.host(), &error).empty());
  CHECK(error == "executable file not found: docker-credential-missing");
}

TEST_CASE("the Bearer token flow with a real token server", "[oci][registry][auth]") {
  if (!needRegistry()) return;
  Registry_ server({"--token", "alice:pw"});
  auto client = ork::http::makeCurlClient();
  RemoteOptions options = noDocker();
  options.credentials.username = "alice";
  options.credentials.password = "pw";
  auto reg = openRemoteRegistry(server.host(), *client, options);
  std::string digest = pushArtifact(*reg, "team/pg", "v14");
  auto m = reg->getManifest("team/pg", "v14");
  REQUIRE(m.ok());
  CHECK(m.value->digest == digest);
  auto repos = reg->catalog();
  REQUIRE(repos.ok());
  CHECK(*repos.value == std::vector<std::string>{"team/pg"});
  // Tokens are cached per scope: a second pull needs no new token.
  uint64_t before = reg->requestCount();
  REQUIRE(reg->getManifest("team/pg", "v14").ok());
  CHECK(reg->requestCount() - before == 1);

  auto anonymous = openRemoteRegistry(server.host(), *client, noDocker())->getManifest("team/pg", "v14");
  REQUIRE_FALSE(anonymous.ok());
  CHECK(anonymous.error.kind == OciError::Kind::Unauthorized);

  RemoteOptions wrong = noDocker();
  wrong.credentials = {"alice", "nope", ""};
  auto refused = openRemoteRegistry(server.host(), *client, wrong)->getManifest("team/pg", "v14");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error.kind == OciError::Kind::Unauthorized);
  CHECK(refused.error.detail.find("nope") == std::string::npos);

  // An identity token (docker config `identitytoken`) is exchanged as an OAuth2 refresh token.
  TempDir docker;
  ScopedEnv config("DOCKER_CONFIG", docker.path.string());
  writeFile(docker.path / "config.json",
            R"({"auths":{")" + server.host() + R"(":{"identitytoken":"refresh-alice"}}})");
  auto viaIdentity = openRemoteRegistry(server.host(), *client)->getManifest("team/pg", "v14");
  INFO(viaIdentity.error.message());
  CHECK(viaIdentity.ok());
}

TEST_CASE("tags and catalog follow Link pages", "[oci][server]") {
  // The real registry pages only when asked (?n=); this file server sends the Link headers it would.
  TempDir root;
  writeFile(root.path / "v2/team/pg/tags/list", R"({"name":"team/pg","tags":["a","b"]})");
  writeFile(root.path / "v2/team/pg/tags/page2", R"({"name":"team/pg","tags":["c"]})");
  writeFile(root.path / "v2/_catalog", R"({"repositories":["team/pg"]})");
  ServerProcess fake({"python3", ork::testing::sourceDir() + "/testdata/fixtures/http_server.py",
                      "--lifetime", "60", "--root", root.path.string(), "--header",
                      "/v2/team/pg/tags/list=Link:</v2/team/pg/tags/page2?last=b&n=2>; rel=\"next\""});
  std::string port = fake.readLine();
  REQUIRE(!port.empty());
  auto client = ork::http::makeCurlClient();
  auto reg = openRemoteRegistry("127.0.0.1:" + port, *client, noDocker());
  auto tags = reg->listTags("team/pg");
  REQUIRE(tags.ok());
  CHECK(*tags.value == std::vector<std::string>{"a", "b", "c"});
  CHECK(reg->requestCount() == 2);
  auto repos = reg->catalog();
  REQUIRE(repos.ok());
  CHECK(*repos.value == std::vector<std::string>{"team/pg"});
}

TEST_CASE("WWW-Authenticate challenges", "[oci][auth]") {
  auto c = parseAuthChallenge(
      R"(Bearer realm="https://auth.io/token",service="registry.io",scope="repository:a/b:pull,push")");
  REQUIRE(c);
  CHECK(c->scheme == "bearer");
  CHECK(c->params.at("realm") == "https://auth.io/token");
  CHECK(c->params.at("service") == "registry.io");
  CHECK(c->params.at("scope") == "repository:a/b:pull,push");
  c = parseAuthChallenge("Basic realm=ork-test");
  REQUIRE(c);
  CHECK(c->scheme == "basic");
  CHECK(c->params.at("realm") == "ork-test");
  CHECK_FALSE(parseAuthChallenge(""));
}

TEST_CASE("403, other statuses, network errors and plain HTTP map to OciError kinds", "[oci][server]") {
  TempDir root;
  ServerProcess fake({"python3", ork::testing::sourceDir() + "/testdata/fixtures/http_server.py",
                      "--lifetime", "60", "--fault", "/v2/team/pg/manifests/v1=status:403", "--fault",
                      "/v2/team/pg/manifests/v2=status:500", "--fault", "/v2/team/pg/tags/list=status:401"});
  std::string port = fake.readLine();
  REQUIRE(!port.empty());
  auto client = ork::http::makeCurlClient();
  auto reg = openRemoteRegistry("127.0.0.1:" + port, *client, noDocker());
  auto forbidden = reg->getManifest("team/pg", "v1");
  REQUIRE_FALSE(forbidden.ok());
  CHECK(forbidden.error.kind == OciError::Kind::Forbidden);
  CHECK(forbidden.error.message() == "access denied (403)");
  auto failing = reg->getManifest("team/pg", "v2");
  REQUIRE_FALSE(failing.ok());
  CHECK(failing.error.kind == OciError::Kind::Status);
  CHECK(failing.error.message() == "unexpected status 500");
  auto unauthorized = reg->listTags("team/pg");  // 401 without a challenge
  REQUIRE_FALSE(unauthorized.ok());
  CHECK(unauthorized.error.kind == OciError::Kind::Unauthorized);
  fake.stop();
  auto down = reg->getManifest("team/pg", "v1");
  REQUIRE_FALSE(down.ok());
  CHECK(down.error.kind == OciError::Kind::Network);
  CHECK(down.error.message() == "network error: connection refused");

  auto plain = openRemoteRegistry("http://registry.example.com", *client, noDocker());
  auto insecure = plain->getManifest("team/pg", "v1");
  REQUIRE_FALSE(insecure.ok());
  CHECK(insecure.error.kind == OciError::Kind::Insecure);
  CHECK(insecure.error.message() ==
        "insecure registry: plain HTTP to registry.example.com is not allowed (only loopback hosts and "
        "ORK_INSECURE_REGISTRIES)");
  CHECK(plain->requestCount() == 0);
}

TEST_CASE("the registry fixture cleans up after itself", "[oci][registry]") {
  if (!needRegistry()) return;
  std::string dir, port;
  {
    Registry_ server({"--htpasswd", "bob:pw"});
    dir = server.dir;
    port = server.port;
    CHECK(fs::exists(fs::path(dir) / "config.yml"));
    CHECK(fs::exists(fs::path(dir) / "htpasswd"));
    CHECK(server.process.stop());  // exits by itself on SIGTERM
  }
  CHECK_FALSE(fs::exists(dir));
  auto client = ork::http::makeCurlClient();
  ork::http::Request req;
  req.url = "http://127.0.0.1:" + port + "/v2/";
  req.attempts = 1;
  CHECK(client->send(req).error == "connection refused");
}
