// Tests of the condition and forEach shapes (FORMATS.md §6): one operator per condition, the
// operator table and its aliases, time conditions, anyOf, and the copy-and-extend record.
#include <catch2/catch.hpp>

#include "frontend/shapes.h"
#include "frontend/yaml_reader.h"

using namespace ork;
using namespace ork::frontend;

namespace {

using Lines = std::vector<std::string>;

Lines validate(const std::string& yaml, const ShapeRef& shape, const std::string& path) {
  SourceManager sm;
  DiagnosticEngine diags;
  FileId f = sm.addBuffer("t.yaml", yaml);
  auto docs = readYaml(sm, f, diags);
  REQUIRE(diags.diagnostics().empty());
  REQUIRE(docs.size() == 1);
  validateShape(*docs[0].root, *shape, path, diags);
  Lines out;
  for (const Diagnostic& d : diags.diagnostics()) {
    std::string loc = sm.location(d.span);
    out.push_back(loc.substr(loc.find(':') + 1) + " " + diagCodeString(d.code) + " " + d.message);
  }
  return out;
}

Lines when(const std::string& yaml) { return validate(yaml, conditionListShape(), "when"); }

}  // namespace

TEST_CASE("the shorthand and explicit forms of §6.1 are accepted") {
  CHECK(when("- {field: spec.tier, equals: premium}\n"
             "- {field: spec.replicas, operator: gte, value: 2}\n"
             "- {field: \"{{ .spec.host }}\", exists: true, negate: true}\n"
             "- {time: {after: \"09:00\", before: \"18:00\"}}\n"
             "- {dayOfWeek: {in: [Mon, Fri]}}\n"
             "- {cron: \"0 2 * * 0\", duration: 2h}\n"
             "- {field: status.phase, operator: notExists}\n"
             "- {field: status.phase, operator: in, value: \"Pending,\"}\n"
             "- {field: children.job.status.succeeded, greaterThan: \"0\"}\n"
             "- {field: spec.replicas, max: \"{{ .inputs.maxReplicas }}\"}\n"
             "- {field: spec.n, between: [1, 5]}\n"
             "- {field: spec.n, notBetween: \"1,5\", valueType: int}\n"
             "- {field: spec.name, regex: \"^a.*z$\"}\n"
             "- {field: spec.x, typeOf: map}\n")
            .empty());
}

TEST_CASE("a condition needs exactly one operator") {
  CHECK(when("- field: spec.x\n"
             "  equals: a\n"
             "  exists: true\n") ==
        Lines{"3:3 ORK1130 when[0]: condition has 2 operators (equals, exists); use exactly one"});
  CHECK(when("- {field: spec.x, operator: equals, value: a, notEquals: b}\n") ==
        Lines{"1:47 ORK1130 when[0]: condition has 2 operators (operator, notEquals); use exactly one"});
  CHECK(
      when("- {field: spec.x}\n") ==
      Lines{"1:3 ORK1130 when[0]: condition has no operator (write one operator key such as 'equals: x', or "
            "'operator:' with 'value:')"});
}

TEST_CASE("two operators note the first one") {
  SourceManager sm;
  DiagnosticEngine diags;
  FileId f = sm.addBuffer("t.yaml", "- {field: a, in: x, prefix: y}\n");
  auto docs = readYaml(sm, f, diags);
  validateShape(*docs[0].root, *conditionListShape(), "when", diags);
  REQUIRE(diags.diagnostics().size() == 1);
  REQUIRE(diags.diagnostics()[0].notes.size() == 1);
  CHECK(sm.location(diags.diagnostics()[0].notes[0].span) == "t.yaml:1:14");
  CHECK(diags.diagnostics()[0].notes[0].message == "'in' is the first operator");
}

TEST_CASE("operator: names a known operator or alias, and value fits it") {
  CHECK(when("- {field: a, operator: equal, value: x}\n") ==
        Lines{"1:24 ORK1108 when[0].operator: unknown operator \"equal\" (did you mean 'equals'?)"});
  CHECK(when("- {field: a, operator: \"{{ .spec.op }}\", value: x}\n") ==
        Lines{"1:24 ORK1108 when[0].operator: the operator cannot be a template"});
  CHECK(when("- {field: a, operator: gte}\n") ==
        Lines{"1:3 ORK1104 when[0]: missing required field 'value' (operator 'gte' compares with it)"});
  CHECK(when("- {field: a, operator: greaterThan, value: many}\n") ==
        Lines{"1:44 ORK1103 when[0].value: expected a number, got \"many\""});
  CHECK(when("- {field: a, equals: x, value: y}\n") ==
        Lines{"1:25 ORK1107 when[0]: 'value' is used only with 'operator:'"});
  CHECK(when("- {operator: exists}\n") == Lines{"1:3 ORK1104 when[0]: missing required field 'field'"});
  CHECK(when("- {field: a, operator: }\n") == Lines{"1:14 ORK1108 when[0].operator: unknown operator \"\""});
}

