// ir::Node: the span-carrying value tree every document is read into (YAML 1.2 core schema).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/span.h"

namespace ork::tmpl {
struct Template;
}

namespace ork::ir {

enum class NodeKind { Null, Bool, Int, Float, String, List, Map };

std::string_view nodeKindName(NodeKind k);

struct Node;
using NodePtr = std::unique_ptr<Node>;

/// A key of a mapping with its own span, and its value.
struct MapEntry {
  std::string key;
  Span keySpan;
  NodePtr value;
};

/// One value with the span it came from. Scalars keep the text as written
/// (`text`), plus the typed value the core schema resolved. A node made by a pass
/// (normalisation, merge) keeps the span of the source it was made from.
struct Node {
  NodeKind kind = NodeKind::Null;
  Span span;
  std::string text;      // scalar text as written (after YAML unescaping)
  bool quoted = false;   // scalar was quoted or a block scalar (never resolved as non-string)
  bool boolValue = false;
  int64_t intValue = 0;
  double floatValue = 0;
  std::vector<NodePtr> items;     // List
  std::vector<MapEntry> entries;  // Map, in document order
  /// A string holding `{{`: its parsed template (FORMATS.md §7.4: parsed once, at validate time, by
  /// the parse-templates pass; motif expansion substitutes `.inputs.X` in it). Null until parsed.
  /// The text stays as written; consumers use `parsed` when set. After motif expansion `parsed` may be
  /// the substituted template: its offsets still point into `text`, its `source` is what it now reads.
  std::shared_ptr<const tmpl::Template> parsed;

  static NodePtr makeNull(Span span = {});
  static NodePtr makeString(std::string text, Span span = {});
  static NodePtr makeInt(int64_t v, Span span = {});
  static NodePtr makeBool(bool v, Span span = {});
  static NodePtr makeMap(Span span = {});
  static NodePtr makeList(Span span = {});

  bool isNull() const { return kind == NodeKind::Null; }
  bool isMap() const { return kind == NodeKind::Map; }
  bool isList() const { return kind == NodeKind::List; }
  bool isString() const { return kind == NodeKind::String; }
  bool isScalar() const { return kind != NodeKind::List && kind != NodeKind::Map; }

  /// Value of a map key (nullptr when absent or not a map).
  const Node* get(std::string_view key) const;
  Node* get(std::string_view key);
  const MapEntry* entry(std::string_view key) const;
  /// Sets (replacing) or appends a key; returns the stored value.
  Node* set(std::string key, NodePtr value, Span keySpan = {});
  /// Removes a key; returns the removed entry's value (nullptr when absent).
  NodePtr take(std::string_view key);
  /// Follows a dotted path of map keys ("reconcile.queue.maxDepth").
  const Node* at(std::string_view dottedPath) const;

  /// Scalar as text: strings as is, numbers and booleans as written, null as "".
  std::string scalarText() const;
  /// Deep copy (spans kept).
  NodePtr clone() const;
  /// Number of nodes in this subtree.
  size_t countNodes() const;
};

/// Structural equality ignoring spans (strings compare by text; 1 == 1.0 is false).
bool deepEqual(const Node& a, const Node& b);

/// Deep merge of `over` onto `base` following FORMATS.md §9.3: scalars replace,
/// maps merge key by key, lists replace, an explicit null removes the key (a null inside a
/// map that `base` lacks is dropped). Merged values keep their spans, and replaced keys take
/// the key span of `over`, so every value's span is its origin.
/// `unionLists` names the dotted paths, relative to `base`, whose lists union instead (base
/// order, then new items not already present): "operatorBox.runtime.finalizers" unions that
/// list only, not a `finalizers` key elsewhere.
void deepMerge(Node& base, const Node& over, const std::vector<std::string>& unionLists = {});

}  // namespace ork::ir
