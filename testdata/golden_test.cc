// Golden tests of the ork binary (ORK_BIN): every case under testdata/validate/ and
// testdata/template/, every Orkestra document of the shared corpus, the freshness of
// docs/errors.md, and the rule that every diagnostic code is triggered by some test. One file,
// so the driver needs no header of its own.
//
// A case directory holds its inputs, a `cmd` file (the arguments after `ork`, split like a shell
// command line) and expected.{stdout,stderr,exit}. The command runs with the case directory as
// working directory, unless the case has a `setup.sh`: then the case is copied to a temporary
// directory, `sh setup.sh` runs there (to generate large or binary inputs that are never
// committed) and the command runs in the copy. An optional `env` file holds `NAME=value` words
// set for the run (ORK_TODAY pins the date lifecycle checks use). Cases named `err_*` must exit
// 1 and print every code listed in their `codes` file. ORK_UPDATE_GOLDEN=1 rewrites the
// expectations. Every run gets a private, empty ORK_CACHE_DIR; cases whose imports name network
// sources pass --offline, so they never depend on a network.
//
// The corpus test validates each Orkestra document of ../shared/corpus/orkestra/ with
// `ork validate -f <file>` (working directory: the corpus root, so paths print relative) and
// compares with testdata/corpus/expected/<file>/expected.{stdout,stderr,exit}. Files that are not
// Orkestra documents (CRD files, CRs, include fragments) are listed in
// testdata/corpus/not_entry_documents.txt with the document that loads them.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "support/diagnostics.h"
#include "support/strings.h"

namespace fs = std::filesystem;

namespace {

// ── running ork and comparing outputs ────────────────────────────────────────

/// What one `ork` run printed and returned.
struct RunResult {
  std::string out;
  std::string err;
  int exit = -1;
};

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string getEnv(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

/// Repository root (ORK_SOURCE_DIR, else the working directory).
fs::path sourceDir() {
  std::string s = getEnv("ORK_SOURCE_DIR");
  return s.empty() ? fs::current_path() : fs::path(s);
}

/// ../shared (ORK_SHARED_DIR, else <source>/../shared).
fs::path sharedDir() {
  std::string s = getEnv("ORK_SHARED_DIR");
  return s.empty() ? sourceDir() / ".." / "shared" : fs::path(s);
}

/// The ork binary under test; empty when ORK_BIN is unset.
std::string orkBinary() { return getEnv("ORK_BIN"); }

/// ORK_UPDATE_GOLDEN=1: mismatching expectations are rewritten instead of failing.
bool updateGolden() { return getEnv("ORK_UPDATE_GOLDEN") == "1"; }

std::optional<std::string> readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const fs::path& p, const std::string& contents) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << contents;
}

