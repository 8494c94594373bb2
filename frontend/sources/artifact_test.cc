// Artifacts: §11.1 media types and file order, the deterministic tar+gzip of a directory, the
// manifest bytes, title checks, and extraction that writes everything or nothing.
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "frontend/sources/artifact.h"
#include "frontend/sources/tar_gzip.h"
#include "frontend/sources/testing/store_temp_dir.h"

using namespace ork::sources;
using ork::sources::testing::slurp;
using ork::sources::testing::StoreTempDir;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> paths(const std::vector<ArtifactFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path);
  return out;
}

// Builds a manifest over `files`, stores each blob under `blobDir`, and returns the blob paths.
Manifest manifestOf(const std::vector<ArtifactFile>& files, const StoreTempDir& tmp,
                    std::map<std::string, std::string>* blobs) {
  std::vector<Descriptor> layers;
  for (const auto& f : files) {
    layers.push_back(layerDescriptor(f));
    (*blobs)[layers.back().digest] = tmp.write("blobs/" + layers.back().digest.substr(7), f.bytes);
  }
  Manifest m;
  m.bytes = buildManifest(layers, kPatternArtifactType, {});
  m.json = nlohmann::json::parse(m.bytes);
  m.digest = sha256Digest(m.bytes);
  return m;
}

ArtifactFile file(const std::string& path, const std::string& bytes) {
  return {path, layerMediaType(path), bytes, false};
}

// A tar+gzip layer whose single entry is rewritten to `type` (a link, say) with a fixed checksum.
std::string tarWithType(const std::string& path, char type) {
  std::string tar = *writeTar({{path, false, false, "x"}}, nullptr);
  tar[156] = type;
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(tar[i]);
  std::snprintf(&tar[148], 8, "%06o", sum);
  tar[155] = ' ';
  return *gzipBytes(tar, nullptr);
}

