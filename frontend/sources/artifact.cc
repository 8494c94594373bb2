// Pattern and Motif artifacts (FORMATS.md §11.1): the files pushed and their media types, the
// manifest, and extraction of a pulled artifact — every title checked before anything is written,
// everything written in a temporary directory that is renamed into place at the end.
#include "frontend/sources/artifact.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "frontend/sources/store_io.h"
#include "frontend/sources/tar_gzip.h"
#include "support/filesystem.h"

namespace ork::sources {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTarGzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
constexpr uint64_t kMaxArtifactFile = 64ull << 20;

bool fail(std::string* error, std::string text) {
  if (error) *error = std::move(text);
  return false;
}

// Whether any component of `rel` under `dir` is a symbolic link (a pushed file must lie inside).
bool throughLink(const std::string& dir, const std::string& rel) {
  std::string p = dir;
  size_t start = 0;
  for (;;) {
    size_t slash = rel.find('/', start);
    p += "/" + rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) return true;
    if (slash == std::string::npos) return false;
    start = slash + 1;
  }
}

// Reads one file or packs one directory of the pattern; nullopt (without error) when absent.
std::optional<ArtifactFile> collectOne(const std::string& dir, const std::string& rel, std::string* error,
                                       bool* failed) {
  std::string full = dir + "/" + rel;
  struct stat st {};
  if (::lstat(full.c_str(), &st) != 0) return std::nullopt;
  if (throughLink(dir, rel)) {
    *failed = true;
    fail(error, rel + ": symbolic links are not pushed");
    return std::nullopt;
  }
  ArtifactFile f;
  f.path = rel;
  if (S_ISDIR(st.st_mode)) {
    auto entries = collectDirectoryEntries(full, baseName(rel), error);
    auto tar = entries ? writeTar(*entries, error) : std::nullopt;
    auto gz = tar ? gzipBytes(*tar, error) : std::nullopt;
    if (!gz) {
      *failed = true;
      return std::nullopt;
    }
    f.bytes = std::move(*gz);
    f.directory = true;
    f.mediaType = kTarGzipLayer;
    return f;
  }
  FileRead r = readFileBounded(full, kMaxArtifactFile);
  if (!r.ok()) {
    *failed = true;
    fail(error, rel + ": " + r.error);
    return std::nullopt;
  }
  f.bytes = std::move(r.bytes);
  f.mediaType = layerMediaType(rel);
  return f;
}

// Writes one layer's content under `root` (a fresh temporary directory).
bool writeLayer(const std::string& root, const std::string& title, bool unpack, const std::string& bytes,
                std::string* error) {
  std::string target = root + "/" + title;
  std::string e = makeDirectories(parentDir(target));
  if (!e.empty()) return fail(error, e);
  if (!unpack) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0) return fail(error, "layer \"" + title + "\" is written twice");
    e = writeFileAtomically(target, bytes);
    return e.empty() || fail(error, e);
  }
  std::string why;
  auto tar = gunzipBytes(bytes, TarLimits{}.maxTotalBytes, &why);
  auto entries = tar ? readTar(*tar, TarLimits{}, &why) : std::nullopt;
  if (!entries) return fail(error, "layer \"" + title + "\": " + why);
  // Entries sit under the directory's own name (as ORAS packs them) and stay inside it.
  std::string name = baseName(title);
  std::string base = parentDir(target);
  for (const TarEntry& t : *entries) {
    if (t.path != name && t.path.rfind(name + "/", 0) != 0)
      return fail(error, "layer \"" + title + "\": entry \"" + t.path + "\" is outside \"" + name + "/\"");
    std::string p = base + "/" + t.path;
    if (t.directory) {
      e = makeDirectories(p);
    } else {
      e = makeDirectories(parentDir(p));
      if (e.empty()) e = writeFileAtomically(p, t.bytes);
      if (e.empty() && t.executable) ::chmod(p.c_str(), 0755);
    }
    if (!e.empty()) return fail(error, "layer \"" + title + "\": " + e);
  }
  return true;
}

}  // namespace

std::string layerMediaType(const std::string& path) {
  if (!path.empty() && path.back() == '/') return kTarGzipLayer;
  if (path == "katalog.yaml") return "application/vnd.orkestra.katalog.v1+yaml";
  if (path == "motif.yaml") return "application/vnd.orkestra.motif.v1+yaml";
  if (path == "crd.yaml") return "application/vnd.kubernetes.crd.v1+yaml";
  if (path == "cr.yaml") return "application/vnd.kubernetes.cr.v1+yaml";
  if (path == "simulate.yaml") return "application/vnd.orkestra.simulate.v1+yaml";
  if (path == "e2e.yaml") return "application/vnd.orkestra.e2e.v1+yaml";
  if (path == "README.md") return "text/markdown";
  if (path == "go.mod" || path == "go.sum") return "text/plain";
  if (path == "Makefile") return "text/x-makefile";
  return "application/octet-stream";
}

