// ustar writer and reader plus gzip over zlib, for directory layers. The writer fixes every field
// that would vary between machines (mtime, owners, modes, order) so a push is reproducible.
#include "frontend/sources/tar_gzip.h"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "frontend/sources/store_io.h"

namespace ork::sources {

namespace {

constexpr size_t kBlock = 512;

void putOctal(char* field, size_t width, uint64_t value) {
  // width-1 octal digits, then NUL.
  std::memset(field, '0', width - 1);
  field[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0 && value;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

std::optional<uint64_t> getOctal(const char* field, size_t width) {
  uint64_t v = 0;
  size_t i = 0;
  while (i < width && (field[i] == ' ' || field[i] == '\0')) ++i;
  bool any = false;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (v >> 60) return std::nullopt;
    v = (v << 3) | static_cast<uint64_t>(field[i] - '0');
    any = true;
  }
  for (; i < width; ++i)
    if (field[i] != ' ' && field[i] != '\0') return std::nullopt;
  return any ? std::optional<uint64_t>(v) : std::optional<uint64_t>(0);
}

std::string fieldString(const char* field, size_t width) { return std::string(field, strnlen(field, width)); }

uint32_t checksum(const char* header) {
  uint32_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
  return sum;
}

// Splits a path into the ustar prefix (≤155) and name (≤100) fields at a '/'.
bool splitPath(const std::string& path, std::string* prefix, std::string* name) {
  if (path.size() <= 100) {
    *prefix = "";
    *name = path;
    return true;
  }
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    if (slash <= 155 && path.size() - slash - 1 <= 100 && slash + 1 < path.size()) {
      *prefix = path.substr(0, slash);
      *name = path.substr(slash + 1);
      return true;
    }
  }
  return false;
}

// Path records of a pax extended header ("<len> path=<value>\n" …).
std::string paxPath(std::string_view data) {
  std::string path;
  while (!data.empty()) {
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos) break;
    size_t len = 0;
    for (char c : data.substr(0, sp)) len = len * 10 + static_cast<size_t>(c - '0');
    if (len == 0 || len > data.size()) break;
    std::string_view rec = data.substr(sp + 1, len - sp - 2);  // without the trailing '\n'
    if (rec.substr(0, 5) == "path=") path = std::string(rec.substr(5));
    data.remove_prefix(len);
  }
  return path;
}

}  // namespace

std::optional<std::string> writeTar(const std::vector<TarEntry>& entries, std::string* error) {
  std::string out;
  for (const TarEntry& e : entries) {
    std::string full = e.directory ? e.path + "/" : e.path;
    std::string prefix, name;
    if (!splitPath(full, &prefix, &name)) {
      if (error) *error = "path too long for a tar entry: " + e.path;
      return std::nullopt;
    }
    char h[kBlock] = {};
    std::memcpy(h, name.data(), name.size());
    putOctal(h + 100, 8, e.directory || e.executable ? 0755 : 0644);
    putOctal(h + 108, 8, 0);
    putOctal(h + 116, 8, 0);
    putOctal(h + 124, 12, e.directory ? 0 : e.bytes.size());
    putOctal(h + 136, 12, 0);
    h[156] = e.directory ? '5' : '0';
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    std::memcpy(h + 345, prefix.data(), prefix.size());
    uint32_t sum = checksum(h);
    putOctal(h + 148, 7, sum);  // six digits, NUL, then a space
    h[155] = ' ';
    out.append(h, kBlock);
    if (!e.directory) {
      out += e.bytes;
      out.append((kBlock - e.bytes.size() % kBlock) % kBlock, '\0');
    }
  }
  out.append(2 * kBlock, '\0');
  return out;
}

