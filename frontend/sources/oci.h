// The OCI side of FORMATS.md §10–§11: command references, the Registry interface (a distribution
// registry over HTTP, or an OCI image layout directory), and the errors both report.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http.h"

namespace ork::sources {

// ── Media types and annotation keys of §11.1 ────────────────────────────────────────────────
inline constexpr const char* kManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kIndexMediaType = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kPatternArtifactType = "application/vnd.orkestra.pattern.v1+tar+gzip";
inline constexpr const char* kMotifArtifactType = "application/vnd.orkestra.motif.v1+tar+gzip";
inline constexpr const char* kIndexArtifactType = "application/vnd.orkestra.index.v1+json";
inline constexpr const char* kEmptyConfigMediaType = "application/vnd.oci.empty.v1+json";
inline constexpr const char* kEmptyConfigDigest =
    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
inline constexpr const char* kTitleAnnotation = "org.opencontainers.image.title";
inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";

/// A reference as commands read it (§11.2/§11.3): `host[:port]/path[:tag][@sha256:…]`, or
/// `oci-layout:<dir>[:tag|@sha256:…]`.
struct OciRef {
  bool layout = false;     // an oci-layout: directory
  std::string layoutDir;   // layout: the directory (as written)
  std::string registry;    // host[:port] ("" for layouts)
  std::string repository;  // path under the host ("team/postgres"); layouts: "" 
  std::string tag;         // "" when only a digest, or none given
  std::string digest;      // "sha256:<64 hex>" or ""

