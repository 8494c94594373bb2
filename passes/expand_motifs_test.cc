// Tests of expand-motifs: Katalogs, Komposers and Motifs on disk, run through the validate pipeline;
// the expanded bodies are compared as printed YAML, the diagnostics with their codes and columns.
#include "passes/expand_motifs.h"

#include <catch2/catch.hpp>

#include "ir/printer.h"
#include "passes/pipeline.h"
#include "passes/testing.h"
#include "support/template_ast.h"

using namespace ork;
using namespace ork::passes;

namespace {

const char* kMotif = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: web-service, version: v1.1.0}
inputs:
  - {name: image, required: true}
  - {name: port, type: integer, default: 8080}
  - {name: host, default: ""}
resources:
  onCreate:
    secrets: [{name: "{{ .metadata.name }}-session", once: true, data: {key: "{{ randomHex 8 }}"}}]
  deployments: [{name: "{{ .metadata.name }}", image: "{{ .inputs.image }}", port: "{{ .inputs.port }}"}]
  ingresses: [{name: "{{ .metadata.name }}", host: "{{ .inputs.host }}", when: [{field: inputs.host, notEquals: ""}]}]
status: {fields: [{path: ready, type: boolean, value: "{{ allReplicasReady .children.deployment }}"}]}
admission: {validation: {rules: [{field: spec.image, operator: exists, message: image is required}]}}
)";

const char* kCrdHead =
    "apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: k}\nspec:\n  crds:\n    webapp:\n"
    "      apiTypes: {group: acme.io, version: v1, kind: WebApp}\n";

struct Expanded {
  testing::TempDir dir;
  testing::Harness h;

  /// Writes the files, runs the validate pipeline from `entry`.
  void run(const std::vector<std::pair<std::string, std::string>>& files,
           const std::string& entry = "katalog.yaml") {
    for (const auto& [name, text] : files) dir.write(name, text);
    h.loadEntry(dir.at(entry));
    for (const PassPtr& p : buildValidatePipeline()) h.run(p);
  }
  const ir::CrdEntry& crd(size_t i = 0) {
    REQUIRE(h.module.composedCrds.size() > i);
    return h.module.composedCrds[i];
  }
  std::string body(size_t i = 0) { return ir::printNode(*crd(i).body); }
  std::string at(const std::string& path, size_t i = 0) {
    const ir::Node* n = crd(i).body->at(path);
    return n ? ir::printNode(*n) : "(absent)";
  }
  std::vector<std::string> notes(size_t i) {
    std::vector<std::string> out;
    for (std::string s : h.notes(i)) out.push_back(s.substr(s.find(dir.path()) + dir.path().size() + 1));
    return out;
  }
  std::vector<std::string> diags() {
    std::vector<std::string> out;
    for (std::string s : h.rendered()) {
      for (size_t p; (p = s.find(dir.path() + "/")) != std::string::npos;) s.erase(p, dir.path().size() + 1);
      if (s.find("[ORK16") != std::string::npos || s.find("error[") != std::string::npos) out.push_back(s);
    }
    return out;
  }
};

std::string katalog(const std::string& imports, const std::string& rest = "") {
  return std::string(kCrdHead) + "      imports:\n" + imports + rest;
}

}  // namespace

