// GitHub and GitLab sources over HTTP (FORMATS.md §10.2: resolve the ref to a commit, then one request
// per file from that commit), single HTTPS files, and the materialisation shared with git_clone.cc.
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>

#include "frontend/sources/git_source_internal.h"
#include "frontend/sources/oci.h"
#include "support/filesystem.h"
#include "support/template_functions.h"

namespace ork::sources {
namespace fs = std::filesystem;
namespace {

std::string envOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string(fallback);
}

std::string trimSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

/// GitHub's `/<owner>/<repo>[/<sub/path>]`; false when owner or repo is missing.
bool splitGitHubPath(const std::string& urlPath, std::string& owner, std::string& repo, std::string& sub) {
  std::string path = trimSlashes(urlPath);
  std::vector<std::string> segs;
  for (size_t i = 1; i <= path.size();) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) segs.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  if (segs.size() < 2) return false;
  owner = segs[0];
  repo = segs[1];
  sub.clear();
  for (size_t i = 2; i < segs.size(); ++i) sub += (sub.empty() ? "" : "/") + segs[i];
  return true;
}

/// GitLab's `/<group>/…/<project>[/-/<sub/path>]`; false when the project path has one segment.
bool splitGitLabPath(const std::string& urlPath, std::string& project, std::string& sub) {
  std::string path = trimSlashes(urlPath);
  project = path;
  sub.clear();
  if (size_t dash = path.find("/-/"); dash != std::string::npos) {
    project = path.substr(0, dash);
    sub = trimSlashes(path.substr(dash + 3));
  }
  if (!project.empty() && project[0] == '/') project.erase(0, 1);
  return project.find('/') != std::string::npos;
}

/// The patterns/ key of a commit's files (a sub-path gets a short hash of itself).
std::string patternKey(const std::string& commit, const std::string& subPath) {
  return commit + (subPath.empty() ? "" : "-" + tmpl::sha256Hex(subPath).substr(0, 12));
}

/// The FetchError of a non-2xx or failed response.
FetchError responseError(const http::Response& r, const std::string& what) {
  FetchError e;
  e.status = r.status;
  if (!r.error.empty()) {
    e.kind = FetchError::Kind::Network;
    e.detail = r.error;
  } else if (r.tooLarge) {
    e.kind = FetchError::Kind::Invalid;
    e.detail = what + " is larger than the size limit";
  } else if (r.status == 401) {
    e.kind = FetchError::Kind::Unauthorized;
  } else if (r.status == 403) {
    e.kind = FetchError::Kind::Forbidden;
  } else if (r.status == 404) {
    e.kind = FetchError::Kind::NotFound;
  } else {
    e.kind = FetchError::Kind::Status;
  }
  return e;
}

/// Plain HTTP only for loopback hosts (tests); everything else must be HTTPS.
bool checkScheme(const http::Url& u, FetchError* error) {
  if (u.scheme == "https" || (u.scheme == "http" && http::isLoopbackHost(u.host))) return true;
  *error = FetchError{FetchError::Kind::Invalid, 0, "plain HTTP is only used for loopback hosts"};
  return false;
}

http::Request get(const std::string& url, const SourceAuth& auth) {
  http::Request req;
  req.url = url;
  req.headers = auth.headers;
  req.maxResponseBytes = 16ull << 20;
  return req;
}

