// ork.lock (FORMATS.md §10.4): strict reading (every key known, every type checked, errors name the
// JSON path) and the canonical writer (RFC 8785 key order and escaping, two-space indentation).
#include "frontend/sources/lock_file.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "frontend/sources/oci.h"
#include "frontend/sources/store_io.h"
#include "support/filesystem.h"

namespace ork::sources {

namespace {

using json = nlohmann::json;

constexpr uint64_t kMaxLockBytes = 16ull << 20;
const std::set<std::string> kKinds = {"oci", "oci-layout", "github", "gitlab", "git", "https"};

// ── Canonical writing ─────────────────────────────────────────────────────────────────────────

// UTF-16 code units of a UTF-8 string: RFC 8785 sorts keys by them (for BMP text the same as
// code-point order; characters above U+FFFF sort as surrogates, before U+E000…U+FFFF).
std::u16string utf16(const std::string& s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = 0xFFFD;
    size_t len = 1;
    if (c < 0x80)
      cp = c;
    else if ((c >> 5) == 6)
      len = 2, cp = c & 0x1F;
    else if ((c >> 4) == 14)
      len = 3, cp = c & 0x0F;
    else if ((c >> 3) == 30)
      len = 4, cp = c & 0x07;
    if (len > 1) {
      if (i + len > s.size()) len = 1, cp = 0xFFFD;
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

// A JSON string as ECMAScript's JSON.stringify writes it (RFC 8785 §3.2.2.2).
void writeString(const std::string& s, std::string* out) {
  static const char* hex = "0123456789abcdef";
  *out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\t': *out += "\\t"; break;
      case '\n': *out += "\\n"; break;
      case '\f': *out += "\\f"; break;
      case '\r': *out += "\\r"; break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          *out += hex[c >> 4];
          *out += hex[c & 15];
        } else {
          *out += ch;
        }
    }
  }
  *out += '"';
}

void writeValue(const json& v, int indent, std::string* out) {
  std::string pad(static_cast<size_t>(indent + 2), ' ');
  std::string closePad(static_cast<size_t>(indent), ' ');
  if (v.is_object()) {
    if (v.empty()) return void(*out += "{}");
    std::vector<std::pair<std::u16string, const std::string*>> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.emplace_back(utf16(it.key()), &it.key());
    std::sort(keys.begin(), keys.end());
    *out += "{\n";
    for (size_t i = 0; i < keys.size(); ++i) {
      *out += pad;
      writeString(*keys[i].second, out);
      *out += ": ";
      writeValue(v.at(*keys[i].second), indent + 2, out);
      *out += i + 1 < keys.size() ? ",\n" : "\n";
    }
    *out += closePad + "}";
  } else if (v.is_array()) {
    if (v.empty()) return void(*out += "[]");
    *out += "[\n";
    for (size_t i = 0; i < v.size(); ++i) {
      *out += pad;
      writeValue(v[i], indent + 2, out);
      *out += i + 1 < v.size() ? ",\n" : "\n";
    }
    *out += closePad + "]";
  } else if (v.is_string()) {
    writeString(v.get<std::string>(), out);
  } else {
    *out += v.dump();  // integers, booleans and null: one spelling each (the lock holds no floats)
  }
}

// ── Strict reading ────────────────────────────────────────────────────────────────────────────

struct Reader {
  std::string error;

  bool fail(const std::string& path, const std::string& what) {
    if (error.empty()) error = "ork.lock: " + path + ": " + what;
    return false;
  }

  bool onlyKeys(const json& obj, const std::string& path, const std::set<std::string>& allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if (!allowed.count(it.key()))
        return fail(path.empty() ? it.key() : path + "." + it.key(), "unknown key");
    return true;
  }

  bool string(const json& obj, const std::string& path, const char* key, std::string* out,
              bool nonEmpty = true) {
    std::string p = path + "." + key;
    if (!obj.contains(key)) return fail(p, "missing");
    if (!obj[key].is_string()) return fail(p, "expected a string");
    *out = obj[key].get<std::string>();
    if (nonEmpty && out->empty()) return fail(p, "must not be empty");
    return true;
  }

  bool entry(const json& e, const std::string& path, LockEntry* out) {
    if (!e.is_object()) return fail(path, "expected an object");
    if (!onlyKeys(e, path, {"kind", "url", "version", "resolved", "files", "usedBy"})) return false;
    if (!string(e, path, "kind", &out->kind) || !string(e, path, "url", &out->url) ||
        !string(e, path, "version", &out->version, false) || !string(e, path, "resolved", &out->resolved))
      return false;
    if (!kKinds.count(out->kind))
      return fail(path + ".kind",
                  "unknown kind \"" + out->kind + "\" (oci, oci-layout, github, gitlab, git, https)");
    if (!e.contains("files")) return fail(path + ".files", "missing");
    if (!e["files"].is_object()) return fail(path + ".files", "expected an object");
    for (auto it = e["files"].begin(); it != e["files"].end(); ++it) {
      std::string p = path + ".files[\"" + it.key() + "\"]";
      std::string why;
      if (!isSafeRelativePath(it.key(), &why)) return fail(p, "unsafe path (" + why + ")");
      if (!it->is_string()) return fail(p, "expected a string");
      if (!isValidDigest(it->get<std::string>())) return fail(p, "expected a sha256:<64 hex> digest");
      out->files[it.key()] = it->get<std::string>();
    }
    if (!e.contains("usedBy")) return fail(path + ".usedBy", "missing");
    if (!e["usedBy"].is_array()) return fail(path + ".usedBy", "expected a list");
    for (size_t i = 0; i < e["usedBy"].size(); ++i) {
      if (!e["usedBy"][i].is_string())
        return fail(path + ".usedBy[" + std::to_string(i) + "]", "expected a string");
      out->usedBy.push_back(e["usedBy"][i].get<std::string>());
    }
    return true;
  }