TEST_CASE("a motif expands into the CRD: bindings substituted, constants folded, imports consumed",
          "[expand-motifs]") {
  Expanded e;
  e.run(
      {{"motif.yaml", kMotif},
       {"katalog.yaml", katalog("        - motif: ./motif.yaml\n"
                                "          with: {image: \"{{ .spec.image }}\", host: \"{{ .spec.host }}\", "
                                "port: 9090}\n")}});
  CHECK(e.diags().empty());
  CHECK(e.crd().imports.empty());
  CHECK(e.at("imports") == "(absent)");
  CHECK(e.at("operatorBox.reconcile.onReconcile") ==
        "deployments:\n"
        "  - name: \"{{ .metadata.name }}\"\n"
        "    image: \"{{ .spec.image }}\"\n"
        "    port: 9090\n"
        "ingresses:\n"
        "  - name: \"{{ .metadata.name }}\"\n"
        "    host: \"{{ .spec.host }}\"\n"
        "    when:\n"
        "      - field: spec.host\n"
        "        notEquals: \"\"\n");
  CHECK(e.at("operatorBox.reconcile.onCreate.secrets") ==
        "- name: \"{{ .metadata.name }}-session\"\n  once: true\n  data:\n    key: \"{{ randomHex 8 }}\"\n");
  CHECK(e.at("operatorBox.emit.status.fields") ==
        "- path: ready\n  type: boolean\n  value: \"{{ allReplicasReady .children.deployment }}\"\n");
  CHECK(e.at("admission.validation.rules") ==
        "- field: spec.image\n  operator: exists\n  message: image is required\n");
  // The substituted template keeps the motif's text and spans; the folded port is an integer.
  const ir::Node* image =
      e.crd().body->at("operatorBox.reconcile.onReconcile.deployments")->items[0]->get("image");
  CHECK(image->text == "{{ .inputs.image }}");
  REQUIRE(image->parsed);
  CHECK(image->parsed->source == "{{ .spec.image }}");
  CHECK(motifOrigin(e.h.module, *image) == "web-service:v1.1.0");
  CHECK(motifOrigin(e.h.module, *e.crd().body->get("apiTypes")).empty());
  std::map<const ir::Node*, std::string> marks = motifContributions(e.h.module, e.crd());
  CHECK(marks ==
        std::map<const ir::Node*, std::string>{{e.crd().body->get("operatorBox"), "web-service:v1.1.0"},
                                               {e.crd().body->get("admission"), "web-service:v1.1.0"}});
  const ir::Node* port =
      e.crd().body->at("operatorBox.reconcile.onReconcile.deployments")->items[0]->get("port");
  CHECK(port->kind == ir::NodeKind::Int);
  CHECK(e.h.loc(port->span) == e.dir.at("motif.yaml:11:84"));
}

TEST_CASE("conditions made constant are decided: false drops the entry, true is removed", "[expand-motifs]") {
  Expanded off;
  off.run({{"motif.yaml", kMotif},
           {"katalog.yaml", katalog("        - {motif: ./motif.yaml, with: {image: nginx}}\n")}});
  CHECK(off.diags().empty());
  CHECK(off.at("operatorBox.reconcile.onReconcile.ingresses") == "(absent)");
  CHECK(off.at("operatorBox.reconcile.onReconcile.deployments") ==
        "- name: \"{{ .metadata.name }}\"\n  image: nginx\n  port: 8080\n");

  Expanded on;
  on.run({{"motif.yaml", kMotif},
          {"katalog.yaml",
           katalog("        - {motif: ./motif.yaml, with: {image: nginx, host: shop.acme.io}}\n")}});
  CHECK(on.at("operatorBox.reconcile.onReconcile.ingresses") ==
        "- name: \"{{ .metadata.name }}\"\n  host: shop.acme.io\n");
}

TEST_CASE("or lists, numeric operators, negate and template fields decide at expansion", "[expand-motifs]") {
  const char* motif = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: m}
inputs: [{name: n, type: integer, default: 3}, {name: tier, default: gold}]
resources:
  configMaps:
    - {name: a, or: [{field: inputs.n, gt: 5}, {field: spec.x, exists: true}]}
    - {name: b, or: [{field: inputs.n, gt: 5}, {field: "{{ .inputs.tier }}", equals: gold}]}
    - {name: c, or: [{field: inputs.n, gt: 5}, {field: inputs.tier, in: [silver, bronze]}]}
    - {name: d, when: [{field: inputs.n, operator: between, value: "1,4", negate: true}]}
    - {name: e, when: [{field: inputs.tier, regex: "^g", valueType: string}, {field: inputs.n, equals: 3}]}
)";
  Expanded e;
  e.run({{"motif.yaml", motif}, {"katalog.yaml", katalog("        - motif: ./motif.yaml\n")}});
  CHECK(e.diags().empty());
  CHECK(e.at("operatorBox.reconcile.onReconcile.configMaps") ==
        "- name: a\n  or:\n    - field: spec.x\n      exists: true\n"
        "- name: b\n"
        "- name: e\n");
}

