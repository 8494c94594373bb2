// Tests of parse-templates: offsets inside YAML scalars map to the right line:col for every scalar
// style, and the pass reports template errors in entries, motifs and notes, skipping non-templates.
#include "passes/parse_templates.h"

#include <catch2/catch.hpp>

#include "frontend/yaml_reader.h"
#include "passes/pipeline.h"
#include "passes/testing.h"
#include "support/template_ast.h"

using namespace ork;
using namespace ork::passes;

namespace {

// Reads `yaml` (one mapping), finds the scalar at key `key`, and returns the line:col of the first
// occurrence of `needle` in the scalar's text, mapped back to the source.
std::string locate(const std::string& yaml, const std::string& key, const std::string& needle) {
  SourceManager sm;
  DiagnosticEngine diags;
  FileId f = sm.addBuffer("t.yaml", yaml);
  auto docs = frontend::readYaml(sm, f, diags);
  REQUIRE(docs.size() == 1);
  const ir::Node* n = docs[0].root->get(key);
  REQUIRE(n);
  size_t at = n->text.find(needle);
  REQUIRE(at != std::string::npos);
  Span s = templateSpan(sm, *n, static_cast<uint32_t>(at), static_cast<uint32_t>(needle.size()));
  CHECK(sm.text(s) == needle);
  return sm.location(s);
}

std::vector<std::string> validate(testing::TempDir& dir, const std::string& file, const std::string& text) {
  testing::Harness h;
  h.loadEntry(dir.write(file, text));
  h.run(createParseTemplatesPass());
  std::vector<std::string> out;
  for (std::string s : h.rendered()) {
    for (size_t p; (p = s.find(dir.path() + "/")) != std::string::npos;) s.erase(p, dir.path().size() + 1);
    if (s.find("[ORK30") != std::string::npos)
      out.push_back(s);  // the frontend's own checks are not tested here
  }
  return out;
}

const char* kHead =
    "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: k}\nspec:\n  crds:\n    webapp:\n"
    "      apiTypes: {group: acme.io, version: v1, kind: WebApp}\n"
    "      operatorBox:\n        reconcile:\n          onCreate:\n            deployments:\n";

}  // namespace

TEST_CASE("template offsets map into plain, quoted and block scalars", "[parse-templates]") {
  CHECK(locate("a: x {{ .spec.image | uper }}\n", "a", "uper") == "t.yaml:1:23");
  CHECK(locate("image: \"{{ .spec.image | uper }}\"\n", "image", "uper") == "t.yaml:1:26");
  CHECK(locate("a: \"x\\\"y\\u00e9 {{ uper }}\"\n", "a", "uper") == "t.yaml:1:19");
  CHECK(locate("a: \"\\x41{{ uper }}\"\n", "a", "uper") == "t.yaml:1:12");
  CHECK(locate("a: 'it''s {{ uper }}'\n", "a", "uper") == "t.yaml:1:14");
  CHECK(locate("a: |\n  line one\n    {{ .x | uper }}\n", "a", "uper") == "t.yaml:3:13");
  CHECK(locate("a: >-\n  folded\n  text {{ uper }}\n", "a", "uper") == "t.yaml:3:11");
  CHECK(locate("m: {a: 1}\na: {b: 2}\nk: [1]\na2: \"{{ uper }}\"\n", "a2", "uper") == "t.yaml:4:9");
}

TEST_CASE("a template error is reported at the column of the name, with a did-you-mean",
          "[parse-templates]") {
  testing::TempDir dir;
  auto out = validate(
      dir, "katalog.yaml",
      std::string(kHead) + "              - name: x\n                image: \"{{ .spec.image | uper }}\"\n");
  REQUIRE(out.size() == 1);
  CHECK(out[0] == "katalog.yaml:13:42: error[ORK3002]: unknown function 'uper' (did you mean 'upper'?)");
}

