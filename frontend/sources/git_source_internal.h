// Shared by git_source.cc (GitHub, GitLab, HTTPS) and git_clone.cc (libgit2): URL splitting and the
// materialisation of fetched files into the cache.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "frontend/sources/git_source.h"

namespace ork::sources {

/// A Git URL split at its `//` sub-path: `https://h/ops/p.git//postgres` → repo + "postgres".
struct GitUrl {
  std::string repo;
  std::string subPath;  // no leading or trailing '/'
};
GitUrl splitGitUrl(const std::string& url);

/// One fetched file: its path relative to the pattern and its bytes.
struct FileContent {
  std::string path;
  std::string bytes;
};

/// Stores every file as a cache blob and materialises them under
/// `<cache>/patterns/<commit>[-<sub hash>]/` (a temporary directory renamed into place, so a reader
/// never sees half a pattern). Returns the commit, directory and per-file digests.
std::optional<FetchedFiles> materialize(const Cache& cache, const std::string& commit, const std::string& subPath,
                                        const std::vector<FileContent>& files, FetchError* error);

}  // namespace ork::sources
