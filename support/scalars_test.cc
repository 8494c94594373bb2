// Tests of the FORMATS.md §1 scalar parsers: durations, dates, semver ranges, names, quantities.
#include <catch2/catch.hpp>

#include "support/scalars.h"

using namespace ork;

namespace {
constexpr int64_t kSec = 1000, kMin = 60 * kSec, kHour = 60 * kMin, kDay = 24 * kHour;
}

TEST_CASE("durations: Go syntax plus d, w, mo, y") {
  CHECK(parseDurationMs("500ms") == 500);
  CHECK(parseDurationMs("30s") == 30 * kSec);
  CHECK(parseDurationMs("5m") == 5 * kMin);
  CHECK(parseDurationMs("1h30m") == 90 * kMin);
  CHECK(parseDurationMs("1.5h") == 90 * kMin);
  CHECK(parseDurationMs("1d") == kDay);
  CHECK(parseDurationMs("2w") == 14 * kDay);
  CHECK(parseDurationMs("1mo") == 30 * kDay);
  CHECK(parseDurationMs("1y") == 365 * kDay);
  CHECK(parseDurationMs("1y2mo") == 425 * kDay);
  CHECK(parseDurationMs("0s") == 0);
  CHECK(parseDurationMs("0") == 0);
  CHECK(parseDurationMs("-1m") == -kMin);
  CHECK(parseDurationMs(" 10s ") == 10 * kSec);
  CHECK(parseDurationMs("2000us") == 2);
  CHECK(parseDurationMs("2000µs") == 2);  // U+00B5, as Go accepts
  CHECK(parseDurationMs("2000μs") == 2);  // U+03BC
  CHECK(parseDurationMs("3000000ns") == 3);
}

TEST_CASE("malformed durations are rejected") {
  for (const char* bad : {"", "5", "s", "abc", "1x", "1.2.3s", "1h 30m", "1S", "1H", ".s", "-", "1e3s", "1m-30s",
                          "ms5", "10 s"}) {
    INFO(bad);
    CHECK_FALSE(parseDurationMs(bad).has_value());
  }
}

TEST_CASE("huge durations are rejected without throwing") {
  CHECK_FALSE(parseDurationMs("99999999999999999999y").has_value());
  CHECK_FALSE(parseDurationMs(std::string(400, '9') + "s").has_value());
}

TEST_CASE("canonical duration form lists non-zero components from h to ms") {
  CHECK(formatDurationMs(0) == "0s");
  CHECK(formatDurationMs(90 * kSec) == "1m30s");
  CHECK(formatDurationMs(500) == "500ms");
  CHECK(formatDurationMs(kHour + 500) == "1h500ms");
  CHECK(formatDurationMs(kDay) == "24h");
  CHECK(formatDurationMs(*parseDurationMs("1h30m")) == "1h30m");
  CHECK(formatDurationMs(*parseDurationMs("90s")) == "1m30s");
  CHECK(formatDurationMs(-5 * kMin) == "-5m");
}

TEST_CASE("dates are YYYY-MM-DD with real month lengths and leap years") {
  auto d = parseDate("2026-01-31");
  REQUIRE(d);
  CHECK(d->year == 2026);
  CHECK(d->month == 1);
  CHECK(d->day == 31);
  CHECK(parseDate("2024-02-29"));  // divisible by 4
  CHECK(parseDate("2000-02-29"));  // divisible by 400
  CHECK_FALSE(parseDate("2023-02-29"));
  CHECK_FALSE(parseDate("1900-02-29"));  // divisible by 100, not by 400
  CHECK_FALSE(parseDate("2024-04-31"));
  CHECK_FALSE(parseDate("2024-13-01"));
  CHECK_FALSE(parseDate("2024-00-10"));
  CHECK_FALSE(parseDate("2024-01-00"));
  CHECK_FALSE(parseDate("2024-1-01"));
  CHECK_FALSE(parseDate("20240101"));
  CHECK_FALSE(parseDate("2024/01/01"));
  CHECK_FALSE(parseDate("2024-01-01T00:00:00Z"));
  CHECK(*parseDate("2026-01-01") < *parseDate("2026-09-30"));
}

TEST_CASE("semantic versions ignore a leading v and default missing parts to 0") {
  auto v = parseSemVer("v1.2.3");
  REQUIRE(v);
  CHECK(v->major == 1);
  CHECK(v->minor == 2);
  CHECK(v->patch == 3);
  CHECK(compareSemVer(*parseSemVer("1.2"), *parseSemVer("1.2.0")) == 0);
  CHECK(compareSemVer(*parseSemVer("1.10.0"), *parseSemVer("1.9.0")) > 0);
  CHECK(compareSemVer(*parseSemVer("1.0.0-rc.1"), *parseSemVer("1.0.0")) < 0);
  CHECK(compareSemVer(*parseSemVer("1.0.0-rc.2"), *parseSemVer("1.0.0-rc.10")) < 0);  // numeric identifiers
  CHECK(compareSemVer(*parseSemVer("1.0.0-alpha"), *parseSemVer("1.0.0-alpha.1")) < 0);
  CHECK(compareSemVer(*parseSemVer("1.0.0-alpha.beta"), *parseSemVer("1.0.0-alpha.1")) > 0);
  CHECK(compareSemVer(*parseSemVer("1.0.0+build.5"), *parseSemVer("1.0.0")) == 0);
  CHECK_FALSE(parseSemVer(""));
  CHECK_FALSE(parseSemVer("1.2.3.4"));
  CHECK_FALSE(parseSemVer("one"));
  CHECK_FALSE(parseSemVer("1..2"));
}