size_t entriesIn(const std::string& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("artifact: layer media types follow the §11.1 table", "[store][artifact]") {
  CHECK(layerMediaType("katalog.yaml") == "application/vnd.orkestra.katalog.v1+yaml");
  CHECK(layerMediaType("motif.yaml") == "application/vnd.orkestra.motif.v1+yaml");
  CHECK(layerMediaType("crd.yaml") == "application/vnd.kubernetes.crd.v1+yaml");
  CHECK(layerMediaType("cr.yaml") == "application/vnd.kubernetes.cr.v1+yaml");
  CHECK(layerMediaType("simulate.yaml") == "application/vnd.orkestra.simulate.v1+yaml");
  CHECK(layerMediaType("e2e.yaml") == "application/vnd.orkestra.e2e.v1+yaml");
  CHECK(layerMediaType("README.md") == "text/markdown");
  CHECK(layerMediaType("go.mod") == "text/plain");
  CHECK(layerMediaType("go.sum") == "text/plain");
  CHECK(layerMediaType("Makefile") == "text/x-makefile");
  CHECK(layerMediaType("komposer.yaml") == "application/octet-stream");
  CHECK(layerMediaType("files/crd.yaml") == "application/octet-stream");
  CHECK(layerMediaType("example/") == "application/vnd.oci.image.layer.v1.tar+gzip");
}

TEST_CASE("artifact: files are collected in §11.1 order, the rest sorted, nothing else",
          "[store][artifact]") {
  StoreTempDir tmp;
  for (const char* f : {"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md", "e2e.yaml",
                        "go.mod", "Makefile", "unrelated.txt", "files/x.yaml", "example/a.yaml"})
    tmp.write(std::string("p/") + f, f);
  std::string err;
  auto files = collectArtifactFiles(
      tmp.path("p"), false, {"go.mod", "files/x.yaml", "./example/", "Makefile", "go.sum", "crd.yaml"}, &err);
  REQUIRE(files);
  CHECK(paths(*files) == std::vector<std::string>{"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml",
                                                  "README.md", "e2e.yaml", "Makefile", "example",
                                                  "files/x.yaml", "go.mod"});
  CHECK((*files)[0].bytes == "katalog.yaml");
  CHECK((*files)[0].mediaType == "application/vnd.orkestra.katalog.v1+yaml");
  CHECK((*files)[7].directory);
  CHECK((*files)[7].mediaType == "application/vnd.oci.image.layer.v1.tar+gzip");
  Descriptor d = layerDescriptor((*files)[7]);
  CHECK(d.annotations.at(kTitleAnnotation) == "example");
  CHECK(d.annotations.at(kUnpackAnnotation) == "true");
  CHECK(layerDescriptor((*files)[0]).annotations.count(kUnpackAnnotation) == 0);

  tmp.write("m/motif.yaml", "kind: Motif");
  tmp.write("m/katalog.yaml", "not pushed for a motif");
  auto motif = collectArtifactFiles(tmp.path("m"), true, {}, &err);
  REQUIRE(motif);
  CHECK(paths(*motif) == std::vector<std::string>{"motif.yaml"});
}

TEST_CASE("artifact: paths outside the directory and links are refused", "[store][artifact]") {
  StoreTempDir tmp;
  tmp.write("p/katalog.yaml", "k");
  tmp.write("secret", "s");
  std::string err;
  CHECK_FALSE(collectArtifactFiles(tmp.path("p"), false, {"../secret"}, &err));
  CHECK(err == "\"../secret\" is outside the pattern directory (contains '..')");
  CHECK_FALSE(collectArtifactFiles(tmp.path("p"), false, {tmp.path("secret")}, &err));
  CHECK(err == "\"" + tmp.path("secret") + "\" is outside the pattern directory (absolute path)");
  fs::create_symlink(tmp.path("secret"), tmp.path("p/link.yaml"));
  CHECK_FALSE(collectArtifactFiles(tmp.path("p"), false, {"link.yaml"}, &err));
  CHECK(err == "link.yaml: symbolic links are not pushed");
  fs::create_directories(tmp.path("p/example"));
  fs::create_symlink(tmp.path("secret"), tmp.path("p/example/s"));
  CHECK_FALSE(collectArtifactFiles(tmp.path("p"), false, {"example/"}, &err));
  CHECK(err == "example/s: symbolic links are not packed");
}

TEST_CASE("artifact: a directory layer is a deterministic ustar+gzip", "[store][artifact]") {
  StoreTempDir tmp;
  tmp.write("a/example/z.yaml", "zz");
  tmp.write("a/example/sub/b.yaml", "bb");
  tmp.write("a/example/run.sh", "#!/bin/sh\n");
  ::chmod(tmp.path("a/example/run.sh").c_str(), 0700);
  auto first = collectArtifactFiles(tmp.path("a"), false, {"example"}, nullptr);
  REQUIRE(first);
  REQUIRE(first->size() == 1);
  // Same files elsewhere, created in another order and at another time: the same bytes.
  tmp.write("b/example/sub/b.yaml", "bb");
  tmp.write("b/example/run.sh", "#!/bin/sh\n");
  ::chmod(tmp.path("b/example/run.sh").c_str(), 0755);
  tmp.write("b/example/z.yaml", "zz");
  auto second = collectArtifactFiles(tmp.path("b"), false, {"example"}, nullptr);
  REQUIRE(second);
  CHECK((*first)[0].bytes == (*second)[0].bytes);
  CHECK((*first)[0].bytes.substr(0, 10) == std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10));

  std::string err;
  auto tar = gunzipBytes((*first)[0].bytes, 1 << 20, &err);
  REQUIRE(tar);
  CHECK(tar->substr(257, 8) == std::string("ustar\0"
                                           "00",
                                           8));
  CHECK(tar->substr(100, 8) == std::string("0000755\0", 8));  // "example/" directory
  CHECK(tar->substr(108, 16) == std::string("0000000\0"
                                            "0000000\0",
                                            16));
  CHECK(tar->substr(136, 12) == std::string("00000000000\0", 12));
  auto entries = readTar(*tar, {}, &err);
  REQUIRE(entries);
  std::vector<std::string> names;
  for (const auto& e : *entries)
    names.push_back(e.path + (e.directory ? "/" : "") + (e.executable ? "*" : ""));
  CHECK(names == std::vector<std::string>{"example/", "example/run.sh*", "example/sub/", "example/sub/b.yaml",
                                          "example/z.yaml"});
}