/// A fresh empty directory under the system temp directory; the caller removes it.
fs::path makeTempDir() {
  std::string tmpl = (fs::temp_directory_path() / "ork-golden-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return fs::temp_directory_path();
  return fs::path(buf.data());
}

/// Runs a shell command in `cwd`; returns its exit status (128 + signal when killed).
int runShell(const fs::path& cwd, const std::string& command) {
  std::string full = "cd " + shellQuote(cwd.string()) + " && " + command;
  int status = std::system(full.c_str());
  if (status == -1) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/// Runs `ork <args>` through /bin/sh (so `args` is split like a shell command line) in `cwd`
/// with NO_COLOR=1 and TERM=dumb, so output does not depend on the caller's terminal, and an
/// empty ORK_CACHE_DIR of its own; `env` holds extra `NAME=value` words.
RunResult runOrk(const fs::path& cwd, const std::string& args, const std::string& env = "") {
  fs::path tmp = makeTempDir();
  fs::path out = tmp / "stdout";
  fs::path err = tmp / "stderr";
  std::string command = "NO_COLOR=1 TERM=dumb ORK_CACHE_DIR=" + shellQuote((tmp / "cache").string()) + " " + env +
                        " exec " + shellQuote(orkBinary()) + " " + args + " >" + shellQuote(out.string()) + " 2>" +
                        shellQuote(err.string()) + " </dev/null";
  RunResult r;
  r.exit = runShell(cwd, command);
  r.out = readFile(out).value_or("");
  r.err = readFile(err).value_or("");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return r;
}

std::string diffTexts(const std::string& expected, const std::string& actual, const std::string& label) {
  if (expected == actual) return "";
  fs::path tmp = makeTempDir();
  writeFile(tmp / "expected", expected);
  writeFile(tmp / "actual", actual);
  fs::path diff = tmp / "diff";
  runShell(tmp, "diff -u --label " + shellQuote("expected " + label) + " --label " +
                    shellQuote("actual " + label) + " expected actual > diff");
  std::string text = readFile(diff).value_or("");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return text;
}

/// Compares an expectation file with an actual output: "" when equal or rewritten
/// (ORK_UPDATE_GOLDEN=1), else a message with the diff.
std::string checkExpectation(const fs::path& file, const std::string& actual) {
  std::optional<std::string> expected = readFile(file);
  if (expected && *expected == actual) return "";
  if (updateGolden()) {
    writeFile(file, actual);
    return "";
  }
  if (!expected) {
    return file.string() + " is missing; run the tests with ORK_UPDATE_GOLDEN=1 to create it, then review it\n"
           "actual output:\n" + actual;
  }
  return file.string() + " differs (ORK_UPDATE_GOLDEN=1 rewrites it):\n" +
         diffTexts(*expected, actual, file.filename().string());
}

/// Checks a run against `<dir>/expected.{stdout,stderr,exit}`; returns the failures.
std::vector<std::string> checkRun(const fs::path& expectedDir, const RunResult& r) {
  std::vector<std::string> failures;
  for (auto [name, actual] : {std::pair<const char*, std::string>{"expected.stdout", r.out},
                              {"expected.stderr", r.err},
                              {"expected.exit", std::to_string(r.exit) + "\n"}}) {
    std::string msg = checkExpectation(expectedDir / name, actual);
    if (!msg.empty()) failures.push_back(msg);
  }
  return failures;
}

/// Every `ORKnnnn` code mentioned in a text.
std::vector<std::string> codesIn(const std::string& text) {
  static const std::regex code(R"(ORK\d{4})");
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), code); it != std::sregex_iterator(); ++it)
    found.insert(it->str());
  return {found.begin(), found.end()};
}

// ── golden cases ─────────────────────────────────────────────────────────────

