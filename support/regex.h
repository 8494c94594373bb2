// Regex: RE2 behind a small interface (FORMATS.md §6.1 `regex` is RE2, unanchored), so layers that
// evaluate conditions (backend/plan, the runtime) need no RE2 headers.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ork {

/// A compiled RE2 pattern. Cheap to copy (shared, immutable).
class Regex {
 public:
  /// Compiles `pattern`; on failure returns nullopt and sets `*error` (RE2's message) when given.
  static std::optional<Regex> compile(std::string_view pattern, std::string* error = nullptr);
  /// Unanchored search: true when the pattern matches anywhere in `text`.
  bool search(std::string_view text) const;
  /// Anchored at both ends.
  bool fullMatch(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  std::string pattern_;
};

}  // namespace ork
