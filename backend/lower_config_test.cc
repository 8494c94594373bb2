// Tests of backend/lower_config.cc (FORMATS.md §5.6, §5.7): configMaps, secrets, serviceAccounts,
// roles and bindings, storage, quotas and limits, namespaces and custom, lowered and rendered.
#include <catch2/catch.hpp>

#include "backend/testing/lower_harness.h"

namespace ork::backend {
namespace {

using nlohmann::json;
using testing::dump;
using testing::lowerKatalog;
using testing::renderFor;
using testing::webappKatalog;

json webCr(json spec = json::object(), bool namespaced = true) {
  json meta{{"name", "web"}, {"uid", "u-1"}};
  if (namespaced) meta["namespace"] = "shop";
  return json{
      {"apiVersion", "acme.io/v1"}, {"kind", "WebApp"}, {"metadata", meta}, {"spec", std::move(spec)}};
}

std::unique_ptr<testing::Lowered> lowered(const std::string& block, const std::string& crdExtra = "") {
  auto l = lowerKatalog(webappKatalog(block, crdExtra));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->rendered().empty());
  return l;
}

std::vector<json> render(const std::string& block, const json& cr = webCr()) {
  auto l = lowered(block);
  testing::RenderResult r = renderFor(l->plan(), cr);
  INFO(r.failure);
  REQUIRE(r.failure.empty());
  return r.objects;
}

json ofKind(const std::vector<json>& objects, const std::string& kind, size_t nth = 0) {
  for (const json& o : objects)
    if (o["kind"] == kind && nth-- == 0) return o;
  FAIL("no " << kind);
  return nullptr;
}

/// The object without metadata (what the kind lowerer produced).
json body(json o) {
  o.erase("metadata");
  return o;
}

std::vector<std::string> errors(const std::string& block, const std::string& crdExtra = "") {
  auto l = lowerKatalog(webappKatalog(block, crdExtra));
  CHECK(l->rendered().size() == l->lowering().size());
  return l->lowering();
}

}  // namespace

TEST_CASE("configMaps: templated keys and values as strings; copies go to the entry's extras",
          "[lower][configMaps]") {
  auto l = lowered(
      "          onReconcile:\n"
      "            configMaps:\n"
      "              - data: {\"{{ .spec.key }}.conf\": \"port={{ .spec.port }}\", retries: 5, debug: true}\n"
      "              - {name: copy, fromConfigMap: base, toNamespaces: [a, \"{{ .spec.ns }}\"]}\n");
  testing::RenderResult r = renderFor(l->plan(), webCr({{"key", "app"}, {"port", 80}, {"ns", "b"}}));
  REQUIRE(r.failure.empty());
  CHECK(
      body(ofKind(r.objects, "ConfigMap")) ==
      json::parse(
          R"({"apiVersion":"v1","kind":"ConfigMap","data":{"app.conf":"port=80","retries":"5","debug":"true"}})"));
  CHECK(dump(l->plan().entries[1].extras) ==
        json::parse(
            R"({"fromConfigMap":"base","fromNamespace":{"$t":"{{ .metadata.namespace }}","type":"string"},)"
            R"("toNamespaces":["a",{"$t":"{{ .spec.ns }}","type":"string"}]})"));
}

TEST_CASE("secrets: data is base64 of the literal or of what the template renders", "[lower][secrets]") {
  auto objects = render(
      "          onCreate:\n"
      "            secrets: [{data: {user: admin, dsn: \"postgres://{{ .spec.user }}@db:5432\", empty: "
      "\"\"}}]\n",
      webCr({{"user", "app"}}));
  // admin, postgres://app@db:5432
  CHECK(body(ofKind(objects, "Secret")) ==
        json::parse(R"({"apiVersion":"v1","kind":"Secret","type":"Opaque","data":{"user":"YWRtaW4=",)"
                    R"("dsn":"cG9zdGdyZXM6Ly9hcHBAZGI6NTQzMg==","empty":""}})"));
}

TEST_CASE("secrets: once, rotateAfter, copies and tls go to extras; tls sets kubernetes.io/tls",
          "[lower][secrets]") {
  auto l = lowered(
      "          onReconcile:\n"
      "            secrets:\n"
      "              - {once: true, rotateAfter: 720h, fromSecret: root, fromNamespace: vault, data: {k: "
      "v}}\n"
      "              - {name: tls, tls: {commonName: \"{{ .spec.host }}\", dnsNames: [\"{{ .spec.host "
      "}}\"]}}\n");
  CHECK(dump(l->plan().entries[0].extras) ==
        json::parse(R"({"fromSecret":"root","fromNamespace":"vault","once":true,"rotateAfter":"720h"})"));
  CHECK(dump(l->plan().entries[1].extras) ==
        json::parse(R"({"tls":{"commonName":{"$t":"{{ .spec.host }}","type":"string"},)"
                    R"("dnsNames":[{"$t":"{{ .spec.host }}","type":"string"}],"validFor":"365d"}})"));
  CHECK(dump(*l->plan().entries[1].object.get("type")) == "kubernetes.io/tls");
}

