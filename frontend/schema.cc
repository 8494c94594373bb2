// The shape validator: one mechanism for every strict-key and scalar-type rule of FORMATS.md.
#include "frontend/schema.h"

#include "support/scalars.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::Node;
using ir::NodeKind;

bool isCredentialKey(std::string_view key) {
  std::string k = toLower(key);
  return k == "token" || k == "password" || k == "secret" || k == "apikey" || k == "api_key";
}

std::string describeScalar(const Shape& s) {
  if (!s.enumValues.empty()) return "one of " + join(s.enumValues, ", ");
  switch (s.scalar) {
    case ScalarType::Any: return "a scalar";
    case ScalarType::String: return "a string";
    case ScalarType::Int: return "an integer";
    case ScalarType::Number: return "a number";
    case ScalarType::Bool: return "a boolean (true or false)";
    case ScalarType::Duration: return "a duration such as 30s, 5m or 1h30m";
    case ScalarType::Date: return "a date YYYY-MM-DD";
    case ScalarType::SemverRange: return "a semver range such as \">= 1.2.0 < 2\"";
    case ScalarType::Quantity: return "a Kubernetes quantity such as 500m or 1Gi";
    case ScalarType::IntOrString: return "an integer or a string";
    case ScalarType::Name: return "a lowercase RFC 1123 name";
  }
  return "a scalar";
}

std::string describe(const Shape& s) {
  if (!s.description.empty()) return s.description;
  switch (s.kind) {
    case Shape::Kind::Any: return "any value";
    case Shape::Kind::Scalar: return describeScalar(s);
    case Shape::Kind::Record:
    case Shape::Kind::MapOf: return "a mapping";
    case Shape::Kind::ListOf: return "a list";
    case Shape::Kind::OneOf: {
      std::vector<std::string> parts;
      for (const ShapeRef& a : s.alternatives) parts.push_back(describe(*a));
      return join(parts, " or ");
    }
  }
  return "a value";
}

bool kindFits(const Shape& s, const Node& n) {
  switch (s.kind) {
    case Shape::Kind::Any: return true;
    case Shape::Kind::Scalar: return n.isScalar() && !n.isNull();
    case Shape::Kind::Record:
    case Shape::Kind::MapOf: return n.isMap();
    case Shape::Kind::ListOf: return n.isList();
    case Shape::Kind::OneOf:
      for (const ShapeRef& a : s.alternatives)
        if (kindFits(*a, n)) return true;
      return false;
  }
  return false;
}

void checkScalar(const Node& n, const Shape& s, const std::string& path, DiagnosticEngine& diags) {
  if (s.templated && n.isString() && isTemplate(n)) return;  // typed when rendered (§5.3)
  auto wrong = [&](std::string what) {
    Diagnostic& d = diags.report(DiagCode::WrongType, n.span,
                                 path + ": expected " + what + ", got " + shownValue(n));
    d.path = path;
  };
  auto invalid = [&](std::string what) {
    Diagnostic& d = diags.report(DiagCode::InvalidValue, n.span, path + ": " + what);
    d.path = path;
  };
  std::string text = n.scalarText();
  switch (s.scalar) {
    case ScalarType::Any:
    case ScalarType::String: break;
    case ScalarType::Int:
      if (n.kind == NodeKind::Int) break;
      if (s.allowNumericString && n.isString() && isIntegerText(text)) break;
      return wrong("an integer");
    case ScalarType::Number:
      if (n.kind == NodeKind::Int || n.kind == NodeKind::Float) break;
      if (s.allowNumericString && n.isString() && isNumberText(text)) break;
      return wrong("a number");
    case ScalarType::Bool:
      if (n.kind == NodeKind::Bool) break;
      if (s.allowNumericString && n.isString() && (toLower(text) == "true" || toLower(text) == "false")) break;
      return wrong("a boolean (true or false)");
    case ScalarType::IntOrString: break;
    case ScalarType::Duration:
      if (n.kind == NodeKind::Int && n.intValue == 0) break;
      if (!parseDurationMs(text)) return invalid("invalid duration " + shownValue(n) + " (use Go syntax such as 30s, 5m, 1h30m, or d/w/mo/y)");
      break;
    case ScalarType::Date:
      if (!parseDate(text)) return invalid("invalid date " + shownValue(n) + " (expected YYYY-MM-DD)");
      break;
    case ScalarType::SemverRange:
      if (!parseSemVerRange(text)) return invalid("invalid semver range " + shownValue(n) + " (operators = != > >= < <= ~ ^, joined by space, ',' or '||')");
      break;
    case ScalarType::Quantity:
      if (!isQuantity(text)) return invalid("invalid quantity " + shownValue(n) + " (expected a Kubernetes quantity such as 500m or 1Gi)");
      break;
    case ScalarType::Name:
      if (!isRfc1123Label(text)) return invalid("invalid name " + shownValue(n) + " (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)");
      break;
  }
  if (!s.enumValues.empty()) {
    for (const std::string& v : s.enumValues)
      if (v == text) return;
    invalid("invalid value " + shownValue(n) + " (expected one of " + join(s.enumValues, ", ") + ")" +
            didYouMean(text, s.enumValues));
    return;
  }
  if (s.scalar == ScalarType::Int && n.kind == NodeKind::Int) {
    if ((s.min && n.intValue < *s.min) || (s.max && n.intValue > *s.max)) {
      std::string range = s.min && s.max ? std::to_string(*s.min) + "–" + std::to_string(*s.max)
                          : s.min        ? "at least " + std::to_string(*s.min)
                                         : "at most " + std::to_string(*s.max);
      invalid(std::to_string(n.intValue) + " is out of range (" + range + ")");
    }
  }
}

