// The content-addressed cache of FORMATS.md §10.4: blobs/sha256/<hex>, refs/, git/, tmp/, under
// $ORK_CACHE_DIR (default $XDG_CACHE_HOME/ork, else ~/.cache/ork). Safe across processes (file lock).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ork::sources {

/// The cache root from the environment (ORK_CACHE_DIR, XDG_CACHE_HOME, HOME).
std::string defaultCacheDir();

/// A content-addressed store. Blobs are immutable once in place; every write goes to tmp/ and is
/// renamed after its digest was verified; reads verify again and drop a corrupt blob. The methods
/// never take the CacheLock themselves (each write is one rename, safe between processes), so a
/// caller may hold one around a multi-step update. Keys of refs and patterns are escaped into file
/// names (any text is a valid key).
class Cache {
 public:
  explicit Cache(std::string root);
  const std::string& root() const { return root_; }

  /// Creates the directory layout; false with `*error` when it cannot.
  bool ensure(std::string* error = nullptr) const;
  /// Path of blob `digest` (whether or not present).
  std::string blobPath(std::string_view digest) const;
  /// Whether blob `digest` is present and hashes to its name (a corrupt one is removed).
  bool hasBlob(std::string_view digest) const;
  /// Reads a verified blob.
  std::optional<std::string> readBlob(std::string_view digest) const;
  /// Stores `bytes` under their digest (atomic); returns the digest.
  std::optional<std::string> putBlob(std::string_view bytes, std::string* error = nullptr) const;
  /// Moves a downloaded file (in tmp/) into place after checking it hashes to `digest`. On any
  /// failure (mismatch, unreadable, rename) the file is removed and blobs/ is left untouched.
  bool adoptFile(const std::string& tmpPath, std::string_view digest, std::string* error = nullptr) const;
  /// A fresh unique path under tmp/ (for downloads in progress).
  std::string tmpPath(std::string_view hint = "dl") const;

  /// The last resolution of a mutable reference (tag, branch): `refs/<escaped key>` holds a digest/commit.
  std::optional<std::string> readRef(std::string_view key) const;
  bool writeRef(std::string_view key, std::string_view resolved, std::string* error = nullptr) const;

  /// A directory holding a pattern's files, materialised from blobs by `key` (a manifest digest or
  /// commit): `patterns/<key>/`. Returns "" when absent.
  std::string patternDir(std::string_view key) const;
  /// Where patternDir(key) is, whether or not present (the destination to materialise into, e.g.
  /// with extractArtifact while holding a CacheLock).
  std::string patternPath(std::string_view key) const;
  /// Directory for bare Git repositories (`git/`).
  std::string gitDir() const;

 private:
  std::string root_;
};

/// An exclusive advisory lock on `<cache>/lock` (flock), held for the object's lifetime; blocks
/// until acquired. Used around every write to the cache by concurrent `ork` processes.
class CacheLock {
 public:
  explicit CacheLock(const Cache& cache);
  ~CacheLock();
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace ork::sources
