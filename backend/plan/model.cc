// TValue constructors and map access (see model.h).
#include "backend/plan/model.h"

namespace ork::plan {

std::string_view valueTypeName(ValueType t) {
  switch (t) {
    case ValueType::String: return "string";
    case ValueType::Integer: return "integer";
    case ValueType::Number: return "number";
    case ValueType::Boolean: return "boolean";
    case ValueType::IntOrString: return "intOrString";
    case ValueType::Quantity: return "quantity";
    case ValueType::Auto: return "auto";
  }
  return "string";
}

TValue TValue::lit(nlohmann::json v) {
  TValue t;
  t.kind = Kind::Literal;
  t.literal = std::move(v);
  return t;
}

TValue TValue::mapValue() {
  TValue t;
  t.kind = Kind::Map;
  return t;
}

TValue TValue::listValue() {
  TValue t;
  t.kind = Kind::List;
  return t;
}

TValue TValue::templ(std::shared_ptr<const tmpl::Template> tp, ValueType type, SourceRef src, bool required) {
  TValue t;
  t.kind = Kind::Template;
  t.tmpl = std::move(tp);
  t.type = type;
  t.source = std::move(src);
  t.required = required;
  return t;
}

TValue* TValue::get(std::string_view key) {
  if (kind != Kind::Map) return nullptr;
  for (TMapItem& i : map) {
    if (!i.keyTmpl && i.key == key) return &i.value;
  }
  return nullptr;
}

const TValue* TValue::get(std::string_view key) const { return const_cast<TValue*>(this)->get(key); }

TValue& TValue::set(std::string key, TValue value) {
  if (kind != Kind::Map) {
    kind = Kind::Map;
    map.clear();
  }
  if (TValue* existing = get(key)) {
    *existing = std::move(value);
    return *existing;
  }
  map.push_back(TMapItem{std::move(key), nullptr, std::move(value)});
  return map.back().value;
}

bool TValue::erase(std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->keyTmpl && it->key == key) {
      map.erase(it);
      return true;
    }
  }
  return false;
}

}  // namespace ork::plan
