// Parsers for the scalar forms of FORMATS.md §1: durations, dates, semver ranges, names, quantities.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ork {

/// A duration in milliseconds. Go syntax (`500ms`, `1h30m`, `1.5h`) plus `d` (24h),
/// `w` (7d), `mo` (30d) and `y` (365d). Returns nullopt on malformed text.
std::optional<int64_t> parseDurationMs(std::string_view text);
/// Canonical text: non-zero components from h to ms (`1m30s`, `36h`), `0s` for zero.
std::string formatDurationMs(int64_t ms);

/// A calendar date `YYYY-MM-DD` (validated, including month lengths and leap years).
struct Date {
  int year = 0, month = 0, day = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};
std::optional<Date> parseDate(std::string_view text);

/// A semantic version (a leading `v` ignored; missing minor/patch are 0).
struct SemVer {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string prerelease;
};
std::optional<SemVer> parseSemVer(std::string_view text);
int compareSemVer(const SemVer& a, const SemVer& b);

/// A range: OR-groups (`||`) of AND-ed comparisons (`>=1.2 <2`, `>=1.2, <2`) with
/// operators `= != > >= < <= ~ ^` (none means `=`).
struct SemVerRange {
  struct Comparison {
    std::string op;
    SemVer version;
  };
  std::vector<std::vector<Comparison>> anyOf;
};
std::optional<SemVerRange> parseSemVerRange(std::string_view text);
bool semVerSatisfies(const SemVer& v, const SemVerRange& range);

/// Lowercase RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool isRfc1123Label(std::string_view text);
/// A Kubernetes quantity (`500m`, `1Gi`, `2.5`, `1e3`).
bool isQuantity(std::string_view text);

/// Whether `text` (surrounding white space ignored) is a decimal integer with an optional sign ("42", "-7").
bool isIntegerText(std::string_view text);
/// Whether `text` (surrounding white space ignored) is a number strtod reads whole ("1.5", "1e3", "-2").
bool isNumberText(std::string_view text);

}  // namespace ork
