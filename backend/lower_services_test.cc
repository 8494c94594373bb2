// Tests of backend/lower_services.cc (FORMATS.md §5.5, §5.6): services, ingresses, hpa, pdb and
// networkPolicies lowered from small Katalogs and rendered for one CR, and their lowering errors.
#include <catch2/catch.hpp>

#include "backend/testing/lower_harness.h"

namespace ork::backend {
namespace {

using nlohmann::json;
using testing::lowerKatalog;
using testing::renderFor;
using testing::webappKatalog;

json webCr(json spec = json::object()) {
  return json{{"apiVersion", "acme.io/v1"},
              {"kind", "WebApp"},
              {"metadata", {{"name", "web"}, {"namespace", "shop"}, {"uid", "u-1"}}},
              {"spec", std::move(spec)}};
}

/// Lowers `block` (the lines under `reconcile:`) without diagnostics and renders it for `cr`;
/// returns the rendered objects of `kind`.
std::vector<json> render(const std::string& block, const json& cr = webCr()) {
  auto l = lowerKatalog(webappKatalog(block));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->rendered().empty());
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

/// The lowering diagnostics of `block`.
std::vector<std::string> errors(const std::string& block) {
  auto l = lowerKatalog(webappKatalog(block));
  CHECK(l->rendered().size() == l->lowering().size());
  return l->lowering();
}

const char* const kDeployment = "            deployments: [{name: api, image: nginx}]\n";

}  // namespace

TEST_CASE("services: ClusterIP, the only workload's selector, targetPort defaults to port, TCP",
          "[lower][services]") {
  auto objects = render(std::string("          onReconcile:\n") + kDeployment +
                            "            services: [{port: \"{{ .spec.port }}\"}]\n",
                        webCr({{"port", "8080"}}));
  json svc = ofKind(objects, "Service");
  CHECK(svc["metadata"]["name"] == "web-svc");
  CHECK(
      svc["spec"] ==
      json::parse(
          R"({"type":"ClusterIP","selector":{"app":"api"},"ports":[{"port":8080,"targetPort":8080,"protocol":"TCP"}]})"));
}

TEST_CASE("services: NodePort with nodePort, a named targetPort, UDP and an explicit selector",
          "[lower][services]") {
  auto objects = render(
      "          onCreate:\n"
      "            services: [{type: NodePort, port: 53, targetPort: dns, protocol: UDP, nodePort: "
      "\"30053\",\n"
      "                        selector: {app: \"{{ .metadata.name }}-dns\"}}]\n");
  CHECK(
      ofKind(objects, "Service")["spec"] ==
      json::parse(
          R"({"type":"NodePort","selector":{"app":"web-dns"},"ports":[{"port":53,"targetPort":"dns","protocol":"UDP","nodePort":30053}]})"));
}

TEST_CASE("services: headless is clusterIP None; a templated headless decides per CR", "[lower][services]") {
  auto literal = render(std::string("          onReconcile:\n") + kDeployment +
                        "            services: [{headless: true}]\n");
  CHECK(ofKind(literal, "Service")["spec"] ==
        json::parse(R"({"type":"ClusterIP","clusterIP":"None","selector":{"app":"api"}})"));

  std::string templated = std::string("          onReconcile:\n") + kDeployment +
                          "            services: [{headless: \"{{ .spec.headless }}\", port: 80}]\n";
  CHECK(ofKind(render(templated, webCr({{"headless", true}})), "Service")["spec"]["clusterIP"] == "None");
  CHECK_FALSE(
      ofKind(render(templated, webCr({{"headless", false}})), "Service")["spec"].contains("clusterIP"));
}

TEST_CASE("services and pdb: without selector and without exactly one workload is ORK3350",
          "[lower][services]") {
  CHECK(errors("          onReconcile:\n"
               "            deployments: [{name: a, image: nginx}, {name: b, image: nginx}]\n"
               "            services: [{port: 80}]\n") ==
        std::vector<std::string>{"katalog.yaml:12:24: error[ORK3350]: services[0]: missing required field "
                                 "'selector' (the CR declares 2 "
                                 "workloads, so there is no default)"});
  CHECK(
      errors("          onReconcile:\n"
             "            pdb: [{minAvailable: 1}]\n") ==
      std::vector<std::string>{
          "katalog.yaml:11:19: error[ORK3350]: pdb[0]: missing required field 'selector' (the CR declares no "
          "workload, so there is no default)"});
}

TEST_CASE("ingresses: the only service and its port, Prefix on /, class and TLS", "[lower][ingresses]") {
  auto objects = render(
      std::string("          onReconcile:\n") + kDeployment +
          "            services: [{name: web-svc, port: 80}]\n"
          "            ingresses: [{host: \"{{ .spec.host }}\", className: nginx, tlsSecretName: web-tls}]\n",
      webCr({{"host", "shop.example.com"}}));
  CHECK(ofKind(objects, "Ingress")["spec"] ==
        json::parse(
            R"({"ingressClassName":"nginx","tls":[{"hosts":["shop.example.com"],"secretName":"web-tls"}],)"
            R"("rules":[{"host":"shop.example.com","http":{"paths":[{"path":"/","pathType":"Prefix",)"
            R"("backend":{"service":{"name":"web-svc","port":{"number":80}}}}]}}]})"));
}

TEST_CASE("ingresses: an empty host is a rule without host; a named servicePort is port.name",
          "[lower][ingresses]") {
  auto objects = render(
      "          onReconcile:\n"
      "            ingresses: [{host: \"{{ .spec.host }}\", path: /api, pathType: Exact, serviceName: "
      "backend,\n"
      "                         servicePort: http}]\n");
  CHECK(ofKind(objects, "Ingress")["spec"] ==
        json::parse(R"({"rules":[{"http":{"paths":[{"path":"/api","pathType":"Exact",)"
                    R"("backend":{"service":{"name":"backend","port":{"name":"http"}}}}]}}]})"));
}

TEST_CASE("ingresses: a backend with no default is ORK3351", "[lower][ingresses]") {
  CHECK(errors("          onReconcile:\n"
               "            ingresses: [{host: a.example.com}]\n") ==
        std::vector<std::string>{
            "katalog.yaml:11:25: error[ORK3351]: ingresses[0]: missing required field 'serviceName' (the CR "
            "declares no service, so there is no default)"});
  CHECK(errors("          onReconcile:\n"
               "            services: [{name: a, port: 80, selector: {app: a}}, {name: b, port: 81, "
               "selector: {app: "
               "b}}]\n"
               "            ingresses: [{serviceName: a}]\n") ==
        std::vector<std::string>{
            "katalog.yaml:12:25: error[ORK3351]: ingresses[0]: missing required field 'servicePort' (the CR "
            "declares 2 services, so there is no default)"});
}

TEST_CASE("hpa: autoscaling/v2 on the only workload, min 1, utilisation metrics as integers",
          "[lower][hpa]") {
  auto objects = render(
      "          onReconcile:\n"
      "            statefulSets: [{name: db, image: postgres}]\n"
      "            hpa: [{max: \"{{ .spec.max }}\", cpu: 70, memory: \"80\"}]\n",
      webCr({{"max", 5}}));
  json hpa = ofKind(objects, "HorizontalPodAutoscaler");
  CHECK(hpa["apiVersion"] == "autoscaling/v2");
  CHECK(
      hpa["spec"] ==
      json::parse(
          R"({"scaleTargetRef":{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db"},"minReplicas":1,)"
          R"("maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization",)"
          R"("averageUtilization":70}}},{"type":"Resource","resource":{"name":"memory","target":{"type":)"
          R"("Utilization","averageUtilization":80}}}]})"));
  auto named = render(
      "          onReconcile:\n"
      "            hpa: [{target: {name: other}, min: 2, max: 4}]\n");
  CHECK(
      ofKind(named, "HorizontalPodAutoscaler")["spec"] ==
      json::parse(
          R"({"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"other"},"minReplicas":2,"maxReplicas":4})"));
}

