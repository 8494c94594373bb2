// Git and HTTPS sources of FORMATS.md §10.2: GitHub (commit API + raw files), GitLab (commits API
// + /-/raw/), any other Git URL through libgit2, and single HTTPS files.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frontend/sources/cache.h"
#include "support/http.h"

namespace ork::sources {

/// Why a fetch failed; `message()` gives the §10.3 text ("reference not found", …).
struct FetchError {
  enum class Kind { NotFound, Unauthorized, Forbidden, Status, Network, Invalid, Missing };
  Kind kind = Kind::Network;
  int status = 0;
  std::string detail;  // Missing: the missing required file name; never credentials
  std::string message() const;
};

/// Headers to send to the source's host (`Authorization: Bearer …` or basic), from an import's auth.
struct SourceAuth {
  http::Headers headers;       // sent only to the source's own host
  std::string username, password;  // generic Git basic auth
};

/// What a Git-hosted pattern fetch produced.
struct FetchedFiles {
  std::string commit;                         // 40-hex commit the files come from
  std::string dir;                            // local directory holding the files
  std::map<std::string, std::string> digests; // relative path -> sha256:<hex>
};

/// The files to fetch: required ones (a 404 leaves the file absent from the result, so that the
/// structure check of §10.3 lists every violation at once) and optional ones (simulate.yaml, e2e.yaml).
struct FileSet {
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

/// GitHub `https://github.com/<owner>/<repo>[/<sub>]@<ref>` (bases from ORK_GITHUB_API_BASE /
/// ORK_GITHUB_RAW_BASE test hooks). `pinnedCommit` (from ork.lock) skips the ref resolution.
/// Fetched files are stored in `cache` and materialised under `cache.patternDir(commit+sub)`.
std::optional<FetchedFiles> fetchGitHub(http::Client& client, const Cache& cache, const std::string& url,
                                        const std::string& ref, const std::string& pinnedCommit, const FileSet& files,
                                        const SourceAuth& auth, FetchError* error);

/// GitLab `https://<host>/<group>/…/<project>[/-/<sub>]@<ref>`.
std::optional<FetchedFiles> fetchGitLab(http::Client& client, const Cache& cache, const std::string& url,
                                        const std::string& ref, const std::string& pinnedCommit, const FileSet& files,
                                        const SourceAuth& auth, FetchError* error);

/// Any Git URL (`https://…/repo.git[//sub]`, `git://`, `file://`): clone/fetch into
/// `cache.gitDir()` with libgit2, check out `ref` (branch, tag or SHA) or `pinnedCommit`.
std::optional<FetchedFiles> fetchGit(const Cache& cache, const std::string& url, const std::string& ref,
                                     const std::string& pinnedCommit, const FileSet& files, const SourceAuth& auth,
                                     FetchError* error);

/// One HTTPS (or loopback HTTP) file: returns its cached path; `*digest` gets its sha256.
std::optional<std::string> fetchHttpsFile(http::Client& client, const Cache& cache, const std::string& url,
                                          const std::string& pinnedDigest, const SourceAuth& auth,
                                          std::string* digest, FetchError* error);

/// The Git-hosted kinds gitPatternPath knows.
enum class GitHost { GitHub, GitLab, Git };

/// Where fetchGitHub / fetchGitLab / fetchGit materialise `url` at `commit` (their FetchedFiles.dir),
/// whether or not present; "" for a URL they would refuse. Lets a pinned commit be served from the
/// cache without the network.
std::string gitPatternPath(const Cache& cache, GitHost host, const std::string& url,
                           const std::string& commit);

}  // namespace ork::sources