void checkRecord(const Node& n, const Shape& s, const std::string& path, DiagnosticEngine& diags) {
  std::vector<std::string> names;
  names.reserve(s.fields.size());
  for (const Field& f : s.fields)
    if (f.deprecated.empty() && !f.credential) names.push_back(f.name);
  for (const ir::MapEntry& e : n.entries) {
    std::string p = childPath(path, e.key);
    const Field* f = s.field(e.key);
    if (!f) {
      if (isCredentialKey(e.key)) {
        Diagnostic& d = diags.report(DiagCode::CredentialInYaml, e.keySpan,
                                     "'" + e.key + "' in " + (path.empty() ? "the document" : path) +
                                         ": credentials cannot be written in YAML");
        d.path = p;
        diags.note({}, "credentials are read from environment variables only; use fromEnv");
        continue;
      }
      std::string hint = didYouMean(e.key, names);
      for (const Field& cand : s.fields)
        for (const std::string& m : cand.misspellings)
          if (toLower(m) == toLower(e.key)) hint = " (did you mean '" + cand.name + "'?)";
      Diagnostic& d = diags.report(DiagCode::UnknownKey, e.keySpan,
                                   "unknown key '" + e.key + "' in " + (path.empty() ? "the document" : path) + hint);
      d.path = p;
      continue;
    }
    if (f->credential) {
      Diagnostic& d = diags.report(DiagCode::CredentialInYaml, e.keySpan,
                                   "'" + e.key + "' in " + path + ": credentials cannot be written in YAML");
      d.path = p;
      diags.note({}, "credentials are read from environment variables only; use fromEnv");
      continue;
    }
    if (f->unsupported) {
      Diagnostic& d = diags.report(DiagCode::UnsupportedKey, e.keySpan, "'" + p + "' is not supported by ork; ignored");
      d.path = p;
      continue;  // accepted with any content
    }
    if (!f->deprecated.empty()) {
      Diagnostic& d = diags.report(DiagCode::DeprecatedShape, e.keySpan, "'" + p + "' is deprecated; " + f->deprecated);
      d.path = p;
    }
    validateShape(*e.value, *f->shape, p, diags);
  }
  for (const Field& f : s.fields) {
    if (!f.required || n.get(f.name)) continue;
    Diagnostic& d = diags.report(DiagCode::MissingField, n.span,
                                 (path.empty() ? std::string("document") : path) + ": missing required field '" +
                                     f.name + "'");
    d.path = childPath(path, f.name);
  }
}

}  // namespace

std::string shownValue(const Node& n) {
  switch (n.kind) {
    case NodeKind::String: return "\"" + (n.text.size() > 40 ? n.text.substr(0, 40) + "…" : n.text) + "\"";
    case NodeKind::List:
    case NodeKind::Map:
    case NodeKind::Null: return std::string(ir::nodeKindName(n.kind));
    case NodeKind::Bool:
    case NodeKind::Int:
    case NodeKind::Float: return n.scalarText();
  }
  return n.scalarText();
}

Field& Shape::add(std::string name, ShapeRef shape) {
  for (Field& f : fields) {
    if (f.name == name) {
      f.shape = std::move(shape);
      return f;
    }
  }
  Field f;
  f.name = std::move(name);
  f.shape = std::move(shape);
  fields.push_back(std::move(f));
  return fields.back();
}

