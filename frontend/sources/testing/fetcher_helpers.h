// Test helpers for the Fetcher tests (fetcher_test.cc, fetcher_git_test.cc): scoped environment
// variables, pattern directories, pushing real artifacts, and listing what a cache holds.
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frontend/sources/artifact.h"
#include "frontend/sources/oci.h"
#include "frontend/sources/testing/store_temp_dir.h"

namespace ork::sources::testing {

/// Sets (or, with nullopt, unsets) an environment variable for one scope.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const std::optional<std::string>& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    if (value) {
      setenv(name.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }
  ~ScopedEnv() {
    if (old) {
      setenv(name.c_str(), old->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
};

/// Writes the five pattern files (or motif.yaml + README.md) under `rel`, each naming `tag`.
inline std::string writePattern(const StoreTempDir& tmp, const std::string& rel, const std::string& tag,
                                bool motif = false) {
  std::vector<std::string> names =
      motif ? std::vector<std::string>{"motif.yaml", "README.md"}
            : std::vector<std::string>{"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"};
  for (const std::string& n : names) tmp.write(rel + "/" + n, n + " of " + rel + " " + tag + "\n");
  return tmp.path(rel);
}

/// Pushes `dir` as a pattern (or motif) artifact to `repo:tag` through `reg`; returns the manifest digest.
inline std::string pushPattern(Registry& reg, const std::string& repo, const std::string& tag,
                               const std::string& dir, bool motif = false) {
  std::string error;
  auto files = collectArtifactFiles(dir, motif, {}, &error);
  INFO(error);
  REQUIRE(files);
  std::vector<Descriptor> layers;
  for (const ArtifactFile& f : *files) {
    Descriptor d = layerDescriptor(f);
    auto pushed = reg.pushBlob(repo, d.digest, f.bytes);
    INFO(pushed.error.message() << " " << pushed.error.detail);
    REQUIRE(pushed.ok());
    layers.push_back(d);
  }
  REQUIRE(reg.pushBlob(repo, kEmptyConfigDigest, kEmptyConfigBytes).ok());
  std::string manifest = buildManifest(layers, motif ? kMotifArtifactType : kPatternArtifactType,
                                       {{"io.orkestra.pattern.version", tag}});
  auto digest = reg.pushManifest(repo, tag, manifest, kManifestMediaType);
  INFO(digest.error.message() << " " << digest.error.detail);
  REQUIRE(digest.ok());
  return *digest.value;
}

/// Regular files under `dir` (relative paths, sorted); empty when `dir` does not exist.
inline std::vector<std::string> filesUnder(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) || it->is_symlink(ec))
      out.push_back(std::filesystem::relative(it->path(), dir, ec).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Entries (files or directories) directly under `dir`.
inline size_t entriesIn(const std::string& dir) {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

/// Checks that every file of a result hashes to the digest the result records.
inline void checkFilesHash(const std::string& dir, const std::map<std::string, std::string>& files) {
  REQUIRE_FALSE(files.empty());
  for (const auto& [rel, digest] : files) {
    INFO(dir << "/" << rel);
    CHECK(sha256Digest(slurp(dir + "/" + rel)) == digest);
  }
}

}  // namespace ork::sources::testing