  bool file(const json& root, LockFile* out) {
    if (!root.is_object()) return fail("(top level)", "expected an object");
    if (!onlyKeys(root, "", {"lockVersion", "imports"})) return false;
    if (!root.contains("lockVersion")) return fail("lockVersion", "missing");
    const json& v = root["lockVersion"];
    if (!v.is_number_integer()) return fail("lockVersion", "expected an integer");
    if (v.get<int64_t>() != 1)
      return fail("lockVersion", std::to_string(v.get<int64_t>()) + " is not supported (supported: 1)");
    if (!root.contains("imports")) return fail("imports", "missing");
    if (!root["imports"].is_array()) return fail("imports", "expected a list");
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (size_t i = 0; i < root["imports"].size(); ++i) {
      std::string path = "imports[" + std::to_string(i) + "]";
      LockEntry e;
      if (!entry(root["imports"][i], path, &e)) return false;
      if (!seen.insert({e.kind, e.url, e.version}).second)
        return fail(path,
                    "duplicate entry for " + e.kind + " \"" + e.url + "\" version \"" + e.version + "\"");
      out->imports.push_back(std::move(e));
    }
    return true;
  }
};

// Parses JSON, refusing duplicate keys (nlohmann would keep the last silently).
std::optional<json> parseStrict(const std::string& text, std::string* error) {
  std::vector<std::set<std::string>> open;
  std::string duplicate;
  auto cb = [&](int /*depth*/, json::parse_event_t ev, json& parsed) {
    switch (ev) {
      case json::parse_event_t::object_start: open.emplace_back(); break;
      case json::parse_event_t::object_end:
        if (!open.empty()) open.pop_back();
        break;
      case json::parse_event_t::key:
        if (!open.empty() && !open.back().insert(parsed.get<std::string>()).second && duplicate.empty())
          duplicate = parsed.get<std::string>();
        break;
      case json::parse_event_t::array_start:
      case json::parse_event_t::array_end:
      case json::parse_event_t::value: break;
    }
    return true;
  };
  try {
    json j = json::parse(text, cb);
    if (!duplicate.empty()) {
      *error = "ork.lock: duplicate key \"" + duplicate + "\"";
      return std::nullopt;
    }
    return j;
  } catch (const json::parse_error& e) {
    size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < byte && i < text.size(); ++i) {
      if (text[i] == '\n')
        ++line, col = 1;
      else
        ++col;
    }
    *error =
        "ork.lock: not valid JSON (line " + std::to_string(line) + ", column " + std::to_string(col) + ")";
    return std::nullopt;
  }
}

}  // namespace

const LockEntry* LockFile::find(const std::string& kind, const std::string& url,
                                const std::string& version) const {
  for (const auto& e : imports)
    if (e.kind == kind && e.url == url && e.version == version) return &e;
  return nullptr;
}

LockEntry* LockFile::find(const std::string& kind, const std::string& url, const std::string& version) {
  return const_cast<LockEntry*>(static_cast<const LockFile*>(this)->find(kind, url, version));
}

std::optional<LockFile> readLockFile(const std::string& path, std::string* error, bool* exists) {
  std::string ignored;
  if (!error) error = &ignored;
  FileRead r = readFileBounded(path, kMaxLockBytes);
  if (exists) *exists = r.status != FileRead::Status::Missing;
  if (r.status == FileRead::Status::Missing) return LockFile{};
  if (!r.ok()) {
    *error = "ork.lock: " + r.error;
    return std::nullopt;
  }
  auto root = parseStrict(r.bytes, error);
  if (!root) return std::nullopt;
  Reader reader;
  LockFile lock;
  if (!reader.file(*root, &lock)) {
    *error = reader.error;
    return std::nullopt;
  }
  return lock;
}

std::string serializeLockFile(const LockFile& lock) {
  std::vector<const LockEntry*> entries;
  for (const auto& e : lock.imports) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(), [](const LockEntry* a, const LockEntry* b) {
    return std::tie(a->kind, a->url, a->version) < std::tie(b->kind, b->url, b->version);
  });
  json imports = json::array();
  for (const LockEntry* e : entries) {
    std::vector<std::string> usedBy = e->usedBy;
    std::sort(usedBy.begin(), usedBy.end());
    usedBy.erase(std::unique(usedBy.begin(), usedBy.end()), usedBy.end());
    json files = json::object();
    for (const auto& [p, d] : e->files) files[p] = d;
    imports.push_back({{"kind", e->kind},
                       {"url", e->url},
                       {"version", e->version},
                       {"resolved", e->resolved},
                       {"files", std::move(files)},
                       {"usedBy", std::move(usedBy)}});
  }
  json root = {{"lockVersion", lock.lockVersion}, {"imports", std::move(imports)}};
  std::string out;
  writeValue(root, 0, &out);
  out += '\n';
  return out;
}

bool writeLockFile(const std::string& path, const LockFile& lock, std::string* error) {
  std::string e = realFileSystem().writeFileAtomic(path, serializeLockFile(lock));
  if (!e.empty() && error) *error = "ork.lock: " + e;
  return e.empty();
}

}  // namespace ork::sources
