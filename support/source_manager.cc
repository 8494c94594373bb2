// SourceManager implementation: line tables are computed once when a buffer is added.
#include "support/source_manager.h"

#include <algorithm>

namespace ork {

FileId SourceManager::addBuffer(std::string name, std::string contents) {
  Buffer b;
  b.name = std::move(name);
  b.contents = std::move(contents);
  b.lineStarts.push_back(0);
  // A line break is `\n`, `\r\n` or a lone `\r` (old Mac files), as libyaml counts lines.
  for (uint32_t i = 0; i < b.contents.size(); ++i) {
    char c = b.contents[i];
    bool lf = c == '\n';
    bool loneCr = c == '\r' && (i + 1 == b.contents.size() || b.contents[i + 1] != '\n');
    if (lf || loneCr) b.lineStarts.push_back(i + 1);
  }
  buffers_.push_back(std::move(b));
  return static_cast<FileId>(buffers_.size());
}

std::optional<FileId> SourceManager::find(std::string_view name) const {
  for (size_t i = 0; i < buffers_.size(); ++i)
    if (buffers_[i].name == name) return static_cast<FileId>(i + 1);
  return std::nullopt;
}

const SourceManager::Buffer* SourceManager::buffer(FileId id) const {
  if (id == 0 || id > buffers_.size()) return nullptr;
  return &buffers_[id - 1];
}

std::string_view SourceManager::name(FileId id) const {
  const Buffer* b = buffer(id);
  return b ? std::string_view(b->name) : std::string_view("<unknown>");
}

std::string_view SourceManager::contents(FileId id) const {
  const Buffer* b = buffer(id);
  return b ? std::string_view(b->contents) : std::string_view();
}

std::string_view SourceManager::text(Span span) const {
  std::string_view c = contents(span.file);
  if (span.begin >= c.size()) return {};
  return c.substr(span.begin, std::min<size_t>(span.size(), c.size() - span.begin));
}

LineColumn SourceManager::lineColumn(FileId id, uint32_t offset) const {
  const Buffer* b = buffer(id);
  if (!b) return {};
  auto it = std::upper_bound(b->lineStarts.begin(), b->lineStarts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - b->lineStarts.begin());
  return {line, offset - b->lineStarts[line - 1] + 1};
}

std::string_view SourceManager::lineText(FileId id, uint32_t line) const {
  const Buffer* b = buffer(id);
  if (!b || line == 0 || line > b->lineStarts.size()) return {};
  uint32_t start = b->lineStarts[line - 1];
  uint32_t end = line < b->lineStarts.size() ? b->lineStarts[line] - 1
                                             : static_cast<uint32_t>(b->contents.size());
  std::string_view s(b->contents.data() + start, end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

uint32_t SourceManager::offsetOf(FileId id, uint32_t line, uint32_t column) const {
  const Buffer* b = buffer(id);
  if (!b || b->lineStarts.empty()) return 0;
  line = std::clamp<uint32_t>(line, 1, static_cast<uint32_t>(b->lineStarts.size()));
  uint32_t off = b->lineStarts[line - 1] + (column > 0 ? column - 1 : 0);
  return std::min<uint32_t>(off, static_cast<uint32_t>(b->contents.size()));
}

std::string SourceManager::location(Span span) const {
  if (!span.valid()) return "<unknown>";
  LineColumn lc = lineColumn(span.file, span.begin);
  return std::string(name(span.file)) + ":" + std::to_string(lc.line) + ":" +
         std::to_string(lc.column);
}

}  // namespace ork
