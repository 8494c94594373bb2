// ork.lock (FORMATS.md §10.4): per import its kind, url, version, resolved digest or commit, each
// file's digest and who uses it; canonical JSON with two-space indentation.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ork::sources {

/// One lock entry.
struct LockEntry {
  std::string kind;      // oci | oci-layout | github | gitlab | git | https
  std::string url;       // without version
  std::string version;   // as the import names it
  std::string resolved;  // manifest digest, 40-hex commit, or content digest
  std::map<std::string, std::string> files;  // relative path -> sha256:<hex>
  std::vector<std::string> usedBy;           // "imports.registry[0]", "spec.crds.web.imports[1]", …
};

/// The whole lock file.
struct LockFile {
  int lockVersion = 1;
  std::vector<LockEntry> imports;  // sorted by (kind, url, version) when written

  /// The entry for (kind, url, version), or null.
  const LockEntry* find(const std::string& kind, const std::string& url, const std::string& version) const;
  LockEntry* find(const std::string& kind, const std::string& url, const std::string& version);
};

/// Reads ork.lock; nullopt with `*error` ("ork.lock: <detail>") when malformed. A missing file is
/// an empty lock (returned), with `*exists` false.
std::optional<LockFile> readLockFile(const std::string& path, std::string* error, bool* exists = nullptr);
/// The canonical bytes (RFC 8785 key order, two-space indentation, trailing newline).
std::string serializeLockFile(const LockFile& lock);
/// Writes atomically (temporary file, then rename).
bool writeLockFile(const std::string& path, const LockFile& lock, std::string* error);

}  // namespace ork::sources
