// Tests of RegistryImportResolver and LockSession through the load-imports pass on files on disk,
// with a Fetcher that serves directories (FORMATS.md §10.2–§10.5): requests built from imports,
// ork.lock written, pinned, compared (--locked, ORK1281), refreshed; failures coded; prefetch.
// The same paths against the real registry and fetcher run in testdata/cli/resolver_test.cc.
#include "passes/registry_resolver.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/sources/oci.h"
#include "passes/load_imports.h"
#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;
using sources::FetchFailure;
using sources::FetchKind;
using sources::FetchRequest;
using sources::FetchResult;

namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A Fetcher serving directories (patterns, motifs) and files (HTTPS) registered by reference. A
/// pinned request is served by the digest it names, as the real one serves it from its cache: a
/// re-served tag keeps its old content reachable by the old digest.
class DirectoryFetcher : public sources::Fetcher {
 public:
  std::vector<FetchRequest> requests;
  std::map<std::string, FetchFailure> failures;  // ref key -> failure to return

  static std::string key(FetchKind kind, const std::string& url, const std::string& version) {
    return std::string(sources::lockKind(kind)) + " " + url + "@" + version;
  }
  /// Serves `path` (a directory, or a file for Https) for the reference; returns its digest.
  std::string serve(FetchKind kind, const std::string& url, const std::string& version,
                    const std::string& path) {
    std::string digest = digestOf(kind, path);
    byRef_[key(kind, url, version)] = path;
    byDigest_[digest] = path;
    return digest;
  }

  std::optional<FetchResult> fetch(const FetchRequest& request, FetchFailure* failure) override {
    std::lock_guard<std::mutex> guard(mu_);
    requests.push_back(request);
    std::string k = key(request.kind, request.url, request.version);
    if (auto it = failures.find(k); it != failures.end()) {
      *failure = it->second;
      return std::nullopt;
    }
    std::string path;
    if (!request.pinned.empty() && byDigest_.count(request.pinned)) path = byDigest_[request.pinned];
    if (request.pinned.empty() && byRef_.count(k)) path = byRef_[k];
    if (path.empty()) {
      failure->kind = FetchFailure::Kind::NotFound;
      return std::nullopt;
    }
    FetchResult r;
    r.path = path;
    r.resolved = digestOf(request.kind, path);
    if (request.kind != FetchKind::Https) r.files = filesOf(path);
    r.network = true;
    return r;
  }
  uint64_t requestCount() const override { return requests.size(); }

  size_t count(const std::string& url) const {
    return std::count_if(requests.begin(), requests.end(),
                         [&](const FetchRequest& r) { return r.url == url; });
  }
  const FetchRequest* last(const std::string& url) const {
    for (auto it = requests.rbegin(); it != requests.rend(); ++it)
      if (it->url == url) return &*it;
    return nullptr;
  }

 private:
  static std::map<std::string, std::string> filesOf(const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file())
        out[e.path().filename().string()] = sources::sha256Digest(slurp(e.path().string()));
    return out;
  }
  static std::string digestOf(FetchKind kind, const std::string& path) {
    if (kind == FetchKind::Https) return sources::sha256Digest(slurp(path));
    std::string all;
    for (const auto& [name, digest] : filesOf(path)) all += name + " " + digest + "\n";
    return sources::sha256Digest(all);
  }

  std::mutex mu_;
  std::map<std::string, std::string> byRef_, byDigest_;
};

const char* kCrd =
    "apiVersion: apiextensions.k8s.io/v1\n"
    "kind: CustomResourceDefinition\n"
    "metadata: {name: widgets.acme.io}\n"
    "spec:\n"
    "  group: acme.io\n"
    "  names: {kind: Widget, plural: widgets}\n"
    "  scope: Namespaced\n"
    "  versions:\n"
    "    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}\n";

const char* kMotif =
    "apiVersion: orkestra.orkspace.io/v1\nkind: Motif\nmetadata: {name: web}\nresources: {}\n";

std::string katalog(const std::string& name, const std::string& crds) {
  return "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: " + name +
         "}\nspec:\n  crds:\n" + crds;
}

