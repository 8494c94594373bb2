// FileSystem: the one way ork reads and writes files, so tests and fetchers can substitute it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ork {

/// The largest input file ork reads (FileTooLarge beyond it).
constexpr uint64_t kMaxInputFileBytes = 16ull << 20;

/// Result of reading a file: contents, or an error text such as "no such file".
struct ReadResult {
  std::optional<std::string> contents;
  std::string error;
  bool tooLarge = false;
};

/// Local file access. Paths are plain strings; relative ones are relative to the
/// process working directory.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual ReadResult readFile(const std::string& path, uint64_t maxBytes = kMaxInputFileBytes) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  virtual bool isDirectory(const std::string& path) const = 0;
  /// Size in bytes of a regular file (nullopt when absent or not a file).
  virtual std::optional<uint64_t> fileSize(const std::string& path) const = 0;
  /// Why the directory `path` cannot be listed or entered ("permission denied"), or "" when it can.
  virtual std::string directoryError(const std::string& /*path*/) const { return ""; }
  /// Writes through a temporary file in the same directory, then renames it into
  /// place, so readers never see a half-written file. Returns an error text or "".
  virtual std::string writeFileAtomic(const std::string& path, const std::string& contents) const = 0;
};

/// The process's real file system.
const FileSystem& realFileSystem();

/// Joins a directory and a relative path ("a/b" + "../c" = "a/c"); an absolute `rel`
/// is returned unchanged. The result is lexically normalised.
std::string joinPath(const std::string& dir, const std::string& rel);
/// The directory part of a path ("." when none).
std::string parentDir(const std::string& path);
/// The last component of a path.
std::string baseName(const std::string& path);

}  // namespace ork
