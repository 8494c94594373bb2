// decideConstantCondition: the §6.1 operators over a constant field and a literal value, so motif
// expansion can drop entries whose conditions are already false and remove conditions already true.
#include "passes/motif_conditions.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "support/regex.h"
#include "support/scalars.h"
#include "support/strings.h"
#include "support/template.h"
#include "support/template_functions.h"

namespace ork::passes {
namespace {

using nlohmann::json;

struct Op {
  const char* name;
  const char* canonical;
};

// The operator keys of §6.1 with their aliases (time conditions have no field and never get here).
constexpr Op kOps[] = {{"equals", "equals"},
                       {"notEquals", "notEquals"},
                       {"contains", "contains"},
                       {"notContains", "notContains"},
                       {"prefix", "prefix"},
                       {"notPrefix", "notPrefix"},
                       {"suffix", "suffix"},
                       {"notSuffix", "notSuffix"},
                       {"regex", "regex"},
                       {"exists", "exists"},
                       {"notExists", "notExists"},
                       {"gt", "gt"},
                       {"greaterThan", "gt"},
                       {"lt", "lt"},
                       {"lessThan", "lt"},
                       {"gte", "gte"},
                       {"min", "gte"},
                       {"greaterThanOrEqual", "gte"},
                       {"lte", "lte"},
                       {"max", "lte"},
                       {"lessThanOrEqual", "lte"},
                       {"between", "between"},
                       {"notBetween", "notBetween"},
                       {"in", "in"},
                       {"notIn", "notIn"},
                       {"unique", "unique"},
                       {"typeOf", "typeOf"},
                       {"typeMap", "typeMap"},
                       {"typeList", "typeList"},
                       {"typeString", "typeString"},
                       {"typeNumber", "typeNumber"},
                       {"typeBool", "typeBool"},
                       {"typeNull", "typeNull"}};

const char* canonicalOp(std::string_view name) {
  for (const Op& o : kOps)
    if (name == o.name) return o.canonical;
  return nullptr;
}

// The text a value has in a comparison: template output rules (§7.2), null as "".
std::string textOf(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_float()) return tmpl::formatFloat(v.get<double>());
  if (v.is_number()) return v.dump();
  return v.dump();
}

std::optional<double> numberOfText(std::string_view text) {
  std::string t(trim(text));
  if (!isNumberText(t)) return std::nullopt;
  return std::strtod(t.c_str(), nullptr);
}

// A missing field is 0 for numeric operators.
std::optional<double> numberOf(const json& v) {
  if (v.is_null()) return 0.0;
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return numberOfText(v.get<std::string>());
  return std::nullopt;
}

std::optional<double> numberOfNode(const ir::Node& n) {
  if (n.kind == ir::NodeKind::Int) return static_cast<double>(n.intValue);
  if (n.kind == ir::NodeKind::Float) return n.floatValue;
  if (n.isString()) return numberOfText(n.text);
  return std::nullopt;
}

std::optional<bool> boolOfText(std::string_view text) {
  std::string t = toLower(trim(text));
  if (t == "true" || t == "1") return true;
  if (t == "false" || t == "0") return false;
  return std::nullopt;
}

std::string typeNameOf(const json& v) {
  if (v.is_object()) return "map";
  if (v.is_array()) return "list";
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "bool";
  return "null";
}

// The items of an `in`/`between` value: a YAML list, or a comma list.
std::vector<std::string> listItems(const ir::Node& value) {
  std::vector<std::string> out;
  if (value.isList()) {
    for (const ir::NodePtr& item : value.items) out.push_back(item->scalarText());
  } else {
    for (const std::string& part : split(value.scalarText(), ',')) out.emplace_back(trim(part));
  }
  return out;
}

bool isTemplated(const ir::Node& n) {
  if (n.isString()) return tmpl::hasActions(n.text);
  for (const ir::NodePtr& item : n.items)
    if (isTemplated(*item)) return true;
  return false;
}

class Decider {
 public:
  Decider(const json& field, const ir::Node* value, std::string valueType)
      : field_(field), value_(value), valueType_(std::move(valueType)) {}