namespace {
bool satisfies(const char* version, const char* range) {
  auto v = parseSemVer(version);
  auto r = parseSemVerRange(range);
  REQUIRE(v);
  REQUIRE(r);
  return semVerSatisfies(*v, *r);
}
}  // namespace

TEST_CASE("semver ranges: comparison operators joined by space and comma (AND)") {
  CHECK(satisfies("1.5.0", ">= 1.2.0 < 2"));
  CHECK(satisfies("1.5.0", ">=1.2.0, <2"));
  CHECK(satisfies("1.5.0", ">=1.2.0,<2"));
  CHECK_FALSE(satisfies("2.0.0", ">= 1.2.0 < 2"));
  CHECK_FALSE(satisfies("1.1.9", ">=1.2.0, <2"));
  CHECK(satisfies("0.7.0", ">= 0.7.0"));
  CHECK(satisfies("1.2.3", "1.2.3"));
  CHECK(satisfies("1.2.3", "=1.2.3"));
  CHECK_FALSE(satisfies("1.2.4", "1.2.3"));
  CHECK(satisfies("1.2.4", "!=1.2.3"));
  CHECK(satisfies("1.2.4", ">1.2.3"));
  CHECK(satisfies("1.2.3", "<=1.2.3"));
  CHECK(satisfies("1.9.9", "<2.0.0"));
}

TEST_CASE("semver ranges: || (OR), ^, ~ and a leading v") {
  CHECK(satisfies("0.9.0", "<1.0.0 || >=2.0.0"));
  CHECK(satisfies("2.1.0", "<1.0.0 || >=2.0.0"));
  CHECK_FALSE(satisfies("1.5.0", "<1.0.0 || >=2.0.0"));
  CHECK(satisfies("1.9.0", "^1.2.3"));
  CHECK_FALSE(satisfies("2.0.0", "^1.2.3"));
  CHECK_FALSE(satisfies("1.2.2", "^1.2.3"));
  CHECK(satisfies("0.2.9", "^0.2.3"));  // ^ on a 0.x version keeps the minor
  CHECK_FALSE(satisfies("0.3.0", "^0.2.3"));
  CHECK(satisfies("1.2.9", "~1.2.3"));
  CHECK_FALSE(satisfies("1.3.0", "~1.2.3"));
  CHECK(satisfies("v1.2.0", ">= v1.2.0"));
  CHECK(satisfies("1.2.0", "v1.2.0"));
  CHECK(satisfies("v2.0.0", ">=v1.0.0 <v3"));
}

TEST_CASE("malformed semver ranges are rejected") {
  for (const char* bad : {"", "||", ">=", ">= ", "=> 1.0", "1.0 ||", "|| 1.0", "abc", ">=1.0 <", ">> 1.0",
                          ">= >= 1.0", "1.2.3.4"}) {
    INFO(bad);
    CHECK_FALSE(parseSemVerRange(bad).has_value());
  }
}

TEST_CASE("RFC 1123 labels") {
  CHECK(isRfc1123Label("webapp"));
  CHECK(isRfc1123Label("a"));
  CHECK(isRfc1123Label("web-app-2"));
  CHECK(isRfc1123Label(std::string(63, 'a')));
  CHECK_FALSE(isRfc1123Label(std::string(64, 'a')));
  CHECK_FALSE(isRfc1123Label(""));
  CHECK_FALSE(isRfc1123Label("-web"));
  CHECK_FALSE(isRfc1123Label("web-"));
  CHECK_FALSE(isRfc1123Label("WebApp"));
  CHECK_FALSE(isRfc1123Label("web_app"));
  CHECK_FALSE(isRfc1123Label("web.app"));
}

TEST_CASE("Kubernetes quantities") {
  for (const char* ok : {"500m", "1Gi", "2.5", "1e3", "1.5Gi", "10Mi", "100", "0", "1E6", "+1k", ".5"}) {
    INFO(ok);
    CHECK(isQuantity(ok));
  }
  for (const char* bad : {"", "1GB", "abc", "1e", "Gi", "1 Gi", "1.2.3", "1e+"}) {
    INFO(bad);
    CHECK_FALSE(isQuantity(bad));
  }
}

TEST_CASE("isIntegerText and isNumberText read numeric strings (white space around ignored)") {
  CHECK(isIntegerText("42"));
  CHECK(isIntegerText(" -7 "));
  CHECK(isIntegerText("+3"));
  CHECK_FALSE(isIntegerText("-"));
  CHECK_FALSE(isIntegerText("1.5"));
  CHECK_FALSE(isIntegerText(""));
  CHECK(isNumberText("1.5"));
  CHECK(isNumberText("1e3"));
  CHECK(isNumberText(" -2 "));
  CHECK_FALSE(isNumberText("1.5x"));
  CHECK_FALSE(isNumberText(" "));
}
