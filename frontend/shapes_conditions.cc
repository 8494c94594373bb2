// The shapes of FORMATS.md §6: conditions (`when:`/`or:` items), their operator table and
// cross-field rules, the `anyOf` rejection, and `forEach`.
#include <re2/re2.h>

#include "frontend/shapes.h"
#include "support/scalars.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::MapEntry;
using ir::Node;

/// What an operator compares against (the "value" column of the §6.1 table).
enum class Operand { Scalar, Text, Regex, True, Number, Range, List, TypeName };

struct OperatorInfo {
  std::string_view name;
  std::string_view canonical;
  Operand operand;
};

constexpr OperatorInfo kOperators[] = {
    {"equals", "equals", Operand::Scalar},
    {"notEquals", "notEquals", Operand::Scalar},
    {"contains", "contains", Operand::Text},
    {"notContains", "notContains", Operand::Text},
    {"prefix", "prefix", Operand::Text},
    {"notPrefix", "notPrefix", Operand::Text},
    {"suffix", "suffix", Operand::Text},
    {"notSuffix", "notSuffix", Operand::Text},
    {"regex", "regex", Operand::Regex},
    {"exists", "exists", Operand::True},
    {"notExists", "notExists", Operand::True},
    {"gt", "gt", Operand::Number},
    {"greaterThan", "gt", Operand::Number},
    {"lt", "lt", Operand::Number},
    {"lessThan", "lt", Operand::Number},
    {"gte", "gte", Operand::Number},
    {"min", "gte", Operand::Number},
    {"greaterThanOrEqual", "gte", Operand::Number},
    {"lte", "lte", Operand::Number},
    {"max", "lte", Operand::Number},
    {"lessThanOrEqual", "lte", Operand::Number},
    {"between", "between", Operand::Range},
    {"notBetween", "notBetween", Operand::Range},
    {"in", "in", Operand::List},
    {"notIn", "notIn", Operand::List},
    {"unique", "unique", Operand::True},
    {"typeOf", "typeOf", Operand::TypeName},
    {"typeMap", "typeMap", Operand::True},
    {"typeList", "typeList", Operand::True},
    {"typeString", "typeString", Operand::True},
    {"typeNumber", "typeNumber", Operand::True},
    {"typeBool", "typeBool", Operand::True},
    {"typeNull", "typeNull", Operand::True},
};

const OperatorInfo* findOperator(std::string_view name) {
  for (const OperatorInfo& o : kOperators)
    if (o.name == name) return &o;
  return nullptr;
}

const std::vector<std::string>& operatorNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const OperatorInfo& o : kOperators) v.emplace_back(o.name);
    return v;
  }();
  return names;
}

/// The time conditions of §6.1: they stand in for `field` + operator.
constexpr std::string_view kTimeKeys[] = {"time", "dayOfWeek", "cron"};
bool isTimeKey(std::string_view k) {
  for (std::string_view t : kTimeKeys)
    if (t == k) return true;
  return false;
}

/// The data roots `forEach.as` may not shadow (§6.2, §7.1).
const std::vector<std::string> kRootNames{"metadata", "spec", "status", "children",
                                          "inputs",   "item", "value"};

Diagnostic& reportAt(DiagnosticEngine& diags, DiagCode code, Span span, const std::string& path,
                     std::string msg) {
  Diagnostic& d = diags.report(code, span, std::move(msg));
  d.path = path;
  return d;
}

bool isFalseLiteral(const Node& n) {
  if (n.kind == ir::NodeKind::Bool) return !n.boolValue;
  return n.isString() && toLower(trim(n.text)) == "false";
}

/// `exists: true` and friends: the only meaningful value is true.
ShapeRef trueOperand(std::string_view op) {
  auto s = templatedCopy(boolean());
  std::string hint = op == "exists"      ? "use 'notExists' or 'negate: true'"
                     : op == "notExists" ? "use 'exists' or 'negate: true'"
                                         : "use 'negate: true'";
  s->check = [hint](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (isFalseLiteral(n))
      reportAt(diags, DiagCode::InvalidValue, n.span, path, path + ": must be true (" + hint + ")");
  };
  return s;
}

