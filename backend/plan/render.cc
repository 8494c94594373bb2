// Rendering of templated values (FORMATS.md §5.3): typing of rendered text, templated map keys,
// omission of empty optional values. The entries of a CRD (forEach, metadata) are in render_entries.cc,
// conditions in conditions.cc.
#include "backend/plan/render.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "backend/plan/scalar_text.h"
#include "support/scalars.h"
#include "support/strings.h"

namespace ork::plan {
namespace {

using nlohmann::json;

/// "an integer", "a boolean", … for conversion messages (§5.3).
std::string article(ValueType t) {
  switch (t) {
    case ValueType::Integer: return "an integer";
    case ValueType::Number: return "a number";
    case ValueType::Boolean: return "a boolean";
    case ValueType::Quantity: return "a quantity";
    case ValueType::IntOrString: return "an integer or string";
    case ValueType::String: return "a string";
    case ValueType::Auto: return "a value";
  }
  return "a value";
}

std::string withField(const std::string& field, const std::string& message) {
  return field.empty() ? message : field + ": " + message;
}

RenderFailure failureAt(const SourceRef& src, std::string message, std::string help = {}) {
  RenderFailure f;
  f.message = withField(src.field, message);
  f.location = src.location;
  f.span = src.span;
  f.help = std::move(help);
  return f;
}

/// An omitted value (empty optional scalar) is nullopt; failures are reported in `failure`.
using Slot = std::optional<json>;

bool renderInto(const TValue& v, const tmpl::EvalContext& ctx, Slot& out, RenderFailure& failure);

/// Renders one template with its target type.
bool renderTemplate(const TValue& v, const tmpl::EvalContext& ctx, Slot& out, RenderFailure& failure) {
  if (!v.tmpl) {
    out.reset();
    return true;
  }
  json raw;
  if (v.type == ValueType::Auto) {
    // §5.7: one action yielding a number or boolean keeps that type, everything else is a string.
    tmpl::Result<json> r = tmpl::evaluateValue(*v.tmpl, ctx);
    if (!r.ok()) {
      failure = failureAt(v.source, r.error.message, r.error.help);
      return false;
    }
    raw = std::move(*r.value);
    if (raw.is_structured()) {
      tmpl::Result<std::string> text = tmpl::printValue(raw, r.error.offset);
      failure =
          failureAt(v.source, text.ok() ? "rendered a map or list" : text.error.message, text.error.help);
      return false;
    }
    if (raw.is_null()) raw = "";
  } else {
    tmpl::Result<std::string> r = tmpl::render(*v.tmpl, ctx);
    if (!r.ok()) {
      failure = failureAt(v.source, r.error.message, r.error.help);
      return false;
    }
    raw = std::move(*r.value);
  }
  if (raw.is_string() && trim(raw.get_ref<const std::string&>()).empty()) {
    if (v.required) {
      failure = failureAt(v.source, "rendered value is empty");
      failure.code = DiagCode::ValueConversion;
      return false;
    }
    out.reset();
    return true;
  }
  std::optional<json> converted = convertScalar(raw, v.type);
  if (!converted) {
    std::string text = raw.is_string() ? std::string(trim(raw.get_ref<const std::string&>())) : raw.dump();
    failure = failureAt(v.source, "rendered \"" + text + "\" is not " + article(v.type));
    failure.code = DiagCode::ValueConversion;
    return false;
  }
  out = std::move(*converted);
  return true;
}

bool renderMap(const TValue& v, const tmpl::EvalContext& ctx, Slot& out, RenderFailure& failure) {
  json obj = json::object();
  for (const TMapItem& item : v.map) {
    std::string key = item.key;
    if (item.keyTmpl) {
      tmpl::Result<std::string> k = tmpl::render(*item.keyTmpl, ctx);
      if (!k.ok()) {
        failure = failureAt(item.value.source, k.error.message, k.error.help);
        return false;
      }
      key = std::string(trim(*k.value));
      if (key.empty()) continue;  // a key rendering empty drops its item, like an empty optional value
    }
    Slot value;
    if (!renderInto(item.value, ctx, value, failure)) return false;
    if (value) obj[key] = std::move(*value);
  }
  out = std::move(obj);
  return true;
}

bool renderInto(const TValue& v, const tmpl::EvalContext& ctx, Slot& out, RenderFailure& failure) {
  switch (v.kind) {
    case TValue::Kind::Literal: out = v.literal; return true;
    case TValue::Kind::Template: return renderTemplate(v, ctx, out, failure);
    case TValue::Kind::Map: return renderMap(v, ctx, out, failure);
    case TValue::Kind::List: {
      json arr = json::array();
      for (const TValue& item : v.list) {
        Slot value;
        if (!renderInto(item, ctx, value, failure)) return false;
        if (value) arr.push_back(std::move(*value));
      }
      out = std::move(arr);
      return true;
    }
  }
  return true;
}

}  // namespace

std::optional<int64_t> parseIntText(std::string_view t) {
  if (!isIntegerText(t) || trim(t).size() != t.size()) return std::nullopt;
  if (t[0] == '+') t.remove_prefix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<double> parseDecimalText(std::string_view t) {
  if (t.empty() || trim(t).size() != t.size() || !isNumberText(t)) return std::nullopt;
  for (char c : t)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return std::nullopt;
  double d = std::strtod(std::string(t).c_str(), nullptr);
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<std::string> scalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_structured()) return std::nullopt;
  if (v.is_null()) return std::string();
  tmpl::Result<std::string> r = tmpl::printValue(v, 0);
  if (!r.ok()) return std::nullopt;
  return *r.value;
}

std::optional<json> convertScalar(const json& value, ValueType type) {
  if (value.is_structured()) return type == ValueType::Auto ? std::optional<json>(value) : std::nullopt;
  switch (type) {
    case ValueType::Auto: return value;
    case ValueType::String: {
      if (value.is_null()) return json("");
      return scalarText(value);
    }
    case ValueType::Integer: {
      if (value.is_number_integer()) return value;
      if (value.is_number_float()) {
        double d = value.get<double>();
        if (std::floor(d) == d && std::fabs(d) < 9.2e18) return json(static_cast<int64_t>(d));
        return std::nullopt;
      }
      if (!value.is_string()) return std::nullopt;
      std::optional<int64_t> i = parseIntText(trim(value.get_ref<const std::string&>()));
      if (!i) return std::nullopt;
      return json(*i);
    }
    case ValueType::Number: {
      if (value.is_number()) return value;
      if (!value.is_string()) return std::nullopt;
      std::string_view t = trim(value.get_ref<const std::string&>());
      if (std::optional<int64_t> i = parseIntText(t)) return json(*i);
      std::optional<double> d = parseDecimalText(t);
      if (!d) return std::nullopt;
      return json(*d);
    }
    case ValueType::Boolean: {
      if (value.is_boolean()) return value;
      if (!value.is_string()) return std::nullopt;
      std::string t = toLower(trim(value.get_ref<const std::string&>()));
      if (t == "true") return json(true);
      if (t == "false") return json(false);
      return std::nullopt;
    }
    case ValueType::IntOrString: {
      if (value.is_number_integer()) return value;
      if (value.is_null()) return std::nullopt;
      std::optional<std::string> text = scalarText(value);
      if (!text) return std::nullopt;
      std::string_view t = trim(*text);
      bool digits = !t.empty();
      for (char c : t) digits = digits && c >= '0' && c <= '9';
      if (digits)
        if (std::optional<int64_t> i = parseIntText(t)) return json(*i);
      return json(std::string(t));
    }
    case ValueType::Quantity: {
      if (value.is_boolean() || value.is_null()) return std::nullopt;
      std::optional<std::string> text = scalarText(value);
      if (!text) return std::nullopt;
      std::string t(trim(*text));
      if (!isQuantity(t)) return std::nullopt;
      return json(t);
    }
  }
  return std::nullopt;
}

Rendered<json> renderValue(const TValue& value, const tmpl::EvalContext& ctx) {
  Slot out;
  RenderFailure failure;
  if (!renderInto(value, ctx, out, failure)) return Rendered<json>::fail(std::move(failure));
  Rendered<json> r;
  r.value = out ? std::move(*out) : json();  // an omitted top-level value is null
  return r;
}

const json* lookupPath(const json& data, const std::vector<std::string>& path) {
  const json* cur = &data;
  for (const std::string& seg : path) {
    if (cur->is_object()) {
      auto it = cur->find(seg);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      std::optional<int64_t> i =
          isIntegerText(seg) && seg[0] != '-' && seg[0] != '+' ? parseIntText(seg) : std::nullopt;
      if (!i || static_cast<size_t>(*i) >= cur->size()) return nullptr;
      cur = &(*cur)[static_cast<size_t>(*i)];
    } else {
      return nullptr;
    }
  }
  return cur->is_null() ? nullptr : cur;
}

}  // namespace ork::plan
