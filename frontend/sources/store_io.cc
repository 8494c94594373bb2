// File helpers of the local stores: POSIX calls with errno texts, so callers can report why a
// write or a lock failed.
#include "frontend/sources/store_io.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "support/template_functions.h"

namespace ork::sources {

namespace {

std::string errnoText(int err) { return std::strerror(err); }

bool writeAll(int fd, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

FileRead readFileBounded(const std::string& path, uint64_t maxBytes) {
  FileRead r;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.status = errno == ENOENT || errno == ENOTDIR ? FileRead::Status::Missing : FileRead::Status::Error;
    r.error = errno == ENOENT ? "no such file" : errnoText(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    r.error = "not a regular file";
    ::close(fd);
    return r;
  }
  if (static_cast<uint64_t>(st.st_size) > maxBytes) {
    r.status = FileRead::Status::TooLarge;
    r.error = "larger than " + std::to_string(maxBytes) + " bytes";
    ::close(fd);
    return r;
  }
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = errnoText(errno);
      ::close(fd);
      return r;
    }
    if (n == 0) break;
    r.bytes.append(buf, static_cast<size_t>(n));
    if (r.bytes.size() > maxBytes) {  // grew while being read
      r.status = FileRead::Status::TooLarge;
      r.error = "larger than " + std::to_string(maxBytes) + " bytes";
      r.bytes.clear();
      ::close(fd);
      return r;
    }
  }
  ::close(fd);
  r.status = FileRead::Status::Ok;
  return r;
}

std::string uniqueSuffix() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(rng() % 1000000007);
}

std::string writeFileAtomically(const std::string& path, std::string_view bytes) {
  std::filesystem::path p(path);
  std::string tmp = (p.parent_path() / ("." + p.filename().string() + ".tmp-" + uniqueSuffix())).string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + tmp + ": " + errnoText(errno);
  bool ok = writeAll(fd, bytes) && ::fsync(fd) == 0;
  int err = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(tmp.c_str());
    return "cannot write " + tmp + ": " + errnoText(err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    return "cannot rename into " + path + ": " + errnoText(err);
  }
  return "";
}

std::string makeDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create directory " + dir + ": " + ec.message();
  return "";
}

bool isSafeRelativePath(std::string_view rel, std::string* why) {
  auto fail = [&](const char* text) {
    if (why) *why = text;
    return false;
  };
  if (rel.empty()) return fail("empty path");
  if (rel.front() == '/') return fail("absolute path");
  if (rel.find('\\') != std::string_view::npos) return fail("contains '\\'");
  if (rel.find('\0') != std::string_view::npos) return fail("contains NUL");
  size_t start = 0;
  for (;;) {
    size_t slash = rel.find('/', start);
    std::string_view seg =
        rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty()) return fail("empty path segment");
    if (seg == "..") return fail("contains '..'");
    if (seg == ".") return fail("contains '.' segment");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

std::string escapeFileName(std::string_view key) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-' || (c == '.' && i > 0);
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (out.empty()) out = "%";  // the empty key still names a file
  if (out.size() > 200) out = out.substr(0, 130) + "~" + tmpl::sha256Hex(key);
  return out;
}

FileLock::FileLock(const std::string& path) {
  struct stat st {};
  bool dir = ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  fd_ = dir ? ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            : ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return;
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    ::close(fd_);
    fd_ = -1;
    return;
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace ork::sources