ShapeRef rangeOperand() {
  auto text = templatedCopy(str());
  text->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (n.isNull() || isTemplate(n)) return;
    std::vector<std::string> parts = split(n.scalarText(), ',');
    if (parts.size() != 2 || !isNumberText(parts[0]) || !isNumberText(parts[1]))
      reportAt(diags, DiagCode::InvalidValue, n.span, path,
               path + ": invalid range \"" + n.scalarText() + "\" (expected \"min,max\" or [min, max])");
  };
  auto pair = listOf(templatedCopy(number()));
  pair->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (n.items.size() != 2)
      reportAt(
          diags, DiagCode::InvalidValue, n.span, path,
          path + ": a range list needs exactly 2 items [min, max], got " + std::to_string(n.items.size()));
  };
  return oneOf({text, pair}, "\"min,max\" or [min, max]");
}

ShapeRef regexOperand() {
  auto s = templatedCopy(str());
  s->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (n.isNull() || isTemplate(n)) return;
    RE2::Options opts;
    opts.set_log_errors(false);
    RE2 re(n.scalarText(), opts);
    if (!re.ok())
      reportAt(diags, DiagCode::InvalidValue, n.span, path,
               path + ": invalid regular expression \"" + n.scalarText() + "\": " + re.error());
  };
  return s;
}

ShapeRef operandShape(const OperatorInfo& op) {
  switch (op.operand) {
    case Operand::Scalar: return templatedCopy(scalar(ScalarType::Any));
    case Operand::Text: return templatedCopy(str());
    case Operand::Regex: return regexOperand();
    case Operand::True: return trueOperand(op.canonical);
    case Operand::Number: return templatedCopy(number());
    case Operand::Range: return rangeOperand();
    case Operand::List:
      return oneOf({templatedCopy(str()), listOf(templatedCopy(scalar(ScalarType::Any)))},
                   "a comma-separated string or a list");
    case Operand::TypeName: return templatedCopy(enumOf({"map", "list", "string", "number", "bool", "null"}));
  }
  return anyShape();
}

/// "09:00" (UTC): hours 0–23, minutes 0–59.
bool isClockTime(std::string_view t) {
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || t.size() != colon + 3) return false;
  for (size_t i = 0; i < t.size(); ++i)
    if (i != colon && (t[i] < '0' || t[i] > '9')) return false;
  int h = std::stoi(std::string(t.substr(0, colon)));
  int m = std::stoi(std::string(t.substr(colon + 1)));
  return h < 24 && m < 60;
}

ShapeRef clockTime() {
  auto s = templatedCopy(str());
  s->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (!n.isNull() && !isTemplate(n) && !isClockTime(n.scalarText()))
      reportAt(diags, DiagCode::InvalidValue, n.span, path,
               path + ": invalid time \"" + n.scalarText() + "\" (expected HH:MM, UTC)");
  };
  return s;
}

ShapeRef timeShape() {
  auto s = record();
  s->add("after", clockTime());
  s->add("before", clockTime());
  s->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (!n.get("after") && !n.get("before"))
      reportAt(diags, DiagCode::MissingField, n.span, path,
               path + ": missing required field 'after' or 'before'");
  };
  return s;
}

ShapeRef dayOfWeekShape() {
  auto day = enumOf({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Monday", "Tuesday", "Wednesday",
                     "Thursday", "Friday", "Saturday", "Sunday"});
  auto s = record();
  s->add("weekday", trueOperand("weekday"));
  s->add("weekend", trueOperand("weekend"));
  s->add("in", listOf(day));
  s->add("notIn", listOf(day));
  s->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    std::vector<const MapEntry*> set;
    for (const MapEntry& e : n.entries) set.push_back(&e);
    if (set.empty())
      reportAt(diags, DiagCode::ConditionOperator, n.span, path,
               path + ": dayOfWeek needs one of weekday, weekend, in, notIn");
    if (set.size() > 1)
      reportAt(diags, DiagCode::ConditionOperator, set[1]->keySpan, path,
               path + ": dayOfWeek takes exactly one of weekday, weekend, in, notIn; got '" + set[0]->key +
                   "' and '" + set[1]->key + "'");
  };
  return s;
}

