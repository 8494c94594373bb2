// Corpus test: every Orkestra document of ../shared/corpus/orkestra/ is validated with
// `ork validate -f <file>` (working directory: the corpus root, so paths print relative) and the
// exact output is compared with testdata/corpus/expected/<file>/expected.{stdout,stderr,exit}.
// Files that are not Orkestra documents (CRD files, CRs, include fragments) are listed in
// testdata/corpus/not_entry_documents.txt with the document that loads them.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include "support/strings.h"
#include "testdata/golden_support.h"

namespace fs = std::filesystem;
using namespace ork::golden;

namespace {

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
    // on every day: between its timeline.from and timeline.to.
    RunResult r = runOrk(corpusRoot(), "validate -f " + rel, "ORK_TODAY=2026-03-01");
    // A crash or a usage error is never an acceptable expectation.
    CHECK(r.exit <= 1);
    for (const std::string& f : checkRun(sourceDir() / "testdata" / "corpus" / "expected" / rel, r)) FAIL_CHECK(f);
    ++validated;
  }
  CHECK(validated >= 20);
}
