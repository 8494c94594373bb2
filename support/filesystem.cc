// The real FileSystem over std::filesystem and POSIX rename for atomic writes.
#include "support/filesystem.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <system_error>

namespace ork {
namespace fs = std::filesystem;
namespace {

// An error's text as ork prints it: the system message with a lowercase first letter ("permission denied").
std::string errorText(const std::error_code& ec) {
  std::string m = ec.message();
  if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z' && !(m.size() > 1 && m[1] >= 'A' && m[1] <= 'Z'))
    m[0] = static_cast<char>(m[0] - 'A' + 'a');
  return m;
}

class RealFileSystem final : public FileSystem {
 public:
  ReadResult readFile(const std::string& path, uint64_t maxBytes) const override {
    ReadResult r;
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      r.error = errorText(ec);  // permission denied, too many levels of symbolic links, …
      return r;
    }
    if (!fs::exists(st)) {
      r.error = "no such file or directory";
      return r;
    }
    if (fs::is_directory(st)) {
      r.error = "is a directory";
      return r;
    }
    // A FIFO, socket or device could block or never end: only regular files are read.
    if (!fs::is_regular_file(st)) {
      r.error = "not a regular file";
      return r;
    }
    uint64_t size = fs::file_size(path, ec);
    if (!ec && size > maxBytes) {
      r.tooLarge = true;
      r.error = "file is " + std::to_string(size) + " bytes; the limit is " + std::to_string(maxBytes);
      return r;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      r.error = errorText(std::error_code(errno, std::generic_category()));
      return r;
    }
    std::string data;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        r.error = errorText(std::error_code(errno, std::generic_category()));
        ::close(fd);
        return r;
      }
      if (n == 0) break;
      data.append(buf, static_cast<size_t>(n));
      if (data.size() > maxBytes) {  // the file grew while being read
        r.tooLarge = true;
        r.error = "file exceeds the limit of " + std::to_string(maxBytes) + " bytes";
        ::close(fd);
        return r;
      }
    }
    ::close(fd);
    r.contents = std::move(data);
    return r;
  }

  bool exists(const std::string& path) const override {
    std::error_code ec;
    return fs::exists(path, ec);
  }

  bool isDirectory(const std::string& path) const override {
    std::error_code ec;
    return fs::is_directory(path, ec);
  }

  std::string directoryError(const std::string& path) const override {
    if (::access(path.c_str(), R_OK | X_OK) == 0) return "";
    return errorText(std::error_code(errno, std::generic_category()));
  }

  std::optional<uint64_t> fileSize(const std::string& path) const override {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    uint64_t n = fs::file_size(path, ec);
    if (ec) return std::nullopt;
    return n;
  }

  std::string writeFileAtomic(const std::string& path, const std::string& contents) const override {
    std::random_device rd;
    std::string tmp = path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(rd());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return "cannot create " + tmp;
      out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
      out.flush();
      if (!out) {
        std::remove(tmp.c_str());
        return "cannot write " + tmp;
      }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      std::remove(tmp.c_str());
      return "cannot rename into " + path;
    }
    return "";
  }
};

}  // namespace

const FileSystem& realFileSystem() {
  static const RealFileSystem fs;
  return fs;
}

std::string joinPath(const std::string& dir, const std::string& rel) {
  fs::path r(rel);
  if (r.is_absolute() || dir.empty() || dir == ".") return r.lexically_normal().string();
  std::string out = (fs::path(dir) / r).lexically_normal().string();
  return out.empty() ? "." : out;
}

std::string parentDir(const std::string& path) {
  std::string p = fs::path(path).parent_path().string();
  return p.empty() ? "." : p;
}

std::string baseName(const std::string& path) { return fs::path(path).filename().string(); }

}  // namespace ork
