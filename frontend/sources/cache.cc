// The content-addressed cache (FORMATS.md §10.4). Every write is a rename of a verified file, so
// concurrent processes storing the same blob are safe without the lock; CacheLock serialises the
// callers' multi-step updates (materialising a pattern directory, a ref with its blobs).
#include "frontend/sources/cache.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "frontend/sources/oci.h"
#include "frontend/sources/store_io.h"

namespace ork::sources {

namespace {

// Blobs in the cache are bounded like registry blobs; nothing larger is ever stored.
constexpr uint64_t kMaxCachedBlob = 256ull << 20;

std::string envOr(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Removes a blob found corrupt, unless the file at `path` changed since it was read (another
// process renamed a good copy into place meanwhile).
void dropIfSame(const std::string& path, const struct stat& seen) {
  struct stat now {};
  if (::stat(path.c_str(), &now) == 0 && now.st_ino == seen.st_ino && now.st_dev == seen.st_dev &&
      now.st_mtime == seen.st_mtime && now.st_size == seen.st_size)
    ::unlink(path.c_str());
}

// Reads and verifies blob `digest` at `path`; drops it when it does not hash to its name.
std::optional<std::string> readVerified(const std::string& path, std::string_view digest) {
  struct stat before {};
  if (::stat(path.c_str(), &before) != 0) return std::nullopt;
  FileRead r = readFileBounded(path, kMaxCachedBlob);
  if (r.ok() && sha256Digest(r.bytes) == digest) return std::move(r.bytes);
  if (r.status != FileRead::Status::Missing) dropIfSame(path, before);
  return std::nullopt;
}

}  // namespace

std::string defaultCacheDir() {
  if (std::string d = envOr("ORK_CACHE_DIR"); !d.empty()) return d;
  if (std::string d = envOr("XDG_CACHE_HOME"); !d.empty()) return d + "/ork";
  std::string home = envOr("HOME");
  if (home.empty()) {
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) home = pw->pw_dir;
  }
  if (home.empty()) return "/tmp/ork-cache-" + std::to_string(::getuid());
  return home + "/.cache/ork";
}

Cache::Cache(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

bool Cache::ensure(std::string* error) const {
  for (const char* sub : {"blobs/sha256", "refs", "git", "tmp", "patterns"}) {
    std::string e = makeDirectories(root_ + "/" + sub);
    if (!e.empty()) {
      if (error) *error = e;
      return false;
    }
  }
  return true;
}

std::string Cache::blobPath(std::string_view digest) const {
  if (!isValidDigest(digest)) return "";
  return root_ + "/blobs/sha256/" + std::string(digest.substr(7));
}

bool Cache::hasBlob(std::string_view digest) const {
  std::string path = blobPath(digest);
  return !path.empty() && readVerified(path, digest).has_value();
}

std::optional<std::string> Cache::readBlob(std::string_view digest) const {
  std::string path = blobPath(digest);
  if (path.empty()) return std::nullopt;
  return readVerified(path, digest);
}

std::optional<std::string> Cache::putBlob(std::string_view bytes, std::string* error) const {
  std::string digest = sha256Digest(bytes);
  if (hasBlob(digest)) return digest;
  if (!ensure(error)) return std::nullopt;
  // Written in tmp/ and renamed: blobs/ never holds a partial file, and two writers of the same
  // blob both rename identical bytes into place.
  std::string tmp = tmpPath("put");
  std::string e = writeFileAtomically(tmp, bytes);
  if (e.empty() && ::rename(tmp.c_str(), blobPath(digest).c_str()) != 0) {
    e = "cannot rename into " + blobPath(digest) + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
  }
  if (!e.empty()) {
    if (error) *error = e;
    return std::nullopt;
  }
  return digest;
}

bool Cache::adoptFile(const std::string& tmpPath, std::string_view digest, std::string* error) const {
  auto fail = [&](std::string text) {
    ::unlink(tmpPath.c_str());
    if (error) *error = std::move(text);
    return false;
  };
  if (!isValidDigest(digest)) return fail("invalid digest " + std::string(digest));
  FileRead r = readFileBounded(tmpPath, kMaxCachedBlob);
  if (!r.ok()) return fail(tmpPath + ": " + r.error);
  std::string actual = sha256Digest(r.bytes);
  if (actual != digest) return fail("downloaded content is " + actual + ", expected " + std::string(digest));
  if (!ensure(error)) return fail(error ? *error : "cannot create the cache");
  if (::rename(tmpPath.c_str(), blobPath(digest).c_str()) != 0)
    return fail("cannot rename into " + blobPath(digest) + ": " + std::strerror(errno));
  return true;
}

std::string Cache::tmpPath(std::string_view hint) const {
  return root_ + "/tmp/" + escapeFileName(hint) + "-" + uniqueSuffix();
}

std::optional<std::string> Cache::readRef(std::string_view key) const {
  FileRead r = readFileBounded(root_ + "/refs/" + escapeFileName(key), 4096);
  if (!r.ok()) return std::nullopt;
  while (!r.bytes.empty() && (r.bytes.back() == '\n' || r.bytes.back() == '\r')) r.bytes.pop_back();
  if (r.bytes.empty() || r.bytes.find('\n') != std::string::npos) return std::nullopt;
  return r.bytes;
}

bool Cache::writeRef(std::string_view key, std::string_view resolved, std::string* error) const {
  if (resolved.empty() || resolved.find_first_of("\r\n") != std::string_view::npos ||
      resolved.size() > 1024) {
    if (error) *error = "invalid resolution \"" + std::string(resolved) + "\"";
    return false;
  }
  if (!ensure(error)) return false;
  std::string e = writeFileAtomically(root_ + "/refs/" + escapeFileName(key), std::string(resolved) + "\n");
  if (!e.empty() && error) *error = e;
  return e.empty();
}

std::string Cache::patternPath(std::string_view key) const {
  return root_ + "/patterns/" + escapeFileName(key);
}

std::string Cache::patternDir(std::string_view key) const {
  std::string path = patternPath(key);
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? path : "";
}

std::string Cache::gitDir() const { return root_ + "/git"; }

CacheLock::CacheLock(const Cache& cache) {
  if (!makeDirectories(cache.root()).empty()) return;
  std::string path = cache.root() + "/lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return;
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    ::close(fd_);
    fd_ = -1;
    return;
  }
}

CacheLock::~CacheLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace ork::sources
