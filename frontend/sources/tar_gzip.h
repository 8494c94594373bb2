// Deterministic tar+gzip of a directory for artifact layers (FORMATS.md §11.1: a motif's example/),
// and the bounded, checking reader used when such a layer is unpacked.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ork::sources {

/// One tar member: a regular file or a directory ('/'-separated path, no trailing '/').
struct TarEntry {
  std::string path;
  bool directory = false;
  bool executable = false;  // mode 0755 instead of 0644 (directories are always 0755)
  std::string bytes;        // file content
};

/// Bounds on what unpacking accepts (gzip bombs, huge archives).
struct TarLimits {
  uint64_t maxTotalBytes = 256ull << 20;
  uint64_t maxEntries = 100000;
};

/// ustar bytes of `entries` in the given order: mtime 0, uid/gid 0, empty owner names, modes
/// 0644/0755, two zero blocks at the end. Paths over 255 bytes (or unsplittable) give nullopt.
std::optional<std::string> writeTar(const std::vector<TarEntry>& entries, std::string* error);

/// Reads ustar (and pax `path` records); only regular files and directories are accepted —
/// links, devices and FIFOs are refused with `*error`, as are unsafe paths (absolute, `..`, `\`).
std::optional<std::vector<TarEntry>> readTar(std::string_view bytes, const TarLimits& limits,
                                             std::string* error);

/// gzip (RFC 1952) of `bytes` at level 9 with a zero mtime: the same input gives the same bytes.
std::optional<std::string> gzipBytes(std::string_view bytes, std::string* error);
/// Inflates gzip data, failing once the output exceeds `maxBytes`.
std::optional<std::string> gunzipBytes(std::string_view bytes, uint64_t maxBytes, std::string* error);

/// The tar entries of directory `dir`, sorted by path, each prefixed with `rootName/` (ORAS packs
/// a directory under its own name); `rootName/` itself comes first. Symbolic links and special
/// files are refused.
std::optional<std::vector<TarEntry>> collectDirectoryEntries(const std::string& dir,
                                                             const std::string& rootName, std::string* error);

}  // namespace ork::sources