std::optional<std::vector<ArtifactFile>> collectArtifactFiles(const std::string& dir, bool motif,
                                                              const std::vector<std::string>& extra,
                                                              std::string* error) {
  std::vector<std::string> fixed = {motif ? "motif.yaml" : "katalog.yaml",
                                    "crd.yaml",
                                    "cr.yaml",
                                    "komposer.yaml",
                                    "README.md",
                                    "simulate.yaml",
                                    "e2e.yaml"};
  std::set<std::string> rest;
  for (std::string p : extra) {
    while (!p.empty() && p.back() == '/') p.pop_back();
    if (p.rfind("./", 0) == 0) p = p.substr(2);
    std::string why;
    if (!isSafeRelativePath(p, &why)) {
      fail(error, "\"" + p + "\" is outside the pattern directory (" + why + ")");
      return std::nullopt;
    }
    if (std::find(fixed.begin(), fixed.end(), p) == fixed.end()) rest.insert(p);
  }
  std::vector<ArtifactFile> out;
  std::vector<std::string> order = fixed;
  order.insert(order.end(), rest.begin(), rest.end());
  for (const auto& rel : order) {
    bool failed = false;
    auto f = collectOne(dir, rel, error, &failed);
    if (failed) return std::nullopt;
    if (f) out.push_back(std::move(*f));
  }
  return out;
}

Descriptor layerDescriptor(const ArtifactFile& file) {
  Descriptor d;
  d.mediaType = file.mediaType;
  d.digest = sha256Digest(file.bytes);
  d.size = static_cast<int64_t>(file.bytes.size());
  d.annotations[kTitleAnnotation] = file.path;
  if (file.directory) d.annotations[kUnpackAnnotation] = "true";
  return d;
}

std::string buildManifest(const std::vector<Descriptor>& layers, const std::string& artifactType,
                          const std::map<std::string, std::string>& annotations) {
  nlohmann::json layerJson = nlohmann::json::array();
  for (const auto& l : layers) layerJson.push_back(l.toJson());
  nlohmann::json m = {
      {"schemaVersion", 2},
      {"mediaType", kManifestMediaType},
      {"artifactType", artifactType},
      {"config", {{"mediaType", kEmptyConfigMediaType}, {"digest", kEmptyConfigDigest}, {"size", 2}}},
      {"layers", std::move(layerJson)},
  };
  if (!annotations.empty()) m["annotations"] = annotations;
  return m.dump();
}

bool safeLayerTitle(const std::string& title, std::string* error) {
  std::string why;
  if (isSafeRelativePath(title, &why)) return true;
  return fail(error, "unsafe layer title \"" + title + "\": " + why);
}

bool extractArtifact(const Manifest& manifest, const std::map<std::string, std::string>& blobPaths,
                     const std::string& destDir, std::string* error) {
  // First every check that needs no writing: layer descriptors, titles, duplicates, blobs.
  struct Layer {
    Descriptor desc;
    std::string title;
    bool unpack = false;
  };
  std::vector<Layer> layers;
  auto jl = manifest.json.is_object() ? manifest.json.find("layers") : manifest.json.end();
  if (!manifest.json.is_object() || jl == manifest.json.end() || !jl->is_array())
    return fail(error, "manifest has no layers");
  std::set<std::string> titles;
  for (size_t i = 0; i < jl->size(); ++i) {
    auto d = Descriptor::fromJson((*jl)[i]);
    if (!d) return fail(error, "layer " + std::to_string(i) + " is not a valid descriptor");
    auto t = d->annotations.find(kTitleAnnotation);
    if (t == d->annotations.end()) return fail(error, "layer " + std::to_string(i) + " has no title");
    if (!safeLayerTitle(t->second, error)) return false;
    if (!titles.insert(t->second).second)
      return fail(error, "layer title \"" + t->second + "\" appears twice");
    if (!blobPaths.count(d->digest))
      return fail(error, "layer \"" + t->second + "\": blob " + d->digest + " not fetched");
    auto u = d->annotations.find(kUnpackAnnotation);
    bool unpack = u != d->annotations.end() && u->second == "true";
    layers.push_back({*d, t->second, unpack});
  }
  for (const auto& t : titles) {  // "a" and "a/b": one would have to be a file and a directory
    auto it = titles.lower_bound(t + "/");
    if (it != titles.end() && it->rfind(t + "/", 0) == 0)
      return fail(error, "layer titles \"" + t + "\" and \"" + *it + "\" conflict");
  }

  std::string dest = destDir;
  while (dest.size() > 1 && dest.back() == '/') dest.pop_back();  // "out/pg/" names "out/pg"
  std::string base = baseName(dest);
  std::string tmp =
      joinPath(parentDir(dest), "." + (base.empty() ? std::string("pull") : base) + ".tmp-" + uniqueSuffix());
  std::string e = makeDirectories(tmp);
  if (!e.empty()) return fail(error, e);
  auto abandon = [&](std::string text) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    return fail(error, std::move(text));
  };
  for (const Layer& l : layers) {
    FileRead r = readFileBounded(blobPaths.at(l.desc.digest), kMaxArtifactFile);
    if (!r.ok()) return abandon("layer \"" + l.title + "\": " + r.error);
    if (sha256Digest(r.bytes) != l.desc.digest)
      return abandon("layer \"" + l.title + "\" does not match its digest");
    std::string why;
    if (!writeLayer(tmp, l.title, l.unpack, r.bytes, &why)) return abandon(why);
  }
  // rename(2) replaces an empty directory but never a non-empty one: nothing is merged or lost.
  if (::rename(tmp.c_str(), dest.c_str()) != 0) {
    int err = errno;
    if (err == ENOTEMPTY || err == EEXIST) return abandon(destDir + " already exists and is not empty");
    return abandon("cannot rename into " + destDir + ": " + std::strerror(err));
  }
  return true;
}

}  // namespace ork::sources