TEST_CASE("artifact: tar round trip with long paths, and the reader's refusals", "[store][artifact]") {
  std::string longDir(120, 'd');
  std::vector<TarEntry> in = {{longDir + "/" + std::string(90, 'f'), false, false, std::string(1000, 'x')}};
  std::string err;
  auto tar = writeTar(in, &err);
  REQUIRE(tar);
  auto out = readTar(*tar, {}, &err);
  REQUIRE(out);
  REQUIRE(out->size() == 1);
  CHECK((*out)[0].path == in[0].path);
  CHECK((*out)[0].bytes == in[0].bytes);
  CHECK_FALSE(writeTar({{std::string(300, 'x'), false, false, ""}}, &err));
  CHECK(err == "path too long for a tar entry: " + std::string(300, 'x'));

  CHECK_FALSE(readTar(tar->substr(0, 700), {}, &err));
  CHECK(err == "truncated tar archive");
  std::string bad = *tar;
  bad[600] ^= 1;  // content is not checksummed, the header is
  bad[0] ^= 1;
  CHECK_FALSE(readTar(bad, {}, &err));
  CHECK(err == "tar header checksum mismatch");
  TarLimits small;
  small.maxTotalBytes = 999;
  CHECK_FALSE(readTar(*tar, small, &err));
  CHECK(err == "tar archive too large");
  CHECK_FALSE(readTar(*writeTar({{"../up", false, false, "x"}}, nullptr), {}, &err));
  CHECK(err == "unsafe tar entry \"../up\": contains '..'");
  CHECK_FALSE(gunzipBytes(std::string(5000, 'a'), 100, &err));
  CHECK_FALSE(gunzipBytes(*gzipBytes(std::string(5000, 'a'), nullptr), 100, &err));
  CHECK(err == "gzip: content larger than 100 bytes");
}

TEST_CASE("artifact: the manifest has stable bytes", "[store][artifact]") {
  Descriptor layer = layerDescriptor(file("crd.yaml", "x"));
  std::string m = buildManifest({layer}, kPatternArtifactType, {{"org.opencontainers.image.version", "v1"}});
  CHECK(
      m ==
      R"({"annotations":{"org.opencontainers.image.version":"v1"},"artifactType":"application/vnd.orkestra.pattern.v1+tar+gzip",)"
      R"("config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.empty.v1+json","size":2},)"
      R"("layers":[{"annotations":{"org.opencontainers.image.title":"crd.yaml"},"digest":")" +
          sha256Digest("x") +
          R"(","mediaType":"application/vnd.kubernetes.crd.v1+yaml","size":1}],)"
          R"("mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2})");
  CHECK(buildManifest({}, kMotifArtifactType, {}).find("annotations") == std::string::npos);
  CHECK(sha256Digest(kEmptyConfigBytes) == kEmptyConfigDigest);
}

TEST_CASE("artifact: unsafe layer titles", "[store][artifact]") {
  std::string err;
  CHECK(safeLayerTitle("example/app.yaml", &err));
  CHECK_FALSE(safeLayerTitle("/etc/passwd", &err));
  CHECK(err == "unsafe layer title \"/etc/passwd\": absolute path");
  CHECK_FALSE(safeLayerTitle("a/../../b", &err));
  CHECK(err == "unsafe layer title \"a/../../b\": contains '..'");
  CHECK_FALSE(safeLayerTitle("a\\b", &err));
  CHECK(err == "unsafe layer title \"a\\b\": contains '\\'");
  CHECK_FALSE(safeLayerTitle("a//b", &err));
  CHECK(err == "unsafe layer title \"a//b\": empty path segment");
  CHECK_FALSE(safeLayerTitle("", &err));
  CHECK(err == "unsafe layer title \"\": empty path");
}