TEST_CASE("hpa: no target name and no single workload is ORK3352", "[lower][hpa]") {
  CHECK(errors("          onReconcile:\n"
               "            hpa: [{target: {kind: StatefulSet}, max: 3}]\n") ==
        std::vector<std::string>{"katalog.yaml:11:28: error[ORK3352]: hpa[0]: missing required field "
                                 "'target.name' (the CR declares no "
                                 "workload, so there is no default)"});
}

TEST_CASE("pdb: policy/v1, int-or-string budgets, selector as for services", "[lower][pdb]") {
  auto objects = render(
      std::string("          onReconcile:\n") + kDeployment +
      "            pdb: [{minAvailable: \"50%\"}, {name: b, maxUnavailable: \"1\", selector: {tier: db}}]\n");
  json first = ofKind(objects, "PodDisruptionBudget");
  CHECK(first["apiVersion"] == "policy/v1");
  CHECK(first["spec"] == json::parse(R"({"minAvailable":"50%","selector":{"matchLabels":{"app":"api"}}})"));
  CHECK(ofKind(objects, "PodDisruptionBudget", 1)["spec"] ==
        json::parse(R"({"maxUnavailable":1,"selector":{"matchLabels":{"tier":"db"}}})"));
}

TEST_CASE("networkPolicies: deny-all, allow-same-namespace, raw spec keeps its types",
          "[lower][networkPolicies]") {
  auto objects = render(
      "          onReconcile:\n"
      "            networkPolicies:\n"
      "              - {profile: deny-all}\n"
      "              - {name: same, profile: allow-same-namespace}\n"
      "              - {name: raw, spec: {podSelector: {matchLabels: {app: \"{{ .metadata.name }}\"}},\n"
      "                                   ingress: [{ports: [{port: 5432, protocol: TCP}]}]}}\n");
  CHECK(ofKind(objects, "NetworkPolicy")["spec"] ==
        json::parse(R"({"podSelector":{},"policyTypes":["Ingress","Egress"]})"));
  CHECK(ofKind(objects, "NetworkPolicy", 1)["spec"] ==
        json::parse(
            R"({"podSelector":{},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{}}]}]})"));
  CHECK(
      ofKind(objects, "NetworkPolicy", 2)["spec"] ==
      json::parse(
          R"({"podSelector":{"matchLabels":{"app":"web"}},"ingress":[{"ports":[{"port":5432,"protocol":"TCP"}]}]})"));
}

TEST_CASE("networkPolicies: a templated profile is ORK3356", "[lower][networkPolicies]") {
  CHECK(errors("          onReconcile:\n"
               "            networkPolicies: [{profile: \"{{ .spec.policy }}\"}]\n") ==
        std::vector<std::string>{"katalog.yaml:11:41: error[ORK3356]: networkPolicies[0].profile: cannot be "
                                 "a template (deny-all and "
                                 "allow-same-namespace lower to differently shaped policies)"});
}

}  // namespace ork::backend
