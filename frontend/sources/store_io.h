// File helpers shared by the local stores (OCI layouts, the cache, artifacts): bounded reads,
// atomic writes (temporary file + rename), advisory locks, safe relative paths and file-name escaping.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace ork::sources {

/// Result of readFileBounded.
struct FileRead {
  enum class Status { Ok, Missing, TooLarge, Error };
  Status status = Status::Error;
  std::string bytes;
  std::string error;  // "no such file", "permission denied", "larger than N bytes", …
  bool ok() const { return status == Status::Ok; }
};

/// Reads a regular file of at most `maxBytes` bytes (symbolic links are followed).
FileRead readFileBounded(const std::string& path, uint64_t maxBytes);

/// Writes `bytes` to `path` through a temporary file in the same directory (fsync'ed, then renamed),
/// so readers see the old file or the new one, never a part. Returns "" or the error text.
std::string writeFileAtomically(const std::string& path, std::string_view bytes);

/// A name unique to this process and call, for temporary files ("<pid>-<counter>-<random>").
std::string uniqueSuffix();

/// Creates `dir` and its parents; "" or the error text.
std::string makeDirectories(const std::string& dir);

/// Whether `rel` is a safe relative '/'-separated path: not empty, not absolute, no `\`, no empty,
/// `.` or `..` segment, no NUL. `*why` says what is wrong.
bool isSafeRelativePath(std::string_view rel, std::string* why);

/// Escapes an arbitrary key into one safe file name: [A-Za-z0-9_.-] kept (a leading `.` escaped),
/// every other byte as %XX; keys whose escape exceeds 200 bytes end in the sha256 of the key.
std::string escapeFileName(std::string_view key);

/// An exclusive flock(2) on `path` (a file, created when missing, or a directory), held for the
/// object's lifetime; blocks until acquired. `held()` is false when the path cannot be opened.
class FileLock {
 public:
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace ork::sources
