// Conditions (FORMATS.md §6.1): the operator table over a field (dot path or template), valueType
// forcing, negate, and the time conditions (time, dayOfWeek, cron) read from the EvalContext clock.
#include <algorithm>
#include <cmath>

#include "backend/plan/cron.h"
#include "backend/plan/render.h"
#include "backend/plan/scalar_text.h"
#include "support/regex.h"
#include "support/scalars.h"
#include "support/strings.h"

namespace ork::plan {
namespace {

using nlohmann::json;

/// The value a condition reads: `missing` when the path is absent or null (a template field: nil or
/// empty text, which is what a missing key renders as).
struct Operand {
  json value;
  bool missing = false;
};

RenderFailure conditionFailure(const Condition& c, const std::string& message, std::string help = {}) {
  RenderFailure f;
  f.message = c.source.field.empty() ? message : c.source.field + ": " + message;
  f.location = c.source.location;
  f.span = c.source.span;
  f.help = std::move(help);
  return f;
}

std::string textOf(const json& v) {
  if (v.is_structured()) return v.dump();
  return scalarText(v).value_or("");
}

/// A number: integers compare exactly, anything else as double.
struct Num {
  bool isInt = false;
  int64_t i = 0;
  double d = 0;
};

std::optional<Num> numOf(const json& v, bool integerOnly = false) {
  if (v.is_number_integer()) return Num{true, v.get<int64_t>(), static_cast<double>(v.get<int64_t>())};
  if (v.is_number_unsigned()) return Num{false, 0, static_cast<double>(v.get<uint64_t>())};
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (integerOnly && (std::floor(d) != d || std::fabs(d) >= 9.2e18)) return std::nullopt;
    return integerOnly ? Num{true, static_cast<int64_t>(d), d} : Num{false, 0, d};
  }
  if (!v.is_string()) return std::nullopt;
  std::string_view t = trim(v.get_ref<const std::string&>());
  if (std::optional<int64_t> i = parseIntText(t)) return Num{true, *i, static_cast<double>(*i)};
  if (integerOnly) return std::nullopt;
  if (std::optional<double> d = parseDecimalText(t)) return Num{false, 0, *d};
  return std::nullopt;
}

int compareNum(const Num& a, const Num& b) {
  if (a.isInt && b.isInt) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  return a.d < b.d ? -1 : a.d > b.d ? 1 : 0;
}

std::optional<bool> boolOf(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (!v.is_string()) return std::nullopt;
  std::string t = toLower(trim(v.get_ref<const std::string&>()));
  if (t == "true") return true;
  if (t == "false") return false;
  return std::nullopt;
}

/// A number for a numeric operator, with valueType forcing (int: integers only).
std::optional<Num> numericOf(const json& v, const std::string& valueType) {
  if (valueType == "bool") return std::nullopt;
  return numOf(v, valueType == "int");
}

/// Ordering of field vs value for gt/lt/gte/lte/between: nullopt when an operand is not numeric
/// (valueType string compares text).
std::optional<int> ordering(const json& a, const json& b, const std::string& valueType) {
  if (valueType == "string") {
    int c = textOf(a).compare(textOf(b));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  std::optional<Num> x = numericOf(a, valueType), y = numericOf(b, valueType);
  if (!x || !y) return std::nullopt;
  return compareNum(*x, *y);
}

/// equals (§6.1): forced by valueType, else maps/lists structurally, a JSON number or boolean on
/// either side compares as such, text otherwise.
bool equalValues(const json& a, const json& b, const std::string& valueType) {
  if (valueType == "string") return textOf(a) == textOf(b);
  if (valueType == "int" || valueType == "float") {
    std::optional<Num> x = numOf(a, valueType == "int"), y = numOf(b, valueType == "int");
    return x && y && compareNum(*x, *y) == 0;
  }
  if (valueType == "bool") {
    std::optional<bool> x = boolOf(a), y = boolOf(b);
    return x && y && *x == *y;
  }
  if (a.is_structured() || b.is_structured()) return a == b;
  if (a.is_number() || b.is_number()) {
    std::optional<Num> x = numOf(a), y = numOf(b);
    if (x && y) return compareNum(*x, *y) == 0;
  }
  if (a.is_boolean() || b.is_boolean()) {
    std::optional<bool> x = boolOf(a), y = boolOf(b);
    if (x && y) return *x == *y;
  }
  return textOf(a) == textOf(b);
}

/// The items of an `in` list: a YAML list, or a comma list with items trimmed.
std::vector<json> listItems(const json& v) {
  std::vector<json> out;
  if (v.is_array()) {
    for (const json& i : v) out.push_back(i);
  } else if (!v.is_null()) {
    for (const std::string& part : split(textOf(v), ',')) out.emplace_back(std::string(trim(part)));
  }
  return out;
}

std::string typeName(const json& v) {
  if (v.is_object()) return "map";
  if (v.is_array()) return "list";
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "bool";
  return "null";
}

/// "HH:MM" → minutes since midnight.
std::optional<int> clockMinutes(const json& v) {
  if (!v.is_string()) return std::nullopt;
  std::string_view t = trim(v.get_ref<const std::string&>());
  size_t colon = t.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::optional<int64_t> h = parseIntText(t.substr(0, colon)), m = parseIntText(t.substr(colon + 1));
  if (!h || !m || *h < 0 || *h > 23 || *m < 0 || *m > 59) return std::nullopt;
  return static_cast<int>(*h * 60 + *m);
}

int64_t nowSeconds(const tmpl::EvalContext& ctx) {
  return (ctx.clock ? *ctx.clock : tmpl::systemClock()).nowUnixSeconds();
}

Rendered<bool> ok(bool b) {
  Rendered<bool> r;
  r.value = b;
  return r;
}

/// time: {after, before} (UTC; after inclusive, before exclusive; may wrap midnight).
Rendered<bool> evalTime(const Condition& c, const tmpl::EvalContext& ctx) {
  const json& t = c.time;
  std::optional<int> after, before;
  for (const char* key : {"after", "before"}) {
    if (!t.is_object() || !t.contains(key) || t[key].is_null()) continue;
    std::optional<int> m = clockMinutes(t[key]);
    if (!m)
      return Rendered<bool>::fail(
          conditionFailure(c, std::string("invalid time \"") + textOf(t[key]) + "\" (expected HH:MM, UTC)"));
    (std::string_view(key) == "after" ? after : before) = m;
  }
  CivilTime now = civilTime(nowSeconds(ctx));
  int minute = now.hour * 60 + now.minute;
  if (after && before) {
    if (*after <= *before) return ok(minute >= *after && minute < *before);
    return ok(minute >= *after || minute < *before);
  }
  if (after) return ok(minute >= *after);
  if (before) return ok(minute < *before);
  return ok(true);
}

std::optional<int> dayIndex(const json& v) {
  static const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  if (!v.is_string()) return std::nullopt;
  std::string d = toLower(trim(v.get_ref<const std::string&>()));
  if (d.size() < 3) return std::nullopt;
  for (int i = 0; i < 7; ++i) {
    static const char* kLong[] = {"sunday",   "monday", "tuesday", "wednesday",
                                  "thursday", "friday", "saturday"};
    if (d == kDays[i] || d == kLong[i]) return i;
  }
  return std::nullopt;
}

/// dayOfWeek: {weekday: true} | {weekend: true} | {in: [Mon, …]} | {notIn: […]} (UTC).
Rendered<bool> evalDayOfWeek(const Condition& c, const tmpl::EvalContext& ctx) {
  int day = civilTime(nowSeconds(ctx)).weekday;  // 0 = Sunday
  bool weekend = day == 0 || day == 6;
  const json& t = c.time;
  if (t.is_object()) {
    if (t.contains("weekday")) return ok(!weekend);
    if (t.contains("weekend")) return ok(weekend);
    for (const char* key : {"in", "notIn"}) {
      if (!t.contains(key)) continue;
      bool found = false;
      for (const json& d : listItems(t[key])) {
        std::optional<int> i = dayIndex(d);
        if (!i)
          return Rendered<bool>::fail(conditionFailure(c, "invalid day \"" + textOf(d) + "\" in dayOfWeek"));
        found = found || *i == day;
      }
      return ok(std::string_view(key) == "in" ? found : !found);
    }
  }
  return Rendered<bool>::fail(conditionFailure(c, "dayOfWeek needs one of weekday, weekend, in, notIn"));
}

/// cron: true for `duration` (default 60s) after each firing of the schedule.
Rendered<bool> evalCron(const Condition& c, const tmpl::EvalContext& ctx) {
  std::string expr = c.time.is_object() && c.time.contains("cron") ? textOf(c.time["cron"]) : textOf(c.value);
  if (c.valueTmpl) {
    tmpl::Result<std::string> r = tmpl::render(*c.valueTmpl, ctx);
    if (!r.ok()) return Rendered<bool>::fail(conditionFailure(c, r.error.message, r.error.help));
    expr = *r.value;
  }
  std::string error;
  std::optional<CronSchedule> schedule = CronSchedule::parse(expr, &error);
  if (!schedule)
    return Rendered<bool>::fail(conditionFailure(c, "invalid cron expression \"" + expr + "\": " + error));
  int64_t durationMs = 60'000;
  if (c.time.is_object() && c.time.contains("duration") && !c.time["duration"].is_null()) {
    std::optional<int64_t> d = parseDurationMs(textOf(c.time["duration"]));
    if (!d)
      return Rendered<bool>::fail(
          conditionFailure(c, "invalid duration \"" + textOf(c.time["duration"]) + "\""));
    durationMs = *d;
  }
  return ok(schedule->firedWithin(nowSeconds(ctx), durationMs / 1000));
}

/// The field's value: a template (evaluated with its type) or a dot path over the data roots.
bool fieldOperand(const Condition& c, const tmpl::EvalContext& ctx, Operand& out, RenderFailure& failure) {
  if (c.fieldTmpl) {
    tmpl::Result<json> r = tmpl::evaluateValue(*c.fieldTmpl, ctx);
    if (!r.ok()) {
      failure = conditionFailure(c, r.error.message, r.error.help);
      return false;
    }
    out.value = std::move(*r.value);
    out.missing =
        out.value.is_null() || (out.value.is_string() && out.value.get_ref<const std::string&>().empty());
    return true;
  }
  const json* v = ctx.data ? lookupPath(*ctx.data, c.path) : nullptr;
  out.missing = v == nullptr;
  if (v) out.value = *v;
  return true;
}

bool valueOperand(const Condition& c, const tmpl::EvalContext& ctx, json& out, RenderFailure& failure) {
  if (!c.valueTmpl) {
    out = c.value;
    return true;
  }
  tmpl::Result<json> r = tmpl::evaluateValue(*c.valueTmpl, ctx);
  if (!r.ok()) {
    failure = conditionFailure(c, r.error.message, r.error.help);
    return false;
  }
  out = std::move(*r.value);
  return true;
}

/// between/notBetween bounds: "min,max" or [min, max].
std::optional<std::pair<json, json>> rangeOf(const json& v) {
  std::vector<json> items = listItems(v);
  if (items.size() != 2) return std::nullopt;
  return std::make_pair(items[0], items[1]);
}

/// Whether the condition holds before `negate`.
Rendered<bool> evalOperator(const Condition& c, const tmpl::EvalContext& ctx,
                            const UniquenessCheck& uniqueness) {
  const std::string& op = c.op;
  if (op == "time") return evalTime(c, ctx);
  if (op == "dayOfWeek") return evalDayOfWeek(c, ctx);
  if (op == "cron") return evalCron(c, ctx);

  Operand field;
  json value;
  RenderFailure failure;
  if (!fieldOperand(c, ctx, field, failure) || !valueOperand(c, ctx, value, failure))
    return Rendered<bool>::fail(std::move(failure));
  const std::string& vt = c.valueType;
  // A missing field is "" for string operators and 0 for numeric ones (§6.1).
  std::string text = field.missing ? std::string() : textOf(field.value);
  json number = field.missing ? json(0) : field.value;

  if (op == "exists" || op == "notExists") {
    bool wanted = boolOf(value).value_or(true);  // `exists: true`; a value rendering false inverts
    bool exists = !field.missing;
    return ok((op == "exists") == (exists == wanted));
  }
  if (op == "equals") return ok(equalValues(field.missing ? json() : field.value, value, vt));
  if (op == "notEquals") return ok(!equalValues(field.missing ? json() : field.value, value, vt));
  if (op == "contains") return ok(text.find(textOf(value)) != std::string::npos);
  if (op == "notContains") return ok(text.find(textOf(value)) == std::string::npos);
  if (op == "prefix" || op == "notPrefix") {
    std::string p = textOf(value);
    return ok((text.rfind(p, 0) == 0) == (op == "prefix"));
  }
  if (op == "suffix" || op == "notSuffix") {
    std::string s = textOf(value);
    bool has = text.size() >= s.size() && text.compare(text.size() - s.size(), s.size(), s) == 0;
    return ok(has == (op == "suffix"));
  }
  if (op == "regex") {
    std::string error;
    std::optional<Regex> re = Regex::compile(textOf(value), &error);
    if (!re)
      return Rendered<bool>::fail(
          conditionFailure(c, "invalid regular expression \"" + textOf(value) + "\": " + error));
    return ok(re->search(text));
  }
  if (op == "gt" || op == "lt" || op == "gte" || op == "lte") {
    std::optional<int> o = ordering(number, value, vt);
    if (!o) return ok(false);  // a non-numeric operand makes the condition false
    if (op == "gt") return ok(*o > 0);
    if (op == "lt") return ok(*o < 0);
    if (op == "gte") return ok(*o >= 0);
    return ok(*o <= 0);
  }
  if (op == "between" || op == "notBetween") {
    std::optional<std::pair<json, json>> range = rangeOf(value);
    if (!range) return ok(false);
    std::optional<int> lo = ordering(number, range->first, vt), hi = ordering(number, range->second, vt);
    if (!lo || !hi) return ok(false);
    bool inside = *lo >= 0 && *hi <= 0;
    return ok(inside == (op == "between"));
  }
  if (op == "in" || op == "notIn") {
    json f = field.missing ? json() : field.value;
    bool found = false;
    for (const json& item : listItems(value)) found = found || equalValues(f, item, vt);
    return ok(found == (op == "in"));
  }
  if (op == "unique") {
    if (!uniqueness) return ok(true);
    return ok(uniqueness(c.path, field.missing ? json() : field.value));
  }
  std::string type = field.missing ? "null" : typeName(field.value);
  if (op == "typeOf") return ok(type == textOf(value));
  static const std::pair<const char*, const char*> kTypeOps[] = {
      {"typeMap", "map"},       {"typeList", "list"}, {"typeString", "string"},
      {"typeNumber", "number"}, {"typeBool", "bool"}, {"typeNull", "null"}};
  for (const auto& [name, t] : kTypeOps)
    if (op == name) return ok((type == t) == boolOf(value).value_or(true));
  return Rendered<bool>::fail(conditionFailure(c, "unknown condition operator \"" + op + "\""));
}

}  // namespace

Rendered<bool> evaluateCondition(const Condition& c, const tmpl::EvalContext& ctx,
                                 const UniquenessCheck& uniqueness) {
  Rendered<bool> r = evalOperator(c, ctx, uniqueness);
  if (r.ok() && c.negate) r.value = !*r.value;
  return r;
}

Rendered<bool> evaluateConditions(const Conditions& cs, const tmpl::EvalContext& ctx,
                                  const UniquenessCheck& uniqueness) {
  for (const Condition& c : cs.when) {
    Rendered<bool> r = evaluateCondition(c, ctx, uniqueness);
    if (!r.ok() || !*r.value) return r;
  }
  if (cs.anyOf.empty()) return ok(true);
  for (const Condition& c : cs.anyOf) {
    Rendered<bool> r = evaluateCondition(c, ctx, uniqueness);
    if (!r.ok() || *r.value) return r;
  }
  return ok(false);
}

}  // namespace ork::plan