/// The registry a project imports from: 127.0.0.1:5000/team/pg (whose Katalog imports the motif
/// 127.0.0.1:5000/motifs/web:v1), an OCI layout ./registry/cache and an HTTPS Katalog file.
constexpr const char* kPg = "127.0.0.1:5000/team/pg";
constexpr const char* kWeb = "127.0.0.1:5000/motifs/web";
constexpr const char* kFile = "https://files.example.com/extra.yaml";

const char* kKomposer =
    "apiVersion: orkestra.orkspace.io/v1\n"
    "kind: Komposer\n"
    "metadata: {name: app}\n"
    "policy: {allowedRegistries: [\"127.0.0.1:5000\", files.example.com]}\n"
    "imports:\n"
    "  registry:\n"
    "    - 127.0.0.1:5000/team/pg@v1\n"
    "    - oci-layout:./registry/cache@v2\n"
    "  files:\n"
    "    - https://files.example.com/extra.yaml\n";

/// A project directory, its fetcher and one run of load-imports with a RegistryImportResolver.
struct Project {
  testing::TempDir dir;
  DirectoryFetcher fetcher;
  std::string pgDigest, layoutDir;

  Project() {
    write("komposer.yaml", kKomposer);
    pgDigest =
        fetcher.serve(FetchKind::Oci, kPg, "v1", pattern("served/pg-v1", "pg", kWeb + std::string(":v1")));
    layoutDir = dir.at("registry/cache");
    fetcher.serve(FetchKind::OciLayout, layoutDir, "v2", pattern("registry/cache", "cache", ""));
    write("served/web/motif.yaml", kMotif);
    write("served/web/README.md", "# web\n");
    fetcher.serve(FetchKind::Oci, kWeb, "v1", dir.at("served/web"));
    fetcher.serve(FetchKind::Https, kFile, "",
                  write("served/extra.yaml", katalog("extra", "    extra: {crdFile: ./crd.yaml}\n")));
    write("served/crd.yaml", kCrd);
  }

  std::string write(const std::string& rel, const std::string& text) const { return dir.write(rel, text); }
  /// A pattern directory defining `crd`, whose CRD imports `motif` when not empty.
  std::string pattern(const std::string& rel, const std::string& crd, const std::string& motif) const {
    std::string imports = motif.empty() ? "" : ", imports: [{motif: \"" + motif + "\"}]";
    write(rel + "/katalog.yaml", katalog(crd, "    " + crd + ": {crdFile: ./crd.yaml" + imports + "}\n"));
    write(rel + "/crd.yaml", kCrd);
    write(rel + "/cr.yaml", "apiVersion: acme.io/v1\nkind: Widget\nmetadata: {name: w1}\n");
    write(rel + "/komposer.yaml", "k\n");
    write(rel + "/README.md", "# " + rel + "\n");
    return dir.at(rel);
  }
  std::string lockPath() const { return dir.at("ork.lock"); }
  std::string lockText() const { return slurp(lockPath()); }

  /// One command run: load the entry, (prefetch,) load-imports, finish when clean. Returns the
  /// diagnostics as `file:line:col: severity[code]: message` without the directory prefix.
  std::vector<std::string> run(LockOptions options = {}, bool prefetch = false) {
    testing::Harness h;
    LockSession lock(lockPath(), options);
    RegistryImportResolver resolver(realFileSystem(), fetcher, lock);
    PassContext ctx{h.sm, h.diags, resolver};
    if (lock.load(h.sm, h.diags)) {
      h.loadEntry(dir.at("komposer.yaml"));
      if (prefetch)
        resolver.prefetch(h.module, 4, [&](size_t done, size_t total, const std::string& label) {
          progress.push_back(std::to_string(done) + "/" + std::to_string(total) + " " + label);
        });
      createLoadImportsPass()->run(h.module, ctx);
      if (!h.diags.hasErrors()) lock.finish(h.diags);
    }
    helps.clear();
    notes.clear();
    for (const Diagnostic& d : h.diags.diagnostics()) {
      helps.push_back(d.help);
      for (const DiagNote& n : d.notes) notes.push_back(n.message);
    }
    std::vector<std::string> out;
    for (std::string line : h.rendered()) {
      const std::string prefix = dir.path() + "/";
      for (size_t p; (p = line.find(prefix)) != std::string::npos;) line.erase(p, prefix.size());
      out.push_back(line);
    }
    return out;
  }
  std::vector<std::string> helps, notes, progress;
};

