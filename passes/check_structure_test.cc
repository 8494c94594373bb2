// Tests of the pattern and motif directory checks (FORMATS.md §10.3) on real directories.
#include "passes/check_structure.h"

#include <catch2/catch.hpp>

#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;
using testing::Harness;
using testing::TempDir;

namespace {
void writeCompletePattern(const TempDir& t, const std::string& dir) {
  for (const std::string& f : requiredPatternFiles()) t.write(dir + "/" + f, "x\n");
}
}  // namespace

TEST_CASE("a complete pattern directory passes", "[check_structure]") {
  TempDir t;
  writeCompletePattern(t, "pg");
  Harness h;
  CHECK(checkPatternStructure(realFileSystem(), t.at("pg"), h.diags));
  CHECK(h.diags.diagnostics().empty());
}

TEST_CASE("every violation is reported in one message, in file order", "[check_structure]") {
  TempDir t;
  writeCompletePattern(t, "pg");
  std::filesystem::remove(t.at("pg/cr.yaml"));
  t.write("pg/README.md", "");
  Harness h;
  CHECK_FALSE(checkPatternStructure(realFileSystem(), t.at("pg"), h.diags));
  REQUIRE(h.diags.diagnostics().size() == 1);
  const Diagnostic& d = h.diags.diagnostics()[0];
  CHECK(d.code == DiagCode::PatternStructure);
  CHECK(d.message == "failed structure validation: missing: cr.yaml; empty: README.md");
  CHECK(d.help == "Add the file to the upstream pattern; Populate the file in the upstream pattern");
}

TEST_CASE("an empty directory lists all five files; a prefix names the import", "[check_structure]") {
  TempDir t;
  t.mkdir("empty");
  Harness h;
  FileId f = h.addFile("komposer.yaml", "registry: [ghcr.io/acme/pg@v14]\n");
  CHECK(patternStructureViolations(realFileSystem(), t.at("empty")).size() == 5);
  CHECK_FALSE(checkPatternStructure(realFileSystem(), t.at("empty"), h.diags, h.find(f, "ghcr.io"),
                                    "registry \"ghcr.io/acme/pg\"@v14: "));
  CHECK(h.rendered() == std::vector<std::string>{
                            "komposer.yaml:1:12: error[ORK1501]: registry \"ghcr.io/acme/pg\"@v14: failed structure "
                            "validation: missing: crd.yaml; missing: katalog.yaml; missing: komposer.yaml; missing: "
                            "cr.yaml; missing: README.md"});
  CHECK(h.diags.diagnostics()[0].help == "Add the file to the upstream pattern");
}

TEST_CASE("only empty files gives the populate help", "[check_structure]") {
  TempDir t;
  writeCompletePattern(t, "pg");
  t.write("pg/crd.yaml", "");
  Harness h;
  CHECK_FALSE(checkPatternStructure(realFileSystem(), t.at("pg"), h.diags));
  CHECK(h.diags.diagnostics()[0].message == "failed structure validation: empty: crd.yaml");
  CHECK(h.diags.diagnostics()[0].help == "Populate the file in the upstream pattern");
}

TEST_CASE("a path that is not a directory is ORK0005", "[check_structure]") {
  TempDir t;
  t.write("file.yaml", "x");
  Harness h;
  CHECK_FALSE(checkPatternStructure(realFileSystem(), t.at("file.yaml"), h.diags));
  CHECK_FALSE(checkPatternStructure(realFileSystem(), t.at("nowhere"), h.diags));
  REQUIRE(h.diags.diagnostics().size() == 2);
  CHECK(h.diags.diagnostics()[0].code == DiagCode::NotADirectory);
  CHECK(h.diags.diagnostics()[0].message == "'" + t.at("file.yaml") + "' is not a directory");
  CHECK(h.diags.diagnostics()[1].message == "'" + t.at("nowhere") + "' is not a directory (it does not exist)");
}

TEST_CASE("motif directories: motif.yaml required and non-empty, README.md a warning", "[check_structure]") {
  TempDir t;
  t.write("web/motif.yaml", "kind: Motif\n");
  t.write("web/README.md", "# web\n");
  t.write("bare/motif.yaml", "kind: Motif\n");
  t.write("empty/motif.yaml", "");
  t.write("empty/README.md", "# e\n");
  t.mkdir("none");
  Harness h;
  CHECK(checkMotifStructure(realFileSystem(), t.at("web"), h.diags));
  CHECK(h.diags.diagnostics().empty());

  CHECK(checkMotifStructure(realFileSystem(), t.at("bare"), h.diags, {}, "motif \"ghcr.io/acme/m\"@v1: "));
  CHECK_FALSE(checkMotifStructure(realFileSystem(), t.at("empty"), h.diags));
  CHECK_FALSE(checkMotifStructure(realFileSystem(), t.at("none"), h.diags));
  CHECK(h.rendered() == std::vector<std::string>{
                            "<unknown>: warning[ORK1502]: motif \"ghcr.io/acme/m\"@v1: motif structure: missing: README.md",
                            "<unknown>: error[ORK1503]: failed structure validation: empty: motif.yaml",
                            "<unknown>: error[ORK1503]: failed structure validation: missing: motif.yaml",
                            "<unknown>: warning[ORK1502]: motif structure: missing: README.md"});
}
