// SourceManager: owns every buffer ork reads and maps byte offsets to lines and columns.
#pragma once
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/span.h"

namespace ork {

/// 1-based line and column of a position (column counts bytes, tabs as one).
struct LineColumn {
  uint32_t line = 0;
  uint32_t column = 0;
};

/// Owns source buffers for the whole run. Buffers never move once added, so
/// string_views into them stay valid for the SourceManager's lifetime.
class SourceManager {
 public:
  /// Registers a buffer under a display name (as the user wrote the path,
  /// or "<stdin>", or "registry:…" for a fetched file). Returns its id.
  FileId addBuffer(std::string name, std::string contents);

  /// Returns the id of an already-registered buffer with this name, if any.
  std::optional<FileId> find(std::string_view name) const;

  std::string_view name(FileId id) const;
  std::string_view contents(FileId id) const;
  /// Text of a span (empty for an invalid span).
  std::string_view text(Span span) const;

  /// 1-based line/column of a byte offset in a buffer.
  LineColumn lineColumn(FileId id, uint32_t offset) const;
  /// The text of a 1-based line without its newline.
  std::string_view lineText(FileId id, uint32_t line) const;
  /// Byte offset of a 1-based line and column (clamped to the buffer).
  uint32_t offsetOf(FileId id, uint32_t line, uint32_t column) const;
  /// `file:line:col` of the span's beginning ("<unknown>" when invalid).
  std::string location(Span span) const;

  size_t bufferCount() const { return buffers_.size(); }

 private:
  struct Buffer {
    std::string name;
    std::string contents;
    std::vector<uint32_t> lineStarts;  // offsets of each line's first byte
  };
  const Buffer* buffer(FileId id) const;
  std::deque<Buffer> buffers_;
};

}  // namespace ork