sources::LockFile readLock(const std::string& path) {
  std::string error;
  auto lock = sources::readLockFile(path, &error);
  INFO(error);
  REQUIRE(lock);
  return *lock;
}

}  // namespace

TEST_CASE("the first run writes ork.lock with every network and layout import; the second pins them",
          "[registry]") {
  Project p;
  REQUIRE(p.run().empty());
  sources::LockFile lock = readLock(p.lockPath());
  REQUIRE(lock.imports.size() == 4);
  const sources::LockEntry* pg = lock.find("oci", kPg, "v1");
  REQUIRE(pg);
  CHECK(pg->resolved == p.pgDigest);
  CHECK(pg->files.size() == 5);
  CHECK(pg->usedBy == std::vector<std::string>{"imports.registry[0]"});
  // The layout's url is the ref as written, so ork.lock does not depend on where the project is.
  const sources::LockEntry* layout = lock.find("oci-layout", "oci-layout:./registry/cache", "v2");
  REQUIRE(layout);
  CHECK(layout->usedBy == std::vector<std::string>{"imports.registry[1]"});
  CHECK(p.fetcher.last(p.layoutDir)->kind == FetchKind::OciLayout);
  const sources::LockEntry* file = lock.find("https", kFile, "");
  REQUIRE(file);
  CHECK(file->files.empty());
  CHECK(file->usedBy == std::vector<std::string>{"imports.files[0]"});
  // A motif the pulled pattern imports: transitive, named after the import that brought it.
  const sources::LockEntry* web = lock.find("oci", kWeb, "v1");
  REQUIRE(web);
  CHECK(web->usedBy ==
        std::vector<std::string>{"registry:127.0.0.1:5000/team/pg@v1 spec.crds.pg.imports[0]"});
  CHECK(p.fetcher.last(kWeb)->motif);
  CHECK_FALSE(p.fetcher.last(kPg)->motif);
  for (const FetchRequest& r : p.fetcher.requests) CHECK(r.pinned.empty());

  std::string first = p.lockText();
  auto mtime = fs::last_write_time(p.lockPath());
  p.fetcher.requests.clear();
  REQUIRE(p.run().empty());
  CHECK(p.lockText() == first);
  CHECK(fs::last_write_time(p.lockPath()) == mtime);  // not rewritten
  CHECK(p.fetcher.last(kPg)->pinned == p.pgDigest);
  CHECK(p.fetcher.last(kWeb)->pinned == web->resolved);
  CHECK(p.fetcher.last(kFile)->pinned == file->resolved);
}

TEST_CASE("no ork.lock is created while no import needs an entry; offline runs never write it",
          "[registry]") {
  Project p;
  p.write("komposer.yaml",
          "apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: app}\n"
          "imports:\n  files: [./served/extra.yaml]\n");
  CHECK(p.run().empty());
  CHECK_FALSE(fs::exists(p.lockPath()));
  p.write("komposer.yaml", kKomposer);
  CHECK(p.run({false, true, false, true}).empty());
  CHECK_FALSE(fs::exists(p.lockPath()));
  CHECK(p.run({false, false, false, false}).empty());  // write = false (ork plan)
  CHECK_FALSE(fs::exists(p.lockPath()));
}

