// Scalar parsers. Durations follow Go's time.ParseDuration, extended with d/w/mo/y.
#include "support/scalars.h"

#include <cctype>
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "support/strings.h"

namespace ork {

std::optional<int64_t> parseDurationMs(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  double total = 0;
  size_t i = 0;
  if (s.empty()) return std::nullopt;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    std::string num(s.substr(start, i - start));
    if (num == "." || std::count(num.begin(), num.end(), '.') > 1) return std::nullopt;
    // strtod, not stod: a 400-digit number must fail the range check below, not throw.
    double value = std::strtod(num.c_str(), nullptr);
    size_t ustart = i;
    // Unit bytes: letters, and the UTF-8 bytes of 'µ' (U+00B5) and 'μ' (U+03BC).
    while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || static_cast<unsigned char>(s[i]) >= 0x80)) ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    double factor;
    if (unit == "ns") factor = 1e-6;
    else if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") factor = 1e-3;
    else if (unit == "ms") factor = 1;
    else if (unit == "s") factor = 1000;
    else if (unit == "m") factor = 60e3;
    else if (unit == "h") factor = 3600e3;
    else if (unit == "d") factor = 86400e3;
    else if (unit == "w") factor = 7 * 86400e3;
    else if (unit == "mo") factor = 30 * 86400e3;
    else if (unit == "y") factor = 365 * 86400e3;
    else return std::nullopt;
    total += value * factor;
    if (!(total <= 9.2e15)) return std::nullopt;  // also rejects inf and nan
  }
  int64_t ms = static_cast<int64_t>(std::llround(total));
  return neg ? -ms : ms;
}

std::string formatDurationMs(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  int64_t h = ms / 3600000, m = (ms / 60000) % 60, sec = (ms / 1000) % 60, rest = ms % 1000;
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (sec) out += std::to_string(sec) + "s";
  if (rest) out += std::to_string(rest) + "ms";
  return out;
}

std::optional<Date> parseDate(std::string_view s) {
  s = trim(s);
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  Date d{std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(5, 2))),
         std::stoi(std::string(s.substr(8, 2)))};
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int days = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  if (d.day > days) return std::nullopt;
  return d;
}

std::optional<SemVer> parseSemVer(std::string_view s) {
  s = trim(s);
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  SemVer v;
  size_t dash = s.find_first_of("-+");
  if (dash != std::string_view::npos) {
    if (s[dash] == '-') v.prerelease = std::string(s.substr(dash + 1));
    size_t plus = v.prerelease.find('+');
    if (plus != std::string::npos) v.prerelease.resize(plus);
    s = s.substr(0, dash);
  }
  std::vector<std::string> parts = split(s, '.');
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  uint64_t* fields[] = {&v.major, &v.minor, &v.patch};
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p.empty() || p.size() > 18) return std::nullopt;
    for (char c : p)
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    *fields[i] = std::stoull(p);
  }
  return v;
}

