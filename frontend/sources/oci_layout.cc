// An OCI image layout directory (FORMATS.md §10.5) as a Registry: blobs/sha256/<hex>, index.json
// whose manifests carry tags as org.opencontainers.image.ref.name annotations, the oci-layout marker.
// Writes are atomic (temporary file + rename) and index.json updates hold a flock on the layout.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "frontend/sources/oci.h"
#include "frontend/sources/store_io.h"

namespace ork::sources {

namespace {

constexpr const char* kLayoutMarker = "{\"imageLayoutVersion\":\"1.0.0\"}";
constexpr uint64_t kMaxIndexBytes = 4ull << 20;
constexpr int kMaxCatalogDepth = 16;

OciError err(OciError::Kind kind, std::string detail) {
  OciError e;
  e.kind = kind;
  e.detail = std::move(detail);
  return e;
}

bool isDir(const std::string& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool isLayout(const std::string& dir) {
  struct stat st {};
  return ::stat((dir + "/oci-layout").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

class LayoutRegistry final : public Registry {
 public:
  LayoutRegistry(std::string root, bool create) : root_(std::move(root)), create_(create) {}

  Expected<Manifest> getManifest(const std::string& repo, const std::string& reference) override {
    auto desc = resolve(repo, reference);
    if (!desc.ok()) return Expected<Manifest>::fail(desc.error);
    auto bytes = readBlob(repo, desc.value->digest, kLimits.maxManifestBytes);
    if (!bytes.ok()) return Expected<Manifest>::fail(bytes.error);
    Manifest m;
    m.bytes = std::move(*bytes.value);
    m.digest = desc.value->digest;
    m.json = nlohmann::json::parse(m.bytes, nullptr, false);
    if (!m.json.is_object())
      return Expected<Manifest>::fail(err(OciError::Kind::Invalid, "manifest is not a JSON object"));
    m.mediaType = m.json.contains("mediaType") && m.json["mediaType"].is_string()
                      ? m.json["mediaType"].get<std::string>()
                      : desc.value->mediaType;
    return Expected<Manifest>{std::move(m), {}};
  }

  Expected<Descriptor> headManifest(const std::string& repo, const std::string& reference) override {
    return resolve(repo, reference);
  }

  Expected<Unit> fetchBlob(const std::string& repo, const Descriptor& blob,
                           const std::string& destPath) override {
    auto bytes = readBlob(repo, blob.digest, kLimits.maxBlobBytes);
    if (!bytes.ok()) return Expected<Unit>::fail(bytes.error);
    if (blob.size > 0 && static_cast<uint64_t>(blob.size) != bytes.value->size())
      return Expected<Unit>::fail(err(OciError::Kind::DigestMismatch,
                                      "blob " + blob.digest + " has " + std::to_string(bytes.value->size()) +
                                          " bytes, the descriptor says " + std::to_string(blob.size)));
    std::string e = writeFileAtomically(destPath, *bytes.value);
    if (!e.empty()) return Expected<Unit>::fail(err(OciError::Kind::Invalid, e));
    return Expected<Unit>{Unit{}, {}};
  }

  Expected<std::string> fetchBlobBytes(const std::string& repo, const Descriptor& blob) override {
    auto bytes = readBlob(repo, blob.digest, kLimits.maxBlobBytes);
    if (bytes.ok() && blob.size > 0 && static_cast<uint64_t>(blob.size) != bytes.value->size())
      return Expected<std::string>::fail(
          err(OciError::Kind::DigestMismatch, "blob " + blob.digest + " size differs"));
    return bytes;
  }

  Expected<bool> blobExists(const std::string& repo, const std::string& digest) override {
    std::string dir;
    if (auto e = layoutDir(repo, &dir); e) return Expected<bool>::fail(*e);
    if (!isValidDigest(digest))
      return Expected<bool>::fail(err(OciError::Kind::Invalid, "invalid digest " + digest));
    struct stat st {};
    return Expected<bool>{::stat(blobPath(dir, digest).c_str(), &st) == 0 && S_ISREG(st.st_mode), {}};
  }

  Expected<Unit> pushBlob(const std::string& repo, const std::string& digest, const std::string& bytes,
                          const std::string& /*mountFrom: blobs are given, nothing to mount*/) override {
    if (!isValidDigest(digest))
      return Expected<Unit>::fail(err(OciError::Kind::Invalid, "invalid digest " + digest));
    if (sha256Digest(bytes) != digest)
      return Expected<Unit>::fail(err(OciError::Kind::DigestMismatch, "content does not hash to " + digest));
    std::string dir;
    if (auto e = openForWrite(repo, &dir); e) return Expected<Unit>::fail(*e);
    if (auto e = storeBlob(dir, digest, bytes); e) return Expected<Unit>::fail(*e);
    return Expected<Unit>{Unit{}, {}};
  }

  Expected<std::string> pushManifest(const std::string& repo, const std::string& tag,
                                     const std::string& bytes, const std::string& mediaType) override {
    auto json = nlohmann::json::parse(bytes, nullptr, false);
    if (!json.is_object())
      return Expected<std::string>::fail(err(OciError::Kind::Invalid, "manifest is not a JSON object"));
    if (bytes.size() > kLimits.maxManifestBytes)
      return Expected<std::string>::fail(err(OciError::Kind::TooLarge, "manifest too large"));
    std::string dir;
    if (auto e = openForWrite(repo, &dir); e) return Expected<std::string>::fail(*e);
    std::string digest = sha256Digest(bytes);
    if (auto e = storeBlob(dir, digest, bytes); e) return Expected<std::string>::fail(*e);

    nlohmann::json desc = {{"mediaType", mediaType}, {"digest", digest}, {"size", bytes.size()}};
    if (json.contains("artifactType") && json["artifactType"].is_string())
      desc["artifactType"] = json["artifactType"];
    if (!tag.empty()) desc["annotations"] = {{kRefNameAnnotation, tag}};

    FileLock lock(dir);
    if (!lock.held()) return Expected<std::string>::fail(err(OciError::Kind::Invalid, "cannot lock " + dir));
    auto index = readIndex(dir);
    if (!index.ok()) return Expected<std::string>::fail(index.error);
    nlohmann::json manifests = nlohmann::json::array();
    bool present = false;
    for (const auto& m : (*index.value)["manifests"]) {
      // A re-tag replaces the tag's old descriptor; an untagged push keeps one descriptor per digest.
      if (!tag.empty() && refName(m) == tag) continue;
      if (tag.empty() && m.value("digest", "") == digest) present = true;
      manifests.push_back(m);
    }
    if (!present) manifests.push_back(desc);
    (*index.value)["manifests"] = std::move(manifests);
    std::string e = writeFileAtomically(dir + "/index.json", index.value->dump());
    if (!e.empty()) return Expected<std::string>::fail(err(OciError::Kind::Invalid, e));
    return Expected<std::string>{digest, {}};
  }

  Expected<std::vector<std::string>> listTags(const std::string& repo) override {
    std::string dir;
    if (auto e = layoutDir(repo, &dir); e) return Expected<std::vector<std::string>>::fail(*e);
    auto index = readIndex(dir);
    if (!index.ok()) return Expected<std::vector<std::string>>::fail(index.error);
    std::set<std::string> tags;
    for (const auto& m : (*index.value)["manifests"]) {
      std::string t = refName(m);
      if (!t.empty()) tags.insert(t);
    }
    return Expected<std::vector<std::string>>{std::vector<std::string>(tags.begin(), tags.end()), {}};
  }

  Expected<std::vector<std::string>> catalog() override {
    if (!isDir(root_))
      return Expected<std::vector<std::string>>::fail(err(OciError::Kind::NotFound, "no directory " + root_));
    std::vector<std::string> repos;
    walk(root_, "", 0, &repos);
    std::sort(repos.begin(), repos.end());
    return Expected<std::vector<std::string>>{std::move(repos), {}};
  }

 private:
  static inline const Limits kLimits{};

  static std::string refName(const nlohmann::json& m) {
    if (!m.is_object() || !m.contains("annotations") || !m["annotations"].is_object()) return "";
    const auto& a = m["annotations"];
    auto it = a.find(kRefNameAnnotation);
    return it != a.end() && it->is_string() ? it->get<std::string>() : "";
  }

  static std::string blobPath(const std::string& dir, const std::string& digest) {
    return dir + "/blobs/sha256/" + digest.substr(7);
  }

  // The directory of `repo`, which must hold a layout; NotFound otherwise.
  std::optional<OciError> layoutDir(const std::string& repo, std::string* dir) const {
    std::string why;
    if (!repo.empty() && !isSafeRelativePath(repo, &why))
      return err(OciError::Kind::Invalid, "invalid repository \"" + repo + "\": " + why);
    *dir = repo.empty() ? root_ : root_ + "/" + repo;
    if (!isLayout(*dir)) return err(OciError::Kind::NotFound, "no OCI layout at " + *dir);
    return std::nullopt;
  }

  // layoutDir, creating the layout first when the registry was opened with `create`.
  std::optional<OciError> openForWrite(const std::string& repo, std::string* dir) const {
    auto e = layoutDir(repo, dir);
    if (!e || e->kind != OciError::Kind::NotFound || !create_) return e;
    std::string made = makeDirectories(*dir + "/blobs/sha256");
    if (!made.empty()) return err(OciError::Kind::Invalid, made);
    FileLock lock(*dir);
    struct stat st {};
    if (::stat((*dir + "/index.json").c_str(), &st) != 0) {
      nlohmann::json index = {
          {"schemaVersion", 2}, {"mediaType", kIndexMediaType}, {"manifests", nlohmann::json::array()}};
      made = writeFileAtomically(*dir + "/index.json", index.dump());
      if (!made.empty()) return err(OciError::Kind::Invalid, made);
    }
    // The marker last: a directory counts as a layout only once index.json is in place.
    if (!isLayout(*dir)) made = writeFileAtomically(*dir + "/oci-layout", kLayoutMarker);
    if (!made.empty()) return err(OciError::Kind::Invalid, made);
    return std::nullopt;
  }

  static Expected<nlohmann::json> readIndex(const std::string& dir) {
    FileRead r = readFileBounded(dir + "/index.json", kMaxIndexBytes);
    if (!r.ok()) {
      auto kind = r.status == FileRead::Status::Missing ? OciError::Kind::NotFound : OciError::Kind::Invalid;
      return Expected<nlohmann::json>::fail(err(kind, dir + "/index.json: " + r.error));
    }
    auto j = nlohmann::json::parse(r.bytes, nullptr, false);
    if (!j.is_object() || (j.contains("manifests") && !j["manifests"].is_array()))
      return Expected<nlohmann::json>::fail(
          err(OciError::Kind::Invalid, dir + "/index.json is not an OCI image index"));
    if (!j.contains("manifests")) j["manifests"] = nlohmann::json::array();
    return Expected<nlohmann::json>{std::move(j), {}};
  }

  // The descriptor of a tag (ref.name annotation) or digest. A digest that index.json does not
  // list still resolves when its blob is present (a manifest addressed only by digest).
  Expected<Descriptor> resolve(const std::string& repo, const std::string& reference) const {
    std::string dir;
    if (auto e = layoutDir(repo, &dir); e) return Expected<Descriptor>::fail(*e);
    auto index = readIndex(dir);
    if (!index.ok()) return Expected<Descriptor>::fail(index.error);
    bool byDigest = reference.rfind("sha256:", 0) == 0;
    if (byDigest && !isValidDigest(reference))
      return Expected<Descriptor>::fail(err(OciError::Kind::Invalid, "invalid digest " + reference));
    for (const auto& m : (*index.value)["manifests"]) {
      if (!m.is_object()) continue;
      if (byDigest ? m.value("digest", "") != reference : refName(m) != reference) continue;
      Descriptor d;
      d.mediaType = m.value("mediaType", "");
      d.digest = m.value("digest", "");
      d.size = m.contains("size") && m["size"].is_number_integer() ? m["size"].get<int64_t>() : 0;
      d.artifactType = m.value("artifactType", "");
      if (m.contains("annotations") && m["annotations"].is_object())
        for (const auto& [k, v] : m["annotations"].items())
          if (v.is_string()) d.annotations[k] = v.get<std::string>();
      if (!isValidDigest(d.digest))
        return Expected<Descriptor>::fail(
            err(OciError::Kind::Invalid, dir + "/index.json: invalid digest for " + reference));
      return Expected<Descriptor>{std::move(d), {}};
    }
    if (byDigest) {
      auto bytes = readBlob(repo, reference, kLimits.maxManifestBytes);
      if (!bytes.ok()) return Expected<Descriptor>::fail(bytes.error);
      auto j = nlohmann::json::parse(*bytes.value, nullptr, false);
      Descriptor d;
      d.digest = reference;
      d.size = static_cast<int64_t>(bytes.value->size());
      d.mediaType = j.is_object() ? j.value("mediaType", "") : "";
      d.artifactType = j.is_object() ? j.value("artifactType", "") : "";
      return Expected<Descriptor>{std::move(d), {}};
    }
    return Expected<Descriptor>::fail(
        err(OciError::Kind::NotFound, "tag \"" + reference + "\" not in " + dir + "/index.json"));
  }

  // Reads a blob and checks that it hashes to its name; a missing blob is NotFound.
  Expected<std::string> readBlob(const std::string& repo, const std::string& digest,
                                 uint64_t maxBytes) const {
    std::string dir;
    if (auto e = layoutDir(repo, &dir); e) return Expected<std::string>::fail(*e);
    if (!isValidDigest(digest))
      return Expected<std::string>::fail(err(OciError::Kind::Invalid, "invalid digest " + digest));
    FileRead r = readFileBounded(blobPath(dir, digest), maxBytes);
    switch (r.status) {
      case FileRead::Status::Ok: break;
      case FileRead::Status::Missing:
        return Expected<std::string>::fail(
            err(OciError::Kind::NotFound, "blob " + digest + " not in " + dir));
      case FileRead::Status::TooLarge:
        return Expected<std::string>::fail(
            err(OciError::Kind::TooLarge, "blob " + digest + " is " + r.error));
      case FileRead::Status::Error:
        return Expected<std::string>::fail(err(OciError::Kind::Invalid, "blob " + digest + ": " + r.error));
    }
    if (sha256Digest(r.bytes) != digest)
      return Expected<std::string>::fail(err(OciError::Kind::DigestMismatch,
                                             "blob " + digest + " in " + dir + " does not match its digest"));
    return Expected<std::string>{std::move(r.bytes), {}};
  }

  // Writes a blob unless an intact copy is present (a corrupt one is replaced).
  static std::optional<OciError> storeBlob(const std::string& dir, const std::string& digest,
                                           const std::string& bytes) {
    std::string path = blobPath(dir, digest);
    FileRead have = readFileBounded(path, bytes.size());
    if (have.ok() && have.bytes == bytes) return std::nullopt;
    std::string e = makeDirectories(dir + "/blobs/sha256");
    if (e.empty()) e = writeFileAtomically(path, bytes);
    if (!e.empty()) return err(OciError::Kind::Invalid, e);
    return std::nullopt;
  }

  // Collects sub-directories that are layouts (nested ones too), never following links and never
  // entering a layout's blobs/.
  static void walk(const std::string& dir, const std::string& rel, int depth, std::vector<std::string>* out) {
    if (depth > kMaxCatalogDepth) return;
    bool layout = isLayout(dir);
    if (layout && !rel.empty()) out->push_back(rel);
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == ".." || (layout && name == "blobs")) continue;
      if (isDir(dir + "/" + name)) names.push_back(name);
    }
    ::closedir(d);
    for (const auto& n : names) walk(dir + "/" + n, rel.empty() ? n : rel + "/" + n, depth + 1, out);
  }

  std::string root_;
  bool create_;
};

}  // namespace

std::unique_ptr<Registry> openLayoutRegistry(const std::string& root, bool create) {
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return std::make_unique<LayoutRegistry>(r.empty() ? "." : r, create);
}

}  // namespace ork::sources