TEST_CASE("--locked fails at an import without an entry and names the first change of the lock",
          "[registry]") {
  Project p;
  REQUIRE(p.run().empty());
  LockOptions locked{true, false, false, true};
  CHECK(p.run(locked).empty());

  // A new version of the import: not in ork.lock, and not fetched.
  p.fetcher.serve(FetchKind::Oci, kPg, "v2", p.dir.at("served/pg-v1"));
  std::string komposer = kKomposer;
  komposer.replace(komposer.find("pg@v1"), 5, "pg@v2");
  p.write("komposer.yaml", komposer);
  p.fetcher.requests.clear();
  CHECK(p.run(locked) ==
        std::vector<std::string>{
            "komposer.yaml:7:7: error[ORK1282]: registry \"127.0.0.1:5000/team/pg\"@v2: not in "
            "ork.lock; run without --locked to add it"});
  CHECK(p.fetcher.count(kPg) == 0);

  // An import removed: the lock would drop its entry (reported at the entry in ork.lock).
  komposer = kKomposer;
  komposer.erase(komposer.find("    - https://files.example.com/extra.yaml\n"));
  komposer.erase(komposer.find("  files:\n"));
  p.write("komposer.yaml", komposer);
  std::string before = p.lockText();
  size_t urlLine =
      1 + std::count(before.begin(), before.begin() + before.find("\"" + std::string(kFile) + "\""), '\n');
  CHECK(p.run(locked) ==
        std::vector<std::string>{
            "ork.lock:" + std::to_string(urlLine) +
            ":14: error[ORK1282]: --locked: ork.lock would "
            "change: https \"https://files.example.com/extra.yaml\" is no longer used by any import"});
  CHECK(p.helps.front() == "run without --locked to update ork.lock, then commit it");
  CHECK(p.lockText() == before);
  // Without --locked the entry is dropped.
  CHECK(p.run().empty());
  CHECK_FALSE(readLock(p.lockPath()).find("https", kFile, ""));
}

TEST_CASE("--refresh resolves a re-pushed tag again; a run with the lock keeps the old digest",
          "[registry]") {
  Project p;
  REQUIRE(p.run().empty());
  std::string newDigest = p.fetcher.serve(FetchKind::Oci, kPg, "v1", p.pattern("served/pg-v1b", "pg", ""));
  REQUIRE(newDigest != p.pgDigest);

  CHECK(p.run().empty());
  CHECK(readLock(p.lockPath()).find("oci", kPg, "v1")->resolved == p.pgDigest);
  CHECK(p.fetcher.last(kPg)->pinned == p.pgDigest);

  CHECK(p.run({false, false, true, true}).empty());
  CHECK(p.fetcher.last(kPg)->pinned.empty());
  sources::LockFile lock = readLock(p.lockPath());
  CHECK(lock.find("oci", kPg, "v1")->resolved == newDigest);
  CHECK_FALSE(lock.find("oci", kWeb, "v1"));  // the new pg-v1 imports no motif: its entry is dropped
}

TEST_CASE("a file whose digest differs from ork.lock is ORK1281 at the import", "[registry]") {
  Project p;
  REQUIRE(p.run().empty());
  sources::LockFile lock = readLock(p.lockPath());
  std::string locked = lock.find("oci", kPg, "v1")->files.at("README.md");
  std::string text = p.lockText();
  std::string edited = "sha256:" + std::string(64, '0');
  text.replace(text.find(locked), locked.size(), edited);
  p.write("ork.lock", text);
  p.fetcher.requests.clear();
  CHECK(p.run() ==
        std::vector<std::string>{"komposer.yaml:7:7: error[ORK1281]: registry \"127.0.0.1:5000/team/pg\"@v1: "
                                 "README.md has digest " +
                                 locked + " but ork.lock records " + edited});
  CHECK(p.helps.front() ==
        "if the change is intended, run with --refresh to record the new content in ork.lock");
  CHECK(p.lockText() == text);        // a failed run writes nothing
  CHECK(p.fetcher.count(kWeb) == 0);  // the mismatching pattern is not used: its motif is never fetched

  // The source changing under a pinned HTTPS file is the same error.
  p.run({false, false, true, true});
  std::string fileDigest = readLock(p.lockPath()).find("https", kFile, "")->resolved;
  p.write("served/extra.yaml", katalog("extra", "    extra: {crdFile: ./crd.yaml, description: changed}\n"));
  std::vector<std::string> lines = p.run();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] ==
        "komposer.yaml:10:7: error[ORK1281]: file \"https://files.example.com/extra.yaml\": extra.yaml has "
        "digest " +
            sources::sha256Digest(slurp(p.dir.at("served/extra.yaml"))) + " but ork.lock records " +
            fileDigest);
}