ShapeRef cronShape() {
  auto s = templatedCopy(str());
  s->check = [](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (n.isNull() || isTemplate(n)) return;
    size_t fields = 0;
    for (const std::string& f : split(n.scalarText(), ' '))
      if (!trim(f).empty()) ++fields;
    if (fields != 5)
      reportAt(diags, DiagCode::InvalidValue, n.span, path,
               path + ": invalid cron expression \"" + n.scalarText() +
                   "\" (expected 5 fields: minute hour day-of-month month day-of-week)");
  };
  return s;
}

/// The operator keys (and `operator:`, and time conditions) present in one condition.
std::vector<const MapEntry*> operatorEntries(const Node& n) {
  std::vector<const MapEntry*> ops;
  for (const MapEntry& e : n.entries)
    if (e.key == "operator" || findOperator(e.key) || isTimeKey(e.key)) ops.push_back(&e);
  return ops;
}

/// `operator: <name>` with `value:`: the name must be known and the value fit it.
void checkExplicitOperator(const Node& n, const MapEntry& opEntry, const std::string& path,
                           DiagnosticEngine& diags) {
  const Node& opNode = *opEntry.value;
  std::string opPath = childPath(path, "operator");
  if (!opNode.isScalar()) return;  // the record check reported the type; null reads as ""
  if (isTemplate(opNode)) {
    reportAt(diags, DiagCode::InvalidValue, opNode.span, opPath,
             opPath + ": the operator cannot be a template");
    return;
  }
  const OperatorInfo* op = findOperator(opNode.scalarText());
  if (!op) {
    reportAt(diags, DiagCode::InvalidValue, opNode.span, opPath,
             opPath + ": unknown operator \"" + opNode.scalarText() + "\"" +
                 didYouMean(opNode.scalarText(), operatorNames()));
    return;
  }
  const Node* value = n.get("value");
  if (value) {
    validateShape(*value, *operandShape(*op), childPath(path, "value"), diags);
  } else if (op->operand != Operand::True) {
    reportAt(diags, DiagCode::MissingField, n.span, childPath(path, "value"),
             path + ": missing required field 'value' (operator '" + std::string(op->name) +
                 "' compares with it)");
  }
}

/// The cross-field rules of one condition (§6.1).
void checkCondition(const Node& n, const std::string& path, DiagnosticEngine& diags) {
  std::vector<const MapEntry*> ops = operatorEntries(n);
  if (ops.empty()) {
    reportAt(
        diags, DiagCode::ConditionOperator, n.span, path,
        path +
            ": condition has no operator (write one operator key such as 'equals: x', or 'operator:' with "
            "'value:')");
  } else if (ops.size() > 1) {
    std::vector<std::string> names;
    names.reserve(ops.size());
    for (const MapEntry* e : ops) names.push_back(e->key);
    reportAt(diags, DiagCode::ConditionOperator, ops[1]->keySpan, path,
             path + ": condition has " + std::to_string(ops.size()) + " operators (" + join(names, ", ") +
                 "); use exactly one");
    diags.note(ops[0]->keySpan, "'" + ops[0]->key + "' is the first operator");
  }
  const MapEntry* explicitOp = n.entry("operator");
  if (explicitOp && ops.size() == 1) checkExplicitOperator(n, *explicitOp, path, diags);
  if (const MapEntry* v = n.entry("value"); v && !explicitOp)
    reportAt(diags, DiagCode::ConflictingKeys, v->keySpan, childPath(path, "value"),
             path + ": 'value' is used only with 'operator:'");
  bool timed = false;
  for (const MapEntry* e : ops) timed = timed || isTimeKey(e->key);
  const MapEntry* field = n.entry("field");
  if (timed && field)
    reportAt(diags, DiagCode::ConflictingKeys, field->keySpan, childPath(path, "field"),
             path + ": a time condition (time, dayOfWeek, cron) has no 'field'");
  if (!timed && !field && !ops.empty())
    reportAt(diags, DiagCode::MissingField, n.span, childPath(path, "field"),
             path + ": missing required field 'field'");
  if (const MapEntry* d = n.entry("duration"); d && !n.get("cron"))
    reportAt(diags, DiagCode::InvalidValue, d->keySpan, childPath(path, "duration"),
             path + ": 'duration' is used only with 'cron'");
}

