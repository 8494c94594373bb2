// Lowering of conditions (FORMATS.md §6.1) and forEach (§6.2): IR condition mappings, as the shapes
// of frontend/shapes_conditions.cc accept them, become plan::Condition with canonical operator names,
// parsed templates in field and value, valueType and negate.
#include "backend/lower_internal.h"
#include "frontend/shapes.h"
#include "passes/parse_templates.h"
#include "support/scalars.h"
#include "support/strings.h"
#include "support/template.h"

namespace ork::backend {
namespace {

using nlohmann::json;

constexpr std::string_view kTimeOps[] = {"time", "dayOfWeek", "cron"};

bool isTimeOp(std::string_view k) {
  for (std::string_view t : kTimeOps)
    if (t == k) return true;
  return false;
}

bool isTemplated(const ir::Node& n) { return n.isString() && tmpl::hasActions(n.text); }


/// A dot path ("spec.tier"; a leading "." is dropped).
std::vector<std::string> dotPath(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text[0] == '.') text.remove_prefix(1);
  std::vector<std::string> out;
  for (const std::string& seg : split(text, '.'))
    if (!seg.empty()) out.push_back(seg);
  return out;
}

void reportTemplate(const ir::Node& n, const std::string& field, const std::string& what, LowerContext& ctx) {
  Diagnostic& d = lowerError(ctx, DiagCode::ConditionTemplate, n.span, field, field + ": " + what);
  d.help =
      "templates are allowed in 'field' and in a scalar 'value'; write the list as one templated "
      "comma-separated string (\"{{ .spec.allowed }}\"), or the time literally";
}

/// The operand of the operator: a scalar (templated: valueTmpl) or a list of literal scalars.
void lowerValue(const ir::Node* v, const std::string& field, plan::Condition& c, LowerContext& ctx) {
  if (!v) {
    c.value = true;  // `operator: exists` without `value:`: true is implied
    return;
  }
  if (isTemplated(*v)) {
    c.valueTmpl = templateOf(*v, field, ctx);
    c.value = v->text;
    return;
  }
  if (v->isList()) {
    c.value = json::array();
    for (size_t i = 0; i < v->items.size(); ++i) {
      const ir::Node& item = *v->items[i];
      std::string itemField = field + "[" + std::to_string(i) + "]";
      if (isTemplated(item)) {
        reportTemplate(item, itemField, "a list item of a condition value cannot be a template", ctx);
        continue;
      }
      c.value.push_back(literalJson(item));
    }
    return;
  }
  c.value = v->isScalar() ? literalJson(*v) : json();
}

/// time: {after, before}; dayOfWeek: {weekday|weekend: true} or {in|notIn: [days]}: literal values.
void lowerTimeMapping(const ir::Node& v, const std::string& field, plan::Condition& c, LowerContext& ctx) {
  c.time = json::object();
  if (!v.isMap()) return;
  for (const ir::MapEntry& e : v.entries) {
    std::string sub = field + "." + e.key;
    const ir::Node& n = *e.value;
    if (isTemplated(n)) {
      reportTemplate(n, sub, "a " + c.op + " condition cannot be a template", ctx);
      continue;
    }
    if (n.isList()) {
      json items = json::array();
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (isTemplated(*n.items[i])) {
          reportTemplate(*n.items[i], sub + "[" + std::to_string(i) + "]",
                         "a " + c.op + " condition cannot be a template", ctx);
          continue;
        }
        items.push_back(literalJson(*n.items[i]));
      }
      c.time[e.key] = std::move(items);
    } else if (n.isScalar()) {
      c.time[e.key] = n.isString() ? json(n.text) : literalJson(n);
      if (c.op == "dayOfWeek" && (e.key == "weekday" || e.key == "weekend")) c.time[e.key] = true;
    }
  }
}

