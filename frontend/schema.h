// Shapes: a small declarative description of every closed key set of FORMATS.md, and the
// validator that checks an ir::Node tree against one (unknown keys, types, required fields).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/node.h"
#include "support/diagnostics.h"

namespace ork::frontend {

struct Shape;
using ShapeRef = std::shared_ptr<Shape>;

/// Scalar kinds a field may hold.
enum class ScalarType {
  Any,          // any scalar
  String,       // any scalar, read as text (numbers and booleans are accepted as text)
  Int,          // integer literal
  Number,       // integer or float literal
  Bool,         // true/false
  Duration,     // Go duration plus d/w/mo/y (FORMATS.md §1)
  Date,         // YYYY-MM-DD
  SemverRange,  // = != > >= < <= ~ ^, joined by space, ',' and '||'
  Quantity,     // Kubernetes quantity
  IntOrString,  // an integer or a string
  Name,         // lowercase RFC 1123 label
};

/// One key of a record shape.
struct Field {
  std::string name;
  ShapeRef shape;
  bool required = false;
  bool unsupported = false;  // FORMATS.md §1.1: warn "'<path>' is not supported by ork; ignored"
  bool credential = false;   // token/password: error with the fromEnv note
  std::string deprecated;    // non-empty: warn with this text ("use X instead")
  /// Common misspellings (compared case-insensitively) that suggest this field even when the
  /// edit distance is large (`pvcs` → `persistentVolumeClaims`).
  std::vector<std::string> misspellings;

  Field& req() { required = true; return *this; }
};

/// How a mapping/list/scalar is checked. Build shapes with the helpers below.
struct Shape {
  enum class Kind { Any, Scalar, Record, MapOf, ListOf, OneOf };
  Kind kind = Kind::Any;
  ScalarType scalar = ScalarType::Any;
  bool templated = false;            // a string holding "{{" passes any scalar check
  bool allowNumericString = false;   // "5432" passes Int/Number (resource fields, §5.3)
  std::vector<std::string> enumValues;  // scalars: allowed texts (case-sensitive)
  std::optional<int64_t> min, max;      // Int: inclusive range
  std::vector<Field> fields;            // Record
  ShapeRef element;                     // MapOf values / ListOf items
  std::vector<ShapeRef> alternatives;   // OneOf: first whose node kind fits is used
  std::string description;              // for messages: "a list of strings"
  /// Extra check run after the structural one (cross-field rules of one mapping).
  std::function<void(const ir::Node&, const std::string& path, DiagnosticEngine&)> check;

  /// Adds or replaces a field; returns it for chaining flags.
  Field& add(std::string name, ShapeRef shape);
  const Field* field(std::string_view name) const;
};

// ── builders ────────────────────────────────────────────────────────────────
ShapeRef anyShape();
ShapeRef scalar(ScalarType t);
ShapeRef str();
ShapeRef integer(std::optional<int64_t> min = std::nullopt, std::optional<int64_t> max = std::nullopt);
ShapeRef number();
ShapeRef boolean();
ShapeRef duration();
ShapeRef date();
ShapeRef semverRange();
ShapeRef enumOf(std::vector<std::string> values);
ShapeRef listOf(ShapeRef item);
ShapeRef mapOf(ShapeRef value);
ShapeRef record();
ShapeRef oneOf(std::vector<ShapeRef> alternatives, std::string description);
/// A copy of `s` (and of nested scalar shapes) that accepts templates and numeric
/// strings: the typing of resource-entry fields (FORMATS.md §5.3).
ShapeRef templatedCopy(const ShapeRef& s);

/// Context of one validation run.
struct SchemaContext {
  DiagnosticEngine& diags;
};

/// Checks `node` against `shape`. `path` is the data path of the node
/// (`spec.crds.webapp.operatorBox`). Reports UnknownKey (at the key, with a
/// did-you-mean), WrongType and InvalidValue (at the value), MissingField (at the
/// mapping), UnsupportedKey and DeprecatedShape warnings. Never throws.
void validateShape(const ir::Node& node, const Shape& shape, const std::string& path, DiagnosticEngine& diags);

/// "spec.crds.webapp" + "workers" → "spec.crds.webapp.workers"; index → "[3]".
std::string childPath(const std::string& path, std::string_view key);
std::string indexPath(const std::string& path, size_t index);

/// A value as messages show it: a string quoted (cut at 40 bytes with …), another scalar as written, a
/// list, map or null by its kind name.
std::string shownValue(const ir::Node& n);

/// True when a string scalar holds a template action.
bool isTemplate(const ir::Node& n);

}  // namespace ork::frontend
