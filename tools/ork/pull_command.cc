// `ork pull REF [-o DIR]` (one artifact into the cache, optionally copied out) and `ork pull -f FILE`
// (every import of a Komposer, transitively and in parallel, then ork.lock) — FORMATS.md §11.3.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include "frontend/loader.h"
#include "frontend/sources/fetcher.h"
#include "frontend/sources/store_io.h"
#include "passes/check_structure.h"
#include "passes/load_imports.h"
#include "support/strings.h"
#include "tools/ork/cli.h"
#include "tools/ork/import_session.h"
#include "tools/ork/registry_cli.h"

namespace ork::cli {
namespace {

namespace fsys = std::filesystem;

struct PullOptions {
  std::string ref;
  std::string file;    // -f
  std::string output;  // -o
  bool motif = false;
  ImportFlags flags;
};

// Every regular file under `dir` as (relative path, size), sorted by path.
std::vector<std::pair<std::string, uint64_t>> listFiles(const std::string& dir) {
  std::vector<std::pair<std::string, uint64_t>> files;
  std::error_code ec;
  for (auto it = fsys::recursive_directory_iterator(dir, ec);
       !ec && it != fsys::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    files.emplace_back(fsys::relative(it->path(), dir, ec).generic_string(), it->file_size(ec));
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Copies the pulled directory `from` to `dest` (which must not exist or be an empty directory)
// through `dest.tmp-…`, renamed into place at the end: nothing half-written. "" or the error text.
std::string copyOut(const std::string& from, const std::string& dest) {
  std::error_code ec;
  fsys::path target(dest);
  if (fsys::exists(fsys::symlink_status(target, ec))) {
    if (!fsys::is_directory(target, ec)) return dest + " exists and is not a directory";
    if (!fsys::is_empty(target, ec)) return dest + " exists and is not empty";
  }
  fsys::path parent = target.has_parent_path() ? target.parent_path() : fsys::path(".");
  if (std::string err = sources::makeDirectories(parent.string()); !err.empty()) return err;
  fsys::path tmp = parent / (target.filename().string() + ".tmp-" + sources::uniqueSuffix());
  fsys::copy(from, tmp, fsys::copy_options::recursive, ec);
  if (!ec) fsys::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fsys::remove_all(tmp, ignored);
    return "cannot write " + dest + ": " + ec.message();
  }
  return "";
}

// What `ork pull` takes for this ref again: a bare name under the default registry, else the full ref.
std::string shortRef(const sources::OciRef& ref, bool motif) {
  std::string full = ref.str();
  std::string base = motif ? defaultMotifRegistry() : defaultKatalogRegistry();
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (startsWith(base, "oci://")) base = base.substr(6);
  std::string shortened = full;
  if (startsWith(full, base + "/") && full.find('/', base.size() + 1) == std::string::npos)
    shortened = full.substr(base.size() + 1);
  return shortened + (motif ? " --motif" : "");
}

// The import snippet (§10.1 for patterns, §8.2 for motifs) naming this ref.
std::string importSnippet(const sources::OciRef& ref, bool motif) {
  if (motif) return "  imports:\n    - motif: " + ref.str() + "\n";
  std::string url = ref.layout ? "oci-layout:" + ref.layoutDir : ref.registry + "/" + ref.repository;
  return "  imports:\n    registry:\n      - url: " + url + "\n        version: " + ref.reference() + "\n";
}

int pullOne(const PullOptions& opts, const GlobalOptions& global) {
  SourceManager sm;
  DiagnosticEngine diags;
  auto fail = [&] {
    printDiagnostics(diags, sm, global);
    return kExitErrors;
  };
  std::string why;
  std::optional<sources::OciRef> ref = commandRef(opts.ref, opts.motif, &why);
  if (!ref) {
    diags.report(DiagCode::PullInvalidRef, Span{}, why);
    diags.help("a reference is name[:tag], host[:port]/path[:tag][@sha256:<hex>] or oci-layout:<dir>[:tag]");
    return fail();
  }
  if (ref->tag.empty() && ref->digest.empty()) ref->tag = "latest";

  sources::Cache cache(sources::defaultCacheDir());
  std::string cacheError;
  if (!cache.ensure(&cacheError)) {
    diags.report(DiagCode::CacheUnusable, Span{}, "cache " + cache.root() + ": " + cacheError);
    diags.help("set ORK_CACHE_DIR to a writable directory");
    return fail();
  }
  std::unique_ptr<http::Client> client = makeHttpClient();
  sources::FetcherOptions fetcherOptions;
  fetcherOptions.insecureHosts = sources::insecureRegistriesFromEnv();
  fetcherOptions.insecureHosts.insert(fetcherOptions.insecureHosts.end(),
                                      opts.flags.insecureRegistries.begin(),
                                      opts.flags.insecureRegistries.end());
  fetcherOptions.offline = opts.flags.offline;
  fetcherOptions.refresh = opts.flags.refresh;
  std::unique_ptr<sources::Fetcher> fetcher = sources::makeFetcher(cache, *client, fetcherOptions);

  sources::FetchRequest request;
  request.kind = ref->layout ? sources::FetchKind::OciLayout : sources::FetchKind::Oci;
  request.url = ref->layout ? ref->layoutDir : ref->registry + "/" + ref->repository;
  request.version = ref->reference();
  request.motif = opts.motif;
  sources::FetchFailure failure;
  std::optional<sources::FetchResult> result = fetcher->fetch(request, &failure);
  if (!result) {
    ErrorText text = fetchFailureText(failure, refHost(*ref));
    diags.report(text.code, Span{}, ref->str() + ": " + text.message);
    if (!text.help.empty()) diags.help(text.help);
    return fail();
  }

  // §10.3: the structure check runs after every pull; a failing artifact is not copied out.
  const FileSystem& fs = realFileSystem();
  std::string prefix = ref->str() + ": ";
  bool complete = opts.motif ? passes::checkMotifStructure(fs, result->path, diags, Span{}, prefix)
                             : passes::checkPatternStructure(fs, result->path, diags, Span{}, prefix);
  if (!complete) return fail();

  std::string where = result->path;
  if (!opts.output.empty()) {
    if (std::string err = copyOut(result->path, opts.output); !err.empty()) {
      diags.report(DiagCode::PullOutputDir, Span{}, ref->str() + ": -o " + err);
      diags.help("name a new or empty directory; nothing was written");
      return fail();
    }
    where = opts.output;
  }
  printDiagnostics(diags, sm, global);  // warnings (a motif without README.md)

  std::string out = "✓ pulled " + ref->str() + "\n";
  out += "  Digest:  " + result->resolved + "\n";
  out += "  Into:    " + where + "\n\n  Files:\n";
  for (const auto& [path, size] : listFiles(where)) {
    std::string name = path.size() < 30 ? path + std::string(30 - path.size(), ' ') : path;
    out += "    " + name + " " + humanSize(size) + "\n";
  }
  out += "\n";
  if (opts.motif) {
    out += "Validate:  ork validate -f " + joinPath(where, "motif.yaml") + "\n";
    out += "Import:    in a CRD entry of a Katalog:\n" + importSnippet(*ref, true);
  } else {
    out += "Validate:  ork validate -f " + where + "\n";
    auto typed = result->annotations.find("io.orkestra.katalog.typed");
    if (typed != result->annotations.end() && typed->second == "true")
      out += "Run:       a typed operator: it needs a custom Orkestra runtime image; ork run cannot run it\n";
    else
      out += "Run:       ork run " + shortRef(*ref, false) + " --dev\n";
    out += "Import:    in a komposer.yaml:\n" + importSnippet(*ref, false);
  }
  std::cout << out;
  return kExitOk;
}

// The §16 progress display of `ork pull -f`: a one-line redraw on a terminal, one line per finished
// import otherwise. Called serialised by prefetch.
class Progress {
 public:
  Progress() : tty_(stderrWantsColor()) {}
  void update(size_t done, size_t total, const std::string& label) {
    std::string counter = "[" + std::to_string(done) + "/" + std::to_string(total) + "] ";
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%spulling %s", counter.c_str(), http::redactUrl(label).c_str());
      drawn_ = true;
    } else {
      std::fprintf(stderr, "%spulled %s\n", counter.c_str(), http::redactUrl(label).c_str());
    }
    std::fflush(stderr);
  }
  void finish() {
    if (tty_ && drawn_) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  bool tty_;
  bool drawn_ = false;
};

int pullFile(const PullOptions& opts, const GlobalOptions& global) {
  SourceManager sm;
  DiagnosticEngine diags;
  frontend::LoadContext ctx{sm, diags};
  if (!ctx.fs.exists(opts.file)) {
    diags.report(DiagCode::FileNotFound, Span{}, opts.file + ": no such file");
    printDiagnostics(diags, sm, global);
    return kExitErrors;
  }
  ir::Module module;
  for (auto& doc : frontend::loadDocuments(ctx, opts.file)) {
    module.entryDocuments.push_back(module.documents.size());
    module.documents.push_back(std::move(doc));
  }
  ImportSession session(opts.flags, opts.file, ctx.fs);
  if (diags.hasErrors() || !session.open(sm, diags)) {
    printDiagnostics(diags, sm, global);
    return kExitErrors;
  }
  std::string lockPath = session.lock().path();
  sources::FileRead before = sources::readFileBounded(lockPath, 64ull << 20);

  Progress progress;
  session.resolver().prefetch(module, 8, [&](size_t done, size_t total, const std::string& label) {
    progress.update(done, total, label);
  });
  progress.finish();
  // Transitive imports (a Komposer pattern's own imports, motif refs of pulled Katalogs) are fetched
  // here; every failure is reported at its import, all of them together.
  passes::PassContext passCtx{sm, diags, session.resolver()};
  passes::createLoadImportsPass()->run(module, passCtx);
  if (!diags.hasErrors()) session.finish(diags);
  printDiagnostics(diags, sm, global);
  if (diags.hasErrors()) return kExitErrors;

  sources::FileRead after = sources::readFileBounded(lockPath, 64ull << 20);
  std::string lockNote = !after.ok() ? "no ork.lock needed (no network imports)"
                         : before.ok() && before.bytes == after.bytes ? lockPath + " unchanged"
                                                                      : "wrote " + lockPath;
  size_t entries = 0;
  if (after.ok()) {
    std::string err;
    if (auto lock = sources::readLockFile(lockPath, &err)) entries = lock->imports.size();
  }
  std::cout << "✓ " << opts.file << ": " << entries << (entries == 1 ? " import" : " imports")
            << " in the cache; " << lockNote << "\n";
  return kExitOk;
}

int runPull(const PullOptions& opts, const GlobalOptions& global) {
  const std::string help = "run 'ork pull --help' for usage";
  if (opts.ref.empty() && opts.file.empty())
    return usageError(global, "ork pull needs a REF or -f <komposer.yaml>", help);
  if (!opts.ref.empty() && !opts.file.empty())
    return usageError(global, "ork pull takes a REF or -f <file>, not both", help);
  if (!opts.file.empty()) {
    if (!opts.output.empty()) return usageError(global, "-o applies to a single REF, not to -f", help);
    if (opts.motif) return usageError(global, "--motif applies to a single REF, not to -f", help);
    return pullFile(opts, global);
  }
  if (opts.flags.locked)
    return usageError(global, "--locked needs -f <file>: a single REF has no ork.lock", help);
  return pullOne(opts, global);
}

}  // namespace

void addPullCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app =
      root.add_subcommand("pull", "fetch a pattern or motif into the cache, or every import of a file");
  auto opts = std::make_shared<PullOptions>();
  app->add_option("ref", opts->ref, "name[:tag], host[:port]/path[:tag][@sha256:…] or oci-layout:<dir>[:tag]")
      ->type_name("REF");
  app->add_option("-f,--file", opts->file,
                  "pull every import of this Komposer (or Katalog) and write ork.lock")
      ->type_name("FILE");
  app->add_option("-o,--output", opts->output, "copy the pulled files to DIR (new or empty)")
      ->type_name("DIR");
  app->add_flag("--motif", opts->motif, "a Motif artifact (a bare name goes under $ORK_MOTIFS_REGISTRY)");
  addImportFlags(*app, opts->flags);
  out.push_back({app, [opts, &global] { return runPull(*opts, global); }});
}

}  // namespace ork::cli