/// Fetches every file at `<base>/<name>`: 404 leaves a file out (required ones are then reported by the
/// structure check, optional ones are fine); any other failure stops.
std::optional<std::vector<FileContent>> fetchFiles(http::Client& client, const std::string& base, const FileSet& files,
                                                   const SourceAuth& auth, FetchError* error) {
  std::vector<FileContent> out;
  std::vector<std::string> names = files.required;
  names.insert(names.end(), files.optional.begin(), files.optional.end());
  for (const std::string& name : names) {
    http::Response r = client.send(get(base + "/" + name, auth));
    if (r.ok()) {
      out.push_back({name, std::move(r.body)});
      continue;
    }
    if (r.error.empty() && !r.tooLarge && r.status == 404) continue;
    *error = responseError(r, name);
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::string FetchError::message() const {
  switch (kind) {
    case Kind::NotFound: return "reference not found";
    case Kind::Unauthorized: return "authentication required (401)";
    case Kind::Forbidden: return "access denied (403)";
    case Kind::Status: return "unexpected status " + std::to_string(status);
    case Kind::Network: return "network error: " + detail;
    case Kind::Invalid: return detail;
    case Kind::Missing: return "failed structure validation: missing: " + detail;
  }
  return detail;
}

std::optional<FetchedFiles> materialize(const Cache& cache, const std::string& commit, const std::string& subPath,
                                        const std::vector<FileContent>& files, FetchError* error) {
  FetchedFiles out;
  out.commit = commit;
  for (const FileContent& f : files) {
    std::string putError;
    std::optional<std::string> digest = cache.putBlob(f.bytes, &putError);
    if (!digest) {
      *error = FetchError{FetchError::Kind::Invalid, 0, "cannot write the cache: " + putError};
      return std::nullopt;
    }
    out.digests[f.path] = *digest;
  }
  fs::path target = cache.patternPath(patternKey(commit, subPath));
  std::error_code ec;
  if (!fs::is_directory(target, ec)) {
    fs::path tmp = cache.tmpPath("pattern");
    fs::create_directories(tmp, ec);
    for (const FileContent& f : files) {
      fs::path p = tmp / f.path;
      fs::create_directories(p.parent_path(), ec);
      if (std::string w = realFileSystem().writeFileAtomic(p.string(), f.bytes); !w.empty()) {
        fs::remove_all(tmp, ec);
        *error = FetchError{FetchError::Kind::Invalid, 0, "cannot write the cache: " + w};
        return std::nullopt;
      }
    }
    fs::create_directories(target.parent_path(), ec);
    fs::rename(tmp, target, ec);
    if (ec) {
      // Another process put the same commit in place first: its copy is identical.
      std::error_code ignored;
      fs::remove_all(tmp, ignored);
      if (!fs::is_directory(target, ignored)) {
        *error = FetchError{FetchError::Kind::Invalid, 0, "cannot write the cache: " + ec.message()};
        return std::nullopt;
      }
    }
  }
  out.dir = target.string();
  return out;
}

std::optional<FetchedFiles> fetchGitHub(http::Client& client, const Cache& cache, const std::string& url,
                                        const std::string& ref, const std::string& pinnedCommit, const FileSet& files,
                                        const SourceAuth& auth, FetchError* error) {
  http::Url u;
  if (!http::parseUrl(url, u) || !checkScheme(u, error)) {
    if (error->detail.empty()) *error = FetchError{FetchError::Kind::Invalid, 0, "invalid URL"};
    return std::nullopt;
  }
  std::string owner, repo, sub;
  if (!splitGitHubPath(u.path, owner, repo, sub)) {
    *error = FetchError{FetchError::Kind::Invalid, 0, "invalid URL"};
    return std::nullopt;
  }

  std::string commit = pinnedCommit;
  if (commit.empty()) {
    std::string api = trimSlashes(envOr("ORK_GITHUB_API_BASE", "https://api.github.com"));
    http::Request req = get(api + "/repos/" + owner + "/" + repo + "/commits/" + http::percentEncode(ref), auth);
    req.headers.emplace_back("Accept", "application/vnd.github.sha");
    http::Response r = client.send(req);
    if (!r.ok()) {
      *error = responseError(r, "commit");
      return std::nullopt;
    }
    commit = r.body;
    while (!commit.empty() && (commit.back() == '\n' || commit.back() == '\r' || commit.back() == ' ')) commit.pop_back();
    if (commit.size() != 40) {
      *error = FetchError{FetchError::Kind::Invalid, 0, "GitHub answered an invalid commit id for \"" + ref + "\""};
      return std::nullopt;
    }
  }
  std::string raw = trimSlashes(envOr("ORK_GITHUB_RAW_BASE", "https://raw.githubusercontent.com"));
  std::string base = raw + "/" + owner + "/" + repo + "/" + commit + (sub.empty() ? "" : "/" + sub);
  auto contents = fetchFiles(client, base, files, auth, error);
  if (!contents) return std::nullopt;
  return materialize(cache, commit, sub, *contents, error);
}

std::optional<FetchedFiles> fetchGitLab(http::Client& client, const Cache& cache, const std::string& url,
                                        const std::string& ref, const std::string& pinnedCommit, const FileSet& files,
                                        const SourceAuth& auth, FetchError* error) {
  http::Url u;
  if (!http::parseUrl(url, u) || !checkScheme(u, error)) {
    if (error->detail.empty()) *error = FetchError{FetchError::Kind::Invalid, 0, "invalid URL"};
    return std::nullopt;
  }
  std::string project, sub;
  if (!splitGitLabPath(u.path, project, sub)) {
    *error = FetchError{FetchError::Kind::Invalid, 0, "invalid URL"};
    return std::nullopt;
  }
  std::string origin = u.scheme + "://" + u.authority();
  std::string commit = pinnedCommit;
  if (commit.empty()) {
    http::Response r = client.send(get(origin + "/api/v4/projects/" + http::percentEncode(project) +
                                           "/repository/commits/" + http::percentEncode(ref),
                                       auth));
    if (!r.ok()) {
      *error = responseError(r, "commit");
      return std::nullopt;
    }
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || j["id"].get<std::string>().size() != 40) {
      *error = FetchError{FetchError::Kind::Invalid, 0, "GitLab answered no commit id for \"" + ref + "\""};
      return std::nullopt;
    }
    commit = j["id"].get<std::string>();
  }
  std::string base = origin + "/" + project + "/-/raw/" + commit + (sub.empty() ? "" : "/" + sub);
  auto contents = fetchFiles(client, base, files, auth, error);
  if (!contents) return std::nullopt;
  return materialize(cache, commit, sub, *contents, error);
}

std::optional<std::string> fetchHttpsFile(http::Client& client, const Cache& cache, const std::string& url,
                                          const std::string& pinnedDigest, const SourceAuth& auth,
                                          std::string* digest, FetchError* error) {
  if (!pinnedDigest.empty() && cache.hasBlob(pinnedDigest)) {
    *digest = pinnedDigest;
    return cache.blobPath(pinnedDigest);
  }
  http::Url u;
  if (!http::parseUrl(url, u) || !checkScheme(u, error)) {
    if (error->detail.empty()) *error = FetchError{FetchError::Kind::Invalid, 0, "invalid URL"};
    return std::nullopt;
  }
  http::Response r = client.send(get(url, auth));
  if (!r.ok()) {
    *error = responseError(r, "file");
    return std::nullopt;
  }
  std::string d = sha256Digest(r.body);
  if (!pinnedDigest.empty() && d != pinnedDigest) {
    *error = FetchError{FetchError::Kind::Invalid, 0,
                        "content digest " + d + " differs from ork.lock (" + pinnedDigest + ")"};
    return std::nullopt;
  }
  std::string putError;
  if (!cache.putBlob(r.body, &putError)) {
    *error = FetchError{FetchError::Kind::Invalid, 0, "cannot write the cache: " + putError};
    return std::nullopt;
  }
  *digest = d;
  return cache.blobPath(d);
}

std::string gitPatternPath(const Cache& cache, GitHost host, const std::string& url,
                           const std::string& commit) {
  std::string sub;
  switch (host) {
    case GitHost::GitHub:
    case GitHost::GitLab: {
      http::Url u;
      if (!http::parseUrl(url, u)) return "";
      std::string owner, repo, project;
      bool ok = host == GitHost::GitHub ? splitGitHubPath(u.path, owner, repo, sub)
                                        : splitGitLabPath(u.path, project, sub);
      if (!ok) return "";
      break;
    }
    case GitHost::Git: sub = splitGitUrl(url).subPath; break;
  }
  return cache.patternPath(patternKey(commit, sub));
}

}  // namespace ork::sources