int compareSemVer(const SemVer& a, const SemVer& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  if (a.prerelease == b.prerelease) return 0;
  if (a.prerelease.empty()) return 1;  // a release sorts after its pre-releases
  if (b.prerelease.empty()) return -1;
  // SemVer §11: dot-separated identifiers; numeric ones compare numerically and sort
  // before alphanumeric ones; a shorter list of equal identifiers sorts first.
  std::vector<std::string> pa = split(a.prerelease, '.'), pb = split(b.prerelease, '.');
  auto numeric = [](const std::string& x) {
    return !x.empty() && std::all_of(x.begin(), x.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (size_t i = 0; i < pa.size() && i < pb.size(); ++i) {
    if (pa[i] == pb[i]) continue;
    bool na = numeric(pa[i]), nb = numeric(pb[i]);
    if (na && nb) {
      if (pa[i].size() != pb[i].size()) return pa[i].size() < pb[i].size() ? -1 : 1;
      return pa[i] < pb[i] ? -1 : 1;
    }
    if (na != nb) return na ? -1 : 1;
    return pa[i] < pb[i] ? -1 : 1;
  }
  if (pa.size() == pb.size()) return 0;
  return pa.size() < pb.size() ? -1 : 1;
}

std::optional<SemVerRange> parseSemVerRange(std::string_view text) {
  SemVerRange r;
  std::string t(text);
  size_t pos = 0;
  while (true) {
    size_t bar = t.find("||", pos);
    std::string group = t.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos);
    for (char& c : group)
      if (c == ',') c = ' ';
    std::vector<SemVerRange::Comparison> cmps;
    std::string pendingOp;
    for (const std::string& rawTok : split(group, ' ')) {
      std::string_view tok = trim(rawTok);
      if (tok.empty()) continue;
      size_t k = 0;
      while (k < tok.size() && std::string_view("=!<>~^").find(tok[k]) != std::string_view::npos) ++k;
      std::string op = std::string(tok.substr(0, k));
      std::string_view ver = tok.substr(k);
      if (ver.empty()) {  // ">= 1.2": operator and version separated by a space
        if (!pendingOp.empty() || op.empty()) return std::nullopt;
        pendingOp = op;
        continue;
      }
      if (!pendingOp.empty()) {
        if (!op.empty()) return std::nullopt;
        op = pendingOp;
        pendingOp.clear();
      }
      if (op.empty()) op = "=";
      if (op != "=" && op != "!=" && op != ">" && op != ">=" && op != "<" && op != "<=" && op != "~" &&
          op != "^")
        return std::nullopt;
      auto v = parseSemVer(ver);
      if (!v) return std::nullopt;
      cmps.push_back({op, *v});
    }
    if (cmps.empty() || !pendingOp.empty()) return std::nullopt;
    r.anyOf.push_back(std::move(cmps));
    if (bar == std::string::npos) break;
    pos = bar + 2;
  }
  return r;
}

bool semVerSatisfies(const SemVer& v, const SemVerRange& range) {
  for (const auto& group : range.anyOf) {
    bool ok = true;
    for (const auto& c : group) {
      int cmp = compareSemVer(v, c.version);
      bool pass;
      if (c.op == "=") pass = cmp == 0;
      else if (c.op == "!=") pass = cmp != 0;
      else if (c.op == ">") pass = cmp > 0;
      else if (c.op == ">=") pass = cmp >= 0;
      else if (c.op == "<") pass = cmp < 0;
      else if (c.op == "<=") pass = cmp <= 0;
      else if (c.op == "~") pass = cmp >= 0 && v.major == c.version.major && v.minor == c.version.minor;
      else /* ^ */ pass = cmp >= 0 && v.major == c.version.major &&
                          (c.version.major != 0 || v.minor == c.version.minor);
      if (!pass) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

bool isRfc1123Label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s)
    if (!alnum(c) && c != '-') return false;
  return true;
}

bool isQuantity(std::string_view s) {
  s = trim(s);
  if (s.empty()) return false;
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  std::string_view suffix = s.substr(i);
  static const char* kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m",
                                    "k", "M",  "G",  "T",  "P",  "E"};
  for (const char* k : kSuffixes)
    if (suffix == k) return true;
  if (!suffix.empty() && (suffix[0] == 'e' || suffix[0] == 'E')) {
    size_t j = 1;
    if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) ++j;
    if (j == suffix.size()) return false;
    for (; j < suffix.size(); ++j)
      if (!std::isdigit(static_cast<unsigned char>(suffix[j]))) return false;
    return true;
  }
  return false;
}

bool isIntegerText(std::string_view t) {
  t = trim(t);
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
  if (t.empty()) return false;
  for (char c : t)
    if (c < '0' || c > '9') return false;
  return true;
}

bool isNumberText(std::string_view t) {
  std::string s(trim(t));
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}

}  // namespace ork