TEST_CASE("operator values are typed by the operator table") {
  CHECK(when("- {field: a, gt: lots}\n- {field: a, regex: \"(\"}\n- {field: a, exists: false}\n") ==
        Lines{"1:18 ORK1103 when[0].gt: expected a number, got \"lots\"",
              "2:21 ORK1108 when[1].regex: invalid regular expression \"(\": missing ): (",
              "3:22 ORK1108 when[2].exists: must be true (use 'notExists' or 'negate: true')"});
  CHECK(
      when(
          "- {field: a, between: [1, 2, 3]}\n- {field: a, between: \"1-5\"}\n- {field: a, typeOf: dict}\n") ==
      Lines{"1:23 ORK1108 when[0].between: a range list needs exactly 2 items [min, max], got 3",
            "2:23 ORK1108 when[1].between: invalid range \"1-5\" (expected \"min,max\" or [min, max])",
            "3:22 ORK1108 when[2].typeOf: invalid value \"dict\" (expected one of map, list, string, number, "
            "bool, "
            "null) (did you mean 'list'?)"});
  CHECK(when("- {field: a, equals: x, valueType: integer}\n") ==
        Lines{"1:36 ORK1108 when[0].valueType: invalid value \"integer\" (expected one of string, int, "
              "float, bool)"});
}

TEST_CASE("time conditions have no field and check their values") {
  CHECK(when("- {field: a, time: {after: \"09:00\"}}\n") ==
        Lines{"1:4 ORK1107 when[0]: a time condition (time, dayOfWeek, cron) has no 'field'"});
  // Colons where digits belong once aborted ork (std::stoi threw); they are invalid times.
  CHECK(when("- {time: {after: \"1::0\"}}\n- {time: {before: \"0:::\"}}\n") ==
        Lines{"1:18 ORK1108 when[0].time.after: invalid time \"1::0\" (expected HH:MM, UTC)",
              "2:19 ORK1108 when[1].time.before: invalid time \"0:::\" (expected HH:MM, UTC)"});
  CHECK(when("- {time: {after: \"25:00\"}}\n- {time: {}}\n") ==
        Lines{"1:18 ORK1108 when[0].time.after: invalid time \"25:00\" (expected HH:MM, UTC)",
              "2:10 ORK1104 when[1].time: missing required field 'after' or 'before'"});
  CHECK(
      when("- {dayOfWeek: {weekday: true, weekend: true}}\n- {dayOfWeek: {in: [Funday]}}\n") ==
      Lines{"1:31 ORK1130 when[0].dayOfWeek: dayOfWeek takes exactly one of weekday, weekend, in, notIn; got "
            "'weekday' and 'weekend'",
            "2:21 ORK1108 when[1].dayOfWeek.in[0]: invalid value \"Funday\" (expected one of Mon, Tue, Wed, "
            "Thu, Fri, "
            "Sat, Sun, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday) (did you mean "
            "'Sunday'?)"});
  CHECK(
      when("- {cron: \"0 2 * *\"}\n- {field: a, equals: b, duration: 5m}\n") ==
      Lines{"1:10 ORK1108 when[0].cron: invalid cron expression \"0 2 * *\" (expected 5 fields: minute hour "
            "day-of-month month day-of-week)",
            "2:25 ORK1108 when[1]: 'duration' is used only with 'cron'"});
}

TEST_CASE("notify and notes in conditions are §1.1 keys") {
  CHECK(when("- {field: a, exists: true, notify: {slack: x}}\n") ==
        Lines{"1:28 ORK1105 'when[0].notify' is not supported by ork; ignored"});
}

TEST_CASE("canonical operator names") {
  CHECK(canonicalConditionOperator("greaterThanOrEqual") == "gte");
  CHECK(canonicalConditionOperator("min") == "gte");
  CHECK(canonicalConditionOperator("lessThan") == "lt");
  CHECK(canonicalConditionOperator("typeNull") == "typeNull");
  CHECK(canonicalConditionOperator("anyOf").empty());
}

TEST_CASE("conditionRecord can be copied and extended, keeping its rules") {
  ShapeRef rule = conditionRecord();
  rule->add("message", str());
  rule->add("action", enumOf({"deny", "warn"}));
  addConditionKeys(*rule);
  CHECK(rule != conditionRecord());
  CHECK(conditionShape()->field("message") == nullptr);
  CHECK(
      validate(
          "{field: spec.image, prefix: ghcr.io/, message: m, action: deny, when: [{field: a, equals: b}]}\n",
          rule, "rules[0]")
          .empty());
  CHECK(
      validate("field: a\nmessage: m\nanyOf: []\nwhen: [{field: a}]\n", rule, "rules[0]") ==
      Lines{"4:8 ORK1130 rules[0].when[0]: condition has no operator (write one operator key such as "
            "'equals: x', "
            "or 'operator:' with 'value:')",
            "1:1 ORK1130 rules[0]: condition has no operator (write one operator key such as 'equals: x', or "
            "'operator:' with 'value:')",
            "3:1 ORK1131 'anyOf' is not supported; use 'or'"});
}

TEST_CASE("forEach: field is a dot path, as is not a root name") {
  CHECK(validate("{field: spec.shards, as: shard}\n", forEachShape(), "forEach").empty());
  CHECK(validate("{field: \"{{ .spec.shards }}\", as: item}\n", forEachShape(), "forEach") ==
        Lines{"1:9 ORK1108 forEach.field: invalid dot path \"{{ .spec.shards }}\" (forEach.field is a path "
              "such as "
              "spec.shards, not a template)",
              "1:35 ORK1108 forEach.as: 'item' is a data root name (metadata, spec, status, children, "
              "inputs, item, "
              "value); choose another name"});
  CHECK(validate("{as: my-shard}\n", forEachShape(), "forEach") ==
        Lines{"1:6 ORK1108 forEach.as: invalid name \"my-shard\" (letters, digits and '_', not starting with "
              "a digit)",
              "1:1 ORK1104 forEach: missing required field 'field'"});
}
