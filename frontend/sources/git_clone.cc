// Generic Git sources (FORMATS.md §10.2): a bare repository per URL under the cache's git/ directory,
// fetched with libgit2, the pattern's files read from the commit tree (no work tree).
#include <git2.h>

#include <cctype>
#include <cstring>
#include <optional>
#include <mutex>

#include "frontend/sources/git_source_internal.h"
#include "support/filesystem.h"
#include "support/template_functions.h"

namespace ork::sources {
namespace {

/// libgit2 is initialised once per process and never shut down (it keeps global state).
void initLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

/// The last libgit2 error text, without credentials.
std::string lastGitError() {
  const git_error* e = git_error_last();
  return http::redactUrl(e && e->message ? e->message : "unknown libgit2 error");
}

/// Maps a libgit2 failure to a FetchError: HTTP statuses in its message, auth failures, the rest network.
FetchError gitError(int code) {
  std::string detail = lastGitError();
  FetchError err;
  err.detail = detail;
  if (code == GIT_EAUTH || detail.find("401") != std::string::npos ||
      detail.find("authentication") != std::string::npos) {
    err.kind = FetchError::Kind::Unauthorized;
    err.status = 401;
  } else if (detail.find("403") != std::string::npos) {
    err.kind = FetchError::Kind::Forbidden;
    err.status = 403;
  } else if (code == GIT_ENOTFOUND || detail.find("404") != std::string::npos ||
             detail.find("not found") != std::string::npos || detail.find("does not appear") != std::string::npos ||
             detail.find("could not find repository") != std::string::npos ||
             detail.find("failed to resolve path") != std::string::npos) {
    err.kind = FetchError::Kind::NotFound;
    err.status = 404;
  } else {
    err.kind = FetchError::Kind::Network;
  }
  return err;
}

/// RAII holders for the libgit2 objects used here.
template <class T, void (*Free)(T*)>
struct Owned {
  T* p = nullptr;
  ~Owned() {
    if (p) Free(p);
  }
  T** out() { return &p; }
};
using Repo = Owned<git_repository, git_repository_free>;
using Remote = Owned<git_remote, git_remote_free>;
using Object = Owned<git_object, git_object_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using TreeEntry = Owned<git_tree_entry, git_tree_entry_free>;
using Blob = Owned<git_blob, git_blob_free>;
using Reference = Owned<git_reference, git_reference_free>;

struct CredentialPayload {
  const SourceAuth* auth = nullptr;
  int calls = 0;
};

int credentialCallback(git_credential** out, const char*, const char*, unsigned int allowed, void* payload) {
  auto* p = static_cast<CredentialPayload*>(payload);
  // libgit2 asks again after a rejected credential: give up after one try so the 401 surfaces.
  if (!p->auth || p->auth->username.empty() || ++p->calls > 1) return GIT_PASSTHROUGH;
  if (!(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) return GIT_PASSTHROUGH;
  return git_credential_userpass_plaintext_new(out, p->auth->username.c_str(), p->auth->password.c_str());
}

bool isHexCommit(const std::string& ref) {
  if (ref.size() != 40) return false;
  for (char c : ref) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

/// Resolves `ref` (branch, tag, full SHA) to a commit id in the fetched repository.
bool resolveRef(git_repository* repo, const std::string& ref, git_oid* out) {
  if (isHexCommit(ref)) {
    git_oid oid;
    if (git_oid_fromstr(&oid, ref.c_str()) != 0) return false;
    Commit c;
    if (git_commit_lookup(c.out(), repo, &oid) != 0) return false;
    *out = oid;
    return true;
  }
  for (const std::string& name : {"refs/remotes/origin/" + ref, "refs/tags/" + ref}) {
    Object obj;
    if (git_revparse_single(obj.out(), repo, name.c_str()) != 0) continue;
    Object peeled;
    if (git_object_peel(peeled.out(), obj.p, GIT_OBJECT_COMMIT) != 0) continue;
    git_oid_cpy(out, git_object_id(peeled.p));
    return true;
  }
  return false;
}

}  // namespace

GitUrl splitGitUrl(const std::string& url) {
  GitUrl g;
  size_t scheme = url.find("://");
  size_t from = scheme == std::string::npos ? 0 : scheme + 3;
  size_t sub = url.find("//", from);
  if (sub == std::string::npos) {
    g.repo = url;
  } else {
    g.repo = url.substr(0, sub);
    g.subPath = url.substr(sub + 2);
    while (!g.subPath.empty() && g.subPath.back() == '/') g.subPath.pop_back();
  }
  return g;
}

std::optional<FetchedFiles> fetchGit(const Cache& cache, const std::string& url, const std::string& ref,
                                     const std::string& pinnedCommit, const FileSet& files, const SourceAuth& auth,
                                     FetchError* error) {
  initLibgit2();
  GitUrl gu = splitGitUrl(url);
  std::string ensureError;
  if (!cache.ensure(&ensureError)) {
    *error = FetchError{FetchError::Kind::Invalid, 0, ensureError};
    return std::nullopt;
  }
  CacheLock lock(cache);
  std::string repoDir = joinPath(cache.gitDir(), tmpl::sha256Hex(gu.repo).substr(0, 32) + ".git");

  Repo repo;
  if (git_repository_open_bare(repo.out(), repoDir.c_str()) != 0) {
    if (int rc = git_repository_init(repo.out(), repoDir.c_str(), /*is_bare=*/1); rc != 0) {
      *error = gitError(rc);
      return std::nullopt;
    }
  }
  Remote remote;
  if (git_remote_lookup(remote.out(), repo.p, "origin") != 0) {
    if (int rc = git_remote_create(remote.out(), repo.p, "origin", gu.repo.c_str()); rc != 0) {
      *error = gitError(rc);
      return std::nullopt;
    }
  }

  git_oid commitId;
  bool have = !pinnedCommit.empty() && resolveRef(repo.p, pinnedCommit, &commitId);
  if (!have) {
    CredentialPayload payload{&auth, 0};
    git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
    opts.callbacks.credentials = credentialCallback;
    opts.callbacks.payload = &payload;
    opts.prune = GIT_FETCH_PRUNE;
    const char* specs[] = {"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"};
    git_strarray refspecs{const_cast<char**>(specs), 2};
    if (int rc = git_remote_fetch(remote.p, &refspecs, &opts, nullptr); rc != 0) {
      *error = gitError(rc);
      return std::nullopt;
    }
    const std::string& wanted = pinnedCommit.empty() ? ref : pinnedCommit;
    if (!resolveRef(repo.p, wanted, &commitId)) {
      *error = FetchError{FetchError::Kind::NotFound, 404, "no branch, tag or commit \"" + wanted + "\""};
      return std::nullopt;
    }
  }

  Commit commit;
  Tree tree;
  if (git_commit_lookup(commit.out(), repo.p, &commitId) != 0 || git_commit_tree(tree.out(), commit.p) != 0) {
    *error = gitError(GIT_ERROR);
    return std::nullopt;
  }
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &commitId);

  std::vector<FileContent> contents;
  auto readFile = [&](const std::string& name) {
    std::string path = gu.subPath.empty() ? name : gu.subPath + "/" + name;
    TreeEntry entry;
    if (git_tree_entry_bypath(entry.out(), tree.p, path.c_str()) != 0) return;
    if (git_tree_entry_type(entry.p) != GIT_OBJECT_BLOB) return;
    Blob blob;
    if (git_blob_lookup(blob.out(), repo.p, git_tree_entry_id(entry.p)) != 0) return;
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.p));
    contents.push_back({name, std::string(data, static_cast<size_t>(git_blob_rawsize(blob.p)))});
  };
  for (const std::string& f : files.required) readFile(f);
  for (const std::string& f : files.optional) readFile(f);
  return materialize(cache, hex, gu.subPath, contents, error);
}

}  // namespace ork::sources
