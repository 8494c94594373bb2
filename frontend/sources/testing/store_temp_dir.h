// Test helper for the local stores (layouts, cache, artifacts, ork.lock): a temporary directory
// removed at the end of the test, with small file helpers.
#pragma once
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace ork::sources::testing {

/// A fresh directory under the system temp dir, removed (recursively) on destruction.
struct StoreTempDir {
  std::filesystem::path dir;
  StoreTempDir() {
    std::random_device rd;
    dir =
        std::filesystem::temp_directory_path() / ("ork-store-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
  }
  ~StoreTempDir() {
    std::error_code ec;
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::add,
                                 ec);
    std::filesystem::remove_all(dir, ec);
  }
  StoreTempDir(const StoreTempDir&) = delete;
  StoreTempDir& operator=(const StoreTempDir&) = delete;
  /// Full path of `rel`.
  std::string path(const std::string& rel = "") const {
    return rel.empty() ? dir.string() : (dir / rel).string();
  }
  /// Writes `text` to `rel` (creating directories); returns the full path.
  std::string write(const std::string& rel, const std::string& text) const {
    std::filesystem::path p = dir / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

/// The whole content of a file ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace ork::sources::testing
