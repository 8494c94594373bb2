// Helpers of the YAML reader that do not depend on libyaml: mapping its character-counted marks to byte
// offsets, and turning its terse error texts ("did not find expected key") into ORK1001 messages that say
// what to do.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork::frontend {

/// libyaml counts a mark's index in characters (code points) after a leading UTF-8 byte order mark; spans
/// count bytes. Maps one to the other, in O(1) for ASCII text and by walking from the last answer otherwise
/// (events arrive in source order, so the walk is linear over a whole file).
class MarkMap {
 public:
  explicit MarkMap(std::string_view text);
  /// Byte offset of the character at `index` (the end of the text when `index` is past it).
  uint32_t byteOffset(size_t index);

 private:
  std::string_view text_;
  uint32_t bom_ = 0;
  bool ascii_ = true;
  size_t cursorIndex_ = 0;   // a character index …
  uint32_t cursorByte_ = 0;  // … and its byte offset
};

/// What libyaml reported when it stopped, with marks already mapped to byte offsets.
struct YamlParseError {
  enum class Stage { Reader, Scanner, Parser, Memory };
  Stage stage = Stage::Parser;
  std::string problem;  // libyaml's problem text, e.g. "did not find expected key"
  std::string context;  // libyaml's context text, e.g. "while parsing a block mapping" (may be empty)
  uint32_t problemPos = 0;
  std::optional<uint32_t> contextPos;
  int problemValue = -1;  // reader errors: the offending code point
};

/// Reports a YAML syntax error as ORK1001 (an empty mapping key as ORK1009) at the most useful place: the
/// opening quote of an unclosed string, the tab of a tab-indented line, otherwise libyaml's problem mark.
void reportYamlError(const SourceManager& sm, FileId file, const YamlParseError& error,
                     DiagnosticEngine& diags);

}  // namespace ork::frontend
