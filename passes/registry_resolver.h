// The ImportResolver that reaches the network: registry patterns, motif refs, HTTPS files and OCI
// layouts through a sources::Fetcher, pinned and recorded by ork.lock (FORMATS.md §10.2–§10.5).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "frontend/sources/fetcher.h"
#include "frontend/sources/lock_file.h"
#include "passes/import_resolver.h"

namespace ork::passes {

/// How imports are resolved against ork.lock (§10.4; the `--locked`, `--offline`, `--refresh` flags).
struct LockOptions {
  bool locked = false;   // fail when the lock would change at all (an import without an entry, a new resolution)
  bool offline = false;  // the fetcher never touches the network; the lock is not written
  bool refresh = false;  // ignore the lock's resolutions and resolve every reference again
  bool write = true;     // false for commands that only read the lock (`ork plan`)
};

/// ork.lock for one run: the entries read at start, and the entries the imports used. Reads and
/// writes go through one object so that `--locked` can compare them.
class LockSession {
 public:
  /// `path` is `<dir of the entry document>/ork.lock`.
  LockSession(std::string path, LockOptions options);

  /// Reads the lock; a malformed one is LockMalformed (ORK1280) at the file, false returned.
  bool load(SourceManager& sm, DiagnosticEngine& diags);
  /// Whether an ork.lock file was there when load() ran.
  bool existed() const { return existed_; }
  const std::string& path() const { return path_; }
  const LockOptions& options() const { return options_; }

  /// The entry to pin an import to, or null (none; or --refresh).
  const sources::LockEntry* pinned(const std::string& kind, const std::string& url, const std::string& version) const;
  /// Records what an import resolved to (merging `usedBy` when the same entry is used twice).
  void record(sources::LockEntry entry);

  /// After a successful run: the new lock (recorded entries only, sorted). With `locked`, any
  /// difference from the lock read is LockWouldChange (ORK1282, naming the first difference) and
  /// nothing is written; with `offline` or `!write` nothing is written; otherwise the file is
  /// rewritten atomically when it changed (never created while no import needs an entry). Returns
  /// false when it reported an error (LockWouldChange; LockWriteFailed, ORK1285).
  bool finish(DiagnosticEngine& diags);

 private:
  /// Where an entry of the lock read is written (its `url` key), else the file's start.
  Span entrySpan(const std::string& kind, const std::string& url, const std::string& version) const;

  std::string path_;
  LockOptions options_;
  sources::LockFile read_;
  bool existed_ = false;
  const SourceManager* sm_ = nullptr;  // holds the lock's text (set by load() when the file exists)
  Span file_;
  mutable std::mutex mu_;
  std::map<std::string, sources::LockEntry> recorded_;  // key: kind \x1f url \x1f version
};

/// Resolves local paths like LocalImportResolver and every other source through `fetcher`:
/// a locked import is fetched by its `resolved` digest/commit, its files' digests are compared with
/// the lock (a difference is LockMismatch, ORK1281), and the result is recorded in `lock`. Fetch
/// failures are reported at the import as `<display>: <FetchFailure::message()>` with its help line,
/// coded by kind (ORK1260–1269 for registry/HTTP answers, ORK1283 offline, ORK1284 cache).
class RegistryImportResolver : public ImportResolver {
 public:
  RegistryImportResolver(const FileSystem& fs, sources::Fetcher& fetcher, LockSession& lock);

  const FileSystem& fileSystem() const override { return fs_; }
  std::optional<std::string> fetchPattern(const RegistryRef& ref, const ir::RegistryImport& import,
                                          DiagnosticEngine& diags) override;
  std::optional<std::string> fetchMotif(const MotifRef& ref, const ir::MotifImport& import,
                                        DiagnosticEngine& diags) override;
  std::optional<std::string> fetchFile(const std::string& url, const std::optional<ir::ImportAuth>& auth,
                                       std::string_view what, Span at, DiagnosticEngine& diags) override;
  std::optional<std::string> fetchLayout(const LayoutRequest& request, DiagnosticEngine& diags) override;
  void setImportSite(const std::string& usedBy) override { site_ = usedBy; }

  /// Warms the cache for every network import the entry documents of `module` name directly
  /// (registry imports, motif refs, HTTPS files), in parallel through Fetcher::fetchAll, before
  /// load-imports runs; later fetches of the same request reuse the results (failures too). `progress(done, total,
  /// label)` is called as each finishes (`ork pull -f` draws its TTY display from it). Failures are
  /// not reported here: load-imports reports them at the import when it asks again.
  void prefetch(const ir::Module& module, int parallelism,
                const std::function<void(size_t done, size_t total, const std::string& label)>& progress = {});

 private:
  /// One network or layout import: pinned by the lock entry (kind, `lockUrl`, version), fetched
  /// (or taken from the memo), its files compared with the entry and the result recorded under
  /// `site_`. `display` prefixes every message, reported at `at` with `nodePath` as data path.
  std::optional<std::string> resolve(sources::FetchRequest request, const std::string& lockUrl,
                                     const std::string& display, Span at, const std::string& nodePath,
                                     DiagnosticEngine& diags);
  /// The fetch of `request` (memoised by its key), without reporting.
  std::optional<sources::FetchResult> fetchOnce(const sources::FetchRequest& request, sources::FetchFailure* failure);

  const FileSystem& fs_;
  sources::Fetcher& fetcher_;
  LockSession& lock_;
  std::string site_;  // usedBy of the import being resolved (setImportSite)
  std::mutex mu_;
  std::map<std::string, sources::FetchResult> memo_;     // request key -> result of prefetch/fetch
  std::map<std::string, sources::FetchFailure> failed_;  // request key -> failure of prefetch/fetch
};

}  // namespace ork::passes
