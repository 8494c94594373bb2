// Tests of check-template-types (FORMATS.md §7.4): paths in templates, conditions, forEach and status
// fields against a CRD schema, one-action typing, the capitalised-root hint and the no-schema note.
#include "passes/check_template_types.h"

#include <catch2/catch.hpp>

#include "frontend/yaml_reader.h"
#include "passes/pipeline.h"
#include "passes/template_schema.h"
#include "passes/testing.h"
#include "support/strings.h"

using namespace ork;
using namespace ork::passes;

namespace {

const char* kCrd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: webapps.acme.io}
spec:
  group: acme.io
  scope: Namespaced
  names: {kind: WebApp, plural: webapps}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                image: {type: string}
                replicas: {type: integer}
                size: {type: string}
                ratio: {type: number}
                enabled: {type: boolean}
                port: {x-kubernetes-int-or-string: true}
                resources: {type: object, properties: {cpu: {type: string}}}
                shards: {type: array, items: {type: object, properties: {name: {type: string}}}}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                labels: {type: object, additionalProperties: {type: string}}
            status:
              type: object
              properties:
                phase: {type: string}
                ready: {type: integer}
)";

const char* kHead = R"(apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: k}
spec:
  crds:
    webapp:
      crdFile: ./crd.yaml
      operatorBox:
)";