TEST_CASE("an undeclared input is reported at its name, with the declared inputs", "[expand-motifs]") {
  const char* motif = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: web-service}
inputs: [{name: image}, {name: host}]
resources:
  deployments: [{name: web, image: "{{ .inputs.imge }}"}]
  ingresses: [{name: web, when: [{field: inputs.hots, exists: true}]}]
)";
  Expanded e;
  e.run({{"motif.yaml", motif}, {"katalog.yaml", katalog("        - motif: ./motif.yaml\n")}});
  CHECK(e.diags() ==
        std::vector<std::string>{
            "motif.yaml:6:48: error[ORK1606]: motif \"web-service\": undeclared input \"imge\" — "
            "declared inputs: image, host (did you mean \"image\"?)",
            "motif.yaml:7:49: error[ORK1606]: motif \"web-service\": undeclared input \"hots\" — "
            "declared inputs: image, host (did you mean \"host\"?)"});
}

TEST_CASE("the CRD wins over a motif entry with its identity; two motifs may not share one",
          "[expand-motifs]") {
  const char* other = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: other}
resources:
  services: [{name: "{{ .metadata.name }}", port: 80}]
status: {conditions: false, fields: [{path: ready, value: "yes"}, {path: extra, value: "1"}]}
admission: {mutation: {rules: [{field: spec.replicas, default: 2}]}}
)";
  const char* third = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: third}
resources:
  services: [{name: "{{ .metadata.name }}", port: 8080}]
)";
  std::string crd = katalog(
      "        - {motif: ./motif.yaml, with: {image: nginx}}\n"
      "        - motif: ./other.yaml\n"
      "        - motif: ./third.yaml\n",
      "      operatorBox:\n"
      "        reconcile:\n"
      "          onReconcile:\n"
      "            deployments: [{name: \"{{ .metadata.name }}\", image: own}]\n"
      "        emit: {status: {fields: [{path: ready, value: \"no\"}]}}\n"
      "      admission: {validation: {rules: [{field: spec.x, operator: exists}]}}\n");
  Expanded e;
  e.run({{"motif.yaml", kMotif}, {"other.yaml", other}, {"third.yaml", third}, {"katalog.yaml", crd}});
  CHECK(e.diags() ==
        std::vector<std::string>{
            "motif.yaml:11:24: note[ORK1607]: motif \"web-service\": deployments entry "
            "\"{{ .metadata.name }}\" is also declared by CRD \"webapp\"; the CRD's entry wins and "
            "the motif's is dropped",
            "motif.yaml:13:26: note[ORK1607]: motif \"web-service\": status field \"ready\" is also "
            "declared by CRD \"webapp\"; the CRD's field wins and the motif's is dropped",
            "other.yaml:6:45: note[ORK1607]: motif \"other\": status field \"ready\" is also declared "
            "by CRD \"webapp\"; the CRD's field wins and the motif's is dropped",
            "third.yaml:5:21: error[ORK1608]: services entry \"{{ .metadata.name }}\" of CRD "
            "\"webapp\" is contributed by motif \"other\" and motif \"third\""});
  CHECK(e.notes(0) == std::vector<std::string>{"katalog.yaml:15:34: the CRD's entry"});
  CHECK(e.notes(3) == std::vector<std::string>{"other.yaml:5:21: contributed by motif \"other\" here"});
  CHECK(e.at("operatorBox.reconcile.onReconcile.deployments") ==
        "- name: \"{{ .metadata.name }}\"\n  image: own\n");
  CHECK(e.at("operatorBox.reconcile.onReconcile.services") ==
        "- name: \"{{ .metadata.name }}\"\n  port: 80\n");
  CHECK(
      e.at("operatorBox.emit.status") ==
      "fields:\n  - path: ready\n    value: \"no\"\n  - path: extra\n    value: \"1\"\nconditions: false\n");
  CHECK(e.at("admission") ==
        "validation:\n  rules:\n    - field: spec.x\n      operator: exists\n"
        "    - field: spec.image\n      operator: exists\n      message: image is required\n"
        "mutation:\n  rules:\n    - field: spec.replicas\n      default: 2\n");
}