TEST_CASE("artifact: extraction round-trips a collected pattern", "[store][artifact]") {
  StoreTempDir tmp;
  tmp.write("p/katalog.yaml", "kind: Katalog\n");
  tmp.write("p/example/sub/app.yaml", "app\n");
  tmp.write("p/example/run.sh", "#!/bin/sh\n");
  ::chmod(tmp.path("p/example/run.sh").c_str(), 0755);
  auto files = collectArtifactFiles(tmp.path("p"), false, {"example/"}, nullptr);
  REQUIRE(files);
  std::map<std::string, std::string> blobs;
  Manifest m = manifestOf(*files, tmp, &blobs);
  std::string err;
  REQUIRE(extractArtifact(m, blobs, tmp.path("out/pg"), &err));
  CHECK(slurp(tmp.path("out/pg/katalog.yaml")) == "kind: Katalog\n");
  CHECK(slurp(tmp.path("out/pg/example/sub/app.yaml")) == "app\n");
  CHECK((fs::status(tmp.path("out/pg/example/run.sh")).permissions() & fs::perms::owner_exec) !=
        fs::perms::none);
  CHECK(entriesIn(tmp.path("out")) == 1);  // no temporary directory left
  // An existing non-empty destination is never merged into.
  CHECK_FALSE(extractArtifact(m, blobs, tmp.path("out/pg"), &err));
  CHECK(err == tmp.path("out/pg") + " already exists and is not empty");
  CHECK(entriesIn(tmp.path("out")) == 1);
  // A trailing slash names the same directory.
  REQUIRE(extractArtifact(m, blobs, tmp.path("out/slash") + "/", &err));
  CHECK(slurp(tmp.path("out/slash/katalog.yaml")) == "kind: Katalog\n");
  CHECK(entriesIn(tmp.path("out")) == 2);
  // An empty one is replaced.
  fs::create_directories(tmp.path("out/empty"));
  REQUIRE(extractArtifact(m, blobs, tmp.path("out/empty"), &err));
  CHECK(slurp(tmp.path("out/empty/katalog.yaml")) == "kind: Katalog\n");
}

TEST_CASE("artifact: one bad layer means nothing is written", "[store][artifact]") {
  StoreTempDir tmp;
  std::map<std::string, std::string> blobs;
  std::string err;
  auto attempt = [&](std::vector<ArtifactFile> files, std::string expected) {
    Manifest m = manifestOf(files, tmp, &blobs);
    CHECK_FALSE(extractArtifact(m, blobs, tmp.path("out/x"), &err));
    CHECK(err == expected);
    CHECK_FALSE(fs::exists(tmp.path("out/x")));
    CHECK((!fs::exists(tmp.path("out")) || entriesIn(tmp.path("out")) == 0));
  };
  attempt({file("katalog.yaml", "k"), file("../escape.yaml", "e")},
          "unsafe layer title \"../escape.yaml\": contains '..'");
  attempt({file("katalog.yaml", "k"), file("/abs.yaml", "e")},
          "unsafe layer title \"/abs.yaml\": absolute path");
  attempt({file("a", "k"), file("a/b", "e")}, "layer titles \"a\" and \"a/b\" conflict");
  attempt({file("katalog.yaml", "k"), {"example", "x", tarWithType("example/link", '2'), true}},
          "layer \"example\": tar entry \"example/link\" is a link");
  attempt({file("katalog.yaml", "k"), {"example", "x", tarWithType("example/hard", '1'), true}},
          "layer \"example\": tar entry \"example/hard\" is a link");
  attempt({file("katalog.yaml", "k"), {"example", "x", tarWithType("other/file", '0'), true}},
          "layer \"example\": entry \"other/file\" is outside \"example/\"");

  // A blob that changed on disk since it was verified.
  std::vector<ArtifactFile> files = {file("katalog.yaml", "k")};
  Manifest m = manifestOf(files, tmp, &blobs);
  tmp.write("blobs/" + sha256Digest("k").substr(7), "changed");
  CHECK_FALSE(extractArtifact(m, blobs, tmp.path("out/x"), &err));
  CHECK(err == "layer \"katalog.yaml\" does not match its digest");
  CHECK(entriesIn(tmp.path("out")) == 0);
  // A layer whose blob was not fetched.
  CHECK_FALSE(extractArtifact(m, {}, tmp.path("out/x"), &err));
  CHECK(err == "layer \"katalog.yaml\": blob " + sha256Digest("k") + " not fetched");
}
