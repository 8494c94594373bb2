// What every command that resolves imports shares: the --locked/--offline/--refresh/--insecure-registry
// flags, the cache, the HTTP client, the Fetcher, ork.lock and the registry ImportResolver.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "frontend/sources/cache.h"
#include "frontend/sources/fetcher.h"
#include "passes/registry_resolver.h"
#include "support/diagnostics.h"
#include "support/filesystem.h"
#include "support/http.h"
#include "support/source_manager.h"

namespace CLI {
class App;
}

namespace ork::cli {

/// How many imports prefetch() fetches at once in `ork validate` and `ork template`.
inline constexpr int kPrefetchParallelism = 8;

/// The import flags of §16 ("Commands that resolve imports accept --locked, --offline and --refresh").
struct ImportFlags {
  bool locked = false;
  bool offline = false;
  bool refresh = false;
  std::vector<std::string> insecureRegistries;  // --insecure-registry HOST (repeatable), plus ORK_INSECURE_REGISTRIES
};

/// Adds --locked, --offline, --refresh and --insecure-registry to `app` (--locked and --offline exclude --refresh).
void addImportFlags(CLI::App& app, ImportFlags& flags);

/// One command run's import machinery. `entryFile` is the entry document (ork.lock sits beside it);
/// `writeLock` is false for commands that only read the lock (`ork plan`).
class ImportSession {
 public:
  ImportSession(const ImportFlags& flags, std::string entryFile, const FileSystem& fs, bool writeLock = true);
  ~ImportSession();

  /// Reads ork.lock; reports LockMalformed and returns false on failure. The cache
  /// ($ORK_CACHE_DIR…) is created by the first fetch, which reports CacheUnusable at its import.
  bool open(SourceManager& sm, DiagnosticEngine& diags);
  passes::RegistryImportResolver& resolver();
  sources::Fetcher& fetcher();
  const sources::Cache& cache() const;
  passes::LockSession& lock();
  /// After a run without errors: writes ork.lock when it changed (see LockSession::finish).
  bool finish(DiagnosticEngine& diags);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ork::cli
