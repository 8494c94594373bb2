// Tests of the workload lowerers (backend/lower_workloads*.cc, FORMATS.md §5.4): the worked example
// of §5.5 rendered end to end, defaults, profiles, probes, pod fields, statefulSets, jobs, cronJobs.
#include <catch2/catch.hpp>

#include "backend/testing/lower_harness.h"

namespace ork::backend {
namespace {

using nlohmann::json;
using testing::dump;
using testing::lowerKatalog;
using testing::renderFor;
using testing::webappKatalog;

const char* const kUid = "7d1c6f2a-5b7e-4c1d-9a3e-0f8b2c4d6e10";

json webCr(const std::string& name = "web", json spec = json{{"image", "ghcr.io/acme/shop:1.4.2"}}) {
  return json{{"apiVersion", "acme.io/v1"},
              {"kind", "WebApp"},
              {"metadata", {{"name", name}, {"namespace", "shop"}, {"uid", kUid}}},
              {"spec", std::move(spec)}};
}

/// The lowered object of the only entry, as readable JSON.
json onlyObject(const testing::Lowered& l) {
  REQUIRE(l.plans.size() == 1);
  REQUIRE(l.plan().entries.size() == 1);
  return dump(l.plan().entries[0].object);
}

TEST_CASE("the worked example of FORMATS.md §5.5 renders exactly", "[lower][workloads]") {
  auto l = lowerKatalog(webappKatalog(
      "          onReconcile:\n"
      "            deployments: [{name: \"{{ .metadata.name }}\", image: \"{{ .spec.image }}\", replicas: "
      "\"{{ "
      ".spec.replicas | default 2 }}\",\n"
      "                           port: 8080, resources: {profile: small}, probes: {readiness: {type: http, "
      "path: "
      "/healthz}}}]\n"
      "            services: [{name: \"{{ .metadata.name }}-svc\", port: 80, targetPort: 8080}]\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->rendered().empty());
  REQUIRE(l->plans.size() == 1);
  testing::RenderResult r = renderFor(l->plan(), webCr());
  INFO(r.failure);
  REQUIRE(r.objects.size() == 2);
  json labels = {{"managed-by", "orkestra"},
                 {"orkestra-owner", "web"},
                 {"orkestra.orkspace.io/owner-uid", kUid},
                 {"orkestra.orkspace.io/mode", "reconciled"}};
  json owner = json::array({{{"apiVersion", "acme.io/v1"},
                             {"kind", "WebApp"},
                             {"name", "web"},
                             {"uid", kUid},
                             {"controller", true},
                             {"blockOwnerDeletion", true}}});
  json deployment = json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "shop"},
    "spec": {
      "replicas": 2,
      "selector": {"matchLabels": {"app": "web"}},
      "template": {
        "metadata": {"labels": {"app": "web", "orkestra-owner": "web"}},
        "spec": {"containers": [{
          "name": "web", "image": "ghcr.io/acme/shop:1.4.2", "ports": [{"containerPort": 8080, "protocol": "TCP"}],
          "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
          "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 5,
                             "periodSeconds": 10, "timeoutSeconds": 2, "failureThreshold": 3}}]}}}})");
  deployment["metadata"]["labels"] = labels;
  deployment["metadata"]["ownerReferences"] = owner;
  json service = json::parse(R"({
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "web-svc", "namespace": "shop"},
    "spec": {"type": "ClusterIP", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}})");
  service["metadata"]["labels"] = labels;
  service["metadata"]["ownerReferences"] = owner;
  CHECK(r.objects[0].dump(2) == service.dump(2));
  CHECK(r.objects[1].dump(2) == deployment.dump(2));
}

