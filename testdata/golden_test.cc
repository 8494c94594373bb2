// Golden tests of the ork binary: every case under testdata/validate/, the freshness of
// docs/errors.md, and the rule that every diagnostic code is triggered by some test.
//
// A case directory holds its inputs, a `cmd` file (the arguments after `ork`, split like a shell
// command line) and expected.{stdout,stderr,exit}. The command runs with the case directory as
// working directory, unless the case has a `setup.sh`: then the case is copied to a temporary
// directory, `sh setup.sh` runs there (to generate large or binary inputs that are never
// committed) and the command runs in the copy. An optional `env` file holds `NAME=value` words
// set for the run (ORK_TODAY pins the date lifecycle checks use). Cases named `err_*` must exit
// 1 and print every code listed in their `codes` file. ORK_UPDATE_GOLDEN=1 rewrites the
// expectations.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/diagnostics.h"
#include "support/strings.h"
#include "testdata/golden_support.h"

namespace fs = std::filesystem;
using namespace ork::golden;

namespace {

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
  for (const fs::path& root : {sourceDir() / "testdata" / "validate", sourceDir() / "testdata" / "corpus"}) {
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
  for (const char* layer : {"support", "ir", "frontend", "passes", "backend", "runtime", "tools"}) {
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

}  // namespace

TEST_CASE("golden validate cases", "[validate]") {
  REQUIRE_FALSE(orkBinary().empty());
  std::vector<fs::path> cases = caseDirs(sourceDir() / "testdata" / "validate");
  REQUIRE(cases.size() > 10);
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
