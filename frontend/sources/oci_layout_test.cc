// openLayoutRegistry: OCI image layouts written and read back, tags, catalog, verification, and
// interop with skopeo (which must read what we write, and we what it writes).
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "frontend/sources/oci.h"
#include "frontend/sources/testing/store_temp_dir.h"

using namespace ork::sources;
using ork::sources::testing::slurp;
using ork::sources::testing::StoreTempDir;

namespace {

const std::string kEmptyConfig = "{}";
const std::string kLayer = "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\n";

std::string manifestFor(const std::string& layer, const std::string& title) {
  nlohmann::json m = {
      {"schemaVersion", 2},
      {"mediaType", kManifestMediaType},
      {"artifactType", kPatternArtifactType},
      {"config", {{"mediaType", kEmptyConfigMediaType}, {"digest", kEmptyConfigDigest}, {"size", 2}}},
      {"layers",
       {{{"mediaType", "application/vnd.orkestra.katalog.v1+yaml"},
         {"digest", sha256Digest(layer)},
         {"size", layer.size()},
         {"annotations", {{kTitleAnnotation, title}}}}}}};
  return m.dump();
}

// Pushes the empty config, one layer and the manifest; returns the manifest digest.
std::string pushPattern(Registry& reg, const std::string& repo, const std::string& tag,
                        const std::string& layer) {
  REQUIRE(reg.pushBlob(repo, kEmptyConfigDigest, kEmptyConfig).ok());
  REQUIRE(reg.pushBlob(repo, sha256Digest(layer), layer).ok());
  auto pushed = reg.pushManifest(repo, tag, manifestFor(layer, "katalog.yaml"), kManifestMediaType);
  REQUIRE(pushed.ok());
  return *pushed.value;
}

int run(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST_CASE("layout: push creates a layout that reads back by tag and digest", "[store][layout]") {
  StoreTempDir tmp;
  auto reg = openLayoutRegistry(tmp.path("registry"), /*create=*/true);
  std::string digest = pushPattern(*reg, "postgres", "v14", kLayer);

  CHECK(slurp(tmp.path("registry/postgres/oci-layout")) == R"({"imageLayoutVersion":"1.0.0"})");
  auto index = nlohmann::json::parse(slurp(tmp.path("registry/postgres/index.json")));
  REQUIRE(index["manifests"].size() == 1);
  CHECK(index["manifests"][0]["annotations"][kRefNameAnnotation] == "v14");
  CHECK(index["manifests"][0]["digest"] == digest);
  CHECK(index["schemaVersion"] == 2);
  CHECK(std::filesystem::exists(tmp.path("registry/postgres/blobs/sha256/" + digest.substr(7))));

  auto byTag = reg->getManifest("postgres", "v14");
  REQUIRE(byTag.ok());
  CHECK(byTag.value->digest == digest);
  CHECK(byTag.value->mediaType == kManifestMediaType);
  CHECK(byTag.value->json["artifactType"] == kPatternArtifactType);
  auto byDigest = reg->getManifest("postgres", digest);
  REQUIRE(byDigest.ok());
  CHECK(byDigest.value->bytes == byTag.value->bytes);

  auto head = reg->headManifest("postgres", "v14");
  REQUIRE(head.ok());
  CHECK(head.value->digest == digest);
  CHECK(head.value->artifactType == kPatternArtifactType);
  CHECK(head.value->annotations.at(kRefNameAnnotation) == "v14");

  Descriptor layer;
  layer.digest = sha256Digest(kLayer);
  layer.size = static_cast<int64_t>(kLayer.size());
  auto bytes = reg->fetchBlobBytes("postgres", layer);
  REQUIRE(bytes.ok());
  CHECK(*bytes.value == kLayer);
  REQUIRE(reg->fetchBlob("postgres", layer, tmp.path("out.yaml")).ok());
  CHECK(slurp(tmp.path("out.yaml")) == kLayer);
  CHECK(*reg->blobExists("postgres", layer.digest).value);
  CHECK_FALSE(*reg->blobExists("postgres", sha256Digest("other")).value);
  CHECK(reg->requestCount() == 0);
}

TEST_CASE("layout: re-tagging replaces the descriptor; tags are listed sorted", "[store][layout]") {
  StoreTempDir tmp;
  auto reg = openLayoutRegistry(tmp.path(), true);  // repo "" = the root itself
  std::string first = pushPattern(*reg, "", "v1", kLayer);
  pushPattern(*reg, "", "latest", kLayer);
  std::string second = pushPattern(*reg, "", "v1", kLayer + "# changed\n");
  REQUIRE(first != second);
  auto index = nlohmann::json::parse(slurp(tmp.path("index.json")));
  CHECK(index["manifests"].size() == 2);
  CHECK(reg->getManifest("", "v1").value->digest == second);
  CHECK(reg->getManifest("", "latest").value->digest == first);
  // The old manifest is still addressable by digest (its blob stays).
  CHECK(reg->getManifest("", first).ok());
  auto tags = reg->listTags("");
  REQUIRE(tags.ok());
  CHECK(*tags.value == std::vector<std::string>{"latest", "v1"});
  // An untagged push adds the digest once.
  auto again = reg->pushManifest("", "", manifestFor("x", "a"), kManifestMediaType);
  REQUIRE(again.ok());
  REQUIRE(reg->pushManifest("", "", manifestFor("x", "a"), kManifestMediaType).ok());
  CHECK(nlohmann::json::parse(slurp(tmp.path("index.json")))["manifests"].size() == 3);
}

TEST_CASE("layout: catalog lists nested layouts, not plain directories", "[store][layout]") {
  StoreTempDir tmp;
  auto reg = openLayoutRegistry(tmp.path(), true);
  pushPattern(*reg, "katalogs/webapp", "v1", kLayer);
  pushPattern(*reg, "katalogs/index", "latest", kLayer);
  pushPattern(*reg, "postgres", "v14", kLayer);
  tmp.write("notes/readme.txt", "x");
  auto cat = reg->catalog();
  REQUIRE(cat.ok());
  CHECK(*cat.value == std::vector<std::string>{"katalogs/index", "katalogs/webapp", "postgres"});
}

TEST_CASE("layout: errors", "[store][layout]") {
  StoreTempDir tmp;
  auto reg = openLayoutRegistry(tmp.path("reg"), true);
  std::string digest = pushPattern(*reg, "pg", "v1", kLayer);

  SECTION("unknown tag, repository and blob are NotFound") {
    auto e = reg->getManifest("pg", "v2");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error.kind == OciError::Kind::NotFound);
    CHECK(reg->listTags("nope").error.kind == OciError::Kind::NotFound);
    Descriptor d;
    d.digest = sha256Digest("absent");
    CHECK(reg->fetchBlobBytes("pg", d).error.kind == OciError::Kind::NotFound);
  }
  SECTION("a corrupt blob is refused and fetchBlob leaves no file") {
    std::string path = tmp.path("reg/pg/blobs/sha256/" + sha256Digest(kLayer).substr(7));
    tmp.write("reg/pg/blobs/sha256/" + sha256Digest(kLayer).substr(7), "tampered");
    Descriptor d;
    d.digest = sha256Digest(kLayer);
    auto r = reg->fetchBlob("pg", d, tmp.path("out"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error.kind == OciError::Kind::DigestMismatch);
    CHECK_FALSE(std::filesystem::exists(tmp.path("out")));
    // Pushing the right bytes again repairs it.
    REQUIRE(reg->pushBlob("pg", d.digest, kLayer).ok());
    CHECK(slurp(path) == kLayer);
  }
  SECTION("a corrupt manifest is refused") {
    tmp.write("reg/pg/blobs/sha256/" + digest.substr(7), "{}");
    CHECK(reg->getManifest("pg", "v1").error.kind == OciError::Kind::DigestMismatch);
  }
  SECTION("pushBlob checks the digest") {
    CHECK(reg->pushBlob("pg", sha256Digest("a"), "b").error.kind == OciError::Kind::DigestMismatch);
    CHECK(reg->pushBlob("pg", "sha256:xyz", "b").error.kind == OciError::Kind::Invalid);
  }
  SECTION("unsafe repository names are Invalid") {
    CHECK(reg->getManifest("../pg", "v1").error.kind == OciError::Kind::Invalid);
    CHECK(reg->pushBlob("/abs", sha256Digest("a"), "a").error.kind == OciError::Kind::Invalid);
    CHECK(reg->listTags("a//b").error.kind == OciError::Kind::Invalid);
  }
  SECTION("without create, a push to a missing layout is NotFound and creates nothing") {
    auto ro = openLayoutRegistry(tmp.path("reg"), false);
    CHECK(ro->pushBlob("fresh", sha256Digest("a"), "a").error.kind == OciError::Kind::NotFound);
    CHECK_FALSE(std::filesystem::exists(tmp.path("reg/fresh")));
    CHECK(ro->getManifest("pg", "v1").ok());
  }
  SECTION("a malformed index.json is Invalid") {
    tmp.write("reg/pg/index.json", "[1,2]");
    CHECK(reg->getManifest("pg", "v1").error.kind == OciError::Kind::Invalid);
  }
}

TEST_CASE("layout: skopeo copies what we write, and we read what skopeo writes", "[store][layout][skopeo]") {
  if (run("command -v skopeo >/dev/null 2>&1") != 0) {
    const char* allow = std::getenv("ORK_ALLOW_SKIP_SKOPEO");
    if (allow && std::string(allow) == "1") {
      WARN("skopeo is not installed; skipped (ORK_ALLOW_SKIP_SKOPEO=1)");
      return;
    }
    FAIL(
        "skopeo is not installed (scripts/install-deps.sh installs it; ORK_ALLOW_SKIP_SKOPEO=1 skips this "
        "test)");
  }
  StoreTempDir tmp;
  auto a = openLayoutRegistry(tmp.path("A"), true);
  std::string digest = pushPattern(*a, "", "v1", kLayer);
  std::string log = tmp.path("skopeo.log");
  std::string cmd = "timeout 120 skopeo --insecure-policy copy -q oci:" + tmp.path("A") +
                    ":v1 oci:" + tmp.path("B") + ":v1 >" + log + " 2>&1";
  int rc = run(cmd);
  INFO(slurp(log));
  REQUIRE(rc == 0);

  auto b = openLayoutRegistry(tmp.path("B"));
  auto m = b->getManifest("", "v1");
  REQUIRE(m.ok());
  CHECK(m.value->digest == digest);  // copied byte for byte
  CHECK(m.value->json["artifactType"] == kPatternArtifactType);
  Descriptor layer;
  layer.digest = sha256Digest(kLayer);
  CHECK(*b->fetchBlobBytes("", layer).value == kLayer);
  CHECK(*b->listTags("").value == std::vector<std::string>{"v1"});

  // And a tag skopeo adds to an existing layout is found, ours kept.
  rc = run("timeout 120 skopeo --insecure-policy copy -q oci:" + tmp.path("A") + ":v1 oci:" + tmp.path("B") +
           ":stable >" + log + " 2>&1");
  REQUIRE(rc == 0);
  CHECK(*b->listTags("").value == std::vector<std::string>{"stable", "v1"});
  auto reread = openLayoutRegistry(tmp.path("B"), true);
  pushPattern(*reread, "", "v2", kLayer + "#2\n");
  CHECK(*reread->listTags("").value == std::vector<std::string>{"stable", "v1", "v2"});
}

TEST_CASE("layout: two processes tagging the same layout lose no tag", "[store][layout]") {
  StoreTempDir tmp;
  auto reg = openLayoutRegistry(tmp.path("reg"), true);
  pushPattern(*reg, "pg", "base", kLayer);  // the layout exists before the race
  int go[2];  // both children start pushing at the same moment
  REQUIRE(::pipe(go) == 0);
  pid_t kids[2];
  for (int k = 0; k < 2; ++k) {
    kids[k] = ::fork();
    REQUIRE(kids[k] >= 0);
    if (kids[k] == 0) {
      ::close(go[1]);
      char c;
      if (::read(go[0], &c, 1) != 0) ::_exit(3);  // EOF once the parent closes its end
      auto mine = openLayoutRegistry(tmp.path("reg"), true);
      for (int i = 0; i < 40; ++i) {
        std::string tag = "p" + std::to_string(k) + "-" + std::to_string(i);
        std::string layer = kLayer + "# " + tag + "\n";
        if (!mine->pushBlob("pg", sha256Digest(layer), layer).ok()) ::_exit(1);
        if (!mine->pushManifest("pg", tag, manifestFor(layer, "katalog.yaml"), kManifestMediaType).ok())
          ::_exit(2);
      }
      ::_exit(0);
    }
  }
  ::close(go[0]);
  ::close(go[1]);
  for (pid_t kid : kids) {
    int status = 0;
    ::waitpid(kid, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  auto tags = reg->listTags("pg");
  REQUIRE(tags.ok());
  CHECK(tags.value->size() == 81);
  CHECK(reg->getManifest("pg", "p1-39").ok());
}
