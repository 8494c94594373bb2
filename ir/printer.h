// Canonical text forms of the IR: a deterministic YAML-like printer of ir::Node trees, documents
// and modules (for `ork validate --print-ir-after` and golden tests), and a JSON writer.
#pragma once
#include <functional>
#include <string>

#include "ir/module.h"
#include "ir/node.h"

namespace ork {
class SourceManager;
}

namespace ork::ir {

/// How the printers annotate their output.
struct PrintOptions {
  /// When set, each value is followed by a `# file:line:col` comment naming its span
  /// (values without a span get none). Without it the output holds no locations.
  const SourceManager* sources = nullptr;
  /// When set, called for each value; a non-empty result is printed as a `  # <text>` comment
  /// after the value (instead of the location comment of `sources`); for a mapping in a list, on
  /// the line of its `-`.
  std::function<std::string(const Node&)> annotate;
};

/// A node as block YAML: mappings keep document order, lists print one `- ` item per
/// line, empty collections print `{}`/`[]`. Strings are double-quoted only when a YAML
/// reader (1.2, or 1.1 for yes/no/on/off) would not read them back as the same string.
/// Integers print in decimal, floats in shortest round-trip form (always with a `.` or an
/// exponent), null as `null`. The output ends with a newline. Deterministic: no addresses,
/// no hash order.
std::string printNode(const Node& node, const PrintOptions& options = {});

/// One scalar as printNode writes it (quoted when needed); "" for collections.
std::string formatScalar(const Node& node);

/// A document: a `# <Kind> <name> (<path>)` header, `kind`, `metadata`, then the typed
/// fields that are set (lifecycle, policy, crds, imports, inputs, referenced paths,
/// importedBy), then the normalised `body` (the whole root).
std::string printDocument(const Document& doc, const PrintOptions& options = {});

/// A CRD file's typed fields (group, names, scope, versions, schema versions).
std::string printCrdFile(const CrdFile& crd, const PrintOptions& options = {});

/// Every document (entry documents marked), then the CRD files and CR documents, each
/// introduced by a `---` line; then the composed CRDs (when merge-overrides has run); then the
/// load order.
std::string printModule(const Module& module, const PrintOptions& options = {});

/// Compact JSON of a node: keys in document order (or sorted by byte value when
/// `sortKeys`), strings escaped per RFC 8259 (UTF-8 kept, control characters as \u00XX),
/// integers in decimal, floats in shortest round-trip form; NaN and infinities become null.
std::string nodeToJson(const Node& node, bool sortKeys = false);

}  // namespace ork::ir
