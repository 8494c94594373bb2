// The Fetcher's OCI path (FORMATS.md §10.2, §10.4, §10.5, §11.1), shared by registries and layout
// directories: manifest from the cache when its digest is known, artifactType and layer checks before
// anything is written, missing layers into blobs/, then patterns/<manifest digest>/ under the CacheLock.
#include <cstdio>

#include "frontend/sources/artifact.h"
#include "frontend/sources/fetcher_internal.h"

namespace ork::sources::detail {
namespace {

using Kind = FetchFailure::Kind;

/// An OciError about `what` (e.g. `layer katalog.yaml of host/repo@sha256:…`) as a FetchFailure.
FetchFailure ociFailure(const OciError& e, const std::string& what, const std::string& digest,
                        uint64_t limit) {
  switch (e.kind) {
    case OciError::Kind::NotFound: return failure(Kind::NotFound, e.detail, 404);
    case OciError::Kind::Unauthorized: return failure(Kind::Unauthorized, e.detail, 401);
    case OciError::Kind::Forbidden: return failure(Kind::Forbidden, e.detail, 403);
    case OciError::Kind::Status: return failure(Kind::Status, e.detail, e.status);
    case OciError::Kind::Network: return failure(Kind::Network, e.detail);
    case OciError::Kind::DigestMismatch:
      return failure(Kind::DigestMismatch, "content of " + what + " does not match its digest " + digest);
    case OciError::Kind::TooLarge:
      return failure(Kind::TooLarge,
                     what + " is larger than the limit of " + std::to_string(limit) + " bytes");
    case OciError::Kind::Invalid: return failure(Kind::Invalid, what + ": " + e.detail);
    case OciError::Kind::Insecure: return failure(Kind::Insecure, e.detail);
  }
  return failure(Kind::Network, e.detail);
}

/// One layer to fetch: its descriptor and title.
struct Layer {
  Descriptor desc;
  std::string title;
};

/// Every check that needs no writing: an image manifest (not an index) of the expected artifactType
/// whose layers are valid descriptors with safe titles within the size bound.
std::optional<std::vector<Layer>> checkManifest(const Manifest& m, const FetchRequest& request,
                                                const std::string& where, const Limits& limits,
                                                FetchFailure* f) {
  const nlohmann::json& j = m.json;
  if (!j.is_object()) {
    *f = failure(Kind::Invalid, "manifest of " + where + " is not a JSON object");
    return std::nullopt;
  }
  if (m.mediaType == kIndexMediaType || j.contains("manifests")) {
    *f = failure(Kind::Invalid, where + " is an image index, not an ork artifact");
    return std::nullopt;
  }
  const char* expected = request.motif ? kMotifArtifactType : kPatternArtifactType;
  std::string type = m.artifactType();
  if (type != expected) {
    std::string what = request.motif ? "an ork motif" : "an ork pattern";
    *f = failure(Kind::Invalid, (type.empty() ? std::string("an artifact without artifactType")
                                              : "artifact type \"" + type + "\"") +
                                    " is not " + what + " (expected " + expected + ")");
    return std::nullopt;
  }
  auto jl = j.find("layers");
  if (jl == j.end() || !jl->is_array() || jl->empty()) {
    *f = failure(Kind::Invalid, "manifest of " + where + " has no layers");
    return std::nullopt;
  }
  std::vector<Layer> out;
  for (size_t i = 0; i < jl->size(); ++i) {
    auto d = Descriptor::fromJson((*jl)[i]);
    if (!d || !isValidDigest(d->digest) || d->size < 0) {
      *f = failure(Kind::Invalid,
                   "layer " + std::to_string(i) + " of " + where + " is not a valid descriptor");
      return std::nullopt;
    }
    auto t = d->annotations.find(kTitleAnnotation);
    if (t == d->annotations.end()) {
      *f = failure(Kind::Invalid, "layer " + std::to_string(i) + " of " + where + " has no title");
      return std::nullopt;
    }
    std::string error;
    if (!safeLayerTitle(t->second, &error)) {
      *f = failure(Kind::Invalid, error + " (" + where + ")");
      return std::nullopt;
    }
    if (static_cast<uint64_t>(d->size) > limits.maxBlobBytes) {
      *f = failure(Kind::TooLarge, "layer " + t->second + " of " + where + " is larger than the limit of " +
                                       std::to_string(limits.maxBlobBytes) + " bytes");
      return std::nullopt;
    }
    out.push_back({*d, t->second});
  }
  return out;
}

/// A manifest read back from blobs/ (verified by readBlob).
std::optional<Manifest> cachedManifest(const Cache& cache, const std::string& digest) {
  auto bytes = cache.readBlob(digest);
  if (!bytes) return std::nullopt;
  Manifest m;
  m.bytes = std::move(*bytes);
  m.digest = digest;
  m.json = nlohmann::json::parse(m.bytes, nullptr, false);
  if (m.json.is_object()) {
    auto mt = m.json.find("mediaType");
    if (mt != m.json.end() && mt->is_string()) m.mediaType = mt->get<std::string>();
  }
  return m;
}

}  // namespace

std::optional<FetchResult> fetchOciArtifact(const OciTarget& target, const FetchRequest& request,
                                            const Cache& cache, const FetcherOptions& options,
                                            FetchFailure* f) {
  const bool offline = target.remote && options.offline;  // layouts are local: always read
  std::string digest = request.pinned;
  if (digest.empty() && request.version.rfind("sha256:", 0) == 0) digest = request.version;
  if (!digest.empty() && !isValidDigest(digest)) {
    *f = failure(Kind::Invalid, "invalid digest " + digest);
    return std::nullopt;
  }
  const std::string tag = digest.empty() ? (request.version.empty() ? "latest" : request.version) : "";
  const std::string refKey = "oci:" + target.display + ":" + tag;
  if (digest.empty() && offline) {
    if (!options.refresh) {
      if (auto r = cache.readRef(refKey); r && isValidDigest(*r)) digest = *r;
    }
    if (digest.empty()) {
      *f = failure(Kind::Offline,
                   "--offline: reference " + target.display + ":" + tag + " is not in the cache");
      return std::nullopt;
    }
  }

  // The manifest: from blobs/ when its digest is known (no request), else from the registry.
  std::optional<Manifest> manifest;
  if (!digest.empty()) manifest = cachedManifest(cache, digest);
  const bool manifestCached = manifest.has_value();
  if (!manifest) {
    if (offline) {
      *f = failure(Kind::Offline,
                   "--offline: manifest " + digest + " of " + target.display + " is not in the cache");
      return std::nullopt;
    }
    std::string reference = digest.empty() ? tag : digest;
    auto got = target.registry->getManifest(target.repo, reference);
    std::string where = target.display + (digest.empty() ? ":" : "@") + reference;
    if (!got.ok()) {
      *f = ociFailure(got.error, "manifest " + where, digest.empty() ? reference : digest,
                      options.limits.maxManifestBytes);
      return std::nullopt;
    }
    manifest = std::move(got.value);
  }
  const Manifest& m = *manifest;
  const std::string where = target.display + "@" + m.digest;
  auto layers = checkManifest(m, request, where, options.limits, f);
  if (!layers) return std::nullopt;

  // Layers: each one not yet in blobs/ is downloaded to tmp/ and adopted once verified.
  std::map<std::string, std::string> blobPaths;
  FetchResult result;
  for (const Layer& layer : *layers) {
    const std::string& d = layer.desc.digest;
    result.files[layer.title] = d;
    if (blobPaths.count(d)) continue;
    if (!cache.hasBlob(d)) {
      std::string what = "layer " + layer.title + " of " + where;
      if (offline) {
        *f = failure(Kind::Offline,
                     "--offline: blob " + d + " (" + layer.title + " of " + where + ") is not in the cache");
        return std::nullopt;
      }
      std::string tmp = cache.tmpPath("blob");
      auto got = target.registry->fetchBlob(target.repo, layer.desc, tmp);
      if (!got.ok()) {
        std::remove(tmp.c_str());
        *f = ociFailure(got.error, what, d, options.limits.maxBlobBytes);
        return std::nullopt;
      }
      std::string error;
      if (!cache.adoptFile(tmp, d, &error)) {
        bool mismatch = error.rfind("downloaded content is", 0) == 0;
        *f = mismatch
                 ? failure(Kind::DigestMismatch, "content of " + what + " does not match its digest " + d)
                 : failure(Kind::Cache, "cannot store " + what + " in the cache: " + error);
        return std::nullopt;
      }
    }
    blobPaths[d] = cache.blobPath(d);
  }

  // Every layer is in place: the manifest joins blobs/, then the files are materialised once.
  if (!manifestCached) {
    std::string error;
    if (!cache.putBlob(m.bytes, &error)) {
      *f = failure(Kind::Cache, "cannot store the manifest of " + where + " in the cache: " + error);
      return std::nullopt;
    }
  }
  std::string dir = cache.patternDir(m.digest);
  if (dir.empty()) {
    CacheLock lock(cache);
    if (!lock.held()) {
      *f = failure(Kind::Cache, "cannot lock the cache at " + cache.root());
      return std::nullopt;
    }
    dir = cache.patternDir(m.digest);  // another fetch may have materialised it meanwhile
    if (dir.empty()) {
      std::string error;
      if (!extractArtifact(m, blobPaths, cache.patternPath(m.digest), &error)) {
        *f = failure(Kind::Invalid, "cannot unpack " + where + ": " + error);
        return std::nullopt;
      }
      dir = cache.patternDir(m.digest);
    }
  }
  if (target.remote && !tag.empty() && !manifestCached) {
    std::string error;
    if (!cache.writeRef(refKey, m.digest, &error)) {
      *f = failure(Kind::Cache, "cannot record " + target.display + ":" + tag + " in the cache: " + error);
      return std::nullopt;
    }
  }
  result.path = dir.empty() ? cache.patternPath(m.digest) : dir;
  result.resolved = m.digest;
  result.annotations = m.annotations();
  return result;
}

}  // namespace ork::sources::detail