TEST_CASE("forEach aliases are roots in their entry; notes are functions", "[parse-templates]") {
  testing::TempDir dir;
  std::string text =
      "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: k}\n"
      "notes: {isProd: {expression: '{{ eq .metadata.namespace \"prod\" }}'}}\n"
      "spec:\n  crds:\n    webapp:\n"
      "      apiTypes: {group: acme.io, version: v1, kind: WebApp}\n"
      "      operatorBox:\n        reconcile:\n          onCreate:\n            deployments:\n"
      "              - name: \"{{ .metadata.name }}-{{ .shard.name }}\"\n"
      "                image: \"{{ if isProd }}a{{ end }}\"\n"
      "                forEach: {field: spec.shards, as: shard}\n"
      "              - name: \"{{ .shard.name }}\"\n";
  auto out = validate(dir, "katalog.yaml", text);
  for (const std::string& line : out) UNSCOPED_INFO(line);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == "katalog.yaml:16:27: error[ORK3003]: unknown data root '.shard'");
}

TEST_CASE("values that are not templates are skipped; condition fields are parsed", "[parse-templates]") {
  testing::TempDir dir;
  std::string text = std::string(kHead) +
                     "              - name: x\n                image: nginx\n"
                     "                when:\n"
                     "                  - {field: \"{{ .Spec.Host }}\", equals: \"{{ not a template }}\"}\n"
                     "            custom:\n"
                     "              - {apiVersion: \"{{ x }}\", kind: \"{{ y }}\", name: z, spec: {a: \"{{ "
                     ".spec.a | upper }}\"}}\n";
  auto out = validate(dir, "katalog.yaml", text);
  for (const std::string& line : out) UNSCOPED_INFO(line);
  REQUIRE(out.size() == 1);
  CHECK(out[0] ==
        "katalog.yaml:15:33: error[ORK3003]: unknown data root '.Spec.Host' (did you mean '.spec.host'?)");
}

TEST_CASE("motif documents and note expressions are parsed too", "[parse-templates]") {
  testing::TempDir dir;
  auto motif = validate(
      dir, "motif.yaml",
      "apiVersion: orkestra.orkspace.io/v1\nkind: Motif\nmetadata: {name: m}\n"
      "inputs:\n  - {name: image, required: true}\n"
      "resources:\n  deployments:\n    - {name: \"{{ .inputs.nme | lower }}\", image: \"{{ $x }}\"}\n");
  REQUIRE(motif.size() == 1);
  CHECK(motif[0] == "motif.yaml:8:54: error[ORK3005]: undefined variable \"$x\"");
  auto notes = validate(dir, "katalog.yaml",
                        "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: k}\n"
                        "notes:\n  - {name: isProd, expression: '{{ eq .metadata.namespace \"prod\" }'}\n"
                        "spec: {crds: {}}\n");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] == "katalog.yaml:5:66: error[ORK3001]: unexpected character '}' in action");
}

TEST_CASE("parsed templates are stored on their nodes, and composed CRDs carry them", "[parse-templates]") {
  testing::TempDir dir;
  testing::Harness h;
  dir.write("katalog.yaml", std::string(kHead) +
                                "              - {name: \"{{ .metadata.name }}\", image: \"{{ .spec.image }}\", "
                                "replicas: 2}\n");
  h.loadEntry(dir.write("komposer.yaml", "apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: p}\n"
                                         "imports: {files: [./katalog.yaml]}\n"
                                         "spec:\n  crds:\n    webapp:\n      labels: {team: \"{{ .spec.team }}\"}\n"));
  for (const PassPtr& p : buildValidatePipeline()) h.run(p);
  REQUIRE(h.module.composedCrds.size() == 1);
  const ir::Node& body = *h.module.composedCrds[0].body;
  const ir::Node* entry = body.at("operatorBox.reconcile.onCreate.deployments")->items[0].get();
  REQUIRE(entry->get("image")->parsed);
  CHECK(entry->get("image")->parsed->source == "{{ .spec.image }}");
  CHECK(entry->get("image")->parsed->parts[0].pipe.commands[0].operands[0].path ==
        std::vector<std::string>{"spec", "image"});
  CHECK(entry->get("name")->parsed);
  CHECK_FALSE(entry->get("replicas")->parsed);  // not a string
  const ir::Node* team = body.at("labels.team");  // from the Komposer's override
  REQUIRE(team);
  CHECK(team->parsed);
}
