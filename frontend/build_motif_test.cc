// Tests of the Motif builder (FORMATS.md §8.1): corpus motifs, strict keys, inputs, conversion.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "frontend/loader.h"
#include "frontend/testing/loaded_documents.h"

using namespace ork;
using namespace ork::frontend;

namespace {

using testing::Loaded;
using testing::corpus;
using testing::loadFile;

std::unique_ptr<Loaded> load(const std::string& text, const std::string& name = "motif.yaml") {
  return testing::load(text, name);
}

const char* kHeader = "apiVersion: orkestra.orkspace.io/v1\nkind: Motif\nmetadata: {name: web}\n";

std::unique_ptr<Loaded> motif(const std::string& body) { return load(kHeader + body); }

}  // namespace

TEST_CASE("corpus motifs load without errors") {
  for (const char* rel : {"ialexeze/examples/registry-guide/01-motifs/web-service/motif.yaml",
                          "ialexeze/examples/registry-guide/01-motifs/data-store/motif.yaml",
                          "ialexeze/examples/registry-guide/01-motifs/platform-admission/motif.yaml",
                          "orkspace/examples/intermediate/08-state-machine/motif/resources.yaml"}) {
    auto l = loadFile(corpus(rel));
    INFO(rel << "\n" << l->rendered());
    CHECK(l->diags.errorCount() == 0);
    REQUIRE(l->docs.size() == 1);
    CHECK(l->docs[0]->kind == ir::DocKind::Motif);
  }
}

TEST_CASE("corpus web-service motif: metadata and inputs") {
  auto l = loadFile(corpus("ialexeze/examples/registry-guide/01-motifs/web-service/motif.yaml"));
  const ir::Document& d = l->doc();
  CHECK(d.metadata.name.value == "web-service");
  CHECK(d.metadata.version.value == "v1.0.0");
  CHECK(d.metadata.author == "myorg");
  CHECK(d.metadata.license == "Apache-2.0");
  CHECK(d.metadata.tags.size() == 5);
  REQUIRE(d.inputs.size() == 5);
  CHECK(d.inputs[0].name.value == "image");
  CHECK(l->lc(d.inputs[0].name.span) == "19:11");
  CHECK(d.inputs[0].required);
  CHECK(d.inputs[0].defaultValue == nullptr);
  CHECK(d.inputs[0].type == "string");
  CHECK(d.inputs[1].name.value == "port");
  CHECK_FALSE(d.inputs[1].required);
  REQUIRE(d.inputs[1].defaultValue);
  CHECK(d.inputs[1].defaultValue->text == "9999");
  CHECK(d.inputs[3].name.value == "host");
  REQUIRE(d.inputs[3].defaultValue);
  CHECK(d.inputs[3].defaultValue->text.empty());
}

TEST_CASE("the FORMATS.md §8.1 motif loads, with typed inputs") {
  auto l = motif(
      "inputs: [{name: image, required: true}, {name: port, type: integer, default: 8080}, {name: host, default: \"\"}]\n"
      "resources:\n"
      "  onCreate: {secrets: [{name: \"{{ .metadata.name }}-session\", once: true, data: {key: \"{{ randomHex 64 }}\"}}]}\n"
      "  deployments: [{name: \"{{ .metadata.name }}\", image: \"{{ .inputs.image }}\", port: \"{{ .inputs.port }}\"}]\n"
      "  ingresses: [{name: \"{{ .metadata.name }}\", host: \"{{ .inputs.host }}\", when: [{field: inputs.host, notEquals: \"\"}]}]\n"
      "status: {fields: [{path: ready, type: boolean, value: \"{{ allReplicasReady .children.deployment }}\"}]}\n"
      "admission: {validation: {rules: [{field: spec.image, operator: exists, message: image is required}]}}\n");
  INFO(l->rendered());
  CHECK(l->diags.diagnostics().empty());
  const ir::Document& d = l->doc();
  REQUIRE(d.inputs.size() == 3);
  CHECK(d.inputs[1].type == "integer");
  CHECK(d.inputs[1].defaultValue->intValue == 8080);
}