TEST_CASE("secrets: tls with another type is ORK3354", "[lower][secrets]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            secrets: [{type: Opaque, tls: {commonName: a}}]\n"));
  CHECK(l->lowering() == std::vector<std::string>{"katalog.yaml:11:30: error[ORK3354]: secrets[0].type: a "
                                                  "secret with tls has type kubernetes.io/tls, got "
                                                  "\"Opaque\""});
  const Diagnostic& d = l->h.diags.diagnostics().back();
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "'tls' is set here");
}

TEST_CASE("secrets: a random function in a reconciled Secret without once is ORK3355", "[lower][secrets]") {
  CHECK(errors("          onReconcile:\n"
               "            secrets: [{data: {password: \"{{ randomAlphanumeric 16 }}\"}}]\n") ==
        std::vector<std::string>{"katalog.yaml:11:41: warning[ORK3355]: secrets[0].data.password: "
                                 "randomAlphanumeric in a reconciled "
                                 "Secret without 'once: true' changes the value at every reconcile"});
  CHECK(errors("          onReconcile:\n"
               "            secrets: [{once: true, data: {password: \"{{ randomAlphanumeric 16 }}\"}}]\n")
            .empty());
  CHECK(errors("          onCreate:\n"
               "            secrets: [{data: {password: \"{{ randomHex 16 }}\"}}]\n")
            .empty());
}

TEST_CASE("serviceAccounts and roles: pull secrets as names, automount, rules copied", "[lower][rbac]") {
  auto objects = render(
      "          onReconcile:\n"
      "            serviceAccounts: [{imagePullSecrets: [regcred], automountServiceAccountToken: "
      "\"false\"}]\n"
      "            roles: [{rules: [{apiGroups: [\"\"], resources: [pods], verbs: [get, list]}]}]\n"
      "            clusterRoles: [{rules: [{nonResourceURLs: [/healthz], verbs: [get]}]}]\n");
  CHECK(
      body(ofKind(objects, "ServiceAccount")) ==
      json::parse(
          R"({"apiVersion":"v1","kind":"ServiceAccount","imagePullSecrets":[{"name":"regcred"}],"automountServiceAccountToken":false})"));
  CHECK(ofKind(objects, "Role")["rules"] ==
        json::parse(R"([{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}])"));
  CHECK(ofKind(objects, "ClusterRole")["rules"] ==
        json::parse(R"([{"nonResourceURLs":["/healthz"],"verbs":["get"]}])"));
}

TEST_CASE("bindings: roleRef with apiGroup, a ServiceAccount's namespace defaults to the CR's",
          "[lower][rbac]") {
  auto objects = render(
      "          onReconcile:\n"
      "            roleBindings:\n"
      "              - roleRef: {name: \"{{ .metadata.name }}-role\"}\n"
      "                subjects: [{kind: ServiceAccount, name: web-sa}, {kind: User, name: jane},\n"
      "                           {kind: ServiceAccount, name: other, namespace: ops}]\n"
      "            clusterRoleBindings: [{roleRef: {kind: ClusterRole, name: view}, subjects: [{kind: Group, "
      "name: "
      "devs}]}]\n");
  json rb = ofKind(objects, "RoleBinding");
  CHECK(rb["roleRef"] ==
        json::parse(R"({"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"web-role"})"));
  CHECK(rb["subjects"] ==
        json::parse(R"([{"kind":"ServiceAccount","name":"web-sa","namespace":"shop"},)"
                    R"({"kind":"User","name":"jane","apiGroup":"rbac.authorization.k8s.io"},)"
                    R"({"kind":"ServiceAccount","name":"other","namespace":"ops"}])"));
  json crb = ofKind(objects, "ClusterRoleBinding");
  CHECK(crb["roleRef"] ==
        json::parse(R"({"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"})"));
  CHECK(crb["subjects"] ==
        json::parse(R"([{"kind":"Group","name":"devs","apiGroup":"rbac.authorization.k8s.io"}])"));
}

TEST_CASE("bindings: a ServiceAccount subject of a cluster-scoped CR needs a namespace (ORK3353)",
          "[lower][rbac]") {
  CHECK(errors("          onReconcile:\n"
               "            clusterRoleBindings: [{roleRef: {name: view}, subjects: [{kind: ServiceAccount, "
               "name: a}]}]\n",
               "      namespaced: false\n") ==
        std::vector<std::string>{
            "katalog.yaml:12:70: error[ORK3353]: clusterRoleBindings[0].subjects[0]: missing required field "
            "'namespace' (the CR is cluster-scoped, so a ServiceAccount subject has no namespace to default "
            "to)"});
}

