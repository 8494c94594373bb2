// String helpers shared by every layer: did-you-mean suggestions, joining, quoting.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ork {

/// Optimal-string-alignment Damerau–Levenshtein distance (transpositions count 1).
size_t editDistance(std::string_view a, std::string_view b);

/// The candidate a user most likely meant: a case-insensitive equal first, else the
/// nearest by editDistance when it is at most `maxDistance` (ties: first in order).
std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates,
                                   size_t maxDistance = 2);

/// " (did you mean 'x'?)" or "" — the suffix ork appends to unknown-name messages.
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates,
                       char quote = '\'');

std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::vector<std::string> split(std::string_view s, char sep);
std::string_view trim(std::string_view s);
std::string toLower(std::string_view s);
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);

}  // namespace ork