  ConditionDecision decide(std::string_view op) {
    if (op == "unique") return {};
    if (op == "exists") return done(!field_.is_null());
    if (op == "notExists") return done(field_.is_null());
    if (op.substr(0, 4) == "type") return typeCheck(op);
    if (!value_ || isTemplated(*value_)) return {};
    std::string fieldText = textOf(field_), valueText = value_->scalarText();
    if (op == "equals" || op == "notEquals") {
      std::optional<bool> eq = equals(fieldText, valueText);
      if (!eq) return nonNumeric();
      return done(op == "equals" ? *eq : !*eq);
    }
    if (op == "contains") return done(fieldText.find(valueText) != std::string::npos);
    if (op == "notContains") return done(fieldText.find(valueText) == std::string::npos);
    if (op == "prefix") return done(fieldText.rfind(valueText, 0) == 0);
    if (op == "notPrefix") return done(fieldText.rfind(valueText, 0) != 0);
    if (op == "suffix" || op == "notSuffix") {
      bool has = fieldText.size() >= valueText.size() &&
                 fieldText.compare(fieldText.size() - valueText.size(), valueText.size(), valueText) == 0;
      return done(op == "suffix" ? has : !has);
    }
    if (op == "regex") {
      std::optional<Regex> re = Regex::compile(valueText);
      if (!re) return {};  // an invalid pattern is the shape check's error
      return done(re->search(fieldText));
    }
    if (op == "in" || op == "notIn") {
      bool found = false;
      for (const std::string& item : listItems(*value_)) found = found || item == fieldText;
      return done(op == "in" ? found : !found);
    }
    std::optional<double> lhs = numberOf(field_);
    if (op == "between" || op == "notBetween") {
      std::vector<std::string> bounds = listItems(*value_);
      if (bounds.size() != 2) return {};
      std::optional<double> lo = numberOfText(bounds[0]), hi = numberOfText(bounds[1]);
      if (!lhs || !lo || !hi) return nonNumeric();
      bool inside = *lo <= *lhs && *lhs <= *hi;
      return done(op == "between" ? inside : !inside);
    }
    std::optional<double> rhs = numberOfNode(*value_);
    if (!lhs || !rhs) return nonNumeric();
    if (op == "gt") return done(*lhs > *rhs);
    if (op == "lt") return done(*lhs < *rhs);
    if (op == "gte") return done(*lhs >= *rhs);
    if (op == "lte") return done(*lhs <= *rhs);
    return {};
  }

 private:
  static ConditionDecision done(bool b) { return {b, false}; }
  static ConditionDecision nonNumeric() { return {false, true}; }

  // nullopt: a numeric valueType with a non-numeric side.
  std::optional<bool> equals(const std::string& fieldText, const std::string& valueText) const {
    if (valueType_ == "int" || valueType_ == "float") {
      std::optional<double> a = numberOf(field_), b = numberOfNode(*value_);
      if (!a || !b) return std::nullopt;
      return valueType_ == "int" ? static_cast<int64_t>(*a) == static_cast<int64_t>(*b) : *a == *b;
    }
    if (valueType_ == "bool") {
      std::optional<bool> a = boolOfText(fieldText), b = boolOfText(valueText);
      return a && b && *a == *b;
    }
    if (valueType_.empty()) {
      bool valueIsNumber = value_->kind == ir::NodeKind::Int || value_->kind == ir::NodeKind::Float;
      if (field_.is_number() && valueIsNumber) return *numberOf(field_) == *numberOfNode(*value_);
      if (field_.is_boolean() && value_->kind == ir::NodeKind::Bool)
        return field_.get<bool>() == value_->boolValue;
    }
    return fieldText == valueText;
  }

  ConditionDecision typeCheck(std::string_view op) const {
    std::string actual = typeNameOf(field_);
    if (op == "typeOf") {
      if (!value_ || isTemplated(*value_)) return {};
      return done(toLower(trim(value_->scalarText())) == actual);
    }
    std::string wanted = toLower(std::string(op.substr(4)));
    return done(wanted == actual);
  }

  const json& field_;
  const ir::Node* value_;
  std::string valueType_;
};

}  // namespace

ConditionDecision decideConstantCondition(const ir::Node& cond, const json& field) {
  if (!cond.isMap()) return {};
  std::string op;
  const ir::Node* value = nullptr;
  if (const ir::Node* explicitOp = cond.get("operator"); explicitOp && explicitOp->isString()) {
    const char* c = canonicalOp(explicitOp->text);
    if (!c) return {};
    op = c;
    value = cond.get("value");
  } else {
    for (const ir::MapEntry& e : cond.entries)
      if (const char* c = canonicalOp(e.key)) {
        op = c;
        value = e.value.get();
        break;
      }
  }
  if (op.empty()) return {};
  std::string valueType;
  if (const ir::Node* vt = cond.get("valueType"); vt && vt->isString()) valueType = vt->text;
  ConditionDecision d = Decider(field, value, valueType).decide(op);
  const ir::Node* negate = cond.get("negate");
  if (d.result && negate && negate->kind == ir::NodeKind::Bool && negate->boolValue) d.result = !*d.result;
  return d;
}

}  // namespace ork::passes
