// Tests of lowering conditions and forEach (FORMATS.md §6.1, §6.2; backend/lower_conditions.cc):
// canonical operator names for every alias, shorthand and operator:+value forms, templates in
// field and value, valueType, negate, time conditions, ORK3302, and rendering the lowered result.
#include <catch2/catch.hpp>

#include "backend/lower_internal.h"
#include "backend/testing/lower_harness.h"

namespace ork::backend {
namespace {

using nlohmann::json;
using testing::lowerKatalog;
using testing::renderFor;
using testing::webappKatalog;

/// A Katalog with one configMaps entry carrying `extra` (YAML flow mapping content).
std::string withEntry(const std::string& extra) {
  return webappKatalog(
      "          onReconcile:\n"
      "            configMaps:\n"
      "              - name: cfg\n" +
      extra);
}

const plan::Entry& only(const testing::Lowered& l) {
  INFO(Catch::Detail::stringify(l.rendered()));
  REQUIRE(l.plans.size() == 1);
  REQUIRE(l.plan().entries.size() == 1);
  return l.plan().entries[0];
}

std::string joinPath(const std::vector<std::string>& p) {
  std::string out;
  for (const std::string& s : p) out += (out.empty() ? "" : ".") + s;
  return out;
}

json cr(json spec) {
  return json{{"apiVersion", "acme.io/v1"},
              {"kind", "WebApp"},
              {"metadata", {{"name", "web"}, {"namespace", "shop"}, {"uid", "u1"}}},
              {"spec", std::move(spec)}};
}

}  // namespace

TEST_CASE("lowerConditions: every operator and alias gets its canonical name", "[lower]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"equals: a", "equals"},
      {"notEquals: a", "notEquals"},
      {"contains: a", "contains"},
      {"notContains: a", "notContains"},
      {"prefix: a", "prefix"},
      {"notPrefix: a", "notPrefix"},
      {"suffix: a", "suffix"},
      {"notSuffix: a", "notSuffix"},
      {"regex: '^a'", "regex"},
      {"exists: true", "exists"},
      {"notExists: true", "notExists"},
      {"gt: 1", "gt"},
      {"greaterThan: 1", "gt"},
      {"lt: 1", "lt"},
      {"lessThan: 1", "lt"},
      {"gte: 1", "gte"},
      {"min: 1", "gte"},
      {"greaterThanOrEqual: 1", "gte"},
      {"lte: 1", "lte"},
      {"max: 1", "lte"},
      {"lessThanOrEqual: 1", "lte"},
      {"between: '1,2'", "between"},
      {"notBetween: [1, 2]", "notBetween"},
      {"in: 'a,b'", "in"},
      {"notIn: [a, b]", "notIn"},
      {"unique: true", "unique"},
      {"typeOf: map", "typeOf"},
      {"typeMap: true", "typeMap"},
      {"typeList: true", "typeList"},
      {"typeString: true", "typeString"},
      {"typeNumber: true", "typeNumber"},
      {"typeBool: true", "typeBool"},
      {"typeNull: true", "typeNull"},
  };
  for (const auto& [op, canonical] : cases) {
    INFO(op);
    auto l = lowerKatalog(withEntry("                when: [{field: spec.x, " + op + "}]\n"));
    const plan::Entry& e = only(*l);
    REQUIRE(e.conditions.when.size() == 1);
    CHECK(e.conditions.when[0].op == canonical);
    CHECK(joinPath(e.conditions.when[0].path) == "spec.x");
  }
}

TEST_CASE("lowerConditions: the operator: + value: form, aliases resolved, exists implied true", "[lower]") {
  auto l =
      lowerKatalog(withEntry("                when:\n"
                             "                  - {field: spec.replicas, operator: min, value: 2}\n"
                             "                  - {field: spec.host, operator: exists}\n"
                             "                or:\n"
                             "                  - {field: spec.tier, operator: in, value: [basic, premium], "
                             "valueType: string, negate: true}\n"));
  const plan::Entry& e = only(*l);
  REQUIRE(e.conditions.when.size() == 2);
  const plan::Condition& min = e.conditions.when[0];
  CHECK(min.op == "gte");
  CHECK(min.value == json(2));
  CHECK(min.source.field == "configMaps[0].when[0]");
  CHECK(min.source.location.substr(min.source.location.find("katalog.yaml")) == "katalog.yaml:14:21");
  CHECK(e.conditions.when[1].op == "exists");
  CHECK(e.conditions.when[1].value == json(true));
  REQUIRE(e.conditions.anyOf.size() == 1);
  const plan::Condition& in = e.conditions.anyOf[0];
  CHECK(in.op == "in");
  CHECK(in.value == json::array({"basic", "premium"}));
  CHECK(in.valueType == "string");
  CHECK(in.negate);
  CHECK(in.source.field == "configMaps[0].or[0]");
}

