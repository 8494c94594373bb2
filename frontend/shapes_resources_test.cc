// Tests of the resource shapes (FORMATS.md §5, §4.5, §1.1): what a user sees for a wrong key,
// type or value in a resource block, at which line:col, and that the corpus motifs load clean.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "frontend/shapes.h"
#include "frontend/yaml_reader.h"

using namespace ork;
using namespace ork::frontend;

namespace {

/// Parses one YAML document and validates it; returns "line:col CODE message" per diagnostic.
std::vector<std::string> validate(const std::string& yaml, const ShapeRef& shape, const std::string& path,
                                  const std::string& name = "t.yaml") {
  SourceManager sm;
  DiagnosticEngine diags;
  FileId f = sm.addBuffer(name, yaml);
  auto docs = readYaml(sm, f, diags);
  REQUIRE(diags.diagnostics().empty());
  REQUIRE(docs.size() == 1);
  validateShape(*docs[0].root, *shape, path, diags);
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.diagnostics()) {
    std::string loc = sm.location(d.span);
    out.push_back(loc.substr(loc.find(':') + 1) + " " + diagCodeString(d.code) + " " + d.message);
  }
  return out;
}

std::vector<std::string> block(const std::string& yaml) {
  return validate(yaml, resourceBlockShape(), "onReconcile");
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("resource keys are the §5.1 keys in apply order") {
  const auto& keys = resourceKeys();
  REQUIRE(keys.size() == 24);
  CHECK(keys[0] == "namespaces");
  CHECK(keys[13] == "custom");
  CHECK(keys[15] == "deployments");
  CHECK(keys[23] == "pdb");
  for (const std::string& k : keys) CHECK(resourceEntryShape(k) != nullptr);
  CHECK(resourceEntryShape("configmaps") == nullptr);
  CHECK(resourceEntryShape("daemonSets") == nullptr);
}

TEST_CASE("a misspelt entry key is an error at the key with a did-you-mean") {
  CHECK(block("deployments:\n"
              "  - name: web\n"
              "    image: nginx\n"
              "    replcas: 3\n") ==
        Lines{"4:5 ORK1102 unknown key 'replcas' in onReconcile.deployments[0] (did you mean 'replicas'?)"});
}

TEST_CASE("other spellings of block keys are unknown keys with a did-you-mean") {
  CHECK(block("configmaps: []\nhpas: []\npdbs: []\n") ==
        Lines{"1:1 ORK1102 unknown key 'configmaps' in onReconcile (did you mean 'configMaps'?)",
              "2:1 ORK1102 unknown key 'hpas' in onReconcile (did you mean 'hpa'?)",
              "3:1 ORK1102 unknown key 'pdbs' in onReconcile (did you mean 'pdb'?)"});
  CHECK(block("pvcs: []\ncm: []\n") ==
        Lines{"1:1 ORK1102 unknown key 'pvcs' in onReconcile (did you mean 'persistentVolumeClaims'?)",
              "2:1 ORK1102 unknown key 'cm' in onReconcile (did you mean 'configMaps'?)"});
}

TEST_CASE("integers accept literals, numeric strings and templates, not words") {
  CHECK(block("deployments:\n"
              "  - {image: a, replicas: 3}\n"
              "  - {image: a, replicas: \"3\"}\n"
              "  - {image: a, replicas: \"{{ .spec.replicas | default 2 }}\"}\n")
            .empty());
  CHECK(block("deployments:\n"
              "  - image: a\n"
              "    replicas: three\n") ==
        Lines{"3:15 ORK1103 onReconcile.deployments[0].replicas: expected an integer, got \"three\""});
  CHECK(block("services:\n  - {port: 70000}\n") ==
        Lines{"2:12 ORK1108 onReconcile.services[0].port: 70000 is out of range (1–65535)"});
}

TEST_CASE("enumerated values are checked unless templated") {
  CHECK(block("deployments:\n  - {image: a, protocol: tcp}\n") ==
        Lines{"2:26 ORK1108 onReconcile.deployments[0].protocol: invalid value \"tcp\" (expected one of TCP, "
              "UDP, "
              "SCTP) (did you mean 'TCP'?)"});
  CHECK(block("deployments:\n  - {image: a, protocol: \"{{ .spec.protocol }}\", resources: {profile: "
              "\"{{ .inputs.p }}\"}}\n")
            .empty());
  CHECK(
      block("jobs:\n  - {image: a, restartPolicy: Always}\n") ==
      Lines{
          "2:31 ORK1108 onReconcile.jobs[0].restartPolicy: invalid value \"Always\" (expected one of Never, "
          "OnFailure)"});
}

TEST_CASE("required fields: image, cronJobs schedule, pvc storageSize, hpa max, service port") {
  CHECK(block("deployments:\n  - name: web\n") ==
        Lines{"2:5 ORK1104 onReconcile.deployments[0]: missing required field 'image'"});
  CHECK(block("cronJobs:\n  - {image: a}\npersistentVolumeClaims:\n  - {name: x}\nhpa:\n  - {min: 1}\n") ==
        Lines{"2:5 ORK1104 onReconcile.cronJobs[0]: missing required field 'schedule'",
              "4:5 ORK1104 onReconcile.persistentVolumeClaims[0]: missing required field 'storageSize'",
              "6:5 ORK1104 onReconcile.hpa[0]: missing required field 'max'"});
  CHECK(block("services:\n  - {name: a}\n  - {name: b, headless: true}\n") ==
        Lines{"2:5 ORK1104 onReconcile.services[0]: missing required field 'port' (required unless headless: "
              "true)"});
  CHECK(block("services:\n  - {headless: true, type: NodePort}\n") ==
        Lines{"2:28 ORK1108 onReconcile.services[0].type: a headless service must be ClusterIP, got "
              "\"NodePort\""});
}

TEST_CASE("§1.1 keys are accepted with a warning, at entry and block level") {
  CHECK(block("deployments:\n"
              "  - image: a\n"
              "    sleep: 5s\n"
              "    autoscale: {min: 1}\n"
              "daemonSets: [{name: x}]\n") ==
        Lines{"3:5 ORK1105 'onReconcile.deployments[0].sleep' is not supported by ork; ignored",
              "4:5 ORK1105 'onReconcile.deployments[0].autoscale' is not supported by ork; ignored",
              "5:1 ORK1105 'onReconcile.daemonSets' is not supported by ork; ignored"});
  CHECK(block("jobs:\n  - {image: a, external: {url: x}}\n") ==
        Lines{"2:16 ORK1105 'onReconcile.jobs[0].external' is not supported by ork; ignored"});
  CHECK(block("jobs:\n  - {image: a, autoscale: {}}\n") ==
        Lines{"2:16 ORK1102 unknown key 'autoscale' in onReconcile.jobs[0]"});
}

TEST_CASE("profiles exclude explicit fields") {
  CHECK(
      block("deployments:\n"
            "  - image: a\n"
            "    resources: {profile: small, requests: {cpu: 100m}}\n"
            "    rollingUpdate: {profile: safe, maxSurge: 1}\n") ==
      Lines{"3:33 ORK1107 onReconcile.deployments[0].resources: 'requests' cannot be combined with 'profile'",
            "4:36 ORK1107 onReconcile.deployments[0].rollingUpdate: 'maxSurge' cannot be combined with "
            "'profile'"});
  CHECK(block("deployments:\n  - {image: a, resources: {limits: {memory: lots}}}\n") ==
        Lines{"2:45 ORK1108 onReconcile.deployments[0].resources.limits.memory: invalid quantity \"lots\" "
              "(expected a "
              "Kubernetes quantity such as 500m or 1Gi)"});
  CHECK(block("networkPolicies:\n  - {name: a}\n  - {profile: deny-all, spec: {}}\n") ==
        Lines{"2:5 ORK1104 onReconcile.networkPolicies[0]: missing required field 'profile' or 'spec'",
              "3:25 ORK1107 onReconcile.networkPolicies[1]: 'spec' cannot be combined with 'profile'"});
}

TEST_CASE("workload sub-shapes: env, probes, securityContext, volume claim templates") {
  CHECK(block("statefulSets:\n"
              "  - image: a\n"
              "    env: [{name: A, value: \"{{ .spec.a }}\"}, {name: B, valueFrom: {secretKeyRef: {name: s, "
              "key: k}}}]\n"
              "    probes: {readiness: {type: http, path: /healthz, periodSeconds: \"10\"}}\n"
              "    securityContext: {runAsNonRoot: true, capabilities: {drop: [ALL]}}\n"
              "    volumeClaimTemplates: [{name: data, storageSize: 1Gi, storageClassName: fast}]\n"
              "    volumes: [{name: c, configMap: {name: x}}]\n")
            .empty());
  CHECK(block("deployments:\n"
              "  - image: a\n"
              "    probes: {liveness: {type: exec}, readyness: {type: tcp}}\n"
              "    securityContext: {runAsNonroot: true}\n") ==
        Lines{"3:24 ORK1104 onReconcile.deployments[0].probes.liveness: missing required field 'command' (an "
              "exec "
              "probe runs it)",
              "3:38 ORK1102 unknown key 'readyness' in onReconcile.deployments[0].probes (did you mean "
              "'readiness'?)",
              "4:23 ORK1102 unknown key 'runAsNonroot' in onReconcile.deployments[0].securityContext (did "
              "you mean "
              "'runAsNonRoot'?)"});
  CHECK(block("statefulSets:\n"
              "  - image: a\n"
              "    volumeClaimTemplates:\n"
              "      - {storageClass: std, storageSize: 1Gi}\n"
              "      - {storageClass: std, storageClassName: std, storageSize: 1Gi}\n") ==
        Lines{"4:10 ORK1106 'onReconcile.statefulSets[0].volumeClaimTemplates[0].storageClass' is "
              "deprecated; use "
              "'storageClassName'",
              "5:10 ORK1106 'onReconcile.statefulSets[0].volumeClaimTemplates[1].storageClass' is "
              "deprecated; use "
              "'storageClassName'",
              "5:10 ORK1107 onReconcile.statefulSets[0].volumeClaimTemplates[1]: 'storageClass' cannot be "
              "combined "
              "with 'storageClassName'"});
}

TEST_CASE("scope: namespace on cluster-scoped kinds; reconcile on create-only kinds") {
  CHECK(block("clusterRoles:\n  - {name: a, namespace: b, rules: [{verbs: [get]}]}\n") ==
        Lines{"2:15 ORK1108 onReconcile.clusterRoles[0]: 'namespace' cannot be set: ClusterRole is "
              "cluster-scoped"});
  CHECK(block("roles:\n  - {rules: [{verbs: [get], nonResourceURLs: [/x]}]}\n") ==
        Lines{"2:29 ORK1102 unknown key 'nonResourceURLs' in onReconcile.roles[0].rules[0]"});
  CHECK(
      block("jobs:\n  - {image: a, reconcile: true}\n") ==
      Lines{"2:27 ORK1134 onReconcile.jobs[0]: 'reconcile: true' is ignored: Jobs and Pods are create-only"});
  CHECK(block("jobs:\n  - {image: a, reconcile: false}\n").empty());
  CHECK(
      block("deployments:\n  - {image: a, reconcile: \"{{ .spec.x }}\"}\n") ==
      Lines{"2:27 ORK1103 onReconcile.deployments[0].reconcile: expected a boolean (true or false), got \"{{ "
            ".spec.x }}\""});
}

TEST_CASE("secrets, bindings, volumes and pdb fields") {
  CHECK(
      block("secrets:\n"
            "  - {name: s, once: true, rotateAfter: 30d, data: {password: \"{{ randomAlphanumeric 24 }}\"},\n"
            "     tls: {commonName: x, dnsNames: [a], validFor: 90d}}\n"
            "roleBindings:\n"
            "  - {roleRef: {name: r}, subjects: [{kind: ServiceAccount, name: sa}]}\n"
            "persistentVolumes:\n"
            "  - {storageSize: 1Gi, source: {nfs: {server: s, path: /p}}, reclaimPolicy: Retain}\n")
          .empty());
  CHECK(block("secrets:\n  - {rotateAfter: soon, once: \"{{ .spec.once }}\"}\n") ==
        Lines{"2:19 ORK1108 onReconcile.secrets[0].rotateAfter: invalid duration \"soon\" (use Go syntax "
              "such as 30s, "
              "5m, 1h30m, or d/w/mo/y)",
              "2:31 ORK1103 onReconcile.secrets[0].once: expected a boolean (true or false), got \"{{ "
              ".spec.once }}\""});
  CHECK(block("clusterRoleBindings:\n  - {roleRef: {kind: Role, name: r}}\npdb:\n  - {minAvailable: 1, "
              "maxUnavailable: 1}\n") ==
        Lines{"2:22 ORK1108 onReconcile.clusterRoleBindings[0].roleRef.kind: invalid value \"Role\" "
              "(expected one of "
              "ClusterRole)",
              "4:23 ORK1107 onReconcile.pdb[0]: 'maxUnavailable' cannot be combined with 'minAvailable'"});
  CHECK(block("persistentVolumes:\n  - {storageSize: 1Gi, source: {nfs: {}, hostPath: {}}}\nhpa:\n  - {min: "
              "5, max: 3}\n") == Lines{"2:32 ORK1108 onReconcile.persistentVolumes[0].source: expected "
                                       "exactly one volume source such as {nfs: "
                                       "{server, path}}, got 2",
                                       "4:11 ORK1108 onReconcile.hpa[0]: min (5) is greater than max (3)"});
}

TEST_CASE("custom entries copy their body and check their ork keys") {
  CHECK(block("custom:\n"
              "  - apiVersion: cert-manager.io/v1\n"
              "    kind: Certificate\n"
              "    name: \"{{ .metadata.name }}-tls\"\n"
              "    hasStatus: true\n"
              "    spec: {secretName: x, issuerRef: {kind: ClusterIssuer, name: le}}\n"
              "    data: {a: b}\n")
            .empty());
  CHECK(
      block("custom:\n"
            "  - apiVersion: \"{{ .spec.group }}/v1\"\n"
            "    nmae: x\n"
            "    metadata: {name: x}\n"
            "    namespaced: \"no\"\n") ==
      Lines{
          "3:5 ORK1133 onReconcile.custom[0]: 'nmae' is copied into the object as is (did you mean 'name'?)",
          "4:5 ORK1132 onReconcile.custom[0]: 'metadata' cannot be set in a custom entry; use 'name', "
          "'namespace', 'labels' and 'annotations'",
          "5:17 ORK1103 onReconcile.custom[0].namespaced: expected a boolean (true or false), got \"no\"",
          "2:5 ORK1104 onReconcile.custom[0]: missing required field 'name'",
          "2:5 ORK1104 onReconcile.custom[0]: missing required field 'kind'",
          "2:17 ORK1108 onReconcile.custom[0].apiVersion: cannot be a template (ork needs the kind when it "
          "compiles)"});
  CHECK(
      block(
          "custom:\n  - {apiVersion: v1, kind: A, name: a, namespaced: false, namespace: x, anyOf: []}\n") ==
      Lines{"2:59 ORK1108 onReconcile.custom[0]: 'namespace' cannot be set: the object is cluster-scoped "
            "(namespaced: false)",
            "2:73 ORK1131 'anyOf' is not supported; use 'or'"});
  CHECK(block("custom: [{}]\n").size() == 3);
}

TEST_CASE("conditions and forEach inside entries") {
  CHECK(block("ingresses:\n"
              "  - host: \"{{ .spec.host }}\"\n"
              "    when: [{field: spec.host, exists: true}]\n"
              "    or: [{field: spec.tier, equals: pro}]\n"
              "    forEach: {field: spec.hosts, as: h}\n")
            .empty());
  CHECK(
      block("deployments:\n"
            "  - image: a\n"
            "    anyOf: [{field: spec.x, exists: true}]\n"
            "    forEach: {field: spec.shards, as: spec}\n") ==
      Lines{"4:39 ORK1108 onReconcile.deployments[0].forEach.as: 'spec' is a data root name (metadata, spec, "
            "status, children, inputs, item, value); choose another name",
            "3:5 ORK1131 'anyOf' is not supported; use 'or'"});
}

TEST_CASE("onDelete: groups, and only jobs and pods keep required fields") {
  ShapeRef del = onDeleteShape();
  CHECK(validate("ordered: true\n"
                 "timeout: 10m\n"
                 "groups:\n"
                 "  - {name: backup, jobs: [{name: \"{{ .metadata.name }}-final-backup\", image: "
                 "acme/pg-backup:2}]}\n"
                 "  - {name: teardown, deployments: [{name: web}], statefulSets: [{name: db}], custom: "
                 "[{apiVersion: v1, kind: A, name: a}]}\n",
                 del, "onDelete")
            .empty());
  CHECK(validate("deployments: [{name: web}]\nservices: [{name: s}]\njobs: [{name: j}]\n", del, "onDelete") ==
        Lines{"3:8 ORK1104 onDelete.jobs[0]: missing required field 'image'"});
  CHECK(validate("timeout: soon\ngroups:\n  - {name: a}\n  - {name: a}\n  - {pods: []}\n", del, "onDelete") ==
        Lines{"1:10 ORK1108 onDelete.timeout: invalid duration \"soon\" (use Go syntax such as 30s, 5m, "
              "1h30m, or "
              "d/w/mo/y)",
              "5:5 ORK1104 onDelete.groups[2]: missing required field 'name'",
              "4:12 ORK1112 onDelete.groups[1].name: onDelete group 'a' is declared twice"});
}

namespace {

std::string sharedDir() {
  const char* env = std::getenv("ORK_SHARED_DIR");
  return env ? env : "../shared";
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A motif's `resources`: a block whose onCreate/onReconcile/onDelete feed the CRD's blocks (§8.1).
ShapeRef motifResources() {
  auto s = std::make_shared<Shape>(*resourceBlockShape());
  s->add("onCreate", resourceBlockShape());
  s->add("onReconcile", resourceBlockShape());
  s->add("onDelete", onDeleteShape());
  return s;
}

/// Validates `root.<dotted>` of a corpus file; returns its diagnostics.
Lines corpusBlock(const std::string& rel, const std::string& dotted, const ShapeRef& shape) {
  SourceManager sm;
  DiagnosticEngine diags;
  FileId f = sm.addBuffer(rel, readFile(sharedDir() + "/corpus/orkestra/" + rel));
  auto docs = readYaml(sm, f, diags);
  REQUIRE(docs.size() == 1);
  const ir::Node* node = docs[0].root->at(dotted);
  REQUIRE(node != nullptr);
  validateShape(*node, *shape, dotted, diags);
  Lines out;
  for (const Diagnostic& d : diags.diagnostics()) out.push_back(sm.location(d.span) + " " + d.message);
  return out;
}

}  // namespace

TEST_CASE("corpus motif resources validate (only the documented storageClass warning)") {
  const std::string guide = "ialexeze/examples/registry-guide/01-motifs/";
  CHECK(corpusBlock(guide + "web-service/motif.yaml", "resources", motifResources()).empty());
  CHECK(corpusBlock(guide + "platform-admission/motif.yaml", "resources", motifResources()).empty());
  CHECK(corpusBlock(guide + "data-store/motif.yaml", "resources", motifResources()) ==
        Lines{guide +
              "data-store/motif.yaml:72:11 'resources.statefulSets[0].volumeClaimTemplates[0].storageClass' "
              "is deprecated; use 'storageClassName'"});
  CHECK(corpusBlock("orkspace/examples/intermediate/08-state-machine/motif/resources.yaml", "resources",
                    motifResources())
            .empty());
}

TEST_CASE("corpus katalog resource blocks validate") {
  CHECK(corpusBlock("ialexeze/examples/beginner/01-hello-website/katalog.yaml",
                    "spec.crds.website.operatorBox.onCreate", resourceBlockShape())
            .empty());
  CHECK(corpusBlock("orkspace/examples/intermediate/08-state-machine/katalog.yaml",
                    "spec.crds.pipeline.operatorBox.reconcile.onReconcile", resourceBlockShape())
            .empty());
}
