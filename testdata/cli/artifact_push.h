// Test helper for CLI tests of pull/inspect: pushes a directory as a §11.1 artifact to the real registry
// fixture or to an OCI layout directory with ork's own client, so each test controls the annotations.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "frontend/sources/artifact.h"
#include "frontend/sources/oci.h"
#include "support/http.h"

namespace ork::clitest {

/// What pushArtifact reports: the manifest digest, or the error text ("" when it worked).
struct Pushed {
  std::string digest;
  std::string error;
};

/// Pushes the files of `dir` (§11.1 order and media types) with `annotations` to `repo:tag` of
/// `registry`.
inline Pushed pushArtifactTo(sources::Registry& registry, const std::string& repo, const std::string& tag,
                             const std::string& dir, const std::map<std::string, std::string>& annotations,
                             bool motif = false) {
  Pushed out;
  std::string error;
  auto files = sources::collectArtifactFiles(dir, motif, {}, &error);
  if (!files) {
    out.error = error;
    return out;
  }
  std::vector<sources::Descriptor> layers;
  auto config = registry.pushBlob(repo, sources::kEmptyConfigDigest, sources::kEmptyConfigBytes);
  if (!config.ok()) {
    out.error = config.error.message();
    return out;
  }
  for (const sources::ArtifactFile& f : *files) {
    sources::Descriptor d = sources::layerDescriptor(f);
    auto pushed = registry.pushBlob(repo, d.digest, f.bytes);
    if (!pushed.ok()) {
      out.error = pushed.error.message();
      return out;
    }
    layers.push_back(std::move(d));
  }
  std::string manifest = sources::buildManifest(
      layers, motif ? sources::kMotifArtifactType : sources::kPatternArtifactType, annotations);
  auto m = registry.pushManifest(repo, tag, manifest, sources::kManifestMediaType);
  if (!m.ok()) {
    out.error = m.error.message();
    return out;
  }
  out.digest = *m.value;
  return out;
}

/// Pushes to `host` (`127.0.0.1:PORT`, plain HTTP on loopback) as user `user:password` when given.
inline Pushed pushArtifact(const std::string& host, const std::string& repo, const std::string& tag,
                           const std::string& dir, const std::map<std::string, std::string>& annotations = {},
                           bool motif = false, const std::string& user = "",
                           const std::string& password = "") {
  std::unique_ptr<http::Client> client = http::makeCurlClient();
  sources::RemoteOptions options;
  options.useDockerConfig = false;
  options.credentials.username = user;
  options.credentials.password = password;
  auto registry = sources::openRemoteRegistry(host, *client, options);
  return pushArtifactTo(*registry, repo, tag, dir, annotations, motif);
}

/// Pushes to the OCI image layout at `root` (created when absent) under `tag`.
inline Pushed pushToLayout(const std::string& root, const std::string& tag, const std::string& dir,
                           const std::map<std::string, std::string>& annotations = {}, bool motif = false) {
  auto registry = sources::openLayoutRegistry(root, true);
  return pushArtifactTo(*registry, "", tag, dir, annotations, motif);
}

}  // namespace ork::clitest