TEST_CASE("a malformed ork.lock is ORK1280 at the file, at the line and column of a JSON error",
          "[registry]") {
  Project p;
  p.write("ork.lock", "{\n  \"lockVersion\": 1,\n  \"imports\": [\n}\n");
  CHECK(p.run() ==
        std::vector<std::string>{"ork.lock:4:1: error[ORK1280]: ork.lock is malformed: not valid JSON "
                                 "(line 4, column 1)"});
  CHECK(p.helps.front() == "fix the file, or delete it and run without --locked to write it again");
  p.write("ork.lock",
          "{\"lockVersion\": 1, \"imports\": [{\"kind\": \"svn\", \"url\": \"x\", \"version\": \"v\", "
          "\"resolved\": \"r\", \"files\": {}, \"usedBy\": []}]}\n");
  CHECK(p.run() ==
        std::vector<std::string>{"ork.lock:1:1: error[ORK1280]: ork.lock is malformed: imports[0].kind: "
                                 "unknown kind \"svn\" (oci, oci-layout, github, gitlab, git, https)"});
}

TEST_CASE("fetch failures are reported at the import with the fetcher's text, help and code", "[registry]") {
  struct Row {
    FetchFailure::Kind kind;
    int status;
    std::string detail;
    DiagCode code;
    std::string message;
  };
  std::vector<Row> rows = {
      {FetchFailure::Kind::NotFound, 404, "", DiagCode::ReferenceNotFound, "reference not found"},
      {FetchFailure::Kind::Unauthorized, 401, "", DiagCode::AuthenticationRequired,
       "authentication required (401)"},
      {FetchFailure::Kind::Forbidden, 403, "", DiagCode::AccessDenied, "access denied (403)"},
      {FetchFailure::Kind::Status, 500, "", DiagCode::UnexpectedStatus, "unexpected status 500"},
      {FetchFailure::Kind::Network, 0, "connection refused", DiagCode::NetworkError,
       "network error: connection refused"},
      {FetchFailure::Kind::DigestMismatch, 0, "content of blob x does not match its digest",
       DiagCode::DigestMismatch, "content of blob x does not match its digest"},
      {FetchFailure::Kind::TooLarge, 0, "blob is too large", DiagCode::ContentTooLarge, "blob is too large"},
      {FetchFailure::Kind::Invalid, 0, "wrong artifactType", DiagCode::InvalidArtifact, "wrong artifactType"},
      {FetchFailure::Kind::Insecure, 0, "plain HTTP", DiagCode::InsecureRegistry, "plain HTTP"},
      {FetchFailure::Kind::AuthConfig, 0, "basic auth requires usernameFromEnv and passwordFromEnv",
       DiagCode::ImportAuthConfig, "basic auth requires usernameFromEnv and passwordFromEnv"},
      {FetchFailure::Kind::Offline, 0, "--offline: blob sha256:ab is not in the cache",
       DiagCode::OfflineMissing, "--offline: blob sha256:ab is not in the cache"},
      {FetchFailure::Kind::Cache, 0, "cannot create the cache", DiagCode::CacheUnusable,
       "cannot create the cache"},
  };
  for (const Row& row : rows) {
    Project p;
    FetchFailure f;
    f.kind = row.kind;
    f.status = row.status;
    f.detail = row.detail;
    p.fetcher.failures[DirectoryFetcher::key(FetchKind::Oci, kPg, "v1")] = f;
    std::vector<std::string> lines = p.run();
    INFO(row.message);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "komposer.yaml:7:7: error[" + diagCodeString(row.code) +
                          "]: registry \"127.0.0.1:5000/team/pg\"@v1: " + row.message);
    CHECK(p.helps[0] == f.help());
    // A 401 on an OCI import without auth names the Docker configuration.
    if (row.kind == FetchFailure::Kind::Unauthorized)
      CHECK(p.notes ==
            std::vector<std::string>{"without an auth block, registry credentials come from the Docker "
                                     "configuration: docker login 127.0.0.1:5000"});
    else
      CHECK(p.notes.empty());
    CHECK_FALSE(fs::exists(p.lockPath()));
  }
}

