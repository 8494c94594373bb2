// Tests of parseOciRef / OciRef::str (§11.2, §11.3, §10.5), OciError messages (§10.3) and the small
// OCI value helpers.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "frontend/sources/oci.h"

using namespace ork::sources;

namespace {
OciRef parse(std::string_view text,
             std::string_view base = "ghcr.io/orkspace/orkestra-registry/patterns/katalogs") {
  std::string error;
  auto ref = parseOciRef(text, base, &error);
  INFO(error);
  REQUIRE(ref);
  return *ref;
}
std::string failure(std::string_view text, std::string_view base = "") {
  std::string error;
  auto ref = parseOciRef(text, base, &error);
  CHECK_FALSE(ref);
  return error;
}
const std::string kDigest = "sha256:" + std::string(64, 'a');
}  // namespace

TEST_CASE("a host with a port, a path and a tag", "[oci][ref]") {
  OciRef r = parse("127.0.0.1:5000/team/postgres:v14");
  CHECK(r.registry == "127.0.0.1:5000");
  CHECK(r.repository == "team/postgres");
  CHECK(r.tag == "v14");
  CHECK(r.digest.empty());
  CHECK(r.reference() == "v14");
  CHECK(r.str() == "127.0.0.1:5000/team/postgres:v14");
  CHECK(parse("localhost/pg").registry == "localhost");
  CHECK(parse("localhost/pg").tag.empty());
  CHECK(parse("oci://ghcr.io/a/b:1.0").str() == "ghcr.io/a/b:1.0");
  CHECK(parse("localhost:5000/pg").tag.empty());
}

TEST_CASE("digests win over tags", "[oci][ref]") {
  OciRef r = parse("ghcr.io/a/b@" + kDigest);
  CHECK(r.tag.empty());
  CHECK(r.digest == kDigest);
  CHECK(r.reference() == kDigest);
  CHECK(r.str() == "ghcr.io/a/b@" + kDigest);
  r = parse("ghcr.io/a/b:v1@" + kDigest);
  CHECK(r.tag == "v1");
  CHECK(r.reference() == kDigest);
  CHECK(failure("ghcr.io/a/b@sha256:abc") ==
        "invalid reference \"ghcr.io/a/b@sha256:abc\": invalid digest \"sha256:abc\" (want sha256: and 64 "
        "lowercase "
        "hex digits)");
  CHECK(failure("ghcr.io/a/b@v1") ==
        "invalid reference \"ghcr.io/a/b@v1\": '@' is only for @sha256: digests; tags "
        "follow ':'");
}

TEST_CASE("bare names go under the default base", "[oci][ref]") {
  OciRef r = parse("webapp-operator:v1.2.0");
  CHECK(r.registry == "ghcr.io");
  CHECK(r.repository == "orkspace/orkestra-registry/patterns/katalogs/webapp-operator");
  CHECK(r.tag == "v1.2.0");
  r = parse("team/pg:v1", "localhost:5000/");
  CHECK(r.registry == "localhost:5000");
  CHECK(r.repository == "team/pg");
  r = parse("postgres:v14", "oci-layout:./registry");
  CHECK(r.layout);
  CHECK(r.layoutDir == "./registry/postgres");
  CHECK(r.tag == "v14");
  CHECK(r.str() == "oci-layout:./registry/postgres:v14");
  CHECK(failure("postgres:v14") ==
        "invalid reference \"postgres:v14\": no registry host and no default registry");
}

TEST_CASE("oci-layout: references", "[oci][ref]") {
  OciRef r = parse("oci-layout:./out/pg:v14");
  CHECK(r.layout);
  CHECK(r.layoutDir == "./out/pg");
  CHECK(r.tag == "v14");
  CHECK(r.registry.empty());
  r = parse("oci-layout:../reg@v2");
  CHECK(r.layoutDir == "../reg");
  CHECK(r.tag == "v2");
  r = parse("oci-layout:/abs/dir@" + kDigest);
  CHECK(r.layoutDir == "/abs/dir");
  CHECK(r.digest == kDigest);
  CHECK(r.str() == "oci-layout:/abs/dir@" + kDigest);
  r = parse("oci-layout:./my:dir/x");
  CHECK(r.layoutDir == "./my:dir/x");
  CHECK(r.tag.empty());
  CHECK(failure("oci-layout:") == "oci-layout: needs a directory");
}

