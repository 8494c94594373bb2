// Regression tests for inputs the YAML frontend fuzzer (yaml_frontend_fuzz.cc) found: each must end in a
// coded diagnostic at the right place, quickly, in the ordinary (gcc, non-fuzz) build too.
#include <catch2/catch.hpp>

#include <string>

#include "frontend/yaml_reader.h"
#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace {

struct Parsed {
  size_t documents = 0;
  std::string rendered;  // every diagnostic, as the CLI prints them (no colour)
  ork::DiagnosticEngine diags;
};

Parsed parse(const std::string& text) {
  ork::SourceManager sm;
  Parsed p;
  ork::FileId file = sm.addBuffer("fuzz.yaml", text);
  p.documents = ork::frontend::readYaml(sm, file, p.diags).size();
  p.rendered = ork::renderAll(p.diags, sm, ork::RenderOptions{});
  return p;
}

}  // namespace

TEST_CASE("a stray comma at block level is a syntax error, not an endless loop", "[fuzz]") {
  // yaml-cpp 0.7, the parser before libyaml, returned empty documents for it forever (a fuzzer timeout).
  Parsed p = parse(",\n");
  REQUIRE(p.diags.errorCount() == 1);
  CHECK(p.diags.diagnostics()[0].code == ork::DiagCode::YamlSyntax);
  CHECK(p.rendered.rfind("fuzz.yaml:1:1: error[ORK1001]: YAML: unexpected ',' (a comma separates items only "
                         "inside [ ] or { })\n",
                         0) == 0);
  CHECK(p.documents == 0);
}

TEST_CASE("a stray comma after a document keeps the documents before it", "[fuzz]") {
  Parsed p = parse("- a\n---\n[1, 2]\n,\n");
  REQUIRE(p.diags.errorCount() == 1);
  CHECK(p.diags.diagnostics()[0].code == ork::DiagCode::YamlSyntax);
  CHECK(p.rendered.find("fuzz.yaml:4:1: error[ORK1001]: YAML: unexpected ','") == 0);
  CHECK(p.documents == 2);
}

TEST_CASE("the fuzzer's original input: a comma before a CR document", "[fuzz]") {
  Parsed p = parse(
      ",piVersion: demo.orkestra.io/v1alpha1\nkind: Website\nmetadata:\n  name: hello\n"
      "  namespace: defauladata.name }}.{{ .metadata.nyments:\n            - name: \"{{ .t\nspec:\n"
      "  image: nginx:2.25\n");
  REQUIRE(p.diags.errorCount() == 1);
  CHECK(p.diags.diagnostics()[0].code == ork::DiagCode::YamlSyntax);
  CHECK(p.rendered.find("fuzz.yaml:1:1: error[ORK1001]: YAML: unexpected ','") == 0);
}