std::optional<std::vector<TarEntry>> readTar(std::string_view bytes, const TarLimits& limits,
                                             std::string* error) {
  auto fail = [&](std::string text) -> std::optional<std::vector<TarEntry>> {
    if (error) *error = std::move(text);
    return std::nullopt;
  };
  std::vector<TarEntry> out;
  uint64_t total = 0;
  std::string nextPath;  // from a pax header
  size_t pos = 0;
  for (;;) {
    if (pos + kBlock > bytes.size()) return fail("truncated tar archive");
    const char* h = bytes.data() + pos;
    if (std::all_of(h, h + kBlock, [](char c) { return c == '\0'; })) break;  // end of archive
    auto stored = getOctal(h + 148, 8);
    if (!stored || *stored != checksum(h)) return fail("tar header checksum mismatch");
    auto size = getOctal(h + 124, 12);
    if (!size) return fail("malformed tar header");
    pos += kBlock;
    if (*size > bytes.size() - pos) return fail("truncated tar archive");
    std::string_view data = bytes.substr(pos, *size);
    pos += (*size + kBlock - 1) / kBlock * kBlock;
    char type = h[156];
    std::string prefix = fieldString(h + 345, 155);
    std::string path =
        nextPath.empty() ? (prefix.empty() ? "" : prefix + "/") + fieldString(h, 100) : nextPath;
    nextPath.clear();
    if (type == 'x') {
      nextPath = paxPath(data);
      continue;
    }
    if (type == 'g') continue;  // global pax records carry nothing a file needs
    if (type != '0' && type != '\0' && type != '5') {
      std::string what = type == '1' || type == '2' ? "a link" : "a special file";
      return fail("tar entry \"" + path + "\" is " + what);
    }
    bool dir = type == '5';
    while (!path.empty() && path.back() == '/') path.pop_back();
    if (path.rfind("./", 0) == 0) path = path.substr(2);
    std::string why;
    if (!isSafeRelativePath(path, &why)) return fail("unsafe tar entry \"" + path + "\": " + why);
    total += *size;
    if (total > limits.maxTotalBytes || out.size() >= limits.maxEntries) return fail("tar archive too large");
    auto mode = getOctal(h + 100, 8);
    out.push_back({path, dir, !dir && mode && (*mode & 0100), dir ? "" : std::string(data)});
  }
  return out;
}

std::optional<std::string> gzipBytes(std::string_view bytes, std::string* error) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper with zlib's fixed header (mtime 0, no name).
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    if (error) *error = "gzip: cannot initialise zlib";
    return std::nullopt;
  }
  std::string out(deflateBound(&zs, bytes.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    if (error) *error = "gzip: compression failed";
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> gunzipBytes(std::string_view bytes, uint64_t maxBytes, std::string* error) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {
    if (error) *error = "gzip: cannot initialise zlib";
    return std::nullopt;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buf[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > maxBytes) {
      inflateEnd(&zs);
      if (error) *error = "gzip: content larger than " + std::to_string(maxBytes) + " bytes";
      return std::nullopt;
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;  // input ended early
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    if (error) *error = "gzip: corrupt or truncated data";
    return std::nullopt;
  }
  return out;
}

std::optional<std::vector<TarEntry>> collectDirectoryEntries(const std::string& dir,
                                                             const std::string& rootName,
                                                             std::string* error) {
  namespace fs = std::filesystem;
  std::vector<TarEntry> out;
  out.push_back({rootName, true, false, ""});
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string rel = fs::path(it->path()).lexically_relative(dir).generic_string();
    std::string path = rootName + "/" + rel;
    auto st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_symlink(st)) {
      if (error) *error = path + ": symbolic links are not packed";
      return std::nullopt;
    }
    if (fs::is_directory(st)) {
      out.push_back({path, true, false, ""});
    } else if (fs::is_regular_file(st)) {
      FileRead r = readFileBounded(it->path().string(), TarLimits{}.maxTotalBytes);
      if (!r.ok()) {
        if (error) *error = path + ": " + r.error;
        return std::nullopt;
      }
      bool exec = (st.permissions() & fs::perms::owner_exec) != fs::perms::none;
      out.push_back({path, false, exec, std::move(r.bytes)});
    } else {
      if (error) *error = path + ": not a regular file or directory";
      return std::nullopt;
    }
  }
  if (ec) {
    if (error) *error = dir + ": " + ec.message();
    return std::nullopt;
  }
  std::sort(out.begin() + 1, out.end(), [](const TarEntry& a, const TarEntry& b) { return a.path < b.path; });
  return out;
}

}  // namespace ork::sources
