// Tests of check-motif-bindings: Katalogs and Motifs on disk, loaded through the frontend and
// load-imports, then checked; messages are the ones of FORMATS.md §8.3.
#include "passes/check_motif_bindings.h"

#include <catch2/catch.hpp>

#include "passes/check_crds.h"
#include "passes/load_imports.h"
#include "passes/merge_overrides.h"
#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;

namespace {

const char* kMotif = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: web-service}
inputs:
  - {name: image, required: true}
  - {name: port, type: integer, default: 8080}
  - {name: host, default: ""}
resources:
  deployments: [{name: "{{ .metadata.name }}", image: "{{ .inputs.image }}"}]
)";

std::string katalog(const std::string& with) {
  return "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: k}\nspec:\n  crds:\n    webapp:\n"
         "      apiTypes: {group: acme.io, version: v1, kind: WebApp}\n"
         "      imports:\n        - motif: ./motif.yaml\n" +
         with;
}

std::vector<std::string> check(testing::TempDir& dir, const std::string& with, testing::Harness& h) {
  dir.write("motif.yaml", kMotif);
  std::string entry = dir.write("katalog.yaml", katalog(with));
  h.loadEntry(entry);
  h.run(createLoadImportsPass());
  h.run(createCheckMotifBindingsPass());
  std::vector<std::string> out;
  for (std::string s : h.rendered()) {
    for (size_t p; (p = s.find(dir.path() + "/")) != std::string::npos;) s.erase(p, dir.path().size() + 1);
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("complete bindings pass", "[motif-bindings]") {
  testing::TempDir dir;
  testing::Harness h;
  CHECK(check(dir, "          with: {image: \"{{ .spec.image }}\", port: 9090}\n", h).empty());
}

TEST_CASE("an unknown input is named with the declared ones and a suggestion", "[motif-bindings]") {
  testing::TempDir dir;
  testing::Harness h;
  auto out = check(dir, "          with: {image: nginx, imge: x}\n", h);
  REQUIRE(out.size() == 1);
  CHECK(out[0] ==
        "katalog.yaml:10:32: error[ORK1602]: motif \"web-service\": unknown input \"imge\" in with: — declared "
        "inputs: image, port, host (did you mean \"image\"?)");
}

TEST_CASE("a missing required input is reported at the import with the required list", "[motif-bindings]") {
  testing::TempDir dir;
  testing::Harness h;
  auto out = check(dir, "          with: {port: 9090}\n", h);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == "katalog.yaml:9:18: error[ORK1601]: motif \"web-service\": required input \"image\" not provided in with:");
  CHECK(h.diags.diagnostics()[0].notes.at(0).message == "motif requires: image");
}

TEST_CASE("no with: at all misses every required input", "[motif-bindings]") {
  testing::TempDir dir;
  testing::Harness h;
  auto out = check(dir, "", h);
  REQUIRE(out.size() == 1);
  CHECK(h.diags.has(DiagCode::MotifMissingInput));
}

TEST_CASE("a literal binding must fit the input's type; templates and numeric strings do", "[motif-bindings]") {
  testing::TempDir dir;
  testing::Harness h;
  auto out = check(dir, "          with: {image: nginx, port: eighty}\n", h);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == "katalog.yaml:10:38: error[ORK1605]: motif \"web-service\": input \"port\" is integer, got \"eighty\"");
  testing::TempDir dir2;
  testing::Harness h2;
  CHECK(check(dir2, "          with: {image: nginx, port: \"8080\"}\n", h2).empty());
}

TEST_CASE("a Komposer override of with: is what gets checked", "[motif-bindings]") {
  testing::TempDir dir;
  testing::Harness h;
  dir.write("motif.yaml", kMotif);
  dir.write("katalog.yaml", katalog("          with: {port: 9090}\n"));
  std::string entry = dir.write("komposer.yaml",
                                "apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: p}\n"
                                "imports: {files: [./katalog.yaml]}\n"
                                "spec:\n  crds:\n    webapp:\n      imports:\n        - motif: ./motif.yaml\n"
                                "          with: {image: nginx}\n");
  h.loadEntry(entry);
  h.run(createLoadImportsPass());
  h.run(createCheckCrdsPass());
  h.run(createMergeOverridesPass());
  h.run(createCheckMotifBindingsPass());
  CHECK(h.rendered().empty());
}
