// Tests of renderEntries (FORMATS.md §5.2, §6.2): forEach over lists, maps and absent fields,
// conditions, default namespaces, ork's labels (and user labels overriding them), owner references.
#include <catch2/catch.hpp>

#include "backend/plan/render.h"

using namespace ork;
using namespace ork::plan;
using nlohmann::json;

namespace {

TValue tv(const std::string& text, std::vector<std::string> roots = {}, bool required = false) {
  tmpl::ParseResult r = tmpl::parse(text, tmpl::ParseOptions{std::move(roots), {}});
  REQUIRE(r.ok());
  return TValue::templ(r.tmpl, ValueType::String, SourceRef{"katalog.yaml:9:15", "configMaps[0].name", {}},
                       required);
}

/// A ConfigMap entry named by `name` (a template).
Entry configMap(const std::string& name, std::vector<std::string> roots = {}) {
  Entry e;
  e.id = "onReconcile.configMaps[0]";
  e.block = "onReconcile";
  e.resource = "configMaps";
  e.apiVersion = "v1";
  e.kind = "ConfigMap";
  e.reconciled = true;
  e.source = SourceRef{"katalog.yaml:8:11", "configMaps[0]", {}};
  e.object = TValue::mapValue();
  e.object.set("apiVersion", TValue::lit("v1"));
  e.object.set("kind", TValue::lit("ConfigMap"));
  TValue meta = TValue::mapValue();
  meta.set("name", tv(name, roots, true));
  e.object.set("metadata", std::move(meta));
  return e;
}

CrdPlan webapp(bool namespaced = true) {
  CrdPlan p;
  p.name = "webapp";
  p.gvk = Gvk{"acme.io", "v1", "WebApp", "webapps"};
  p.namespaced = namespaced;
  return p;
}

json cr(bool namespaced = true) {
  json c = json::parse(R"({"apiVersion": "acme.io/v1", "kind": "WebApp",
    "metadata": {"name": "web", "namespace": "shop", "uid": "7d1c"},
    "spec": {"tier": "premium", "shards": [{"name": "a"}, {"name": "b"}], "zones": {"west": 2, "east": 1},
             "none": [], "scalar": "x"}})");
  if (!namespaced) c["metadata"].erase("namespace");
  return c;
}

Rendered<std::vector<RenderedObject>> run(const CrdPlan& p, const json& c) {
  tmpl::EvalContext ctx;
  return renderEntries(p, c, ctx);
}