std::vector<fs::path> caseDirs(const fs::path& root) {
  std::vector<fs::path> dirs;
  if (!fs::is_directory(root)) return dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::vector<std::string> listedCodes(const fs::path& file) {
  std::vector<std::string> codes;
  std::istringstream in(readFile(file).value_or(""));
  std::string line;
  while (std::getline(in, line)) {
    std::string_view t = ork::trim(line);
    if (!t.empty() && t[0] != '#') codes.emplace_back(t);
  }
  return codes;
}

// Runs one case and returns its failures.
std::vector<std::string> runCase(const fs::path& dir) {
  std::vector<std::string> failures;
  std::string name = dir.filename().string();
  std::optional<std::string> cmd = readFile(dir / "cmd");
  if (!cmd) return {name + ": no cmd file"};
  std::string args(ork::trim(*cmd));
  std::string env;
  for (char c : readFile(dir / "env").value_or("")) env += c == '\n' ? ' ' : c;
  RunResult r;
  if (fs::exists(dir / "setup.sh")) {
    fs::path work = makeTempDir() / name;
    fs::copy(dir, work, fs::copy_options::recursive);
    if (runShell(work, "sh setup.sh") != 0) failures.push_back(name + ": setup.sh failed");
    r = runOrk(work, args, env);
    std::error_code ec;
    fs::remove_all(work.parent_path(), ec);
  } else {
    r = runOrk(dir, args, env);
  }
  for (const std::string& f : checkRun(dir, r)) failures.push_back(name + ": " + f);
  if (ork::startsWith(name, "err_")) {
    if (r.exit != 1) failures.push_back(name + ": an err_ case must exit 1, got " + std::to_string(r.exit));
    std::vector<std::string> codes = listedCodes(dir / "codes");
    if (codes.empty()) failures.push_back(name + ": an err_ case needs a `codes` file listing its codes");
    for (const std::string& c : codes) {
      if (r.err.find(c) == std::string::npos) failures.push_back(name + ": expected code " + c + " on stderr");
    }
  }
  return failures;
}

// Codes printed by golden expectations (validate cases and the corpus).
std::set<std::string> codesInGoldenFiles() {
  std::set<std::string> codes;
  for (const fs::path& root : {sourceDir() / "testdata" / "validate", sourceDir() / "testdata" / "template",
                                sourceDir() / "testdata" / "corpus"}) {
    if (!fs::is_directory(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file() || e.path().filename() != "expected.stderr") continue;
      for (const std::string& c : codesIn(readFile(e.path()).value_or(""))) codes.insert(c);
    }
  }
  return codes;
}

// The text of the C++ sources of every layer: unit tests (`*_test.cc`) or the others.
std::string layerSources(bool tests) {
  std::string all;
  // testdata/cli: the end-to-end CLI tests (ork pull, inspect, push, …) trigger codes too.
  for (const char* layer : {"support", "ir", "frontend", "passes", "backend", "runtime", "tools", "testdata/cli"}) {
    fs::path root = sourceDir() / layer;
    if (!fs::is_directory(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      std::string n = e.path().filename().string();
      if (!e.is_regular_file() || !(ork::endsWith(n, ".cc") || ork::endsWith(n, ".h"))) continue;
      if (ork::endsWith(n, "_test.cc") == tests) all += readFile(e.path()).value_or("");
    }
  }
  return all;
}


fs::path corpusRoot() { return sharedDir() / "corpus" / "orkestra"; }

// A top-level `apiVersion: orkestra.orkspace.io/v1` line marks an Orkestra document.
bool isOrkestraDocument(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (ork::startsWith(line, "apiVersion:") && line.find("orkestra.orkspace.io/") != std::string::npos) return true;
  }
  return false;
}

std::set<std::string> listedNonEntryFiles() {
  std::set<std::string> out;
  std::istringstream in(readFile(sourceDir() / "testdata" / "corpus" / "not_entry_documents.txt").value_or(""));
  std::string line;
  while (std::getline(in, line)) {
    std::string_view t = ork::trim(line);
    if (t.empty() || t[0] == '#') continue;
    out.insert(std::string(t.substr(0, t.find_first_of(" \t"))));
  }
  return out;
}

}  // namespace

// ── tests ────────────────────────────────────────────────────────────────────

TEST_CASE("golden validate cases", "[validate]") {
  REQUIRE_FALSE(orkBinary().empty());
  std::vector<fs::path> cases = caseDirs(sourceDir() / "testdata" / "validate");
  REQUIRE(cases.size() > 10);
  for (const fs::path& dir : cases) {
    INFO("case " << dir.filename().string());
    for (const std::string& f : runCase(dir)) FAIL_CHECK(f);
  }
}

// `ork template` cases share the validate driver (same case layout) and run with it.
TEST_CASE("golden template cases", "[validate][template]") {
  REQUIRE_FALSE(orkBinary().empty());
  std::vector<fs::path> cases = caseDirs(sourceDir() / "testdata" / "template");
  REQUIRE(cases.size() >= 3);
  for (const fs::path& dir : cases) {
    INFO("case " << dir.filename().string());
    for (const std::string& f : runCase(dir)) FAIL_CHECK(f);
  }
}

TEST_CASE("docs/errors.md is generated from the code table", "[errors-md]") {
  REQUIRE_FALSE(orkBinary().empty());
  RunResult r = runOrk(sourceDir(), "errors --markdown");
  REQUIRE(r.exit == 0);
  std::string msg = checkExpectation(sourceDir() / "docs" / "errors.md", r.out);
  if (!msg.empty()) {
    FAIL("docs/errors.md is stale; regenerate it with `ork errors --markdown > docs/errors.md` "
         "(or run the tests with ORK_UPDATE_GOLDEN=1)\n" << msg);
  }
}

