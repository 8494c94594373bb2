// One way to bring an imported pattern, motif or file into the cache, whatever its source
// (FORMATS.md §10.2, §10.5): OCI registries, OCI layout directories, GitHub, GitLab, any Git URL and
// HTTPS files. Used by the registry ImportResolver (passes/) and by `ork pull`.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "frontend/sources/cache.h"
#include "frontend/sources/oci.h"
#include "support/http.h"

namespace ork::sources {

/// The source kinds of FORMATS.md §10.1; `lockKind()` gives ork.lock's `kind` text.
enum class FetchKind { Oci, OciLayout, GitHub, GitLab, Git, Https };

/// "oci", "oci-layout", "github", "gitlab", "git", "https" (ork.lock's `kind`).
const char* lockKind(FetchKind kind);

/// An import's `auth` block (§10.2): the names of environment variables, never their values.
struct AuthSpec {
  std::string type;  // github | bearer | basic
  std::string fromEnv, usernameFromEnv, passwordFromEnv;
};

/// What to fetch.
struct FetchRequest {
  FetchKind kind = FetchKind::Oci;
  /// Oci: `host[:port]/repository`; OciLayout: the layout directory (already resolved against the
  /// declaring file or the working directory); GitHub/GitLab/Git: the URL without version (with any
  /// sub-path); Https: the file URL.
  std::string url;
  /// Tag, branch, commit or `sha256:<hex>` as the import names it ("" for Https).
  std::string version;
  /// The resolution recorded in ork.lock (manifest digest, commit, content digest): fetch exactly
  /// this, without resolving `version` again. "" = resolve.
  std::string pinned;
  /// A Motif artifact (motif.yaml, README.md; artifactType …motif…) rather than a pattern.
  bool motif = false;
  std::optional<AuthSpec> auth;
};

/// Why a fetch failed. `message()` is the text users see after the import's display prefix:
/// the §10.3 table's words where the table has a row.
struct FetchFailure {
  enum class Kind {
    NotFound,        // "reference not found"
    Unauthorized,    // "authentication required (401)"
    Forbidden,       // "access denied (403)"
    Status,          // "unexpected status <code>"
    Network,         // "network error: <detail>"
    DigestMismatch,  // "content of <what> does not match its digest <digest>"
    TooLarge,        // "<what> is larger than the limit of N bytes"
    Invalid,         // malformed manifest, wrong artifactType, unsafe layer title, …: detail is the text
    Insecure,        // "plain HTTP to <host> is not allowed; …"
    AuthConfig,      // §10.2 auth errors, word for word: detail is the text
    Offline,         // "--offline: <blob or ref> is not in the cache"
    Cache,           // the cache cannot be written: detail
  };
  Kind kind = Kind::Network;
  int status = 0;
  std::string detail;  // never holds credentials
  std::string message() const;
  /// The §10.3 resolution for the help line ("Check available versions in the registry", …), or
  /// a short hint for kinds outside the table ("" when none fits).
  std::string help() const;
};

/// What a successful fetch produced.
struct FetchResult {
  /// Pattern/motif: the cache directory holding its files (cache.patternDir); Https: the cached file.
  std::string path;
  /// Manifest digest, 40-hex commit, or the file's content digest (ork.lock's `resolved`).
  std::string resolved;
  /// Relative path → `sha256:<hex>` of every file (ork.lock's `files`; Https: empty).
  std::map<std::string, std::string> files;
  /// OCI and layouts: the manifest's annotations (lifecycle, gates); empty otherwise.
  std::map<std::string, std::string> annotations;
  /// Whether any request went over the network (false when everything came from the cache).
  bool network = false;
};

/// Options of a Fetcher.
struct FetcherOptions {
  Limits limits;
  std::vector<std::string> insecureHosts;  // ORK_INSECURE_REGISTRIES and --insecure-registry
  /// Never touch the network: pinned or cached references (refs/) only; a blob not in the cache is
  /// Offline naming it. Layout directories and the local cache are still read.
  bool offline = false;
  /// Ignore refs/ (the cached last resolution of tags and branches); `pinned` still wins.
  bool refresh = false;
  /// Parallel fetches allowed by fetchAll.
  int parallelism = 8;
};

/// Fetches into a Cache. Thread-safe: fetch() may run on several threads at once (fetchAll does),
/// and concurrent ork processes are safe through the cache's rename-into-place and CacheLock.
///
/// OCI and layouts: manifest (from the cache when its digest is known) → artifactType check
/// (pattern or motif, §11.1) → every layer into blobs/ (already cached ones are not fetched) →
/// extractArtifact into cache.patternPath(manifest digest) unless present. Tags resolved over the
/// network are remembered in refs/. Git kinds go through git_source.h; Https through fetchHttpsFile.
class Fetcher {
 public:
  virtual ~Fetcher() = default;
  virtual std::optional<FetchResult> fetch(const FetchRequest& request, FetchFailure* failure) = 0;
  /// Requests sent over HTTP so far (all registries and hosts).
  virtual uint64_t requestCount() const = 0;

  /// Runs fetch() for every request on up to `parallelism` threads; `done(i, result, failure)` is
  /// called (serialised, from any thread) as each finishes — progress displays hook in here.
  using Done = std::function<void(size_t index, const std::optional<FetchResult>& result, const FetchFailure& failure)>;
  std::vector<std::optional<FetchResult>> fetchAll(const std::vector<FetchRequest>& requests,
                                                   std::vector<FetchFailure>* failures, int parallelism,
                                                   const Done& done = {});
};

/// A Fetcher over `cache`, using `client` for every HTTP request (registries, GitHub, GitLab, HTTPS
/// files). Credentials: an import's `auth` (from the environment at fetch time), else the Docker
/// configuration (§10.2).
std::unique_ptr<Fetcher> makeFetcher(const Cache& cache, http::Client& client, FetcherOptions options = {});

}  // namespace ork::sources