TEST_CASE("lowerConditions: templates in field and value are parsed; literals keep their YAML type",
          "[lower]") {
  auto l =
      lowerKatalog(withEntry("                when:\n"
                             "                  - {field: \"{{ .spec.host }}\", exists: true}\n"
                             "                  - {field: .spec.tier, equals: \"{{ .metadata.name }}\"}\n"
                             "                  - {field: spec.on, equals: true}\n"
                             "                  - {field: spec.n, equals: \"3\"}\n"));
  const plan::Entry& e = only(*l);
  REQUIRE(e.conditions.when.size() == 4);
  const plan::Condition& host = e.conditions.when[0];
  REQUIRE(host.fieldTmpl);
  CHECK(host.fieldTmpl->source == "{{ .spec.host }}");
  CHECK(host.path.empty());
  const plan::Condition& tier = e.conditions.when[1];
  CHECK(joinPath(tier.path) == "spec.tier");  // a leading dot is dropped
  REQUIRE(tier.valueTmpl);
  CHECK(tier.valueTmpl->source == "{{ .metadata.name }}");
  CHECK(e.conditions.when[2].value == json(true));
  CHECK(e.conditions.when[3].value == json("3"));
}

TEST_CASE("lowerConditions: time, dayOfWeek and cron keep their mappings; cron duration defaults to 1m",
          "[lower]") {
  auto l =
      lowerKatalog(withEntry("                when:\n"
                             "                  - {time: {after: \"09:00\", before: \"18:00\"}}\n"
                             "                  - {dayOfWeek: {in: [Mon, Tue]}}\n"
                             "                  - {cron: \"0 2 * * 0\"}\n"
                             "                  - {cron: \"*/5 * * * *\", duration: 90s, negate: true}\n"));
  const plan::Entry& e = only(*l);
  REQUIRE(e.conditions.when.size() == 4);
  CHECK(e.conditions.when[0].op == "time");
  CHECK(e.conditions.when[0].time == json{{"after", "09:00"}, {"before", "18:00"}});
  CHECK(e.conditions.when[1].op == "dayOfWeek");
  CHECK(e.conditions.when[1].time == json{{"in", {"Mon", "Tue"}}});
  CHECK(e.conditions.when[2].op == "cron");
  CHECK(e.conditions.when[2].time == json{{"cron", "0 2 * * 0"}, {"duration", "1m"}});
  CHECK(e.conditions.when[3].time == json{{"cron", "*/5 * * * *"}, {"duration", "1m30s"}});
  CHECK(e.conditions.when[3].negate);
}

TEST_CASE("lowerConditions: templated time conditions and list items are ORK3302", "[lower]") {
  auto l =
      lowerKatalog(withEntry("                when:\n"
                             "                  - {time: {after: \"{{ .spec.start }}\"}}\n"
                             "                  - {field: spec.tier, in: [basic, \"{{ .spec.tier }}\"]}\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  CHECK(l->plans.empty());
  CHECK(
      l->lowering() ==
      std::vector<std::string>{
          "katalog.yaml:14:36: error[ORK3302]: configMaps[0].when[0].time.after: a time condition cannot be "
          "a "
          "template",
          "katalog.yaml:15:52: error[ORK3302]: configMaps[0].when[1].in[1]: a list item of a condition value "
          "cannot be a template"});
}

TEST_CASE("lowerForEach: path, alias and the location of the field", "[lower]") {
  auto l =
      lowerKatalog(withEntry("                forEach: {field: spec.shards, as: shard}\n"
                             "                data: {range: \"{{ .shard.range }}\"}\n"));
  const plan::Entry& e = only(*l);
  REQUIRE(e.forEach);
  CHECK(joinPath(e.forEach->path) == "spec.shards");
  CHECK(e.forEach->as == "shard");
  CHECK(e.forEach->source.field == "configMaps[0].forEach");
  CHECK(e.forEach->source.location.substr(e.forEach->source.location.find("katalog.yaml")) ==
        "katalog.yaml:13:34");
  CHECK_FALSE(only(*lowerKatalog(withEntry("                data: {a: b}\n"))).forEach);
}

TEST_CASE("lowered conditions and forEach render: instances filtered per element", "[lower]") {
  auto l =
      lowerKatalog(webappKatalog("          onReconcile:\n"
                                 "            configMaps:\n"
                                 "              - name: \"{{ .metadata.name }}-{{ .shard.name }}\"\n"
                                 "                forEach: {field: spec.shards, as: shard}\n"
                                 "                when: [{field: shard.size, greaterThan: 1}, {field: "
                                 "spec.tier, operator: notIn, value: 'a, b'}]\n"
                                 "              - name: premium\n"
                                 "                or: [{field: spec.tier, equals: premium}, {field: \"{{ "
                                 ".spec.force }}\", exists: true}]\n"));
  INFO(Catch::Detail::stringify(l->rendered()));
  REQUIRE(l->plans.size() == 1);
  testing::RenderResult r = renderFor(
      l->plan(),
      cr({{"tier", "basic"}, {"shards", {{{"name", "x"}, {"size", 2}}, {{"name", "y"}, {"size", 1}}}}}));
  REQUIRE(r.failure.empty());
  REQUIRE(r.objects.size() == 1);
  CHECK(r.objects[0]["metadata"]["name"] == "web-x");
  r = renderFor(l->plan(), cr({{"tier", "a"}, {"force", "yes"}, {"shards", {{{"name", "x"}, {"size", 2}}}}}));
  REQUIRE(r.failure.empty());
  REQUIRE(r.objects.size() == 1);
  CHECK(r.objects[0]["metadata"]["name"] == "premium");
}

}  // namespace ork::backend