TEST_CASE("ork errors prints one aligned line per code", "[errors-md]") {
  REQUIRE_FALSE(orkBinary().empty());
  RunResult r = runOrk(sourceDir(), "errors");
  REQUIRE(r.exit == 0);
  std::istringstream lines(r.out);
  std::string line;
  size_t flagColumn = std::string::npos;
  for (const ork::DiagInfo& i : ork::diagTable()) {
    REQUIRE(std::getline(lines, line));
    INFO(line);
    CHECK(ork::startsWith(line, ork::diagCodeString(i.code) + "  " + std::string(ork::severityName(i.severity))));
    size_t col = line.find(std::string(i.flag) + "  ");
    REQUIRE(col != std::string::npos);
    if (flagColumn == std::string::npos) flagColumn = col;
    CHECK(col == flagColumn);
    CHECK(ork::endsWith(line, std::string(i.summary)));
  }
  CHECK_FALSE(std::getline(lines, line));
}

TEST_CASE("every diagnostic code is triggered by a golden case or a unit test", "[coverage]") {
  std::set<std::string> golden = codesInGoldenFiles();
  fs::path allowFile = sourceDir() / "testdata" / "codes_covered_by_unit_tests.txt";
  std::vector<std::string> allowList = listedCodes(allowFile);
  std::map<std::string, std::string> known;  // ORKnnnn -> enum name
  for (const ork::DiagInfo& i : ork::diagTable()) known[ork::diagCodeString(i.code)] = std::string(i.name);
  std::string unitTests = layerSources(true);
  std::string sources = layerSources(false);

  std::set<std::string> allowed;
  for (const std::string& line : allowList) {
    std::istringstream words(line);
    std::string code, second;
    words >> code >> second;
    INFO("codes_covered_by_unit_tests.txt entry " << code);
    if (!known.count(code)) {
      FAIL_CHECK(code << " is not a code of support/diag_codes.def");
      continue;
    }
    std::string enumName = "DiagCode::" + known[code];
    if (second == "not-emitted") {
      if (sources.find(enumName) != std::string::npos)
        FAIL_CHECK(code << " (" << known[code] << ") is listed as not emitted, but the sources use " << enumName
                        << "; add a golden case or a unit test and update the list");
    } else if (unitTests.find(enumName) == std::string::npos && unitTests.find(code) == std::string::npos) {
      // An allow-listed code must really appear in a unit test, by enum name or by number.
      FAIL_CHECK(code << " (" << known[code] << ") is allow-listed but no *_test.cc mentions it");
    }
    allowed.insert(code);
  }
  for (const auto& [code, name] : known) {
    if (golden.count(code) || allowed.count(code)) continue;
    FAIL_CHECK(code << " (" << name << ") is triggered by no golden case (testdata/validate/*/expected.stderr) and is "
                    "not listed in testdata/codes_covered_by_unit_tests.txt");
  }
}

TEST_CASE("every Orkestra document of the corpus validates as expected", "[corpus]") {
  REQUIRE_FALSE(orkBinary().empty());
  REQUIRE(fs::is_directory(corpusRoot()));
  std::set<std::string> nonEntry = listedNonEntryFiles();
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(corpusRoot())) {
    std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
      files.push_back(fs::relative(e.path(), corpusRoot()).generic_string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 30);
  int validated = 0;
  for (const std::string& rel : files) {
    INFO("corpus file " << rel);
    bool orkestra = isOrkestraDocument(readFile(corpusRoot() / rel).value_or(""));
    if (!orkestra) {
      if (!nonEntry.count(rel))
        FAIL_CHECK(rel << " is not an Orkestra document; list it in testdata/corpus/not_entry_documents.txt");
      continue;
    }
    if (nonEntry.count(rel)) FAIL_CHECK(rel << " is an Orkestra document but listed as not one");
    // The date is pinned so deprecation timelines (13-deprecation-accept) give the same state
    // on every day: between its timeline.from and timeline.to. --offline: the corpus imports from
    // registries a test must not depend on (and ../shared is read-only: no ork.lock is written).
    RunResult r = runOrk(corpusRoot(), "validate --offline -f " + rel, "ORK_TODAY=2026-03-01");
    // A crash or a usage error is never an acceptable expectation.
    CHECK(r.exit <= 1);
    for (const std::string& f : checkRun(sourceDir() / "testdata" / "corpus" / "expected" / rel, r)) FAIL_CHECK(f);
    ++validated;
  }
  CHECK(validated >= 20);
}
