// UTC calendar time from Unix seconds and a 5-field cron schedule ("m h dom mon dow": `*`, lists,
// ranges, steps, month and day names), for the time conditions of FORMATS.md §6.1.
#pragma once
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ork::plan {

/// A UTC calendar time.
struct CivilTime {
  int year = 1970, month = 1, day = 1;  // month 1–12, day 1–31
  int hour = 0, minute = 0, second = 0;
  int weekday = 4;  // 0 = Sunday
};

/// The UTC calendar time of `unixSeconds` (negative values count back from 1970).
CivilTime civilTime(int64_t unixSeconds);

/// A parsed cron schedule (minute hour day-of-month month day-of-week; day-of-week 0 and 7 are
/// Sunday). As in Vixie cron, when both day fields are restricted a day matching either fires.
class CronSchedule {
 public:
  /// Parses `expr`; nullopt with `*error` set (when given) on a malformed expression.
  static std::optional<CronSchedule> parse(std::string_view expr, std::string* error = nullptr);
  /// Whether the schedule fires in the minute starting at `t` (Unix seconds, any second of it).
  bool matches(const CivilTime& t) const;
  /// Whether it fired at a minute T with T <= now < T + durationSeconds (durations over a year
  /// look back one year).
  bool firedWithin(int64_t nowUnixSeconds, int64_t durationSeconds) const;

 private:
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;
  std::bitset<13> months_;
  std::bitset<8> weekdays_;
  bool daysStar_ = false, weekdaysStar_ = false;
};

}  // namespace ork::plan