/// `forEach.field`: a plain dot path (forEach is never templated, §5.3).
void checkDotPath(const Node& n, const std::string& path, DiagnosticEngine& diags) {
  if (!n.isScalar()) return;
  std::string text = n.scalarText();
  bool ok = !text.empty() && !isTemplate(n);
  for (const std::string& seg : split(text, '.'))
    ok = ok && !seg.empty() && seg.find_first_of(" \t") == std::string::npos;
  if (!ok)
    reportAt(diags, DiagCode::InvalidValue, n.span, path,
             path + ": invalid dot path \"" + text +
                 "\" (forEach.field is a path such as spec.shards, not a template)");
}

bool isIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

void checkAlias(const Node& n, const std::string& path, DiagnosticEngine& diags) {
  if (!n.isScalar() || n.isNull()) return;
  std::string text = n.scalarText();
  for (const std::string& root : kRootNames) {
    if (text == root) {
      reportAt(diags, DiagCode::InvalidValue, n.span, path,
               path + ": '" + text + "' is a data root name (" + join(kRootNames, ", ") +
                   "); choose another name");
      return;
    }
  }
  if (!isIdentifier(text))
    reportAt(diags, DiagCode::InvalidValue, n.span, path,
             path + ": invalid name \"" + text + "\" (letters, digits and '_', not starting with a digit)");
}

}  // namespace

std::string_view canonicalConditionOperator(std::string_view name) {
  const OperatorInfo* op = findOperator(name);
  return op ? op->canonical : std::string_view();
}

ShapeRef conditionRecord() {
  auto s = record();
  s->add("field", templatedCopy(str()));
  s->add("operator", str());
  s->add("value", anyShape());
  for (const OperatorInfo& o : kOperators) s->add(std::string(o.name), operandShape(o));
  s->add("valueType", enumOf({"string", "int", "float", "bool"}));
  s->add("negate", boolean());
  s->add("time", timeShape());
  s->add("dayOfWeek", dayOfWeekShape());
  s->add("cron", cronShape());
  s->add("duration", duration());
  s->add("notify", anyShape()).unsupported = true;
  s->add("notes", anyShape()).unsupported = true;
  s->check = checkCondition;
  return s;
}

ShapeRef conditionShape() {
  static const ShapeRef s = conditionRecord();
  return s;
}

ShapeRef conditionListShape() {
  static const ShapeRef s = listOf(conditionShape());
  return s;
}

void addConditionKeys(Shape& s) {
  s.add("when", conditionListShape());
  s.add("or", conditionListShape());
  s.add("anyOf", anyShape());  // known, so that the check below (not UnknownKey) speaks
  auto previous = s.check;
  s.check = [previous](const Node& n, const std::string& path, DiagnosticEngine& diags) {
    if (previous) previous(n, path, diags);
    if (const MapEntry* e = n.entry("anyOf"))
      reportAt(diags, DiagCode::AnyOfNotSupported, e->keySpan, childPath(path, "anyOf"),
               "'anyOf' is not supported; use 'or'");
  };
}

ShapeRef forEachShape() {
  static const ShapeRef s = [] {
    auto field = str();
    field->check = checkDotPath;
    auto as = str();
    as->check = checkAlias;
    auto r = record();
    r->add("field", field).req();
    r->add("as", as);
    return r;
  }();
  return s;
}

}  // namespace ork::frontend
