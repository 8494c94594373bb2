// Tests of the lowering framework (backend/lower.cc): entry ids, apply order, reconciled and
// forceConflict flags, default names, metadata, onDelete groups and the value helpers' diagnostics.
#include <catch2/catch.hpp>

#include "backend/lower_internal.h"
#include "backend/testing/lower_harness.h"

namespace ork::backend {
namespace {

using nlohmann::json;
using testing::dump;
using testing::lowerKatalog;
using testing::webappKatalog;

std::vector<std::string> ids(const std::vector<plan::Entry>& entries) {
  std::vector<std::string> out;
  for (const plan::Entry& e : entries) out.push_back(e.id + "@" + std::to_string(e.order));
  return out;
}

const plan::Entry& entry(const plan::CrdPlan& p, const std::string& id) {
  for (const plan::Entry& e : p.entries)
    if (e.id == id) return e;
  for (const plan::Entry& e : p.onDelete)
    if (e.id == id) return e;
  FAIL("no entry " << id);
  throw std::logic_error("unreachable");
}

json nameOf(const plan::Entry& e) { return dump(*e.object.get("metadata")->get("name")); }

TEST_CASE("entries: ids, order = rank x 1000 + position (onCreate first), sorted by order", "[lower]") {
  auto l = lowerKatalog(
      webappKatalog("          onCreate:\n"
                    "            jobs: [{image: busybox}]\n"
                    "            deployments: [{name: a, image: nginx}]\n"
                    "            serviceAccounts: [{}]\n"
                    "          onReconcile:\n"
                    "            deployments: [{name: b, image: nginx}, {name: c, image: nginx}]\n"
                    "            services: [{port: 80, selector: {app: b}}]\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->plans.size() == 1);
  const plan::CrdPlan& p = l->plan();
  CHECK(p.name == "webapp");
  CHECK(p.gvk.apiVersion() == "acme.io/v1");
  CHECK(p.gvk.kind == "WebApp");
  CHECK(p.gvk.plural == "webapps");
  CHECK(p.namespaced);
  CHECK(ids(p.entries) ==
        std::vector<std::string>{"onCreate.serviceAccounts[0]@1000", "onReconcile.services[0]@14000",
                                 "onCreate.deployments[0]@15000", "onReconcile.deployments[0]@15001",
                                 "onReconcile.deployments[1]@15002", "onCreate.jobs[0]@19000"});
  const plan::Entry& dep = entry(p, "onReconcile.deployments[1]");
  CHECK(dep.block == "onReconcile");
  CHECK(dep.resource == "deployments");
  CHECK(dep.apiVersion == "apps/v1");
  CHECK(dep.kind == "Deployment");
  CHECK(dep.namespaced);
  CHECK(dep.reconciled);
  CHECK(dep.forceConflict);
  CHECK(dep.source.field == "deployments[1]");
  CHECK(dump(*dep.object.get("apiVersion")) == "apps/v1");
  CHECK(dump(*dep.object.get("kind")) == "Deployment");
  CHECK(nameOf(dep) == "c");
  CHECK_FALSE(entry(p, "onCreate.deployments[0]").reconciled);
}

TEST_CASE("reconciled: onReconcile, or onCreate with reconcile: true, never Jobs and Pods", "[lower]") {
  auto l =
      lowerKatalog(webappKatalog("          onCreate:\n"
                                 "            deployments: [{image: nginx, reconcile: true}]\n"
                                 "            jobs: [{image: busybox, reconcile: true}]\n"
                                 "            pods: [{image: busybox, reconcile: true}]\n"));
  REQUIRE(l->plans.size() == 1);
  CHECK(entry(l->plan(), "onCreate.deployments[0]").reconciled);
  CHECK_FALSE(entry(l->plan(), "onCreate.jobs[0]").reconciled);
  CHECK_FALSE(entry(l->plan(), "onCreate.pods[0]").reconciled);
  // validate already warns (ORK1134); lowering adds nothing.
  CHECK(l->rendered() ==
        std::vector<std::string>{
            "katalog.yaml:12:48: warning[ORK1134]: spec.crds.webapp.operatorBox.reconcile.onCreate."
            "jobs[0]: 'reconcile: true' is ignored: Jobs and Pods are create-only",
            "katalog.yaml:13:48: warning[ORK1134]: spec.crds.webapp.operatorBox.reconcile.onCreate."
            "pods[0]: 'reconcile: true' is ignored: Jobs and Pods are create-only"});
}

TEST_CASE("forceConflict: the entry's, else the CRD's, else true", "[lower]") {
  auto l = lowerKatalog(webappKatalog(
      "          onReconcile:\n"
      "            deployments: [{name: a, image: nginx}, {name: b, image: nginx, forceConflict: true},\n"
      "                          {name: c, image: nginx, forceConflict: \"{{ .spec.force }}\"}]\n",
      "      forceConflict: false\n"));
  REQUIRE(l->plans.size() == 1);
  CHECK_FALSE(entry(l->plan(), "onReconcile.deployments[0]").forceConflict);
  CHECK(entry(l->plan(), "onReconcile.deployments[1]").forceConflict);
  const plan::Entry& c = entry(l->plan(), "onReconcile.deployments[2]");
  CHECK_FALSE(c.forceConflict);
  CHECK(dump(c.extras) == json{{"forceConflict", {{"$t", "{{ .spec.force }}"}, {"type", "boolean"}}}});
}

TEST_CASE("default names of §5.1, with the namespace prefix on cluster-scoped kinds of a namespaced CR",
          "[lower]") {
  const std::string block =
      "          onCreate:\n"
      "            namespaces: [{}]\n"
      "            clusterRoles: [{rules: [{apiGroups: [\"\"], resources: [pods], verbs: [get]}]}]\n"
      "            persistentVolumes: [{storageSize: 1Gi, source: {hostPath: {path: /data}}}]\n"
      "            deployments: [{image: nginx}]\n"
      "            cronJobs: [{image: busybox, schedule: \"* * * * *\"}]\n";
  SECTION("namespaced CR") {
    auto l = lowerKatalog(webappKatalog(block));
    REQUIRE(l->plans.size() == 1);
    CHECK(nameOf(entry(l->plan(), "onCreate.namespaces[0]")) ==
          json{{"$t", "{{ .metadata.name }}"}, {"type", "string"}});
    CHECK(nameOf(entry(l->plan(), "onCreate.clusterRoles[0]")) ==
          json{{"$t", "{{ .metadata.namespace }}-{{ .metadata.name }}-clusterrole"}, {"type", "string"}});
    CHECK(nameOf(entry(l->plan(), "onCreate.persistentVolumes[0]")) ==
          json{{"$t", "{{ .metadata.namespace }}-{{ .metadata.name }}-pv"}, {"type", "string"}});
    CHECK(nameOf(entry(l->plan(), "onCreate.deployments[0]")) ==
          json{{"$t", "{{ .metadata.name }}-deployment"}, {"type", "string"}});
    CHECK(nameOf(entry(l->plan(), "onCreate.cronJobs[0]")) ==
          json{{"$t", "{{ .metadata.name }}-cronjob"}, {"type", "string"}});
    CHECK_FALSE(entry(l->plan(), "onCreate.clusterRoles[0]").namespaced);
    CHECK(entry(l->plan(), "onCreate.clusterRoles[0]").object.get("metadata")->get("namespace") == nullptr);
  }
  SECTION("cluster-scoped CR: no prefix, and namespaced children need a namespace") {
    auto l = lowerKatalog(webappKatalog(block, "      namespaced: false\n"));
    CHECK(l->plans.empty());
    CHECK(l->lowering() == std::vector<std::string>{"katalog.yaml:15:27: error[ORK3320]: deployments[0]: "
                                                    "missing 'namespace': the CR is cluster-scoped, "
                                                    "so a namespaced Deployment needs one",
                                                    "katalog.yaml:16:24: error[ORK3320]: cronJobs[0]: "
                                                    "missing 'namespace': the CR is cluster-scoped, so "
                                                    "a namespaced CronJob needs one"});
  }
  SECTION("cluster-scoped CR with namespaces given") {
    auto l = lowerKatalog(webappKatalog(
        "          onCreate:\n"
        "            clusterRoles: [{rules: [{apiGroups: [\"\"], resources: [pods], verbs: [get]}]}]\n"
        "            deployments: [{image: nginx, namespace: \"{{ .spec.ns }}\"}]\n",
        "      namespaced: false\n"));
    INFO(Catch::Detail::stringify(l->rendered()));
    REQUIRE(l->plans.size() == 1);
    CHECK_FALSE(l->plan().namespaced);
    CHECK(nameOf(entry(l->plan(), "onCreate.clusterRoles[0]")) ==
          json{{"$t", "{{ .metadata.name }}-clusterrole"}, {"type", "string"}});
    CHECK(dump(*entry(l->plan(), "onCreate.deployments[0]").object.get("metadata")->get("namespace")) ==
          json{{"$t", "{{ .spec.ns }}"}, {"type", "string"}, {"required", true}});
  }
}

TEST_CASE("metadata: name, namespace, labels and annotations (keys and values templated)", "[lower]") {
  auto l = lowerKatalog(
      webappKatalog("          onReconcile:\n"
                    "            deployments:\n"
                    "              - name: \"{{ .metadata.name }}-api\"\n"
                    "                namespace: other\n"
                    "                image: nginx\n"
                    "                labels: {tier: web, \"{{ .spec.team }}\": \"yes\", count: 3}\n"
                    "                annotations: {note: \"{{ .spec.note }}\"}\n"));
  REQUIRE(l->plans.size() == 1);
  const plan::TValue& meta = *entry(l->plan(), "onReconcile.deployments[0]").object.get("metadata");
  CHECK(dump(meta) == json::parse(R"({
    "name": {"$t": "{{ .metadata.name }}-api", "type": "string", "required": true},
    "namespace": "other",
    "labels": {"tier": "web", "{{ .spec.team }}": "yes", "count": 3},
    "annotations": {"note": {"$t": "{{ .spec.note }}", "type": "string"}}})"));
  REQUIRE(meta.get("labels")->map.size() == 3);
  CHECK(meta.get("labels")->map[1].keyTmpl != nullptr);
  CHECK(meta.get("labels")->map[0].keyTmpl == nullptr);
  const plan::TValue& name = *meta.get("name");
  CHECK(name.source.location == l->dir.path() + "/katalog.yaml:12:24");
  CHECK(name.source.field == "deployments[0].name");
}

TEST_CASE("a user label overriding one of ork's is an error at the key", "[lower]") {
  auto l = lowerKatalog(webappKatalog(
      "          onReconcile:\n"
      "            deployments: [{image: nginx, labels: {managed-by: me, orkestra.orkspace.io/mode: x}}]\n"));
  CHECK(l->plans.empty());
  CHECK(l->lowering() ==
        std::vector<std::string>{
            "katalog.yaml:11:51: error[ORK3321]: deployments[0].labels: label 'managed-by' is set "
            "by ork and cannot be overridden",
            "katalog.yaml:11:67: error[ORK3321]: deployments[0].labels: label "
            "'orkestra.orkspace.io/mode' is set by ork and cannot be overridden"});
}

TEST_CASE("a literal that does not convert is ORK3301 at the value", "[lower]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            deployments: [{image: nginx, replicas: \"three\"}]\n"));
  CHECK(l->plans.empty());
  CHECK(l->lowering() ==
        std::vector<std::string>{"katalog.yaml:11:52: error[ORK3301]: deployments[0].replicas: "
                                 "rendered \"three\" is not an integer"});
}

TEST_CASE("onDelete: plain keys form the group 'default', then groups in order; only jobs/pods keep a body",
          "[lower]") {
  auto l = lowerKatalog(
      webappKatalog("          onDelete:\n"
                    "            ordered: true\n"
                    "            deployments: [{name: \"{{ .metadata.name }}-api\"}]\n"
                    "            groups:\n"
                    "              - {name: backup, jobs: [{name: final-backup, image: acme/pg-backup:2}]}\n"
                    "              - {name: teardown, statefulSets: [{name: db, namespace: data}], services: "
                    "[{name: db}]}\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->plans.size() == 1);
  const plan::CrdPlan& p = l->plan();
  CHECK(p.entries.empty());
  CHECK(ids(p.onDelete) == std::vector<std::string>{"onDelete.default.deployments[0]@15000",
                                                    "onDelete.backup.jobs[0]@19000",
                                                    "onDelete.teardown.services[0]@14000",
                                                    "onDelete.teardown.statefulSets[0]@17000"});
  for (const plan::Entry& e : p.onDelete) {
    CHECK(e.block == "onDelete");
    CHECK_FALSE(e.reconciled);
  }
  CHECK(
      dump(entry(p, "onDelete.teardown.statefulSets[0]").object) ==
      json::parse(
          R"({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "data"}})"));
  const plan::TValue& job = entry(p, "onDelete.backup.jobs[0]").object;
  REQUIRE(job.get("spec") != nullptr);
  CHECK(dump(*job.get("spec")->get("template")->get("spec")->get("containers"))[0]["image"] ==
        "acme/pg-backup:2");
}

TEST_CASE("disabled CRDs lower to nothing", "[lower]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            deployments: [{image: nginx}]\n",
                                 "      enabled: false\n"));
  CHECK(l->plans.empty());
  CHECK(l->rendered().empty());
}

TEST_CASE("templates keep where they came from; a forEach alias is a data root", "[lower]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            deployments:\n"
                                 "              - name: \"{{ .metadata.name }}-{{ .w.name }}\"\n"
                                 "                forEach: {field: spec.workers, as: w}\n"
                                 "                image: \"{{ .w.image }}\"\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->plans.size() == 1);
  CHECK(l->rendered().empty());
  const plan::Entry& e = entry(l->plan(), "onReconcile.deployments[0]");
  REQUIRE(e.forEach.has_value());
  const plan::TValue& image =
      *e.object.get("spec")->get("template")->get("spec")->get("containers")->list.at(0).get("image");
  CHECK(image.kind == plan::TValue::Kind::Template);
  CHECK(image.required);
  CHECK(image.source.location == l->dir.path() + "/katalog.yaml:14:25");
  CHECK(image.source.field == "deployments[0].image");
  CHECK(e.source.location == l->dir.path() + "/katalog.yaml:12:17");
}

}  // namespace
}  // namespace ork::backend
