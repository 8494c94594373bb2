// Calendar arithmetic (days from civil, after H. Hinnant) and the 5-field cron matcher (see cron.h).
#include "backend/plan/cron.h"

#include <algorithm>
#include <vector>

#include "backend/plan/scalar_text.h"
#include "support/strings.h"

namespace ork::plan {
namespace {

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// One field's allowed values as a list of booleans over [lo, hi].
struct FieldSpec {
  const char* name;
  int lo, hi;
  const char* const* names;  // 3-letter names for lo.. (months from 1, days from 0), or null
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::optional<int> valueOf(std::string_view t, const FieldSpec& f) {
  if (f.names) {
    std::string lower = toLower(t);
    int count = f.hi - f.lo + 1 - (f.names == kDayNames ? 1 : 0);  // day 7 has no name
    for (int i = 0; i < count; ++i)
      if (lower == f.names[i]) return f.lo + i;
  }
  std::optional<int64_t> v = parseIntText(t);
  if (!v || t[0] == '-' || t[0] == '+' || *v < f.lo || *v > f.hi) return std::nullopt;
  return static_cast<int>(*v);
}

/// Parses one field into `out` (indices lo..hi); `star` is set when the field is `*` (or `*/1`).
bool parseField(std::string_view text, const FieldSpec& f, std::vector<bool>& out, bool& star,
                std::string* error) {
  out.assign(f.hi + 1, false);
  star = text == "*" || text == "*/1";
  auto fail = [&](const std::string& what) {
    if (error) *error = std::string(f.name) + " field \"" + std::string(text) + "\": " + what;
    return false;
  };
  for (const std::string& item : split(text, ',')) {
    std::string_view range = item;
    int step = 1;
    if (size_t slash = range.find('/'); slash != std::string_view::npos) {
      std::optional<int64_t> s = parseIntText(range.substr(slash + 1));
      if (!s || *s < 1 || *s > f.hi) return fail("invalid step");
      step = static_cast<int>(*s);
      range = range.substr(0, slash);
    }
    int lo = f.lo, hi = f.hi;
    if (range != "*") {
      size_t dash = range.find('-');
      std::optional<int> a = valueOf(range.substr(0, dash), f);
      if (!a) return fail("invalid value");
      lo = hi = *a;
      if (dash != std::string_view::npos) {
        std::optional<int> b = valueOf(range.substr(dash + 1), f);
        if (!b || *b < *a) return fail("invalid range");
        hi = *b;
      } else if (step != 1 || item.find('/') != std::string::npos) {
        hi = f.hi;  // "a/s": from a to the end
      }
    }
    for (int v = lo; v <= hi; v += step) out[v] = true;
  }
  return true;
}

template <size_t N>
void toBits(const std::vector<bool>& v, std::bitset<N>& bits) {
  for (size_t i = 0; i < v.size() && i < N; ++i) bits[i] = v[i];
}

}  // namespace

CivilTime civilTime(int64_t unixSeconds) {
  CivilTime t;
  int64_t days = floorDiv(unixSeconds, 86400);
  int64_t secs = unixSeconds - days * 86400;
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs % 3600 / 60);
  t.second = static_cast<int>(secs % 60);
  t.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  int64_t z = days + 719468;
  int64_t era = floorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2 ? 1 : 0));
  return t;
}

std::optional<CronSchedule> CronSchedule::parse(std::string_view expr, std::string* error) {
  std::vector<std::string> fields;
  for (const std::string& f : split(trim(expr), ' '))
    if (!trim(f).empty()) fields.emplace_back(trim(f));
  if (fields.size() != 5) {
    if (error)
      *error = "expected 5 fields (minute hour day-of-month month day-of-week), got " +
               std::to_string(fields.size());
    return std::nullopt;
  }
  static const FieldSpec kSpecs[5] = {{"minute", 0, 59, nullptr},
                                      {"hour", 0, 23, nullptr},
                                      {"day-of-month", 1, 31, nullptr},
                                      {"month", 1, 12, kMonthNames},
                                      {"day-of-week", 0, 7, kDayNames}};
  CronSchedule s;
  std::vector<bool> v;
  bool star = false;
  if (!parseField(fields[0], kSpecs[0], v, star, error)) return std::nullopt;
  toBits(v, s.minutes_);
  if (!parseField(fields[1], kSpecs[1], v, star, error)) return std::nullopt;
  toBits(v, s.hours_);
  if (!parseField(fields[2], kSpecs[2], v, s.daysStar_, error)) return std::nullopt;
  toBits(v, s.days_);
  if (!parseField(fields[3], kSpecs[3], v, star, error)) return std::nullopt;
  toBits(v, s.months_);
  if (!parseField(fields[4], kSpecs[4], v, s.weekdaysStar_, error)) return std::nullopt;
  if (v[7]) v[0] = true;  // 7 is Sunday too
  toBits(v, s.weekdays_);
  return s;
}

bool CronSchedule::matches(const CivilTime& t) const {
  if (!minutes_[t.minute] || !hours_[t.hour] || !months_[t.month]) return false;
  bool dom = days_[t.day], dow = weekdays_[t.weekday];
  if (daysStar_ || weekdaysStar_) return dom && dow;
  return dom || dow;
}

bool CronSchedule::firedWithin(int64_t now, int64_t durationSeconds) const {
  durationSeconds = std::min<int64_t>(durationSeconds, 366LL * 86400);
  for (int64_t t = floorDiv(now, 60) * 60; t > now - durationSeconds; t -= 60)
    if (matches(civilTime(t))) return true;
  return false;
}

}  // namespace ork::plan
