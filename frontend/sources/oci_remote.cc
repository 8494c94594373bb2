// openRemoteRegistry: the distribution API v2 client of §10.2 — manifests, blobs, uploads (monolithic,
// chunked, cross-repo mount), tags and catalog with Link pagination; every fetch verified and bounded.
#include <unistd.h>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/sources/oci.h"
#include "frontend/sources/oci_auth.h"

namespace ork::sources {
namespace {

constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr const char* kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";

template <class T>
Expected<T> fail(OciError::Kind kind, int status, std::string detail) {
  return Expected<T>::fail(OciError{kind, status, std::move(detail)});
}

template <class T>
Expected<T> success(T value) {
  Expected<T> out;
  out.value = std::move(value);
  return out;
}

std::string mediaTypeOf(const http::Response& r) {
  std::string ct = r.header("Content-Type");
  return ct.substr(0, ct.find(';'));
}

// The `<url>; rel="next"` target of a Link header ("" when none).
std::string nextLink(const std::string& link) {
  size_t open = link.find('<');
  size_t close = link.find('>', open);
  if (open == std::string::npos || close == std::string::npos) return "";
  if (link.find("rel=\"next\"", close) == std::string::npos &&
      link.find("rel=next", close) == std::string::npos) {
    return "";
  }
  return link.substr(open + 1, close - open - 1);
}

std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class RemoteRegistry final : public Registry {
 public:
  RemoteRegistry(std::string host, http::Client& client, RemoteOptions options)
      : client_(client), options_(std::move(options)) {
    std::string scheme;
    for (const char* s : {"https://", "http://"}) {
      if (host.rfind(s, 0) == 0) {
        scheme = std::string(s).substr(0, std::string(s).find(':'));
        host = host.substr(std::string(s).size());
      }
    }
    while (!host.empty() && host.back() == '/') host.pop_back();
    host_ = host;
    http::Url probe;
    http::parseUrl("http://" + host_, probe);
    bool plain = plainAllowed(probe);
    if (scheme == "http" && !plain) {
      insecure_ =
          "plain HTTP to " + host_ + " is not allowed (only loopback hosts and ORK_INSECURE_REGISTRIES)";
    }
    base_ = (scheme.empty() ? (plain ? "http" : "https") : scheme) + "://" + host_;
    auth_ = std::make_unique<RegistryAuth>(
        client_, host_, options_.credentials, options_.useDockerConfig,
        [this](const http::Url& u) { return plainAllowed(u); }, requests_);
  }

  Expected<Manifest> getManifest(const std::string& repo, const std::string& reference) override {
    http::Request req = manifestRequest("GET", repo, reference);
    auto resp = exchange(req, pullScope(repo));
    if (!resp.ok()) return Expected<Manifest>::fail(resp.error);
    const http::Response& r = *resp.value;
    if (r.tooLarge)
      return fail<Manifest>(OciError::Kind::TooLarge, r.status, tooLargeDetail("manifest", reference));
    if (auto e = statusError(r, "manifest " + repo + ":" + reference)) return Expected<Manifest>::fail(*e);
    Manifest m;
    m.bytes = r.body;
    m.digest = sha256Digest(m.bytes);
    if (auto e = checkDigest(reference, m.digest, r.header("Docker-Content-Digest")))
      return Expected<Manifest>::fail(*e);
    m.json = nlohmann::json::parse(m.bytes, nullptr, false);
    if (!m.json.is_object())
      return fail<Manifest>(OciError::Kind::Invalid, 0, "manifest " + reference + " is not a JSON object");
    m.mediaType = mediaTypeOf(r);
    if (m.mediaType.empty() || m.mediaType == "application/json") m.mediaType = m.json.value("mediaType", "");
    return success(std::move(m));
  }

  Expected<Descriptor> headManifest(const std::string& repo, const std::string& reference) override {
    auto resp = exchange(manifestRequest("HEAD", repo, reference), pullScope(repo));
    if (!resp.ok()) return Expected<Descriptor>::fail(resp.error);
    const http::Response& r = *resp.value;
    if (auto e = statusError(r, "manifest " + repo + ":" + reference)) return Expected<Descriptor>::fail(*e);
    Descriptor d;
    d.mediaType = mediaTypeOf(r);
    d.digest = r.header("Docker-Content-Digest");
    std::string length = r.header("Content-Length");
    d.size = length.empty() ? 0 : std::strtoll(length.c_str(), nullptr, 10);
    bool byDigest = isValidDigest(reference);
    if (byDigest && !d.digest.empty() && d.digest != reference) {
      return fail<Descriptor>(OciError::Kind::DigestMismatch, 0,
                              "registry answered " + d.digest + " for " + reference);
    }
    if (d.digest.empty() && byDigest) d.digest = reference;
    if (!isValidDigest(d.digest) || length.empty()) {
      // No usable headers: the manifest itself tells (and is verified).
      auto m = getManifest(repo, reference);
      if (!m.ok()) return Expected<Descriptor>::fail(m.error);
      d = Descriptor{
          m.value->mediaType, m.value->digest, static_cast<int64_t>(m.value->bytes.size()), {}, {}};
      d.artifactType = m.value->artifactType();
    }
    return success(std::move(d));
  }

  Expected<Unit> fetchBlob(const std::string& repo, const Descriptor& blob,
                           const std::string& destPath) override {
    if (!isValidDigest(blob.digest))
      return fail<Unit>(OciError::Kind::Invalid, 0, "invalid digest " + blob.digest);
    if (static_cast<uint64_t>(blob.size) > options_.limits.maxBlobBytes) {
      return fail<Unit>(OciError::Kind::TooLarge, 0, tooLargeDetail("blob", blob.digest));
    }
    static std::atomic<uint64_t> counter{0};
    std::string temp = destPath + ".part-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    http::Request req = blobRequest(repo, blob);
    req.sinkFile = temp;
    auto resp = exchange(req, pullScope(repo));
    auto cleanup = [&] { std::remove(temp.c_str()); };
    if (!resp.ok()) {
      cleanup();
      return Expected<Unit>::fail(resp.error);
    }
    if (auto e = blobResponseError(*resp.value, blob)) {
      cleanup();
      return Expected<Unit>::fail(*e);
    }
    std::string bytes = readWholeFile(temp);
    if (auto e = verifyBlob(bytes, blob)) {
      cleanup();
      return Expected<Unit>::fail(*e);
    }
    std::error_code ec;
    std::filesystem::rename(temp, destPath, ec);
    if (ec) {
      cleanup();
      return fail<Unit>(OciError::Kind::Invalid, 0, "cannot write " + destPath + ": " + ec.message());
    }
    return success(Unit{});
  }

  Expected<std::string> fetchBlobBytes(const std::string& repo, const Descriptor& blob) override {
    if (!isValidDigest(blob.digest))
      return fail<std::string>(OciError::Kind::Invalid, 0, "invalid digest " + blob.digest);
    if (static_cast<uint64_t>(blob.size) > options_.limits.maxBlobBytes) {
      return fail<std::string>(OciError::Kind::TooLarge, 0, tooLargeDetail("blob", blob.digest));
    }
    auto resp = exchange(blobRequest(repo, blob), pullScope(repo));
    if (!resp.ok()) return Expected<std::string>::fail(resp.error);
    if (auto e = blobResponseError(*resp.value, blob)) return Expected<std::string>::fail(*e);
    if (auto e = verifyBlob(resp.value->body, blob)) return Expected<std::string>::fail(*e);
    return success(std::move(resp.value->body));
  }

  Expected<bool> blobExists(const std::string& repo, const std::string& digest) override {
    if (!isValidDigest(digest)) return fail<bool>(OciError::Kind::Invalid, 0, "invalid digest " + digest);
    http::Request req;
    req.method = "HEAD";
    req.url = base_ + "/v2/" + repo + "/blobs/" + digest;
    auto resp = exchange(req, pullScope(repo));
    if (!resp.ok()) return Expected<bool>::fail(resp.error);
    if (resp.value->status == 404) return success(false);
    if (auto e = statusError(*resp.value, "blob " + digest)) return Expected<bool>::fail(*e);
    return success(true);
  }

  Expected<Unit> pushBlob(const std::string& repo, const std::string& digest, const std::string& bytes,
                          const std::string& mountFrom) override;
  Expected<std::string> pushManifest(const std::string& repo, const std::string& tag,
                                     const std::string& bytes, const std::string& mediaType) override;

  Expected<std::vector<std::string>> listTags(const std::string& repo) override {
    return listPages(base_ + "/v2/" + repo + "/tags/list", "tags", pullScope(repo), "tags of " + repo);
  }

  Expected<std::vector<std::string>> catalog() override {
    return listPages(base_ + "/v2/_catalog", "repositories", "registry:catalog:*", "catalog");
  }

  uint64_t requestCount() const override { return requests_.load(); }

 private:
  static std::string pullScope(const std::string& repo) { return "repository:" + repo + ":pull"; }
  static std::string pushScope(const std::string& repo) { return "repository:" + repo + ":pull,push"; }

  bool plainAllowed(const http::Url& u) const {
    if (http::isLoopbackHost(u.host)) return true;
    for (const std::string& h : options_.insecureHosts) {
      if (h == u.authority() || h == u.host) return true;
    }
    return false;
  }

  std::string tooLargeDetail(const std::string& what, const std::string& ref) const {
    uint64_t limit = what == "manifest" ? options_.limits.maxManifestBytes : options_.limits.maxBlobBytes;
    return what + " " + ref + " is larger than " + std::to_string(limit) + " bytes";
  }

  http::Request manifestRequest(const std::string& method, const std::string& repo,
                                const std::string& reference) const {
    http::Request req;
    req.method = method;
    req.url = base_ + "/v2/" + repo + "/manifests/" + reference;
    req.headers.push_back({"Accept", std::string(kManifestMediaType) + ", " + kIndexMediaType + ", " +
                                         kDockerManifest + ", " + kDockerList});
    req.maxResponseBytes = options_.limits.maxManifestBytes;
    return req;
  }

  http::Request blobRequest(const std::string& repo, const Descriptor& blob) const {
    http::Request req;
    req.url = base_ + "/v2/" + repo + "/blobs/" + blob.digest;
    req.maxResponseBytes = blob.size > 0 ? static_cast<uint64_t>(blob.size) : options_.limits.maxBlobBytes;
    return req;
  }

  std::optional<OciError> blobResponseError(const http::Response& r, const Descriptor& blob) const {
    if (r.tooLarge) {
      if (blob.size > 0) {
        return OciError{OciError::Kind::DigestMismatch, r.status,
                        "blob " + blob.digest + " is larger than its descriptor's " +
                            std::to_string(blob.size) + " bytes"};
      }
      return OciError{OciError::Kind::TooLarge, r.status, tooLargeDetail("blob", blob.digest)};
    }
    return statusError(r, "blob " + blob.digest);
  }

  static std::optional<OciError> verifyBlob(const std::string& bytes, const Descriptor& blob) {
    std::string got = sha256Digest(bytes);
    if (got != blob.digest) {
      return OciError{OciError::Kind::DigestMismatch, 0, "blob " + blob.digest + " has content " + got};
    }
    if (blob.size > 0 && static_cast<int64_t>(bytes.size()) != blob.size) {
      return OciError{OciError::Kind::DigestMismatch, 0,
                      "blob " + blob.digest + " size differs from its descriptor"};
    }
    return std::nullopt;
  }

  static std::optional<OciError> checkDigest(const std::string& reference, const std::string& computed,
                                             const std::string& header) {
    if (isValidDigest(reference) && computed != reference) {
      return OciError{OciError::Kind::DigestMismatch, 0,
                      "manifest " + reference + " has content " + computed};
    }
    if (isValidDigest(header) && header != computed) {
      return OciError{OciError::Kind::DigestMismatch, 0,
                      "registry says " + header + " but the manifest is " + computed};
    }
    return std::nullopt;
  }

  // Maps a finished response to an OciError (nullopt for 2xx). `what` names the object, never a secret.
  static std::optional<OciError> statusError(const http::Response& r, const std::string& what) {
    if (!r.error.empty() && !r.tooLarge) return OciError{OciError::Kind::Network, 0, r.error};
    if (r.status >= 200 && r.status < 300) return std::nullopt;
    switch (r.status) {
      case 401: return OciError{OciError::Kind::Unauthorized, 401, what};
      case 403: return OciError{OciError::Kind::Forbidden, 403, what};
      case 404: return OciError{OciError::Kind::NotFound, 404, what};
      default: return OciError{OciError::Kind::Status, r.status, what};
    }
  }

  bool sameOrigin(const std::string& url) const { return url.rfind(base_ + "/", 0) == 0; }

  // Sends `req` with the Authorization earned for `scope`; on 401 answers the challenge once and
  // resends. Transport errors and an unanswerable 401 come back as errors; other statuses as responses.
  Expected<http::Response> exchange(http::Request req, const std::string& scope) {
    if (!insecure_.empty()) return fail<http::Response>(OciError::Kind::Insecure, 0, insecure_);
    const size_t plainHeaders = req.headers.size();
    // Authorization only ever goes to the registry's own origin (an upload Location may point elsewhere).
    bool mayAuth = sameOrigin(req.url);
    if (std::string h = mayAuth ? auth_->headerFor(scope) : ""; !h.empty())
      req.headers.push_back({"Authorization", h});
    for (int round = 0;; ++round) {
      http::Response r = client_.send(req);
      requests_ += static_cast<uint64_t>(std::max(1, r.attemptsMade));
      if (!r.error.empty() && !r.tooLarge) return fail<http::Response>(OciError::Kind::Network, 0, r.error);
      if (r.status != 401 || round > 0 || !mayAuth) return success(std::move(r));
      auto answer = auth_->answer(r, scope);
      if (!answer.ok()) return Expected<http::Response>::fail(answer.error);
      req.headers.resize(plainHeaders);
      req.headers.push_back({"Authorization", *answer.value});
    }
  }

  Expected<std::vector<std::string>> listPages(std::string url, const char* key, const std::string& scope,
                                               const std::string& what) {
    std::vector<std::string> out;
    for (int page = 0; page < 10000 && !url.empty(); ++page) {
      http::Request req;
      req.url = url;
      req.maxResponseBytes = options_.limits.maxManifestBytes;
      auto resp = exchange(req, scope);
      if (!resp.ok()) return Expected<std::vector<std::string>>::fail(resp.error);
      const http::Response& r = *resp.value;
      if (r.tooLarge)
        return fail<std::vector<std::string>>(OciError::Kind::TooLarge, r.status, what + " page");
      if (auto e = statusError(r, what)) return Expected<std::vector<std::string>>::fail(*e);
      auto json = nlohmann::json::parse(r.body, nullptr, false);
      if (!json.is_object())
        return fail<std::vector<std::string>>(OciError::Kind::Invalid, 0, what + " is not JSON");
      auto items = json.find(key);
      if (items != json.end() && items->is_array()) {
        for (const auto& item : *items) {
          if (item.is_string()) out.push_back(item.get<std::string>());
        }
      }
      std::string next = nextLink(r.header("Link"));
      url = next.empty() ? "" : (next.front() == '/' ? base_ + next : next);
      if (!url.empty() && !sameOrigin(url)) {
        return fail<std::vector<std::string>>(OciError::Kind::Invalid, 0,
                                              what + ": Link points to another host");
      }
    }
    return success(std::move(out));
  }

  // An upload Location, absolute or relative to the registry.
  std::string uploadUrl(const std::string& location) const {
    if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return location;
    return base_ + (location.empty() || location.front() != '/' ? "/" : "") + location;
  }

  Expected<std::string> startUpload(const std::string& repo, const std::string& digest,
                                    const std::string& mountFrom, const std::string& scope, bool& mounted);
  Expected<Unit> uploadChunks(const std::string& repo, std::string location, const std::string& digest,
                              const std::string& bytes, const std::string& scope);

  http::Client& client_;
  RemoteOptions options_;
  std::string host_, base_, insecure_;
  std::atomic<uint64_t> requests_{0};
  std::unique_ptr<RegistryAuth> auth_;
};

Expected<std::string> RemoteRegistry::startUpload(const std::string& repo, const std::string& digest,
                                                  const std::string& mountFrom, const std::string& scope,
                                                  bool& mounted) {
  http::Request req;
  req.method = "POST";
  req.url = base_ + "/v2/" + repo + "/blobs/uploads/";
  if (!mountFrom.empty())
    req.url += "?mount=" + http::percentEncode(digest) + "&from=" + http::percentEncode(mountFrom);
  auto resp = exchange(req, scope);
  if (!resp.ok()) return Expected<std::string>::fail(resp.error);
  const http::Response& r = *resp.value;
  if (r.status == 201 && !mountFrom.empty()) {
    mounted = true;
    return success(std::string());
  }
  if (r.status != 202) {
    if (auto e = statusError(r, "upload to " + repo)) return Expected<std::string>::fail(*e);
    return fail<std::string>(OciError::Kind::Status, r.status, "upload to " + repo);
  }
  std::string location = r.header("Location");
  if (location.empty())
    return fail<std::string>(OciError::Kind::Invalid, 0, "upload to " + repo + " without a Location");
  return success(uploadUrl(location));
}

Expected<Unit> RemoteRegistry::uploadChunks(const std::string& repo, std::string location,
                                            const std::string& digest, const std::string& bytes,
                                            const std::string& scope) {
  const uint64_t chunk = std::max<uint64_t>(1, options_.chunkBytes);
  bool chunked = bytes.size() > chunk;
  for (uint64_t offset = 0; chunked && offset < bytes.size(); offset += chunk) {
    uint64_t n = std::min<uint64_t>(chunk, bytes.size() - offset);
    http::Request patch;
    patch.method = "PATCH";
    patch.url = location;
    patch.attempts = 1;
    patch.body = bytes.substr(offset, n);
    patch.headers = {{"Content-Type", "application/octet-stream"},
                     {"Content-Range", std::to_string(offset) + "-" + std::to_string(offset + n - 1)}};
    auto resp = exchange(patch, scope);
    if (!resp.ok()) return Expected<Unit>::fail(resp.error);
    if (resp.value->status != 202) {
      if (auto e = statusError(*resp.value, "upload chunk to " + repo)) return Expected<Unit>::fail(*e);
      return fail<Unit>(OciError::Kind::Status, resp.value->status, "upload chunk to " + repo);
    }
    if (std::string next = resp.value->header("Location"); !next.empty()) location = uploadUrl(next);
  }
  http::Request put;
  put.method = "PUT";
  put.attempts = 1;
  put.url = location + (location.find('?') == std::string::npos ? "?" : "&") +
            "digest=" + http::percentEncode(digest);
  put.headers = {{"Content-Type", "application/octet-stream"}};
  if (!chunked) put.body = bytes;
  auto resp = exchange(put, scope);
  if (!resp.ok()) return Expected<Unit>::fail(resp.error);
  if (resp.value->status != 201) {
    if (auto e = statusError(*resp.value, "upload of " + digest)) return Expected<Unit>::fail(*e);
    return fail<Unit>(OciError::Kind::Status, resp.value->status, "upload of " + digest);
  }
  return success(Unit{});
}

Expected<Unit> RemoteRegistry::pushBlob(const std::string& repo, const std::string& digest,
                                        const std::string& bytes, const std::string& mountFrom) {
  if (!isValidDigest(digest)) return fail<Unit>(OciError::Kind::Invalid, 0, "invalid digest " + digest);
  if (sha256Digest(bytes) != digest) {
    return fail<Unit>(OciError::Kind::DigestMismatch, 0, "content does not hash to " + digest);
  }
  auto exists = blobExists(repo, digest);
  if (!exists.ok()) return Expected<Unit>::fail(exists.error);
  if (*exists.value) return success(Unit{});
  std::string scope = pushScope(repo);
  if (!mountFrom.empty()) scope += " " + pullScope(mountFrom);
  bool mounted = false;
  auto location = startUpload(repo, digest, mountFrom, scope, mounted);
  if (!location.ok()) return Expected<Unit>::fail(location.error);
  if (mounted) return success(Unit{});
  return uploadChunks(repo, *location.value, digest, bytes, scope);
}

Expected<std::string> RemoteRegistry::pushManifest(const std::string& repo, const std::string& tag,
                                                   const std::string& bytes, const std::string& mediaType) {
  if (bytes.size() > options_.limits.maxManifestBytes) {
    return fail<std::string>(OciError::Kind::TooLarge, 0, tooLargeDetail("manifest", tag));
  }
  std::string digest = sha256Digest(bytes);
  http::Request req;
  req.method = "PUT";
  req.attempts = 1;
  req.url = base_ + "/v2/" + repo + "/manifests/" + (tag.empty() ? digest : tag);
  req.headers = {{"Content-Type", mediaType}};
  req.body = bytes;
  auto resp = exchange(req, pushScope(repo));
  if (!resp.ok()) return Expected<std::string>::fail(resp.error);
  if (auto e = statusError(*resp.value, "manifest " + repo + ":" + (tag.empty() ? digest : tag))) {
    return Expected<std::string>::fail(*e);
  }
  std::string said = resp.value->header("Docker-Content-Digest");
  if (isValidDigest(said) && said != digest) {
    return fail<std::string>(OciError::Kind::DigestMismatch, 0, "registry stored " + said + " for " + digest);
  }
  return success(std::move(digest));
}

}  // namespace

std::unique_ptr<Registry> openRemoteRegistry(const std::string& host, http::Client& client,
                                             RemoteOptions options) {
  return std::make_unique<RemoteRegistry>(host, client, std::move(options));
}

}  // namespace ork::sources