/// Writes katalog.yaml (kHead + `box`, indented under operatorBox) and crd.yaml, runs the validate
/// pipeline and returns the ORK31xx diagnostics as `line:col: severity[code]: message`.
std::vector<std::string> check(const std::string& box, const std::string& crd = kCrd, const char* head = kHead) {
  testing::TempDir dir;
  std::string text = head;
  for (const std::string& line : split(box, '\n'))
    if (!line.empty()) text += "        " + line + "\n";
  dir.write("katalog.yaml", text);
  if (!crd.empty()) dir.write("crd.yaml", crd);
  testing::Harness h;
  h.loadEntry(dir.at("katalog.yaml"));
  runPipeline(h.module, h.ctx);
  std::vector<std::string> out;
  for (std::string s : h.rendered()) {
    if (s.find("[ORK31") == std::string::npos && s.find("[ORK3003") == std::string::npos) continue;
    s.erase(0, s.find("katalog.yaml:") + std::string("katalog.yaml:").size());
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("template paths are checked against the schema with a did-you-mean", "[check-template-types]") {
  auto d = check(
      "reconcile:\n"
      "  onCreate:\n"
      "    deployments:\n"
      "      - {name: a, image: \"{{ .spec.imag }}\", args: [\"{{ $.spec.resources.cpuu }}\"]}\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0] == "12:38: warning[ORK3101]: '.spec.imag' is not in the WebApp v1 schema: .spec has no field 'imag' "
                "(did you mean 'image'?)");
  CHECK(d[1] == "12:65: warning[ORK3101]: '.spec.resources.cpuu' is not in the WebApp v1 schema: .spec.resources "
                "has no field 'cpuu' (did you mean 'cpu'?)");
}

TEST_CASE("known paths, open schemas and dot rebinding pass", "[check-template-types]") {
  auto d = check(
      "reconcile:\n"
      "  onCreate:\n"
      "    configMaps:\n"
      "      - data:\n"
      "          a: \"{{ .spec.image }}{{ .spec.extra.any.thing }}{{ .spec.labels.team }}\"\n"
      "          b: \"{{ range .spec.shards }}{{ .nope }}{{ $.spec.image }}{{ end }}\"\n"
      "          c: \"{{ with .spec.resources }}{{ .cpu }}{{ end }}{{ index .spec.shards 0 \\\"name\\\" }}\"\n"
      "          d: \"{{ .metadata.name }}{{ .children.deployment.status.x }}\"\n");
  CHECK(d.empty());
}

TEST_CASE("index with literal keys is followed", "[check-template-types]") {
  auto d = check(
      "reconcile:\n"
      "  onCreate:\n"
      "    configMaps:\n"
      "      - data: {a: \"{{ index .spec.shards 0 \\\"nam\\\" }}\", b: \"{{ index .spec \\\"imgae\\\" }}\",\n"
      "               c: \"{{ index .spec.image 0 }}\"}\n");
  REQUIRE(d.size() == 3);
  CHECK(d[0] == "12:52: warning[ORK3101]: '.spec.shards[0].nam' is not in the WebApp v1 schema: .spec.shards[0] has "
                "no field 'nam' (did you mean 'name'?)");
  CHECK(d[1] == "12:84: warning[ORK3101]: '.spec.imgae' is not in the WebApp v1 schema: .spec has no field 'imgae' "
                "(did you mean 'image'?)");
  CHECK(d[2] == "13:49: error[ORK3102]: '.spec.image[0]' is not in the WebApp v1 schema: .spec.image is a string, "
                "not a list");
}

TEST_CASE("condition fields, forEach.field and status paths are checked", "[check-template-types]") {
  auto d = check(
      "reconcile:\n"
      "  onCreate:\n"
      "    deployments:\n"
      "      - {name: a, image: b, when: [{field: spec.tierr, equals: x}], forEach: {field: spec.shardz}}\n"
      "emit:\n"
      "  status:\n"
      "    fields:\n"
      "      - {path: phsae, value: x}\n"
      "      - {path: ready.count, value: \"1\"}\n"
      "      - {path: phase, value: x, when: [{field: \"{{ .status.phasee }}\", exists: true}]}\n");
  REQUIRE(d.size() == 5);
  CHECK(d[0] == "12:52: warning[ORK3101]: '.spec.tierr' is not in the WebApp v1 schema: .spec has no field 'tierr'");
  CHECK(d[1] == "12:94: warning[ORK3101]: '.spec.shardz' is not in the WebApp v1 schema: .spec has no field 'shardz' "
                "(did you mean 'shards'?)");
  CHECK(d[2] == "16:24: warning[ORK3101]: '.status.phsae' is not in the WebApp v1 schema: .status has no field "
                "'phsae' (did you mean 'phase'?)");
  CHECK(d[3] == "17:24: error[ORK3102]: '.status.ready.count' is not in the WebApp v1 schema: .status.ready is an "
                "integer, not an object");
  CHECK(d[4] == "18:60: warning[ORK3101]: '.status.phasee' is not in the WebApp v1 schema: .status has no field "
                "'phasee' (did you mean 'phase'?)");
}

TEST_CASE("one-action templates are typed against the field they feed", "[check-template-types]") {
  auto d = check(
      "reconcile:\n"
      "  onCreate:\n"
      "    deployments:\n"
      "      - {name: a, image: b, replicas: \"{{ .spec.size }}\", port: \"{{ .spec.replicas | default 80 }}\"}\n"
      "      - {name: c, image: \"{{ .spec.resources }}\", replicas: \"{{ .spec.resources }}\"}\n"
      "      - {name: e, image: b, replicas: \"{{ .spec.ratio }}\", port: \"{{ .spec.port }}\"}\n"
      "    services:\n"
      "      - {port: 80, targetPort: \"{{ .spec.port }}\", headless: \"{{ .spec.size }}\"}\n"
      "emit:\n"
      "  status:\n"
      "    fields:\n"
      "      - {path: ready, type: integer, value: \"{{ .spec.enabled }}\"}\n"
      "      - {path: phase, value: \" {{ .spec.replicas }} \"}\n");
  REQUIRE(d.size() == 7);
  CHECK(d[0] == "12:51: warning[ORK3104]: a string path into an integer field: '.spec.size' is a string in the "
                "WebApp v1 schema");
  CHECK(d[1] == "13:38: error[ORK3103]: '.spec.resources' is an object in the WebApp v1 schema and cannot be "
                "printed as text");
  CHECK(d[2] == "13:73: error[ORK3103]: '.spec.resources' is an object in the WebApp v1 schema and cannot convert "
                "to an integer");
  CHECK(d[3] == "14:51: warning[ORK3104]: a number path into an integer field: '.spec.ratio' is a number in the "
                "WebApp v1 schema");
  CHECK(d[4] == "14:78: warning[ORK3104]: an int-or-string path into an integer field: '.spec.port' is an "
                "int-or-string in the WebApp v1 schema");
  CHECK(d[5] == "16:74: warning[ORK3104]: a string path into a boolean field: '.spec.size' is a string in the "
                "WebApp v1 schema");
  CHECK(d[6] == "20:57: error[ORK3103]: '.spec.enabled' is a boolean in the WebApp v1 schema and cannot convert "
                "to an integer");
}

TEST_CASE("a capitalised root gets the schema's did-you-mean in the parse error", "[check-template-types]") {
  auto d = check(
      "reconcile:\n"
      "  onCreate:\n"
      "    deployments:\n"
      "      - {name: a, image: \"{{ .Spec.Imgae }}\", replicas: \"{{ .Spec.Replicas }}\"}\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0] == "12:38: error[ORK3003]: unknown data root '.Spec.Imgae' (did you mean '.spec.image'?)");
  CHECK(d[1] == "12:69: error[ORK3003]: unknown data root '.Spec.Replicas' (did you mean '.spec.replicas'?)");
}

TEST_CASE("without a schema the check is skipped with one note", "[check-template-types]") {
  const char* apiTypesHead = R"(apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: k}
spec:
  crds:
    webapp:
      apiTypes: {group: acme.io, version: v1, kind: WebApp}
      operatorBox:
)";
  std::string box = "reconcile: {onCreate: {deployments: [{name: a, image: \"{{ .spec.x }}{{ .spec.y }}\"}]}}\n";
  auto none = check(box, "", apiTypesHead);
  REQUIRE(none.size() == 1);
  CHECK(none[0] == "6:5: note[ORK3105]: CRD 'webapp': no crdFile, and no crd.yaml beside katalog.yaml; its .spec "
                   "and .status paths are not checked");
  // The pattern's crd.yaml stands in for a crdFile (matched by group and kind).
  auto pattern = check(box, kCrd, apiTypesHead);
  REQUIRE(pattern.size() == 2);
  CHECK(pattern[0].find("warning[ORK3101]: '.spec.x'") != std::string::npos);
  std::string v2 = kCrd;
  v2.replace(v2.find("- name: v1"), 10, "- name: v2");
  auto noVersion = check(box, v2, apiTypesHead);
  REQUIRE(noVersion.size() == 1);
  CHECK(noVersion[0] == "6:5: note[ORK3105]: CRD 'webapp': crd.yaml has no openAPIV3Schema for version v1; its "
                        ".spec and .status paths are not checked");
}

TEST_CASE("schema lookups", "[check-template-types]") {
  SourceManager sm;
  DiagnosticEngine diags;
  FileId f = sm.addBuffer("s.yaml", "type: object\nproperties:\n  a: {type: array, items: {type: integer}}\n"
                                    "  m: {additionalProperties: {type: object, properties: {x: {type: boolean}}}}\n");
  auto docs = frontend::readYaml(sm, f, diags);
  REQUIRE(docs.size() == 1);
  const ir::Node& root = *docs[0].root;
  auto steps = [](std::vector<std::pair<std::string, bool>> in) {
    std::vector<PathStep> out;
    for (auto& [n, i] : in) out.push_back({n, i, {}});
    return out;
  };
  SchemaLookup r = lookupSchemaPath(root, steps({{"a", false}, {"3", true}}));
  CHECK(r.status == SchemaLookup::Status::Found);
  CHECK(r.type == SchemaType::Integer);
  r = lookupSchemaPath(root, steps({{"m", false}, {"any", false}, {"x", false}}));
  CHECK(r.status == SchemaLookup::Status::Found);
  CHECK(r.type == SchemaType::Boolean);
  r = lookupSchemaPath(root, steps({{"m", false}, {"any", false}, {"y", false}}));
  CHECK(r.status == SchemaLookup::Status::UnknownField);
  CHECK(r.failedAt == 2);
  CHECK(displayPath(steps({{"spec", false}, {"a", false}, {"0", true}}), 3) == ".spec.a[0]");
}