TEST_CASE("motif onDelete joins an ordered onDelete as a last group", "[expand-motifs]") {
  const char* motif = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: backup}
resources:
  onDelete: {jobs: [{name: "{{ .metadata.name }}-final", image: acme/backup:1}]}
)";
  std::string crd =
      katalog("        - motif: ./motif.yaml\n",
              "      operatorBox:\n        reconcile:\n          onDelete:\n            ordered: true\n"
              "            groups: [{name: drain, jobs: [{name: drain, image: acme/drain:1}]}]\n");
  Expanded e;
  e.run({{"motif.yaml", motif}, {"katalog.yaml", crd}});
  CHECK(e.diags().empty());
  CHECK(e.at("operatorBox.reconcile.onDelete.groups") ==
        "- name: drain\n  jobs:\n    - name: drain\n      image: acme/drain:1\n"
        "- name: motif:backup\n  jobs:\n    - name: \"{{ .metadata.name }}-final\"\n      image: "
        "acme/backup:1\n");
}

TEST_CASE("a Komposer's with: override is what expands", "[expand-motifs]") {
  Expanded e;
  e.run({{"motif.yaml", kMotif},
         {"katalog.yaml", katalog("        - {motif: ./motif.yaml, with: {image: nginx}}\n")},
         {"komposer.yaml",
          "apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: p}\n"
          "imports: {files: [./katalog.yaml]}\n"
          "spec:\n  crds:\n    webapp:\n      imports:\n"
          "        - {motif: ./motif.yaml, with: {image: \"{{ .spec.image }}:{{ .spec.tag }}\", "
          "port: \"{{ .spec.port }}\"}}\n"}},
        "komposer.yaml");
  CHECK(e.diags().empty());
  CHECK(e.at("operatorBox.reconcile.onReconcile.deployments") ==
        "- name: \"{{ .metadata.name }}\"\n  image: \"{{ .spec.image }}:{{ .spec.tag }}\"\n"
        "  port: \"{{ .spec.port }}\"\n");
}

TEST_CASE(
    "a control-action binding cannot stand inside an expression; a constant numeric mismatch is an error",
    "[expand-motifs]") {
  const char* motif = R"(apiVersion: orkestra.orkspace.io/v1
kind: Motif
metadata: {name: m}
inputs: [{name: host}, {name: size, default: large}]
resources:
  ingresses: [{name: web, host: "{{ .inputs.host | lower }}"}]
  configMaps: [{name: c, when: [{field: inputs.size, gte: 2}]}]
)";
  Expanded e;
  e.run(
      {{"motif.yaml", motif},
       {"katalog.yaml",
        katalog(
            "        - {motif: ./motif.yaml, with: {host: \"{{ if .spec.h }}{{ .spec.h }}{{ end }}\"}}\n")}});
  CHECK(
      e.diags() ==
      std::vector<std::string>{
          "motif.yaml:6:45: error[ORK1609]: motif \"m\": input \"host\" is bound to text with "
          "control actions, which cannot be used inside an expression",
          "motif.yaml:7:41: error[ORK1610]: motif \"m\": condition resources.configMaps[0].when[0] compares "
          "\"large\" with a numeric operator; it is always false"});
  CHECK(e.at("operatorBox.reconcile.onReconcile.configMaps") == "(absent)");
}