TEST_CASE("motif: unknown keys are ORK1102 at the key, with a did-you-mean") {
  auto l = motif("resource: {}\n");
  const Diagnostic& d = l->one(DiagCode::UnknownKey);
  CHECK(d.message == "unknown key 'resource' in the document (did you mean 'resources'?)");
  CHECK(l->lc(d.span) == "4:1");

  auto m = load("apiVersion: orkestra.orkspace.io/v1\nkind: Motif\nmetadata: {name: web, namespace: x}\n");
  CHECK(m->one(DiagCode::UnknownKey).message == "unknown key 'namespace' in metadata");

  auto i = motif("inputs: [{name: a, requird: true}]\n");
  CHECK(i->one(DiagCode::UnknownKey).message == "unknown key 'requird' in inputs[0] (did you mean 'required'?)");
  CHECK(i->lc(i->one(DiagCode::UnknownKey).span) == "4:20");
}

TEST_CASE("motif: resource blocks are checked, onCreate/onReconcile/onDelete included") {
  auto l = motif("resources:\n  configmaps: []\n  onCreate:\n    pvcs: []\n");
  auto unknown = l->with(DiagCode::UnknownKey);
  INFO(l->rendered());
  REQUIRE(unknown.size() == 2);
  CHECK(unknown[0]->message == "unknown key 'configmaps' in resources (did you mean 'configMaps'?)");
  CHECK(l->lc(unknown[0]->span) == "5:3");
  CHECK(unknown[1]->message.rfind("unknown key 'pvcs' in resources.onCreate", 0) == 0);
  CHECK(l->lc(unknown[1]->span) == "7:5");
}

TEST_CASE("motif: status fields use the emit.status shape") {
  auto l = motif("status: {fields: [{path: ready, vaule: x}]}\n");
  const Diagnostic& d = l->one(DiagCode::UnknownKey);
  CHECK(d.message == "unknown key 'vaule' in status.fields[0] (did you mean 'value'?)");
}

TEST_CASE("motif: profiles, imports and notes are unsupported (ORK1105)") {
  auto l = motif("profiles: {a: 1}\nimports: [x]\nnotes: {n: {expression: x}}\n");
  auto w = l->with(DiagCode::UnsupportedKey);
  REQUIRE(w.size() == 3);
  CHECK(w[0]->message == "'profiles' is not supported by ork; ignored");
  CHECK(w[1]->message == "'imports' is not supported by ork; ignored");
  CHECK(w[2]->message == "'notes' is not supported by ork; ignored");
  CHECK(l->lc(w[1]->span) == "5:1");
  CHECK(l->diags.errorCount() == 0);
}

TEST_CASE("motif: a duplicate input name is ORK1112 with a note at the first") {
  auto l = motif("inputs:\n  - name: image\n  - name: port\n  - name: image\n");
  const Diagnostic& d = l->one(DiagCode::DuplicateName);
  CHECK(d.message == "inputs[2].name: input 'image' is declared twice");
  CHECK(l->lc(d.span) == "7:11");
  CHECK(d.path == "inputs[2].name");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "first declared here");
  CHECK(l->lc(d.notes[0].span) == "5:11");
}

TEST_CASE("motif: a required input with a default is ORK1604 at the default") {
  auto l = motif("inputs:\n  - name: image\n    required: true\n    default: nginx\n");
  const Diagnostic& d = l->one(DiagCode::MotifInputDefault);
  CHECK(d.message == "inputs[0]: input 'image' is required, so it cannot have a default");
  CHECK(l->lc(d.span) == "7:5");
  REQUIRE(d.notes.size() == 1);
  CHECK(l->lc(d.notes[0].span) == "6:5");
  CHECK(d.help == "remove 'default', or make the input optional with 'required: false'");
  // required: false with a default, and required with `default: null`, are fine.
  CHECK(motif("inputs: [{name: a, required: false, default: x}]\n")->diags.diagnostics().empty());
  CHECK(motif("inputs: [{name: a, required: true, default: null}]\n")->diags.diagnostics().empty());
}

