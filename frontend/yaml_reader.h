// YAML reader: turns a buffer into ir::Node trees with spans, reporting YAML problems as coded diagnostics.
#pragma once
#include <vector>

#include "ir/node.h"
#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork::frontend {

/// Limits that keep hostile input bounded.
constexpr int kMaxYamlDepth = 200;
constexpr size_t kMaxYamlNodes = 1'000'000;

/// One YAML document of a stream.
struct YamlDocument {
  ir::NodePtr root;
  Span start;  // where the document begins (its `---` or first token)
  int index = 0;  // 0-based position among the file's non-empty documents
};

/// Parses every document of a registered buffer with the YAML 1.2 core schema
/// (`yes`/`on` stay strings). Anchors and aliases are expanded (bounded by
/// kMaxYamlNodes), `<<` merge keys applied, duplicate keys and custom tags
/// reported. Empty documents are skipped. Binary input (NUL bytes, invalid UTF-8)
/// is refused before parsing. On a syntax error the documents parsed before it are
/// returned and the error is reported at the parser's position.
std::vector<YamlDocument> readYaml(const SourceManager& sm, FileId file, DiagnosticEngine& diags);

/// Checks that a buffer is text: no NUL byte, valid UTF-8. Reports BinaryFile and
/// returns false otherwise.
bool checkTextInput(const SourceManager& sm, FileId file, DiagnosticEngine& diags);

}  // namespace ork::frontend