TEST_CASE("deployments: defaults, container fields, profiles and pod fields", "[lower][workloads]") {
  auto l = lowerKatalog(webappKatalog(
      "          onCreate:\n"
      "            deployments:\n"
      "              - name: api\n"
      "                image: nginx:1.27\n"
      "                containerName: main\n"
      "                port: \"9090\"\n"
      "                protocol: UDP\n"
      "                command: [/bin/server]\n"
      "                args: [--port, \"9090\"]\n"
      "                workingDirectory: /srv\n"
      "                env: [{name: MODE, value: \"{{ .spec.mode }}\"}, {name: POD, valueFrom: {fieldRef: "
      "{fieldPath: "
      "metadata.name}}}]\n"
      "                envFrom: {secretRef: [{name: creds}], configMapRef: [{name: settings, prefix: "
      "CFG_}]}\n"
      "                resources: {requests: {cpu: 1, memory: 64Mi}, limits: {memory: 128Mi}}\n"
      "                securityContext: {profile: restricted}\n"
      "                rollingUpdate: {profile: safe}\n"
      "                serviceAccountName: api-sa\n"
      "                nodeSelector: {disk: ssd}\n"
      "                tolerations: [{key: dedicated, operator: Equal, value: api, effect: NoSchedule}]\n"
      "                imagePullSecrets: [regcred, \"{{ .spec.pullSecret }}\"]\n"
      "                volumes: [{name: cache, emptyDir: {}}]\n"
      "                volumeMounts: [{name: cache, mountPath: /cache, readOnly: true}]\n"
      "                podLabels: {tier: backend}\n"
      "                podAnnotations: {prometheus.io/scrape: \"true\"}\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->rendered().empty());
  json obj = onlyObject(*l);
  json expected = json::parse(R"({
    "replicas": 1,
    "selector": {"matchLabels": {"app": "api"}},
    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
    "template": {
      "metadata": {"labels": {"app": "api", "orkestra-owner": "OWNER", "tier": "backend"},
                   "annotations": {"prometheus.io/scrape": "true"}},
      "spec": {
        "containers": [{
          "name": "main", "image": "nginx:1.27", "command": ["/bin/server"], "args": ["--port", "9090"],
          "workingDir": "/srv", "ports": [{"containerPort": 9090, "protocol": "UDP"}],
          "env": [{"name": "MODE", "value": {"$t": "{{ .spec.mode }}", "type": "string"}},
                  {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
          "envFrom": [{"configMapRef": {"name": "settings"}, "prefix": "CFG_"}, {"secretRef": {"name": "creds"}}],
          "resources": {"requests": {"cpu": "1", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
          "securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true,
                              "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
          "volumeMounts": [{"name": "cache", "mountPath": "/cache", "readOnly": true}]}],
        "serviceAccountName": "api-sa",
        "nodeSelector": {"disk": "ssd"},
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "api", "effect": "NoSchedule"}],
        "imagePullSecrets": [{"name": "regcred"}, {"name": {"$t": "{{ .spec.pullSecret }}", "type": "string"}}],
        "volumes": [{"name": "cache", "emptyDir": {}}]}}})");
  obj["spec"]["template"]["metadata"]["labels"]["orkestra-owner"] = "OWNER";  // a template, rendered below
  CHECK(obj["spec"].dump(2) == expected.dump(2));
}

TEST_CASE("probes: http/tcp/exec, the container port by default, profiles and explicit timings",
          "[lower][workloads]") {
  auto l = lowerKatalog(webappKatalog(
      "          onReconcile:\n"
      "            deployments:\n"
      "              - name: api\n"
      "                image: nginx\n"
      "                port: 8080\n"
      "                probes:\n"
      "                  startup: {type: tcp, profile: slow}\n"
      "                  liveness: {type: exec, command: [cat, /tmp/ok], profile: fast, periodSeconds: 7}\n"
      "                  readiness: {type: http, port: metrics, successThreshold: 2}\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->rendered().empty());
  json c = onlyObject(*l)["spec"]["template"]["spec"]["containers"][0];
  CHECK(c["startupProbe"] == json::parse(R"({"tcpSocket": {"port": 8080}, "initialDelaySeconds": 15,
        "periodSeconds": 20, "timeoutSeconds": 5, "failureThreshold": 6})"));
  CHECK(c["livenessProbe"] ==
        json::parse(R"({"exec": {"command": ["cat", "/tmp/ok"]}, "initialDelaySeconds": 0,
        "periodSeconds": 7, "timeoutSeconds": 1, "failureThreshold": 3})"));
  CHECK(c["readinessProbe"] ==
        json::parse(R"({"httpGet": {"path": "/", "port": "metrics"}, "initialDelaySeconds": 5,
        "periodSeconds": 10, "timeoutSeconds": 2, "failureThreshold": 3, "successThreshold": 2})"));
}

TEST_CASE("a probe with no port available is ORK3322; a templated probe type is ORK3323",
          "[lower][workloads]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            deployments:\n"
                                 "              - image: nginx\n"
                                 "                probes: {readiness: {type: http}, liveness: {type: tcp}}\n"
                                 "            jobs:\n"
                                 "              - image: busybox\n"
                                 "                probes: {readiness: {type: \"{{ .spec.probe }}\"}}\n"));
  CHECK(l->plans.empty());
  CHECK(
      l->lowering() ==
      std::vector<std::string>{
          "katalog.yaml:13:61: error[ORK3322]: deployments[0].probes.liveness: a tcp probe needs a port: set "
          "'port' on the probe or on the workload",
          "katalog.yaml:13:37: error[ORK3322]: deployments[0].probes.readiness: an http probe needs a port: "
          "set "
          "'port' on the probe or on the workload",
          "katalog.yaml:16:44: error[ORK3323]: jobs[0].probes.readiness.type: cannot be a template (http, "
          "tcp and "
          "exec probes lower to different shapes)"});
}

TEST_CASE("a templated securityContext profile is ORK3323; podLabels may not set app or orkestra-owner",
          "[lower][workloads]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            deployments:\n"
                                 "              - image: nginx\n"
                                 "                securityContext: {profile: \"{{ .spec.security }}\"}\n"
                                 "                podLabels: {app: other}\n"));
  CHECK(l->plans.empty());
  CHECK(l->lowering() ==
        std::vector<std::string>{"katalog.yaml:14:29: error[ORK3321]: deployments[0].podLabels: label 'app' "
                                 "is set by ork on the pod "
                                 "template and cannot be overridden",
                                 "katalog.yaml:13:44: error[ORK3323]: "
                                 "deployments[0].securityContext.profile: cannot be a template (the "
                                 "profiles set different fields)"});
}

TEST_CASE("container names: the object name cut to 63 characters without a trailing '-'",
          "[lower][workloads]") {
  const std::string longName = std::string(62, 'a') + "-bcd";  // 66 characters, '-' at position 63
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            deployments: [{name: " +
                                 longName +
                                 ", image: nginx}]\n"
                                 "            replicaSets: [{image: nginx}]\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->plans.size() == 1);
  REQUIRE(l->plan().entries.size() == 2);
  CHECK(dump(l->plan().entries[0].object)["spec"]["template"]["spec"]["containers"][0]["name"] ==
        std::string(62, 'a'));
  // A templated name is cut when rendered (and the owner label shortened like §5.2's).
  const std::string crName = std::string(60, 'x');
  testing::RenderResult r = renderFor(l->plan(), webCr(crName));
  INFO(r.failure);
  REQUIRE(r.objects.size() == 2);
  const json& rs = r.objects[1];
  CHECK(rs["kind"] == "ReplicaSet");
  CHECK(rs["metadata"]["name"] == crName + "-rs");
  CHECK(rs["spec"]["template"]["spec"]["containers"][0]["name"] == crName + "-rs");
  CHECK(rs["spec"]["replicas"] == 1);
  CHECK(rs["spec"].count("strategy") == 0);
  CHECK(rs["spec"]["template"]["metadata"]["labels"]["orkestra-owner"] == crName);
  const std::string veryLong = std::string(40, 'y') + "-" + std::string(40, 'z');
  testing::RenderResult r2 = renderFor(l->plan(), webCr(veryLong));
  INFO(r2.failure);
  REQUIRE(r2.objects.size() == 2);
  CHECK(r2.objects[1]["spec"]["template"]["spec"]["containers"][0]["name"] ==
        (veryLong + "-rs").substr(0, 63));
  CHECK(r2.objects[1]["spec"]["template"]["metadata"]["labels"]["orkestra-owner"] ==
        plan::ownerLabelValue(veryLong));
  CHECK(r2.objects[1]["spec"]["template"]["metadata"]["labels"]["orkestra-owner"].get<std::string>().size() ==
        63);
}

TEST_CASE("templated profiles select by the rendered value", "[lower][workloads]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            deployments:\n"
                                 "              - name: api\n"
                                 "                image: nginx\n"
                                 "                resources: {profile: \"{{ .spec.size }}\"}\n"
                                 "                rollingUpdate: {profile: \"{{ .spec.rollout }}\"}\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->plans.size() == 1);
  testing::RenderResult r =
      renderFor(l->plan(), webCr("web", {{"image", "x"}, {"size", "large"}, {"rollout", "fast"}}));
  INFO(r.failure);
  REQUIRE(r.objects.size() == 1);
  CHECK(r.objects[0]["spec"]["template"]["spec"]["containers"][0]["resources"] ==
        json::parse(
            R"({"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"cpu": "2", "memory": "1Gi"}})"));
  CHECK(r.objects[0]["spec"]["strategy"] ==
        json::parse(
            R"({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "100%", "maxUnavailable": "50%"}})"));
}

TEST_CASE("statefulSets: serviceName from the first headless service, claim templates and mounts",
          "[lower][workloads]") {
  auto l = lowerKatalog(webappKatalog(
      "          onReconcile:\n"
      "            services: [{name: web, port: 80, selector: {app: db}}, {name: \"{{ .metadata.name "
      "}}-hl\", headless: "
      "true}]\n"
      "            statefulSets:\n"
      "              - name: db\n"
      "                image: postgres:16\n"
      "                replicas: 3\n"
      "                rollingUpdate: {maxSurge: 1, maxUnavailable: \"25%\"}\n"
      "                volumeClaimTemplates:\n"
      "                  - {name: pgdata, storageSize: 10Gi, mountPath: /var/lib/postgresql, "
      "storageClassName: fast}\n"
      "                  - {storageSize: \"{{ .spec.walSize }}\", accessModes: [ReadWriteMany]}\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->rendered().empty());
  REQUIRE(l->plans.size() == 1);
  json spec = dump(l->plan().entries.at(2).object)["spec"];
  CHECK(spec["serviceName"] ==
        json{{"$t", "{{ .metadata.name }}-hl"}, {"type", "string"}, {"required", true}});
  CHECK(spec["replicas"] == 3);
  CHECK(spec["updateStrategy"] ==
        json::parse(R"({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%"}})"));
  CHECK(spec["volumeClaimTemplates"] == json::parse(R"([
    {"metadata": {"name": "pgdata"}, "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast",
                                              "resources": {"requests": {"storage": "10Gi"}}}},
    {"metadata": {"name": "data-1"}, "spec": {"accessModes": ["ReadWriteMany"],
       "resources": {"requests": {"storage": {"$t": "{{ .spec.walSize }}", "type": "quantity"}}}}}])"));
  CHECK(spec["template"]["spec"]["containers"][0]["volumeMounts"] ==
        json::parse(R"([{"name": "pgdata", "mountPath": "/var/lib/postgresql"}])"));
  SECTION("without a headless service: the object name") {
    auto l2 =
        lowerKatalog(webappKatalog("          onReconcile:\n"
                                   "            statefulSets: [{image: postgres:16}]\n"));
    REQUIRE(l2->plans.size() == 1);
    json s = dump(l2->plan().entries.at(0).object)["spec"];
    CHECK(s["serviceName"] == json{{"$t", "{{ .metadata.name }}-sts"}, {"type", "string"}});
    CHECK(s.count("volumeClaimTemplates") == 0);
  }
}

TEST_CASE("pods, jobs and cronJobs: restart policies, backoff, schedule and history", "[lower][workloads]") {
  auto l = lowerKatalog(webappKatalog(
      "          onCreate:\n"
      "            pods: [{name: p, image: busybox}]\n"
      "            jobs: [{name: j, image: busybox, restartPolicy: OnFailure, activeDeadlineSeconds: 600, "
      "ttlSecondsAfterFinished: \"{{ .spec.ttl }}\"}]\n"
      "            cronJobs: [{name: c, image: busybox, schedule: \"0 3 * * *\", timeZone: Europe/Paris, "
      "suspend: "
      "\"{{ .spec.paused }}\", successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 2, backoffLimit: "
      "0}]\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->rendered().empty());
  REQUIRE(l->plans.size() == 1);
  const auto& entries = l->plan().entries;
  REQUIRE(entries.size() == 3);
  json pod = dump(entries[0].object);
  CHECK(pod["kind"] == "Pod");
  CHECK(pod["spec"]["restartPolicy"] == "Always");
  CHECK(pod["spec"]["containers"][0]["name"] == "p");
  json job = dump(entries[1].object);
  CHECK(job["apiVersion"] == "batch/v1");
  CHECK(job["spec"]["backoffLimit"] == 6);
  CHECK(job["spec"]["activeDeadlineSeconds"] == 600);
  CHECK(job["spec"]["ttlSecondsAfterFinished"] == json{{"$t", "{{ .spec.ttl }}"}, {"type", "integer"}});
  CHECK(job["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure");
  CHECK(job["spec"]["template"]["metadata"]["labels"]["app"] == "j");
  json cron = dump(entries[2].object);
  CHECK(cron["kind"] == "CronJob");
  CHECK(cron["spec"]["schedule"] == "0 3 * * *");
  CHECK(cron["spec"]["timeZone"] == "Europe/Paris");
  CHECK(cron["spec"]["concurrencyPolicy"] == "Forbid");
  CHECK(cron["spec"]["suspend"] == json{{"$t", "{{ .spec.paused }}"}, {"type", "boolean"}});
  CHECK(cron["spec"]["successfulJobsHistoryLimit"] == 1);
  CHECK(cron["spec"]["failedJobsHistoryLimit"] == 2);
  CHECK(cron["spec"]["jobTemplate"]["spec"]["backoffLimit"] == 0);
  CHECK(cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "Never");
  CHECK(cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"] == "busybox");
}

}  // namespace
}  // namespace ork::backend