std::vector<std::string> names(const Rendered<std::vector<RenderedObject>>& r) {
  std::vector<std::string> out;
  for (const RenderedObject& o : *r.value) out.push_back(o.object["metadata"]["name"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("renderEntries: a namespaced child of a namespaced CR gets namespace, labels and owner reference") {
  CrdPlan p = webapp();
  p.entries.push_back(configMap("{{ .metadata.name }}-config"));
  auto r = run(p, cr());
  REQUIRE(r.ok());
  REQUIRE(r.value->size() == 1);
  const RenderedObject& o = r.value->front();
  CHECK(o.entryId == "onReconcile.configMaps[0]");
  CHECK(o.resource == "configMaps");
  CHECK(o.reconciled);
  CHECK(
      o.object.dump() ==
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"labels":{"managed-by":"orkestra",)"
      R"("orkestra-owner":"web","orkestra.orkspace.io/mode":"reconciled","orkestra.orkspace.io/owner-uid":"7d1c"},)"
      R"("name":"web-config","namespace":"shop","ownerReferences":[{"apiVersion":"acme.io/v1",)"
      R"("blockOwnerDeletion":true,"controller":true,"kind":"WebApp","name":"web","uid":"7d1c"}]}})");
}

TEST_CASE("renderEntries: created mode, entry labels kept before ork's") {
  CrdPlan p = webapp();
  Entry e = configMap("c");
  e.reconciled = false;
  TValue labels = TValue::mapValue();
  labels.set("team", TValue::lit("shop"));
  e.object.get("metadata")->set("labels", std::move(labels));
  p.entries.push_back(std::move(e));
  auto r = run(p, cr());
  REQUIRE(r.ok());
  const json& l = r.value->front().object["metadata"]["labels"];
  CHECK(l["team"] == "shop");
  CHECK(l["orkestra.orkspace.io/mode"] == "created");
  CHECK(l.size() == 5);
}

TEST_CASE("renderEntries: a user label with one of ork's keys is a failure naming it") {
  for (const char* key :
       {"managed-by", "orkestra-owner", "orkestra.orkspace.io/owner-uid", "orkestra.orkspace.io/mode"}) {
    CrdPlan p = webapp();
    Entry e = configMap("c");
    TValue labels = TValue::mapValue();
    labels.set(key, TValue::lit("me"));
    e.object.get("metadata")->set("labels", std::move(labels));
    p.entries.push_back(std::move(e));
    auto r = run(p, cr());
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure.message ==
          std::string("configMaps[0].labels: label '") + key + "' is set by ork and cannot be overridden");
    CHECK(r.failure.location == "katalog.yaml:8:11");
  }
}

TEST_CASE("renderEntries: owner references by scope") {
  SECTION("a child in another namespace carries none") {
    CrdPlan p = webapp();
    Entry e = configMap("c");
    e.object.get("metadata")->set("namespace", TValue::lit("other"));
    p.entries.push_back(std::move(e));
    auto r = run(p, cr());
    REQUIRE(r.ok());
    CHECK(r.value->front().object["metadata"]["namespace"] == "other");
    CHECK_FALSE(r.value->front().object["metadata"].contains("ownerReferences"));
  }
  SECTION("a cluster-scoped child of a namespaced CR carries none and no namespace") {
    CrdPlan p = webapp();
    Entry e = configMap("{{ .metadata.namespace }}-{{ .metadata.name }}-pv");
    e.resource = "persistentVolumes";
    e.kind = "PersistentVolume";
    e.namespaced = false;
    p.entries.push_back(std::move(e));
    auto r = run(p, cr());
    REQUIRE(r.ok());
    const json& meta = r.value->front().object["metadata"];
    CHECK(meta["name"] == "shop-web-pv");
    CHECK_FALSE(meta.contains("namespace"));
    CHECK_FALSE(meta.contains("ownerReferences"));
  }
  SECTION("every child of a cluster-scoped CR is owned") {
    CrdPlan p = webapp(false);
    Entry ns = configMap("{{ .metadata.name }}");
    ns.namespaced = false;
    ns.kind = "Namespace";
    p.entries.push_back(std::move(ns));
    Entry cm = configMap("c");
    cm.object.get("metadata")->set("namespace", TValue::lit("team-a"));
    p.entries.push_back(std::move(cm));
    auto r = run(p, cr(false));
    REQUIRE(r.ok());
    REQUIRE(r.value->size() == 2);
    for (const RenderedObject& o : *r.value) {
      REQUIRE(o.object["metadata"].contains("ownerReferences"));
      CHECK(o.object["metadata"]["ownerReferences"][0]["kind"] == "WebApp");
    }
    CHECK(r.value->at(1).object["metadata"]["namespace"] == "team-a");
  }
  SECTION("a namespaced child of a cluster-scoped CR without a namespace fails") {
    CrdPlan p = webapp(false);
    p.entries.push_back(configMap("c"));
    auto r = run(p, cr(false));
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure.message ==
          "configMaps[0].namespace: a namespaced ConfigMap of a cluster-scoped CR needs a namespace");
  }
}

TEST_CASE("renderEntries: forEach over a list, in order, with .item and the alias") {
  CrdPlan p = webapp();
  Entry e = configMap("{{ .metadata.name }}-{{ .shard.name }}-{{ .item.name }}", {"shard"});
  e.forEach = ForEach{{"spec", "shards"}, "shard", {}};
  p.entries.push_back(std::move(e));
  auto r = run(p, cr());
  REQUIRE(r.ok());
  CHECK(names(r) == std::vector<std::string>{"web-a-a", "web-b-b"});
}

TEST_CASE("renderEntries: forEach over a map in sorted key order, .item the key and .value the value") {
  CrdPlan p = webapp();
  Entry e = configMap("{{ .item }}-{{ .value }}-{{ .zone }}", {"zone"});
  e.forEach = ForEach{{"spec", "zones"}, "zone", {}};
  p.entries.push_back(std::move(e));
  auto r = run(p, cr());
  REQUIRE(r.ok());
  CHECK(names(r) == std::vector<std::string>{"east-1-east", "west-2-west"});
}

TEST_CASE("renderEntries: an absent or empty forEach field yields no instance; a scalar fails") {
  CrdPlan p = webapp();
  Entry absent = configMap("{{ .item }}");
  absent.forEach = ForEach{{"spec", "missing"}, "", {}};
  Entry empty = configMap("{{ .item }}");
  empty.forEach = ForEach{{"spec", "none"}, "", {}};
  p.entries.push_back(absent);
  p.entries.push_back(empty);
  auto r = run(p, cr());
  REQUIRE(r.ok());
  CHECK(r.value->empty());

  CrdPlan bad = webapp();
  Entry scalar = configMap("{{ .item }}");
  scalar.forEach =
      ForEach{{"spec", "scalar"}, "", SourceRef{"katalog.yaml:12:16", "configMaps[0].forEach", {}}};
  bad.entries.push_back(scalar);
  auto f = run(bad, cr());
  REQUIRE_FALSE(f.ok());
  CHECK(f.failure.message == "configMaps[0].forEach: spec.scalar is a string, not a list or map");
  CHECK(f.failure.location == "katalog.yaml:12:16");
}

TEST_CASE("renderEntries: conditions decide per instance; the first failure stops the pass") {
  CrdPlan p = webapp();
  Entry e = configMap("{{ .item.name }}");
  e.forEach = ForEach{{"spec", "shards"}, "", {}};
  Condition c;
  c.path = {"item", "name"};
  c.op = "notEquals";
  c.value = "a";
  e.conditions.when.push_back(c);
  p.entries.push_back(e);
  Entry premium = configMap("premium");
  Condition t;
  t.path = {"spec", "tier"};
  t.op = "equals";
  t.value = "basic";
  premium.conditions.when.push_back(t);
  p.entries.push_back(premium);
  auto r = run(p, cr());
  REQUIRE(r.ok());
  CHECK(names(r) == std::vector<std::string>{"b"});

  CrdPlan failing = webapp();
  failing.entries.push_back(configMap("{{ .spec.tier.x }}"));
  failing.entries.push_back(configMap("never"));
  auto f = run(failing, cr());
  REQUIRE_FALSE(f.ok());
  CHECK(f.failure.message == "configMaps[0].name: can't evaluate field x in type string");
  CHECK(f.failure.location == "katalog.yaml:9:15");
}

TEST_CASE("renderEntries: a long CR name is hashed in orkestra-owner, kept in the owner reference") {
  CrdPlan p = webapp();
  p.entries.push_back(configMap("c"));
  json c = cr();
  std::string name(70, 'n');
  c["metadata"]["name"] = name;
  auto r = run(p, c);
  REQUIRE(r.ok());
  const json& meta = r.value->front().object["metadata"];
  CHECK(meta["labels"]["orkestra-owner"] == ownerLabelValue(name));
  CHECK(meta["labels"]["orkestra-owner"].get<std::string>().size() == 63);
  CHECK(meta["ownerReferences"][0]["name"] == name);
}

TEST_CASE("renderEntries: the caller's data (with children) is used when given") {
  CrdPlan p = webapp();
  p.entries.push_back(configMap("{{ .children.deployment.metadata.name }}"));
  json d = templateData(cr(), json{{"deployment", {{"metadata", {{"name", "live"}}}}}});
  tmpl::EvalContext ctx;
  ctx.data = &d;
  auto r = renderEntries(p, cr(), ctx);
  REQUIRE(r.ok());
  CHECK(names(r) == std::vector<std::string>{"live"});
}