  /// `tag` or `digest`, whichever addresses the manifest (digest wins).
  std::string reference() const { return digest.empty() ? tag : digest; }
  /// Canonical text: `host/repo:tag`, `host/repo@sha256:…`, `oci-layout:dir:tag`.
  std::string str() const;
};

/// Reads a command reference (§11.2): a bare `name[:tag]` goes under `defaultBase`
/// (`$ORK_REGISTRY`, or `$ORK_MOTIFS_REGISTRY` with --motif; itself a `host/path` or an
/// `oci-layout:` dir, in which case the name becomes a sub-directory); a first segment containing `.`
/// or `:` or equal to `localhost` is a host; an `oci://` prefix is dropped. The tag follows the last
/// `:` after the last `/`. Returns nullopt with `*error` set on malformed input.
std::optional<OciRef> parseOciRef(std::string_view text, std::string_view defaultBase, std::string* error);

/// Why an OCI operation failed. Messages of §10.3 are chosen from `kind` by the caller.
struct OciError {
  enum class Kind {
    NotFound,       // 404 on a manifest/ref/repository (→ "reference not found")
    Unauthorized,   // 401 (→ "authentication required (401)")
    Forbidden,      // 403 (→ "access denied (403)")
    Status,         // any other non-2xx after retries (→ "unexpected status <code>")
    Network,        // transport failure after retries (→ "network error: <detail>")
    DigestMismatch, // content does not hash to its digest
    TooLarge,       // over the size bound
    Invalid,        // malformed manifest/JSON, wrong media type, unsafe path, …
    Insecure,       // plain HTTP to a host that is neither loopback nor allowed
  };
  Kind kind = Kind::Network;
  int status = 0;
  std::string detail;  // never holds credentials
  /// "reference not found", "authentication required (401)", "unexpected status 500", …
  std::string message() const;
};

/// A value or an OciError.
template <class T>
struct Expected {
  std::optional<T> value;
  OciError error;
  bool ok() const { return value.has_value(); }
  static Expected fail(OciError e) {
    Expected r;
    r.error = std::move(e);
    return r;
  }
};
struct Unit {};

/// An OCI content descriptor.
struct Descriptor {
  std::string mediaType;
  std::string digest;
  int64_t size = 0;
  std::string artifactType;
  std::map<std::string, std::string> annotations;
  nlohmann::json toJson() const;
  static std::optional<Descriptor> fromJson(const nlohmann::json& j);
};

/// A manifest as fetched: its exact bytes (what the digest covers), digest and parsed JSON.
struct Manifest {
  std::string bytes;
  std::string digest;
  std::string mediaType;
  nlohmann::json json;
  /// layers[] as descriptors; config; artifactType; annotations.
  std::vector<Descriptor> layers() const;
  std::string artifactType() const;
  std::map<std::string, std::string> annotations() const;
};

/// Limits every fetch obeys.
struct Limits {
  uint64_t maxManifestBytes = 4ull << 20;
  uint64_t maxBlobBytes = 64ull << 20;
};

/// A registry: a distribution server, or an OCI image layout directory (§10.5). All methods are
/// safe to call from several threads. Every fetched manifest and blob is verified against its digest.
class Registry {
 public:
  virtual ~Registry() = default;
  /// The manifest addressed by a tag or `sha256:` digest in `repo`.
  virtual Expected<Manifest> getManifest(const std::string& repo, const std::string& reference) = 0;
  /// The manifest's descriptor only (HEAD; no body), for tag checks and --versions.
  virtual Expected<Descriptor> headManifest(const std::string& repo, const std::string& reference) = 0;
  /// Writes the verified blob to `destPath` (through a temporary file in the same directory,
  /// renamed when the digest matched; nothing is left behind on failure).
  virtual Expected<Unit> fetchBlob(const std::string& repo, const Descriptor& blob, const std::string& destPath) = 0;
  /// Fetches a small verified blob into memory (index.json, config).
  virtual Expected<std::string> fetchBlobBytes(const std::string& repo, const Descriptor& blob) = 0;
  virtual Expected<bool> blobExists(const std::string& repo, const std::string& digest) = 0;
  /// Uploads `bytes` as blob `digest` unless present (mount from `mountFrom` repo when given).
  virtual Expected<Unit> pushBlob(const std::string& repo, const std::string& digest, const std::string& bytes,
                                  const std::string& mountFrom = {}) = 0;
  /// Uploads a manifest under `tag` (or by digest when tag is ""); returns its digest.
  virtual Expected<std::string> pushManifest(const std::string& repo, const std::string& tag, const std::string& bytes,
                                             const std::string& mediaType) = 0;
  /// Tags of `repo` (every page). A missing repository is NotFound.
  virtual Expected<std::vector<std::string>> listTags(const std::string& repo) = 0;
  /// Repositories under the registry (every page; `_catalog`, or the layout's sub-directories).
  virtual Expected<std::vector<std::string>> catalog() = 0;
  /// Requests sent so far (HTTP registries; 0 for layouts) — for `--offline` checks and benches.
  virtual uint64_t requestCount() const { return 0; }
};

/// Credentials for one registry host, found by findCredentials or given by an import's `auth`.
struct Credentials {
  std::string username, password;  // basic, or token flow with basic
  std::string bearer;              // a ready bearer/identity token
  bool empty() const { return username.empty() && password.empty() && bearer.empty(); }
};

/// Looks up credentials for `host` in `$DOCKER_CONFIG/config.json` (default `~/.docker`):
/// `credHelpers[host]`, then `credsStore` (both via `docker-credential-<name> get`), then
/// `auths[host].auth`/`username`/`password`/`identitytoken`. Missing config: empty credentials.
/// `*error` is set when a helper fails (the message never holds the secret).
Credentials findDockerCredentials(const std::string& host, std::string* error = nullptr);

/// Options of the HTTP registry client.
struct RemoteOptions {
  Limits limits;
  /// Hosts reachable over plain HTTP besides loopback (ORK_INSECURE_REGISTRIES, --insecure-registry).
  std::vector<std::string> insecureHosts;
  /// Credentials for this host; when empty, findDockerCredentials is consulted on the first 401.
  Credentials credentials;
  bool useDockerConfig = true;
  /// Blobs larger than this are uploaded in PATCH chunks of this size, smaller ones in one PUT.
  uint64_t chunkBytes = 16ull << 20;
};

/// A distribution registry at `host[:port]` over `client`: anonymous, basic, and the Bearer token
/// challenge flow (`WWW-Authenticate: Bearer realm=…,service=…,scope=…`), tokens cached per scope.
/// HTTPS, except loopback hosts and `insecureHosts`, which use plain HTTP.
std::unique_ptr<Registry> openRemoteRegistry(const std::string& host, http::Client& client, RemoteOptions options = {});

/// An OCI image layout directory (§10.5) as a registry. `repo` names a sub-directory holding a
/// layout (`""` = `root` itself). Tags are `org.opencontainers.image.ref.name` annotations of
/// index.json; pushes create the layout when `create` is true. Writes are atomic.
std::unique_ptr<Registry> openLayoutRegistry(const std::string& root, bool create = false);

/// `sha256:<hex>` of `bytes`.
std::string sha256Digest(std::string_view bytes);
/// Whether `digest` is `sha256:` followed by 64 lowercase hex digits.
bool isValidDigest(std::string_view digest);

/// $ORK_INSECURE_REGISTRIES split on commas.
std::vector<std::string> insecureRegistriesFromEnv();

}  // namespace ork::sources
