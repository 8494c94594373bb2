// Tests of conditions (FORMATS.md §6.1): every operator, missing fields, non-numeric operands,
// valueType, negate, template fields and values, unique, and the time conditions against a fixed clock.
#include <catch2/catch.hpp>

#include "backend/plan/cron.h"
#include "backend/plan/render.h"

using namespace ork;
using namespace ork::plan;
using nlohmann::json;

namespace {

const json kData = json::parse(R"({
  "metadata": {"name": "web", "labels": {"team": "shop"}},
  "spec": {"tier": "premium", "replicas": 3, "ratio": 0.5, "text": "12", "word": "many", "host": "a.example.com",
           "enabled": true, "list": [1, 2], "map": {"a": 1}, "nothing": null, "empty": ""},
  "status": {}, "children": {}})");

std::shared_ptr<const tmpl::Template> parsed(const std::string& text) {
  tmpl::ParseResult r = tmpl::parse(text);
  REQUIRE(r.ok());
  return r.tmpl;
}

Condition cond(const std::string& field, const std::string& op, json value = json(),
               const std::string& valueType = "", bool negate = false) {
  Condition c;
  if (field.find("{{") != std::string::npos) {
    c.fieldTmpl = parsed(field);
  } else {
    size_t start = 0;
    for (size_t dot = field.find('.');; dot = field.find('.', start)) {
      c.path.push_back(field.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
  c.op = op;
  c.value = std::move(value);
  c.valueType = valueType;
  c.negate = negate;
  c.source = SourceRef{"katalog.yaml:20:9", "deployments[0].when[0]", {}};
  return c;
}

Rendered<bool> evalAt(const Condition& c, int64_t now = 1735689600, const UniquenessCheck& u = {}) {
  tmpl::FixedClock clock(now);
  tmpl::EvalContext ctx;
  ctx.data = &kData;
  ctx.clock = &clock;
  return evaluateCondition(c, ctx, u);
}

bool is(const Condition& c) {
  Rendered<bool> r = evalAt(c);
  REQUIRE(r.ok());
  return *r.value;
}

Condition timed(const std::string& op, json time) {
  Condition c;
  c.op = op;
  c.time = std::move(time);
  c.source = SourceRef{"katalog.yaml:20:9", "when[0]", {}};
  return c;
}

// 2025-01-01T00:00:00Z, a Wednesday.
constexpr int64_t kNewYear = 1735689600;
int64_t at(int day, int hour, int minute, int second = 0) {
  return kNewYear + day * 86400LL + hour * 3600LL + minute * 60LL + second;
}

}  // namespace

TEST_CASE("equals and notEquals: numbers numerically, booleans any case, text otherwise") {
  CHECK(is(cond("spec.tier", "equals", "premium")));
  CHECK_FALSE(is(cond("spec.tier", "equals", "basic")));
  CHECK(is(cond("spec.tier", "notEquals", "basic")));
  CHECK(is(cond("spec.replicas", "equals", 3)));
  CHECK(is(cond("spec.replicas", "equals", "3")));
  CHECK(is(cond("spec.replicas", "equals", 3.0)));
  CHECK(is(cond("spec.text", "equals", 12)));
  CHECK(is(cond("spec.enabled", "equals", "True")));
  CHECK(is(cond("spec.map", "equals", json{{"a", 1}})));
  CHECK(is(cond("spec.missing", "notEquals", "Ready")));  // the requeue idiom of §4.2
  CHECK(is(cond("spec.missing", "equals", "")));
  CHECK(is(cond("spec.nothing", "equals", nullptr)));
}

TEST_CASE("string operators: contains, prefix, suffix and their negations; missing is empty text") {
  CHECK(is(cond("spec.host", "contains", "example")));
  CHECK(is(cond("spec.host", "notContains", "acme")));
  CHECK(is(cond("spec.host", "prefix", "a.")));
  CHECK_FALSE(is(cond("spec.host", "notPrefix", "a.")));
  CHECK(is(cond("spec.host", "suffix", ".com")));
  CHECK(is(cond("spec.host", "notSuffix", ".org")));
  CHECK(is(cond("spec.missing", "notContains", "x")));
  CHECK(is(cond("spec.missing", "prefix", "")));
  CHECK(is(cond("spec.replicas", "prefix", "3")));
}

TEST_CASE("regex: RE2, unanchored; an invalid pattern is a failure") {
  CHECK(is(cond("spec.host", "regex", "example\\.com")));
  CHECK(is(cond("spec.host", "regex", "^a\\.")));
  CHECK_FALSE(is(cond("spec.host", "regex", "^example")));
  Rendered<bool> bad = evalAt(cond("spec.host", "regex", "a("));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.failure.message.rfind("deployments[0].when[0]: invalid regular expression \"a(\": ", 0) == 0);
  CHECK(bad.failure.location == "katalog.yaml:20:9");
}

TEST_CASE("exists and notExists: missing and null fields do not exist") {
  CHECK(is(cond("spec.tier", "exists", true)));
  CHECK_FALSE(is(cond("spec.missing", "exists", true)));
  CHECK_FALSE(is(cond("spec.nothing", "exists", true)));
  CHECK(is(cond("spec.empty", "exists", true)));
  CHECK(is(cond("spec.missing", "notExists", true)));
  CHECK_FALSE(is(cond("spec.tier", "notExists", true)));
  CHECK(is(cond("metadata.labels.team", "exists", true)));
  CHECK(is(cond("{{ .spec.host }}", "exists", true)));
  CHECK_FALSE(is(cond("{{ .spec.missing }}", "exists", true)));
  CHECK(is(cond("{{ .spec.missing }}", "exists", true, "", true)));  // negate
}

TEST_CASE("numeric operators and their aliases' canonical names; missing is 0; non-numeric is false") {
  CHECK(is(cond("spec.replicas", "gt", 2)));
  CHECK_FALSE(is(cond("spec.replicas", "gt", 3)));
  CHECK(is(cond("spec.replicas", "gte", 3)));
  CHECK(is(cond("spec.replicas", "lt", "4")));
  CHECK(is(cond("spec.replicas", "lte", 3)));
  CHECK(is(cond("spec.ratio", "lt", 1)));
  CHECK(is(cond("spec.text", "gt", 9)));  // "12" is numeric text: 12 > 9, not "12" < "9"
  CHECK(is(cond("spec.missing", "lt", 1)));
  CHECK(is(cond("spec.missing", "gte", 0)));
  CHECK_FALSE(is(cond("spec.word", "gt", 1)));
  CHECK_FALSE(is(cond("spec.word", "lte", 1)));
  CHECK_FALSE(is(cond("spec.replicas", "gt", "many")));
  CHECK(is(cond("spec.word", "gt", 1, "", true)));  // negate of a false non-numeric comparison
}

TEST_CASE("between and notBetween: \"min,max\" or [min, max], inclusive") {
  CHECK(is(cond("spec.replicas", "between", "1,3")));
  CHECK(is(cond("spec.replicas", "between", " 3 , 5 ")));
  CHECK(is(cond("spec.replicas", "between", json::array({1, 5}))));
  CHECK_FALSE(is(cond("spec.replicas", "between", json::array({4, 5}))));
  CHECK(is(cond("spec.replicas", "notBetween", "4,5")));
  CHECK_FALSE(is(cond("spec.replicas", "notBetween", "1,5")));
  CHECK_FALSE(is(cond("spec.word", "between", "1,5")));
  CHECK_FALSE(is(cond("spec.word", "notBetween", "1,5")));
  CHECK(is(cond("spec.missing", "between", "0,1")));
}

TEST_CASE("in and notIn: comma lists or YAML lists") {
  CHECK(is(cond("spec.tier", "in", "basic, premium")));
  CHECK(is(cond("spec.tier", "in", json::array({"basic", "premium"}))));
  CHECK_FALSE(is(cond("spec.tier", "in", "basic,standard")));
  CHECK(is(cond("spec.tier", "notIn", "basic,standard")));
  CHECK(is(cond("spec.replicas", "in", json::array({1, 3}))));
  CHECK(is(cond("spec.replicas", "in", "1,3")));
  CHECK(is(cond("spec.missing", "notIn", "a,b")));
}

TEST_CASE("typeOf and typeMap…typeNull") {
  CHECK(is(cond("spec.map", "typeOf", "map")));
  CHECK(is(cond("spec.list", "typeOf", "list")));
  CHECK(is(cond("spec.tier", "typeOf", "string")));
  CHECK(is(cond("spec.ratio", "typeOf", "number")));
  CHECK(is(cond("spec.enabled", "typeOf", "bool")));
  CHECK(is(cond("spec.missing", "typeOf", "null")));
  CHECK_FALSE(is(cond("spec.tier", "typeOf", "map")));
  CHECK(is(cond("spec.map", "typeMap", true)));
  CHECK(is(cond("spec.list", "typeList", true)));
  CHECK(is(cond("spec.tier", "typeString", true)));
  CHECK(is(cond("spec.replicas", "typeNumber", true)));
  CHECK(is(cond("spec.enabled", "typeBool", true)));
  CHECK(is(cond("spec.nothing", "typeNull", true)));
  CHECK_FALSE(is(cond("spec.tier", "typeNull", true)));
}

TEST_CASE("valueType forces the comparison type") {
  CHECK_FALSE(is(cond("spec.replicas", "equals", "3.0", "string")));
  CHECK(is(cond("spec.replicas", "equals", "3.0", "float")));
  CHECK(is(cond("spec.replicas", "equals", "3", "int")));
  CHECK_FALSE(is(cond("spec.ratio", "equals", "0", "int")));
  CHECK(is(cond("spec.enabled", "equals", "TRUE", "bool")));
  CHECK(is(cond("spec.text", "lt", "9", "string")));  // "12" < "9" as text
  CHECK_FALSE(is(cond("spec.text", "lt", "9", "int")));
  CHECK_FALSE(is(cond("spec.ratio", "gt", 0, "int")));
}

TEST_CASE("template fields keep their type; template values are rendered before comparing") {
  CHECK(is(cond("{{ .spec.replicas }}", "gte", 2)));
  CHECK(is(cond("{{ eq .spec.tier \"premium\" }}", "equals", "true")));
  Condition c = cond("spec.tier", "equals");
  c.valueTmpl = parsed("{{ .spec.tier }}");
  CHECK(is(c));
  Condition bad = cond("{{ .spec.tier.x }}", "exists", true);
  Rendered<bool> r = evalAt(bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure.message == "deployments[0].when[0]: can't evaluate field x in type string");
}

TEST_CASE("unique asks the callback with the path and value; without one it passes") {
  Condition c = cond("spec.host", "unique", true);
  CHECK(is(c));
  std::vector<std::string> seenPath;
  json seenValue;
  auto taken = [&](const std::vector<std::string>& p, const json& v) {
    seenPath = p;
    seenValue = v;
    return false;
  };
  Rendered<bool> r = evalAt(c, kNewYear, taken);
  REQUIRE(r.ok());
  CHECK_FALSE(*r.value);
  CHECK(seenPath == std::vector<std::string>{"spec", "host"});
  CHECK(seenValue == "a.example.com");
}

TEST_CASE("evaluateConditions: when is AND, or is OR, both must hold") {
  Conditions cs;
  CHECK(*evaluateConditions(cs, tmpl::EvalContext{&kData}).value);
  cs.when.push_back(cond("spec.tier", "equals", "premium"));
  cs.anyOf.push_back(cond("spec.replicas", "gt", 5));
  CHECK_FALSE(*evaluateConditions(cs, tmpl::EvalContext{&kData}).value);
  cs.anyOf.push_back(cond("spec.host", "exists", true));
  CHECK(*evaluateConditions(cs, tmpl::EvalContext{&kData}).value);
  cs.when.push_back(cond("spec.tier", "equals", "basic"));
  CHECK_FALSE(*evaluateConditions(cs, tmpl::EvalContext{&kData}).value);
}

TEST_CASE("time: after inclusive, before exclusive, UTC, wrapping midnight") {
  Condition office = timed("time", {{"after", "09:00"}, {"before", "18:00"}});
  CHECK(*evalAt(office, at(0, 9, 0)).value);
  CHECK(*evalAt(office, at(0, 17, 59, 59)).value);
  CHECK_FALSE(*evalAt(office, at(0, 18, 0)).value);
  CHECK_FALSE(*evalAt(office, at(0, 8, 59)).value);
  Condition night = timed("time", {{"after", "22:00"}, {"before", "06:00"}});
  CHECK(*evalAt(night, at(0, 23, 30)).value);
  CHECK(*evalAt(night, at(1, 5, 59)).value);
  CHECK_FALSE(*evalAt(night, at(0, 12, 0)).value);
  CHECK(*evalAt(timed("time", {{"after", "12:00"}}), at(0, 12, 1)).value);
  CHECK_FALSE(*evalAt(timed("time", {{"before", "12:00"}}), at(0, 12, 1)).value);
  Condition negated = office;
  negated.negate = true;
  CHECK(*evalAt(negated, at(0, 20, 0)).value);
  Rendered<bool> bad = evalAt(timed("time", {{"after", "25:00"}}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.failure.message == "when[0]: invalid time \"25:00\" (expected HH:MM, UTC)");
}

TEST_CASE("dayOfWeek: weekday, weekend, in, notIn") {
  // day 0 = Wednesday 2025-01-01, day 3 = Saturday, day 4 = Sunday
  CHECK(*evalAt(timed("dayOfWeek", {{"weekday", true}}), at(0, 12, 0)).value);
  CHECK_FALSE(*evalAt(timed("dayOfWeek", {{"weekday", true}}), at(3, 12, 0)).value);
  CHECK(*evalAt(timed("dayOfWeek", {{"weekend", true}}), at(4, 0, 0)).value);
  CHECK(*evalAt(timed("dayOfWeek", {{"in", {"Mon", "Wednesday"}}}), at(0, 1, 0)).value);
  CHECK_FALSE(*evalAt(timed("dayOfWeek", {{"in", {"Mon", "Tue"}}}), at(0, 1, 0)).value);
  CHECK(*evalAt(timed("dayOfWeek", {{"notIn", {"Sat", "Sun"}}}), at(1, 1, 0)).value);
  CHECK_FALSE(*evalAt(timed("dayOfWeek", {{"notIn", {"Sat", "Sun"}}}), at(3, 1, 0)).value);
}

TEST_CASE("cron: true for the duration after each firing (default 60s)") {
  Condition weekly = timed("cron", {{"cron", "0 2 * * 0"}});  // Sundays 02:00
  CHECK(*evalAt(weekly, at(4, 2, 0)).value);
  CHECK(*evalAt(weekly, at(4, 2, 0, 59)).value);
  CHECK_FALSE(*evalAt(weekly, at(4, 2, 1)).value);
  CHECK_FALSE(*evalAt(weekly, at(3, 2, 0)).value);
  Condition hour = timed("cron", {{"cron", "0 2 * * 0"}, {"duration", "1h"}});
  CHECK(*evalAt(hour, at(4, 2, 59, 59)).value);
  CHECK_FALSE(*evalAt(hour, at(4, 3, 0)).value);
  CHECK_FALSE(*evalAt(hour, at(4, 1, 59)).value);
  Condition bad = timed("cron", {{"cron", "0 2 * *"}});
  Rendered<bool> r = evalAt(bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure.message ==
        "when[0]: invalid cron expression \"0 2 * *\": expected 5 fields (minute hour day-of-month month "
        "day-of-week), got 4");
}

TEST_CASE("cron schedules: ranges, lists, steps, names, day fields") {
  auto fires = [](const std::string& expr, int64_t t) {
    std::optional<CronSchedule> s = CronSchedule::parse(expr);
    REQUIRE(s);
    return s->matches(civilTime(t));
  };
  CHECK(fires("*/15 * * * *", at(0, 5, 45)));
  CHECK_FALSE(fires("*/15 * * * *", at(0, 5, 46)));
  CHECK(fires("5/20 * * * *", at(0, 5, 45)));
  CHECK(fires("0 9-17 * * mon-fri", at(0, 17, 0)));
  CHECK_FALSE(fires("0 9-17 * * mon-fri", at(3, 12, 0)));
  CHECK(fires("30 1,13 * * *", at(0, 13, 30)));
  CHECK(fires("0 0 1 jan *", at(0, 0, 0)));
  CHECK(fires("0 0 * * 7", at(4, 0, 0)));   // 7 is Sunday
  CHECK(fires("0 0 15 * 3", at(0, 0, 0)));  // day 15 OR Wednesday
  CHECK_FALSE(fires("0 0 15 * 4", at(0, 0, 0)));
  CHECK(fires("0 0 1-31/2 * *", at(2, 0, 0)));  // Jan 3
  std::string error;
  CHECK_FALSE(CronSchedule::parse("60 * * * *", &error));
  CHECK(error == "minute field \"60\": invalid value");
  CHECK_FALSE(CronSchedule::parse("* * * 13 *", &error));
  CHECK_FALSE(CronSchedule::parse("5-1 * * * *", &error));
  CHECK(error == "minute field \"5-1\": invalid range");
  CHECK_FALSE(CronSchedule::parse("*/0 * * * *", &error));
}

TEST_CASE("civilTime: dates, weekdays, times before 1970") {
  CivilTime t = civilTime(kNewYear + 3723);
  CHECK(t.year == 2025);
  CHECK(t.month == 1);
  CHECK(t.day == 1);
  CHECK(t.hour == 1);
  CHECK(t.minute == 2);
  CHECK(t.second == 3);
  CHECK(t.weekday == 3);
  CivilTime leap = civilTime(951782400);  // 2000-02-29
  CHECK(leap.month == 2);
  CHECK(leap.day == 29);
  CivilTime before = civilTime(-1);
  CHECK(before.year == 1969);
  CHECK(before.day == 31);
  CHECK(before.hour == 23);
  CHECK(before.weekday == 3);
}