const Field* Shape::field(std::string_view name) const {
  for (const Field& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

ShapeRef anyShape() { return std::make_shared<Shape>(); }
ShapeRef scalar(ScalarType t) {
  auto s = std::make_shared<Shape>();
  s->kind = Shape::Kind::Scalar;
  s->scalar = t;
  return s;
}
ShapeRef str() { return scalar(ScalarType::String); }
ShapeRef integer(std::optional<int64_t> min, std::optional<int64_t> max) {
  auto s = scalar(ScalarType::Int);
  s->min = min;
  s->max = max;
  return s;
}
ShapeRef number() { return scalar(ScalarType::Number); }
ShapeRef boolean() { return scalar(ScalarType::Bool); }
ShapeRef duration() { return scalar(ScalarType::Duration); }
ShapeRef date() { return scalar(ScalarType::Date); }
ShapeRef semverRange() { return scalar(ScalarType::SemverRange); }
ShapeRef enumOf(std::vector<std::string> values) {
  auto s = scalar(ScalarType::String);
  s->enumValues = std::move(values);
  return s;
}
ShapeRef listOf(ShapeRef item) {
  auto s = std::make_shared<Shape>();
  s->kind = Shape::Kind::ListOf;
  s->element = std::move(item);
  return s;
}
ShapeRef mapOf(ShapeRef value) {
  auto s = std::make_shared<Shape>();
  s->kind = Shape::Kind::MapOf;
  s->element = std::move(value);
  return s;
}
ShapeRef record() {
  auto s = std::make_shared<Shape>();
  s->kind = Shape::Kind::Record;
  return s;
}
ShapeRef oneOf(std::vector<ShapeRef> alternatives, std::string description) {
  auto s = std::make_shared<Shape>();
  s->kind = Shape::Kind::OneOf;
  s->alternatives = std::move(alternatives);
  s->description = std::move(description);
  return s;
}

ShapeRef templatedCopy(const ShapeRef& src) {
  auto s = std::make_shared<Shape>(*src);
  if (s->kind == Shape::Kind::Scalar) {
    s->templated = true;
    s->allowNumericString = true;
  }
  if (s->kind == Shape::Kind::OneOf)
    for (ShapeRef& a : s->alternatives) a = templatedCopy(a);
  return s;
}

void validateShape(const Node& n, const Shape& s, const std::string& path, DiagnosticEngine& diags) {
  switch (s.kind) {
    case Shape::Kind::Any: break;
    case Shape::Kind::Scalar:
      if (n.isNull()) break;  // an explicit null means "unset" (§9.3); required-ness is checked by the parent
      if (!n.isScalar()) {
        Diagnostic& d = diags.report(DiagCode::WrongType, n.span,
                                     path + ": expected " + describe(s) + ", got " + shownValue(n));
        d.path = path;
        return;
      }
      checkScalar(n, s, path, diags);
      break;
    case Shape::Kind::Record:
    case Shape::Kind::MapOf:
      if (n.isNull()) break;
      if (!n.isMap()) {
        Diagnostic& d = diags.report(DiagCode::WrongType, n.span,
                                     path + ": expected " + describe(s) + ", got " + shownValue(n));
        d.path = path;
        return;
      }
      if (s.kind == Shape::Kind::Record) {
        checkRecord(n, s, path, diags);
      } else {
        for (const ir::MapEntry& e : n.entries) validateShape(*e.value, *s.element, childPath(path, e.key), diags);
      }
      break;
    case Shape::Kind::ListOf:
      if (n.isNull()) break;
      if (!n.isList()) {
        Diagnostic& d = diags.report(DiagCode::WrongType, n.span,
                                     path + ": expected " + describe(s) + ", got " + shownValue(n));
        d.path = path;
        return;
      }
      for (size_t i = 0; i < n.items.size(); ++i) validateShape(*n.items[i], *s.element, indexPath(path, i), diags);
      break;
    case Shape::Kind::OneOf: {
      if (n.isNull()) break;
      for (const ShapeRef& a : s.alternatives) {
        if (kindFits(*a, n)) {
          validateShape(n, *a, path, diags);
          if (s.check) s.check(n, path, diags);
          return;
        }
      }
      Diagnostic& d = diags.report(DiagCode::WrongType, n.span, path + ": expected " + describe(s) + ", got " + shownValue(n));
      d.path = path;
      return;
    }
  }
  if (s.check) s.check(n, path, diags);
}

std::string childPath(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}

std::string indexPath(const std::string& path, size_t index) { return path + "[" + std::to_string(index) + "]"; }

bool isTemplate(const Node& n) { return n.isString() && n.text.find("{{") != std::string::npos; }

}  // namespace ork::frontend
