// LockSession (registry_resolver.h): ork.lock as one run reads, pins, records and rewrites it
// (FORMATS.md §10.4), and the --locked comparison that names the first difference.
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "frontend/sources/store_io.h"
#include "passes/registry_resolver.h"
#include "support/source_manager.h"

namespace ork::passes {
namespace {

using sources::LockEntry;
using sources::LockFile;

constexpr uint64_t kMaxLockBytes = 16ull << 20;

std::string entryKey(const std::string& kind, const std::string& url, const std::string& version) {
  return kind + '\x1f' + url + '\x1f' + version;
}

/// `oci "127.0.0.1:5000/team/pg"@v1`: an entry as the lock messages name it.
std::string entryName(const LockEntry& e) {
  return e.kind + " \"" + e.url + "\"" + (e.version.empty() ? "" : "@" + e.version);
}

std::vector<std::string> usedBySet(const LockEntry& e) {
  std::vector<std::string> out = e.usedBy;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "nothing" : out;
}

/// How `after` differs from `before` for one entry present in both ("" when equal).
std::string entryDifference(const LockEntry& before, const LockEntry& after) {
  std::string name = entryName(after);
  if (before.resolved != after.resolved)
    return name + " would resolve to " + after.resolved + " instead of " + before.resolved;
  for (const auto& [file, digest] : after.files) {
    auto it = before.files.find(file);
    if (it == before.files.end()) return name + " would gain file " + file;
    if (it->second != digest)
      return name + ": " + file + " would have digest " + digest + " instead of " + it->second;
  }
  for (const auto& [file, digest] : before.files)
    if (!after.files.count(file)) return name + " would lose file " + file;
  std::vector<std::string> was = usedBySet(before), now = usedBySet(after);
  if (was != now) return name + " would be used by " + joinList(now) + " instead of " + joinList(was);
  return "";
}

/// The first difference between two locks in entry order (kind, url, version); "" when they hold the
/// same entries. `*key` is the entry it concerns.
std::string firstDifference(const LockFile& before, const LockFile& after, std::string* key) {
  std::map<std::string, const LockEntry*> was, now;
  for (const LockEntry& e : before.imports) was[entryKey(e.kind, e.url, e.version)] = &e;
  for (const LockEntry& e : after.imports) now[entryKey(e.kind, e.url, e.version)] = &e;
  std::set<std::string> keys;
  for (const auto& [k, e] : was) keys.insert(k);
  for (const auto& [k, e] : now) keys.insert(k);
  for (const std::string& k : keys) {
    *key = k;
    auto w = was.find(k);
    auto n = now.find(k);
    if (n == now.end()) return entryName(*w->second) + " is no longer used by any import";
    if (w == was.end()) return entryName(*n->second) + " would be added";
    std::string d = entryDifference(*w->second, *n->second);
    if (!d.empty()) return d;
  }
  return "";
}

}  // namespace

LockSession::LockSession(std::string path, LockOptions options) : path_(std::move(path)), options_(options) {}

bool LockSession::load(SourceManager& sm, DiagnosticEngine& diags) {
  sources::FileRead text = sources::readFileBounded(path_, kMaxLockBytes);
  if (text.status != sources::FileRead::Status::Missing) {
    FileId id = sm.addBuffer(path_, text.ok() ? text.bytes : std::string());
    sm_ = &sm;
    file_ = Span{id, 0, 0};
  }
  std::string error;
  std::optional<LockFile> lock = sources::readLockFile(path_, &error, &existed_);
  if (lock) {
    read_ = std::move(*lock);
    return true;
  }
  // JSON syntax errors name a line and column: point there.
  Span at = file_;
  std::smatch m;
  if (file_.valid() && std::regex_search(error, m, std::regex(R"(\(line (\d+), column (\d+)\))"))) {
    uint32_t offset = sm.offsetOf(file_.file, static_cast<uint32_t>(std::stoul(m[1])),
                                  static_cast<uint32_t>(std::stoul(m[2])));
    at = Span{file_.file, offset, offset};
  }
  const std::string prefix = "ork.lock: ";
  if (error.rfind(prefix, 0) == 0) error = error.substr(prefix.size());
  diags.report(DiagCode::LockMalformed, at, "ork.lock is malformed: " + error);
  diags.help("fix the file, or delete it and run without --locked to write it again");
  return false;
}

const sources::LockEntry* LockSession::pinned(const std::string& kind, const std::string& url,
                                              const std::string& version) const {
  if (options_.refresh) return nullptr;
  return read_.find(kind, url, version);
}

void LockSession::record(sources::LockEntry entry) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, added] = recorded_.try_emplace(entryKey(entry.kind, entry.url, entry.version), entry);
  if (added) return;
  for (const std::string& u : entry.usedBy)
    if (std::find(it->second.usedBy.begin(), it->second.usedBy.end(), u) == it->second.usedBy.end())
      it->second.usedBy.push_back(u);
}

Span LockSession::entrySpan(const std::string& kind, const std::string& url,
                            const std::string& version) const {
  if (!sm_ || !file_.valid()) return file_;
  // The n-th `"<url>"` string of the file, n counting the entries before it with the same url.
  size_t nth = 0;
  for (const LockEntry& e : read_.imports) {
    if (e.kind == kind && e.url == url && e.version == version) break;
    if (e.url == url) ++nth;
  }
  std::string_view text = sm_->contents(file_.file);
  std::string needle = "\"" + url + "\"";
  size_t pos = text.find(needle);
  for (size_t i = 0; i < nth && pos != std::string_view::npos; ++i) pos = text.find(needle, pos + 1);
  if (pos == std::string_view::npos) return file_;
  return Span{file_.file, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + needle.size())};
}

bool LockSession::finish(DiagnosticEngine& diags) {
  LockFile next;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, entry] : recorded_) next.imports.push_back(entry);
  }
  if (options_.locked) {
    std::string key;
    std::string difference = firstDifference(read_, next, &key);
    if (difference.empty()) return true;
    Span at = file_;
    size_t a = key.find('\x1f'), b = key.find('\x1f', a + 1);
    if (a != std::string::npos && b != std::string::npos)
      at = entrySpan(key.substr(0, a), key.substr(a + 1, b - a - 1), key.substr(b + 1));
    diags.report(DiagCode::LockWouldChange, at, "--locked: ork.lock would change: " + difference);
    diags.help("run without --locked to update ork.lock, then commit it");
    return false;
  }
  if (options_.offline || !options_.write) return true;
  if (next.imports.empty() && !existed_) return true;  // never created while no import needs an entry
  if (existed_ && sources::serializeLockFile(next) == sources::serializeLockFile(read_)) return true;
  std::string error;
  if (!sources::writeLockFile(path_, next, &error)) {
    const std::string prefix = "ork.lock: ";
    if (error.rfind(prefix, 0) == 0) error = error.substr(prefix.size());
    diags.report(DiagCode::LockWriteFailed, Span{}, "cannot write " + path_ + ": " + error);
    diags.help("the imports resolved; make the directory of " + path_ + " writable and run again");
    return false;
  }
  return true;
}

}  // namespace ork::passes
