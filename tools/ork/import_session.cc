// ImportSession (import_session.h): the import flags, and per run the cache, the libcurl client,
// the Fetcher, ork.lock beside the entry document and the registry ImportResolver over them.
#include "tools/ork/import_session.h"

#include <CLI/CLI.hpp>

#include "frontend/sources/oci.h"

namespace ork::cli {

void addImportFlags(CLI::App& app, ImportFlags& flags) {
  CLI::Option* locked =
      app.add_flag("--locked", flags.locked,
                   "fail when ork.lock would change (an import without an entry, a new resolution)");
  CLI::Option* offline = app.add_flag("--offline", flags.offline,
                                      "never use the network: imports come from the cache and OCI layouts");
  CLI::Option* refresh =
      app.add_flag("--refresh", flags.refresh,
                   "resolve every tag and branch again, ignoring ork.lock and the cached resolutions");
  refresh->excludes(locked)->excludes(offline);
  app.add_option("--insecure-registry", flags.insecureRegistries,
                 "allow plain HTTP to this registry host[:port] (repeatable; loopback always is)")
      ->allow_extra_args(false)
      ->type_name("HOST");
}

namespace {

/// ork.lock's place: beside the entry document, or inside a pattern directory given as the entry.
std::string lockPathFor(const std::string& entryFile, const FileSystem& fs) {
  if (fs.isDirectory(entryFile)) return joinPath(entryFile, "ork.lock");
  return joinPath(parentDir(entryFile), "ork.lock");
}

}  // namespace

struct ImportSession::State {
  State(const ImportFlags& flags, const std::string& entryFile, const FileSystem& fs, bool writeLock)
      : cache(sources::defaultCacheDir()),
        client(http::makeCurlClient()),
        fetcher(sources::makeFetcher(cache, *client, fetcherOptions(flags))),
        lock(lockPathFor(entryFile, fs),
             passes::LockOptions{flags.locked, flags.offline, flags.refresh, writeLock}),
        resolver(fs, *fetcher, lock) {}

  static sources::FetcherOptions fetcherOptions(const ImportFlags& flags) {
    sources::FetcherOptions options;
    options.offline = flags.offline;
    options.refresh = flags.refresh;
    options.insecureHosts = flags.insecureRegistries;
    for (const std::string& host : sources::insecureRegistriesFromEnv())
      options.insecureHosts.push_back(host);
    return options;
  }

  sources::Cache cache;
  std::unique_ptr<http::Client> client;
  std::unique_ptr<sources::Fetcher> fetcher;
  passes::LockSession lock;
  passes::RegistryImportResolver resolver;
};

ImportSession::ImportSession(const ImportFlags& flags, std::string entryFile, const FileSystem& fs,
                             bool writeLock)
    : state_(std::make_unique<State>(flags, entryFile, fs, writeLock)) {}

ImportSession::~ImportSession() = default;

bool ImportSession::open(SourceManager& sm, DiagnosticEngine& diags) {
  // The cache is created by the first fetch, which reports CacheUnusable at the import when it
  // cannot be: a run with local imports only neither needs nor touches it.
  return state_->lock.load(sm, diags);
}

passes::RegistryImportResolver& ImportSession::resolver() { return state_->resolver; }
sources::Fetcher& ImportSession::fetcher() { return *state_->fetcher; }
const sources::Cache& ImportSession::cache() const { return state_->cache; }
passes::LockSession& ImportSession::lock() { return state_->lock; }
bool ImportSession::finish(DiagnosticEngine& diags) { return state_->lock.finish(diags); }

}  // namespace ork::cli