/// cron: the expression (templated: valueTmpl) and the duration, canonical ("1m" by default).
void lowerCron(const ir::Node& v, const ir::Node* duration, const std::string& field, plan::Condition& c,
               LowerContext& ctx) {
  c.time = json::object();
  if (isTemplated(v)) c.valueTmpl = templateOf(v, field + ".cron", ctx);
  c.time["cron"] = v.scalarText();
  c.value = v.scalarText();
  int64_t ms = 60'000;
  if (duration && duration->isScalar() && !duration->isNull())
    if (std::optional<int64_t> d = parseDurationMs(duration->scalarText())) ms = *d;
  c.time["duration"] = formatDurationMs(ms);
}

bool truthyFlag(const ir::Node* n) {
  if (!n) return false;
  if (n->kind == ir::NodeKind::Bool) return n->boolValue;
  return n->isString() && toLower(trim(n->text)) == "true";
}

/// One condition mapping; nullopt when it names no operator (validate reported it).
std::optional<plan::Condition> lowerCondition(const ir::Node& n, const std::string& field,
                                              LowerContext& ctx) {
  if (!n.isMap()) return std::nullopt;
  plan::Condition c;
  c.source = sourceOf(n, field, ctx);
  const ir::MapEntry* opEntry = nullptr;
  for (const ir::MapEntry& e : n.entries) {
    if (e.key == "operator" || !frontend::canonicalConditionOperator(e.key).empty() || isTimeOp(e.key)) {
      opEntry = &e;
      break;
    }
  }
  if (!opEntry || !opEntry->value) return std::nullopt;

  if (const ir::Node* f = n.get("field"); f && f->isScalar() && !f->isNull()) {
    if (isTemplated(*f)) {
      c.fieldTmpl = templateOf(*f, field + ".field", ctx);
    } else {
      c.path = dotPath(f->scalarText());
    }
  }
  if (const ir::Node* vt = n.get("valueType"); vt && vt->isScalar()) c.valueType = vt->scalarText();
  c.negate = truthyFlag(n.get("negate"));

  const ir::Node& opValue = *opEntry->value;
  if (opEntry->key == "operator") {
    c.op = std::string(frontend::canonicalConditionOperator(opValue.scalarText()));
    if (c.op.empty()) return std::nullopt;
    lowerValue(n.get("value"), field + ".value", c, ctx);
  } else if (opEntry->key == "cron") {
    c.op = "cron";
    lowerCron(opValue, n.get("duration"), field, c, ctx);
  } else if (isTimeOp(opEntry->key)) {
    c.op = opEntry->key;
    lowerTimeMapping(opValue, field + "." + opEntry->key, c, ctx);
  } else {
    c.op = std::string(frontend::canonicalConditionOperator(opEntry->key));
    lowerValue(&opValue, field + "." + opEntry->key, c, ctx);
  }
  return c;
}

void lowerList(const ir::Node* list, const std::string& field, std::vector<plan::Condition>& out,
               LowerContext& ctx) {
  if (!list || !list->isList()) return;
  for (size_t i = 0; i < list->items.size(); ++i)
    if (auto c = lowerCondition(*list->items[i], field + "[" + std::to_string(i) + "]", ctx))
      out.push_back(std::move(*c));
}

std::string childField(const std::string& field, std::string_view key) {
  return field.empty() ? std::string(key) : field + "." + std::string(key);
}

}  // namespace

plan::Conditions lowerConditions(const ir::Node* when, const ir::Node* orList, const std::string& field,
                                 LowerContext& ctx) {
  plan::Conditions out;
  lowerList(when, childField(field, "when"), out.when, ctx);
  lowerList(orList, childField(field, "or"), out.anyOf, ctx);
  return out;
}

std::optional<plan::ForEach> lowerForEach(const ir::Node* forEach, const std::string& field,
                                          LowerContext& ctx) {
  if (!forEach || !forEach->isMap()) return std::nullopt;
  const ir::Node* f = forEach->get("field");
  if (!f || !f->isScalar() || f->isNull()) return std::nullopt;
  plan::ForEach out;
  out.path = dotPath(f->scalarText());
  if (out.path.empty()) return std::nullopt;
  if (const ir::Node* as = forEach->get("as"); as && as->isScalar() && !as->isNull())
    out.as = as->scalarText();
  out.source = sourceOf(*f, field, ctx);
  return out;
}

}  // namespace ork::backend