TEST_CASE("motif: a default must fit the input's type (ORK1604 at the value)") {
  auto l = motif("inputs:\n  - {name: port, type: integer, default: eighty}\n");
  const Diagnostic& d = l->one(DiagCode::MotifInputDefault);
  CHECK(d.message == "inputs[0].default: \"eighty\" does not fit type integer");
  CHECK(l->lc(d.span) == "5:42");

  CHECK(motif("inputs: [{name: r, type: number, default: 1.5x}]\n")->with(DiagCode::MotifInputDefault).size() == 1);
  CHECK(motif("inputs: [{name: b, type: boolean, default: yes}]\n")->with(DiagCode::MotifInputDefault).size() == 1);
  CHECK(motif("inputs: [{name: s, default: [a, b]}]\n")->one(DiagCode::MotifInputDefault).message ==
        "inputs[0].default: list does not fit type string");
  // Literals, numeric strings (§5.3) and templates fit.
  for (const char* ok : {"{name: p, type: integer, default: 8080}", "{name: p, type: integer, default: \"8080\"}",
                         "{name: p, type: integer, default: \"{{ .spec.port }}\"}", "{name: n, type: number, default: 0.5}",
                         "{name: n, type: number, default: 3}", "{name: b, type: boolean, default: false}",
                         "{name: b, type: boolean, default: \"true\"}", "{name: s, type: string, default: 42}"}) {
    auto ok_ = motif(std::string("inputs: [") + ok + "]\n");
    INFO(ok << "\n" << ok_->rendered());
    CHECK(ok_->diags.diagnostics().empty());
  }
}

TEST_CASE("motif: int, float and bool are accepted with a deprecation warning") {
  auto l = motif("inputs:\n  - {name: a, type: int, default: 1}\n  - {name: b, type: float}\n  - {name: c, type: bool}\n");
  auto w = l->with(DiagCode::DeprecatedShape);
  REQUIRE(w.size() == 3);
  CHECK(w[0]->message == "inputs[0].type: 'int' is deprecated; use 'integer'");
  CHECK(l->lc(w[0]->span) == "5:21");
  CHECK(w[1]->message == "inputs[1].type: 'float' is deprecated; use 'number'");
  CHECK(w[2]->message == "inputs[2].type: 'bool' is deprecated; use 'boolean'");
  CHECK(l->diags.errorCount() == 0);
  const ir::Document& d = l->doc();
  CHECK(d.inputs[0].type == "integer");
  CHECK(d.inputs[1].type == "number");
  CHECK(d.inputs[2].type == "boolean");
  CHECK(d.root->at("inputs")->items[0]->get("type")->text == "integer");  // normalised in the tree
}

TEST_CASE("motif: other input types are ORK1108; a missing name is ORK1104") {
  auto l = motif("inputs: [{name: a, type: strng}]\n");
  const Diagnostic& d = l->one(DiagCode::InvalidValue);
  CHECK(d.message.find("(did you mean 'string'?)") != std::string::npos);
  auto m = motif("inputs: [{required: true}]\n");
  CHECK(m->one(DiagCode::MissingField).message == "inputs[0]: missing required field 'name'");
}

TEST_CASE("motif: admission.conversion is ORK1603 at the key") {
  auto l = motif(
      "admission:\n"
      "  validation: {rules: [{field: spec.image, exists: true}]}\n"
      "  conversion: {storageVersion: v2}\n");
  const Diagnostic& d = l->one(DiagCode::MotifConversion);
  CHECK(d.message ==
        "'admission.conversion' cannot be used in a Motif; only a CRD entry converts between its versions");
  CHECK(l->lc(d.span) == "6:3");
  CHECK(d.path == "admission.conversion");
  CHECK(l->diags.errorCount() == 1);
}

TEST_CASE("motif: a missing metadata.name is ORK1104") {
  auto l = load("apiVersion: orkestra.orkspace.io/v1\nkind: Motif\nmetadata: {version: v1}\n");
  CHECK(l->one(DiagCode::MissingField).message == "metadata: missing required field 'name'");
}

TEST_CASE("motif: lifecycle states maturity and deprecation (for the §9.4 import checks)") {
  auto l = motif(
      "lifecycle:\n"
      "  maturity: deprecated\n"
      "  deprecation: {message: use web-v2, migratedTo: web-v2:v1.0.0, timeline: {from: 2026-01-01, to: 2026-06-30}}\n");
  INFO(l->rendered());
  CHECK(l->diags.diagnostics().empty());
  const ir::Document& d = l->doc();
  CHECK(d.lifecycle.maturity.value == "deprecated");
  CHECK(d.lifecycle.deprecation.present);
  CHECK(d.lifecycle.deprecation.migratedTo == "web-v2:v1.0.0");
  CHECK(d.lifecycle.deprecation.timelineTo == "2026-06-30");
  CHECK(motif("lifecycle: {maturity: gold}\n")->with(DiagCode::InvalidValue).size() == 1);
}