TEST_CASE("malformed references", "[oci][ref]") {
  CHECK(failure("ghcr.io/Team/pg:v1") ==
        "invalid reference \"ghcr.io/Team/pg:v1\": invalid repository \"Team/pg\" (lowercase letters, digits "
        "and . _ "
        "__ - separators, / between components)");
  CHECK(failure("ghcr.io/a//b") != "");
  CHECK(failure("ghcr.io/a/b:-x") == "invalid reference \"ghcr.io/a/b:-x\": invalid tag \"-x\"");
  CHECK(failure("ghcr.io/a b") == "invalid reference \"ghcr.io/a b\": whitespace or control character");
  CHECK(failure("") == "empty reference");
  CHECK(failure("gh_cr.io/a") == "invalid reference \"gh_cr.io/a\": invalid registry host \"gh_cr.io\"");
  CHECK(parse("ghcr.io/a__b/c.d/e-f--g").repository == "a__b/c.d/e-f--g");
}

TEST_CASE("OciError messages of §10.3", "[oci]") {
  CHECK(OciError{OciError::Kind::NotFound, 404, "x"}.message() == "reference not found");
  CHECK(OciError{OciError::Kind::Unauthorized, 401, ""}.message() == "authentication required (401)");
  CHECK(OciError{OciError::Kind::Forbidden, 403, ""}.message() == "access denied (403)");
  CHECK(OciError{OciError::Kind::Status, 502, ""}.message() == "unexpected status 502");
  CHECK(OciError{OciError::Kind::Network, 0, "connection refused"}.message() ==
        "network error: connection refused");
  CHECK(OciError{OciError::Kind::Insecure, 0, "plain HTTP"}.message() == "insecure registry: plain HTTP");
}

TEST_CASE("descriptors and manifests as JSON", "[oci]") {
  auto j =
      nlohmann::json::parse(R"({"mediaType":"text/markdown","digest":")" + kDigest +
                            R"(","size":12,"annotations":{"org.opencontainers.image.title":"README.md"}})");
  auto d = Descriptor::fromJson(j);
  REQUIRE(d);
  CHECK(d->size == 12);
  CHECK(d->annotations.at(kTitleAnnotation) == "README.md");
  CHECK(d->toJson() == j);
  CHECK_FALSE(
      Descriptor::fromJson(nlohmann::json::parse(R"({"mediaType":"x","digest":"sha256:1","size":1})")));
  CHECK_FALSE(Descriptor::fromJson(nlohmann::json::parse(R"({"mediaType":"x","size":1})")));

  Manifest m;
  m.json = {{"artifactType", kPatternArtifactType},
            {"layers", nlohmann::json::array({j})},
            {"annotations", {{"a", "b"}}}};
  CHECK(m.artifactType() == kPatternArtifactType);
  REQUIRE(m.layers().size() == 1);
  CHECK(m.layers()[0].digest == kDigest);
  CHECK(m.annotations() == std::map<std::string, std::string>{{"a", "b"}});
}

TEST_CASE("ORK_INSECURE_REGISTRIES is a comma list", "[oci]") {
  setenv("ORK_INSECURE_REGISTRIES", "reg.lan:5000, other.lan ,,", 1);
  CHECK(insecureRegistriesFromEnv() == std::vector<std::string>{"reg.lan:5000", "other.lan"});
  unsetenv("ORK_INSECURE_REGISTRIES");
  CHECK(insecureRegistriesFromEnv().empty());
}
