// Source locations: a Span is a byte range in a buffer owned by the SourceManager.
#pragma once
#include <cstdint>

namespace ork {

/// Identifies a buffer registered with a SourceManager; 0 means "no file".
using FileId = uint32_t;

/// A half-open byte range [begin, end) in one buffer. Line and column are
/// computed only when printed, by SourceManager::lineColumn.
struct Span {
  FileId file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool valid() const { return file != 0; }
  uint32_t size() const { return end > begin ? end - begin : 0; }
  friend bool operator==(const Span&, const Span&) = default;
};

}  // namespace ork
