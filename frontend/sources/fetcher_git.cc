// The Fetcher's Git-hosted and HTTPS paths (FORMATS.md §10.2, §10.4): git_source.h does the fetching;
// here a pinned commit (or, offline, the commit refs/ remembers) is served from the cache's
// patterns/ directory without the network, and resolutions of branches and tags are remembered.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/sources/fetcher_internal.h"

namespace ork::sources::detail {
namespace {

namespace fs = std::filesystem;
using Kind = FetchFailure::Kind;

FetchFailure fromFetchError(const FetchError& e) {
  switch (e.kind) {
    case FetchError::Kind::NotFound: return failure(Kind::NotFound, e.detail, 404);
    case FetchError::Kind::Unauthorized: return failure(Kind::Unauthorized, e.detail, 401);
    case FetchError::Kind::Forbidden: return failure(Kind::Forbidden, e.detail, 403);
    case FetchError::Kind::Status: return failure(Kind::Status, e.detail, e.status);
    case FetchError::Kind::Network: return failure(Kind::Network, e.detail);
    case FetchError::Kind::Invalid:
      return failure(e.detail.rfind("cannot write the cache", 0) == 0 ? Kind::Cache : Kind::Invalid,
                     e.detail);
    case FetchError::Kind::Missing: return failure(Kind::Invalid, e.message());
  }
  return failure(Kind::Network, e.detail);
}

bool isHexCommit(const std::string& s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

/// Relative path → digest of every regular file under `dir` (a materialised commit).
std::optional<std::map<std::string, std::string>> hashTree(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out[fs::relative(it->path(), dir, ec).generic_string()] = sha256Digest(bytes.str());
  }
  if (ec) return std::nullopt;
  return out;
}

FileSet fileSet(bool motif) {
  if (motif) return FileSet{{"motif.yaml"}, {"README.md"}};
  return FileSet{{"crd.yaml", "katalog.yaml", "komposer.yaml", "cr.yaml", "README.md"},
                 {"simulate.yaml", "e2e.yaml"}};
}

GitHost hostOf(FetchKind kind) {
  switch (kind) {
    case FetchKind::GitHub: return GitHost::GitHub;
    case FetchKind::GitLab: return GitHost::GitLab;
    case FetchKind::Oci:
    case FetchKind::OciLayout:
    case FetchKind::Git:
    case FetchKind::Https: return GitHost::Git;
  }
  return GitHost::Git;
}

std::optional<FetchResult> fetchHttps(http::Client& client, const FetchRequest& request,
                                      const SourceAuth& auth, const Cache& cache,
                                      const FetcherOptions& options, FetchFailure* f) {
  const std::string refKey = "https:" + request.url;
  std::string digest = request.pinned;
  if (digest.empty() && options.offline && !options.refresh) {
    if (auto r = cache.readRef(refKey); r && isValidDigest(*r)) digest = *r;
  }
  FetchResult result;
  if (!digest.empty() && cache.hasBlob(digest)) {
    result.path = cache.blobPath(digest);
    result.resolved = digest;
    return result;
  }
  if (options.offline) {
    *f = failure(Kind::Offline,
                 digest.empty() ? "--offline: file " + request.url + " is not in the cache"
                                : "--offline: blob " + digest + " (" + request.url + ") is not in the cache");
    return std::nullopt;
  }
  FetchError err;
  std::string got;
  auto path = fetchHttpsFile(client, cache, request.url, request.pinned, auth, &got, &err);
  if (!path) {
    *f = fromFetchError(err);
    return std::nullopt;
  }
  if (request.pinned.empty()) {
    std::string error;
    if (!cache.writeRef(refKey, got, &error)) {
      *f = failure(Kind::Cache, "cannot record " + request.url + " in the cache: " + error);
      return std::nullopt;
    }
  }
  result.path = *path;
  result.resolved = got;
  return result;
}

}  // namespace

std::optional<FetchResult> fetchGitSource(http::Client& client, const FetchRequest& request,
                                          const SourceAuth& auth, const Cache& cache,
                                          const FetcherOptions& options, FetchFailure* f) {
  if (request.kind == FetchKind::Https) return fetchHttps(client, request, auth, cache, options, f);
  const GitHost host = hostOf(request.kind);
  const std::string ref = request.version.empty() ? "main" : request.version;
  const std::string refKey = std::string("git:") + lockKind(request.kind) + ":" + request.url + "@" + ref;
  std::string commit = request.pinned;
  if (commit.empty() && isHexCommit(ref)) commit = ref;  // a full SHA is as immutable as a pin
  if (commit.empty() && options.offline) {
    if (!options.refresh) {
      if (auto r = cache.readRef(refKey); r && isHexCommit(*r)) commit = *r;
    }
    if (commit.empty()) {
      *f = failure(Kind::Offline, "--offline: reference " + request.url + "@" + ref + " is not in the cache");
      return std::nullopt;
    }
  }

  FetchResult result;
  if (!commit.empty()) {
    // A known commit already materialised: no request at all.
    std::string dir = gitPatternPath(cache, host, request.url, commit);
    std::error_code ec;
    if (!dir.empty() && fs::is_directory(dir, ec)) {
      auto files = hashTree(dir);
      if (files) {
        result.path = dir;
        result.resolved = commit;
        result.files = std::move(*files);
        return result;
      }
    }
    if (options.offline) {
      *f = failure(Kind::Offline,
                   "--offline: commit " + commit + " of " + request.url + " is not in the cache");
      return std::nullopt;
    }
  }

  FetchError err;
  std::optional<FetchedFiles> got;
  const FileSet files = fileSet(request.motif);
  switch (host) {
    case GitHost::GitHub:
      got = fetchGitHub(client, cache, request.url, ref, commit, files, auth, &err);
      break;
    case GitHost::GitLab:
      got = fetchGitLab(client, cache, request.url, ref, commit, files, auth, &err);
      break;
    case GitHost::Git:
      got = fetchGit(cache, request.url, ref, commit, files, auth, &err);
      result.network = true;  // libgit2 talks to the remote itself, not through the HTTP client
      break;
  }
  if (!got) {
    *f = fromFetchError(err);
    return std::nullopt;
  }
  if (request.pinned.empty() && !isHexCommit(ref)) {
    std::string error;
    if (!cache.writeRef(refKey, got->commit, &error)) {
      *f = failure(Kind::Cache, "cannot record " + request.url + "@" + ref + " in the cache: " + error);
      return std::nullopt;
    }
  }
  result.path = got->dir;
  result.resolved = got->commit;
  result.files = std::move(got->digests);
  return result;
}

}  // namespace ork::sources::detail
