// Shared by fetcher.cc (dispatch, auth, registries), fetcher_oci.cc (registries and layouts) and
// fetcher_git.cc (GitHub, GitLab, Git, HTTPS). Internal to frontend/sources.
#pragma once
#include <optional>
#include <string>

#include "frontend/sources/fetcher.h"
#include "frontend/sources/git_source.h"

namespace ork::sources::detail {

/// A failure of `kind` whose message() is `text`.
FetchFailure failure(FetchFailure::Kind kind, std::string text, int status = 0);

/// What the OCI path needs besides the request.
struct OciTarget {
  Registry* registry = nullptr;
  std::string repo;     // "" for layouts
  std::string display;  // `host/repo` or `oci-layout:<dir>` (messages, refs/ keys)
  bool remote = true;   // false for layouts: --offline still reads them
};

/// Manifest (cache or registry) → artifactType → layers into blobs/ → patterns/<digest>/.
std::optional<FetchResult> fetchOciArtifact(const OciTarget& target, const FetchRequest& request,
                                            const Cache& cache, const FetcherOptions& options,
                                            FetchFailure* failure);

/// GitHub, GitLab, generic Git and HTTPS files through git_source.h, with the cache serving pinned
/// commits (and, offline, refs/) without the network.
std::optional<FetchResult> fetchGitSource(http::Client& client, const FetchRequest& request,
                                          const SourceAuth& auth, const Cache& cache,
                                          const FetcherOptions& options, FetchFailure* failure);

}  // namespace ork::sources::detail