TEST_CASE("storage: claims and volumes with defaults, a volume source copied with its types",
          "[lower][storage]") {
  auto objects = render(
      "          onReconcile:\n"
      "            persistentVolumeClaims: [{storageSize: \"{{ .spec.size }}\", storageClassName: fast, "
      "volumeMode: "
      "Filesystem}]\n"
      "            persistentVolumes: [{storageSize: 10Gi, accessModes: [ReadWriteMany],\n"
      "                                 source: {nfs: {server: nfs.local, path: /data, readOnly: true}},\n"
      "                                 nodeAffinity: {required: {nodeSelectorTerms: []}}}]\n",
      webCr({{"size", "5Gi"}}));
  CHECK(ofKind(objects, "PersistentVolumeClaim")["spec"] ==
        json::parse(R"({"accessModes":["ReadWriteOnce"],"storageClassName":"fast","volumeMode":"Filesystem",)"
                    R"("resources":{"requests":{"storage":"5Gi"}}})"));
  CHECK(
      ofKind(objects, "PersistentVolume")["spec"] ==
      json::parse(
          R"({"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteMany"],"persistentVolumeReclaimPolicy":"Retain",)"
          R"("nfs":{"server":"nfs.local","path":"/data","readOnly":true},"nodeAffinity":{"required":{"nodeSelectorTerms":[]}}})"));
}

TEST_CASE("resourceQuotas and limitRanges: profiles (literal or templated) and raw specs",
          "[lower][policy]") {
  std::string block =
      "          onReconcile:\n"
      "            resourceQuotas: [{profile: medium}, {name: t, profile: \"{{ .spec.size }}\"}, {name: raw, "
      "spec: "
      "{hard: {pods: 3}}}]\n"
      "            limitRanges: [{profile: small}]\n";
  auto objects = render(block, webCr({{"size", "xlarge"}}));
  CHECK(
      ofKind(objects, "ResourceQuota")["spec"] ==
      json::parse(
          R"({"hard":{"requests.cpu":"4","requests.memory":"8Gi","limits.cpu":"8","limits.memory":"16Gi","pods":"40"}})"));
  CHECK(
      ofKind(objects, "ResourceQuota", 1)["spec"] ==
      json::parse(
          R"({"hard":{"requests.cpu":"16","requests.memory":"32Gi","limits.cpu":"32","limits.memory":"64Gi","pods":"160"}})"));
  CHECK(ofKind(objects, "ResourceQuota", 2)["spec"] == json::parse(R"({"hard":{"pods":3}})"));
  CHECK(ofKind(objects, "LimitRange")["spec"] ==
        json::parse(R"({"limits":[{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},)"
                    R"("defaultRequest":{"cpu":"100m","memory":"128Mi"}}]})"));
  // An unknown rendered profile fails the required value.
  auto l = lowered(block);
  CHECK_FALSE(renderFor(l->plan(), webCr({{"size", "huge"}})).failure.empty());
}

TEST_CASE("namespaces: metadata only", "[lower][namespaces]") {
  auto objects = render("          onCreate:\n            namespaces: [{labels: {team: a}}]\n");
  CHECK(body(ofKind(objects, "Namespace")) == json::parse(R"({"apiVersion":"v1","kind":"Namespace"})"));
}

TEST_CASE("custom: apiVersion and kind first, body keys copied with Auto leaves, hasStatus in extras",
          "[lower][custom]") {
  auto l = lowered(
      "          onReconcile:\n"
      "            custom:\n"
      "              - {apiVersion: cert-manager.io/v1, kind: Certificate, name: \"{{ .metadata.name "
      "}}-tls\",\n"
      "                 hasStatus: true, labels: {a: b},\n"
      "                 spec: {secretName: \"{{ .metadata.name }}-tls\", dnsNames: [\"{{ .spec.host }}\"],\n"
      "                        replicas: \"{{ .spec.n }}\", text: \"n={{ .spec.n }}\", enabled: true, count: "
      "3,\n"
      "                        issuerRef: {kind: ClusterIssuer, name: le}}}\n");
  CHECK(dump(l->plan().entries[0].extras) == json::parse(R"({"hasStatus":true})"));
  testing::RenderResult r = renderFor(l->plan(), webCr({{"host", "a.example.com"}, {"n", 2}}));
  REQUIRE(r.failure.empty());
  json cert = ofKind(r.objects, "Certificate");
  CHECK(l->plan().entries[0].object.map.at(0).key == "apiVersion");
  CHECK(cert["apiVersion"] == "cert-manager.io/v1");
  CHECK(cert["metadata"]["name"] == "web-tls");
  CHECK(
      cert["spec"] ==
      json::parse(
          R"({"secretName":"web-tls","dnsNames":["a.example.com"],"replicas":2,"text":"n=2","enabled":true,"count":3,)"
          R"("issuerRef":{"kind":"ClusterIssuer","name":"le"}})"));
  CHECK_FALSE(cert.contains("hasStatus"));
  CHECK_FALSE(cert.contains("labels"));
}

}  // namespace ork::backend