TEST_CASE("ork.lock that cannot be written is ORK1285", "[registry]") {
  testing::Harness h;
  LockSession lock("/proc/ork-no-such-dir/ork.lock", LockOptions{});
  REQUIRE(lock.load(h.sm, h.diags));
  CHECK_FALSE(lock.existed());
  lock.record({"oci", kPg, "v1", "sha256:" + std::string(64, 'a'), {}, {"imports.registry[0]"}});
  CHECK_FALSE(lock.finish(h.diags));
  REQUIRE(h.diags.diagnostics().size() == 1);
  CHECK(h.diags.diagnostics()[0].code == DiagCode::LockWriteFailed);
  CHECK(h.diags.diagnostics()[0].message.rfind("cannot write /proc/ork-no-such-dir/ork.lock: ", 0) == 0);
}

TEST_CASE("usedBy merges when one entry serves two imports", "[registry]") {
  testing::TempDir dir;
  LockSession lock(dir.at("ork.lock"), LockOptions{});
  testing::Harness h;
  REQUIRE(lock.load(h.sm, h.diags));
  std::string digest = "sha256:" + std::string(64, 'b');
  lock.record({"oci", kPg, "v1", digest, {}, {"imports.registry[1]"}});
  lock.record({"oci", kPg, "v1", digest, {}, {"registry:x@v1 imports.registry[0]"}});
  lock.record({"oci", kPg, "v1", digest, {}, {"imports.registry[1]"}});
  REQUIRE(lock.finish(h.diags));
  CHECK(readLock(dir.at("ork.lock")).imports.at(0).usedBy ==
        std::vector<std::string>{"imports.registry[1]", "registry:x@v1 imports.registry[0]"});
}

TEST_CASE("prefetch fetches the entry's network imports once, in parallel; load-imports reuses them",
          "[registry]") {
  Project p;
  std::string komposer = kKomposer;
  komposer += "    - https://evil.example.org/x.yaml\n";  // not allowed by policy: never fetched
  p.write("komposer.yaml", komposer);
  std::vector<std::string> lines = p.run({}, true);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("error[ORK1403]") != std::string::npos);
  // Completion order varies: compare the counters and the labels apart.
  REQUIRE(p.progress.size() == 2);
  CHECK(p.progress[0].substr(0, 4) == "1/2 ");
  CHECK(p.progress[1].substr(0, 4) == "2/2 ");
  std::vector<std::string> labels = {p.progress[0].substr(4), p.progress[1].substr(4)};
  std::sort(labels.begin(), labels.end());
  CHECK(labels == std::vector<std::string>{"file \"https://files.example.com/extra.yaml\"",
                                           "registry \"127.0.0.1:5000/team/pg\"@v1"});
  CHECK(p.fetcher.count(kPg) == 1);
  CHECK(p.fetcher.count(kFile) == 1);
  CHECK(p.fetcher.count(kWeb) == 1);  // transitive: fetched by load-imports
  CHECK(p.fetcher.count("https://evil.example.org/x.yaml") == 0);

  // A failure found by prefetch is reported once, at the import, without a second fetch.
  Project q;
  FetchFailure f;
  f.kind = FetchFailure::Kind::NotFound;
  q.fetcher.failures[DirectoryFetcher::key(FetchKind::Oci, kPg, "v1")] = f;
  CHECK(q.run({}, true) == std::vector<std::string>{"komposer.yaml:7:7: error[ORK1260]: registry "
                                                    "\"127.0.0.1:5000/team/pg\"@v1: reference not found"});
  CHECK(q.helps.front() == "Check available versions in the registry");
  CHECK(q.fetcher.count(kPg) == 1);

  // --locked: imports without an entry are not prefetched either.
  Project r;
  r.run({true, false, false, true}, true);
  CHECK(r.fetcher.requests.empty());
}
