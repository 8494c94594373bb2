// Template functions of FORMATS.md §7.3 that encode (toJson, toYaml, base64, sha256), draw random
// values, read the clock, or read live Kubernetes objects (replicas, jobs, services, labels).
#include <array>
#include <chrono>
#include <cstdio>

#include "support/strings.h"
#include "support/template_functions.h"

namespace ork::tmpl {
namespace {

using nlohmann::json;
using Args = std::vector<json>;

Result<json> ok(json v) {
  Result<json> r;
  r.value = std::move(v);
  return r;
}

Result<json> stringArg(const json& v, const char* fn, uint32_t offset, std::string& out) {
  Result<std::string> s = argString(v, fn, offset);
  if (!s.ok()) return Result<json>::fail(s.error.message, offset);
  out = *s.value;
  return ok(json());
}

// ── encodings ──
Result<json> toJsonFn(const Args& args, FunctionEnv&, uint32_t) { return ok(toJson(args[0])); }
Result<json> toYamlFn(const Args& args, FunctionEnv&, uint32_t) { return ok(toYaml(args[0])); }
Result<json> b64encFn(const Args& args, FunctionEnv&, uint32_t offset) {
  std::string s;
  if (Result<json> r = stringArg(args[0], "b64enc", offset, s); !r.ok()) return r;
  return ok(base64Encode(s));
}
Result<json> b64decFn(const Args& args, FunctionEnv&, uint32_t offset) {
  std::string s;
  if (Result<json> r = stringArg(args[0], "b64dec", offset, s); !r.ok()) return r;
  std::optional<std::string> d = base64Decode(s);
  if (!d) return Result<json>::fail("b64dec: input is not valid base64", offset);
  return ok(*d);
}
Result<json> sha256Fn(const Args& args, FunctionEnv&, uint32_t offset) {
  std::string s;
  if (Result<json> r = stringArg(args[0], "sha256sum", offset, s); !r.ok()) return r;
  return ok(sha256Hex(s));
}

// ── random ──
template <int Kind>  // 0 alphanumeric, 1 hex, 2 base64 of N bytes
Result<json> randomFn(const Args& args, FunctionEnv& env, uint32_t offset) {
  static const char* kNames[] = {"randomAlphanumeric", "randomHex", "randomBase64"};
  Result<int64_t> n = argInt(args[0], kNames[Kind], offset);
  if (!n.ok()) return Result<json>::fail(n.error.message, offset);
  if (*n.value < 0 || *n.value > 65536)
    return Result<json>::fail(std::string(kNames[Kind]) + ": length must be between 0 and 65536", offset);
  static const std::string alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static const std::string hex = "0123456789abcdef";
  std::string out;
  for (int64_t i = 0; i < *n.value; ++i) {
    uint64_t r = env.random.next();
    if (Kind == 0) out += alnum[r % alnum.size()];
    if (Kind == 1) out += hex[r & 15];
    if (Kind == 2) out += static_cast<char>(r & 0xFF);
  }
  return ok(Kind == 2 ? base64Encode(out) : out);
}

// ── time ──
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Parses RFC 3339 (`2026-01-02T15:04:05Z`, fractions and ±hh:mm offsets) to Unix seconds.
std::optional<int64_t> parseRfc3339(const std::string& s) {
  int y, mo, d, h, mi, sec, n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
      n != 19)
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  int64_t offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int oh = std::atoi(s.substr(i + 1, 2).c_str()), om = std::atoi(s.substr(i + 4, 2).c_str());
    offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 +
         sec - offset;
}

std::string formatRfc3339(int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

// Go's time.Duration.String for whole seconds: 0s, 45s, 1m30s, 26h0m0s.
std::string goDuration(int64_t s) {
  if (s == 0) return "0s";
  std::string sign = s < 0 ? "-" : "";
  uint64_t a = s < 0 ? static_cast<uint64_t>(-(s + 1)) + 1 : static_cast<uint64_t>(s);
  uint64_t h = a / 3600, m = a / 60 % 60, sec = a % 60;
  if (h > 0) return sign + std::to_string(h) + "h" + std::to_string(m) + "m" + std::to_string(sec) + "s";
  if (m > 0) return sign + std::to_string(m) + "m" + std::to_string(sec) + "s";
  return sign + std::to_string(sec) + "s";
}

Result<json> nowFn(const Args&, FunctionEnv& env, uint32_t) {
  return ok(formatRfc3339(env.clock.nowUnixSeconds()));
}

template <bool Since>
Result<json> timeDeltaFn(const Args& args, FunctionEnv& env, uint32_t offset) {
  const char* name = Since ? "timeSince" : "timeUntil";
  if (args[0].is_null()) return ok("");
  std::string s;
  if (Result<json> r = stringArg(args[0], name, offset, s); !r.ok()) return r;
  std::optional<int64_t> t = parseRfc3339(s);
  if (!t) return Result<json>::fail(std::string(name) + ": \"" + s + "\" is not an RFC 3339 time", offset);
  int64_t now = env.clock.nowUnixSeconds();
  return ok(goDuration(Since ? now - *t : *t - now));
}

int weekdayIndex(int64_t t) {  // 0 = Sunday
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  return static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
}

Result<json> weekdayFn(const Args&, FunctionEnv& env, uint32_t) {
  static const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  return ok(kDays[weekdayIndex(env.clock.nowUnixSeconds())]);
}

Result<json> inBusinessHoursFn(const Args&, FunctionEnv& env, uint32_t) {
  int64_t t = env.clock.nowUnixSeconds();
  int day = weekdayIndex(t);
  int64_t secs = ((t % 86400) + 86400) % 86400;
  return ok(day >= 1 && day <= 5 && secs >= 9 * 3600 && secs < 17 * 3600);
}

// ── live Kubernetes objects ──
const json& at(const json& v, std::initializer_list<const char*> path) {
  static const json null;
  const json* cur = &v;
  for (const char* key : path) {
    if (!cur->is_object()) return null;
    auto it = cur->find(key);
    if (it == cur->end()) return null;
    cur = &*it;
  }
  return *cur;
}

int64_t intAt(const json& v, std::initializer_list<const char*> path, int64_t fallback = 0) {
  const json& x = at(v, path);
  return x.is_number() ? x.get<int64_t>() : fallback;
}

// Kubernetes defaults spec.replicas to 1; a nil workload wants 0.
int64_t desired(const json& w) { return w.is_null() ? 0 : intAt(w, {"spec", "replicas"}, 1); }
bool generationObserved(const json& w) {
  return intAt(w, {"status", "observedGeneration"}) >= intAt(w, {"metadata", "generation"});
}

template <int Which>  // 0 ready, 1 desired, 2 available, 3 updated
Result<json> replicasFn(const Args& args, FunctionEnv&, uint32_t) {
  const json& w = args[0];
  switch (Which) {
    case 0: return ok(intAt(w, {"status", "readyReplicas"}));
    case 1: return ok(desired(w));
    case 2: return ok(intAt(w, {"status", "availableReplicas"}));
    default: return ok(intAt(w, {"status", "updatedReplicas"}));
  }
}

Result<json> allReplicasReadyFn(const Args& args, FunctionEnv&, uint32_t) {
  const json& w = args[0];
  if (!w.is_object()) return ok(false);
  return ok(generationObserved(w) && intAt(w, {"status", "readyReplicas"}) == desired(w));
}

Result<json> rolloutCompleteFn(const Args& args, FunctionEnv&, uint32_t) {
  const json& w = args[0];
  if (!w.is_object()) return ok(false);
  int64_t want = desired(w);
  return ok(generationObserved(w) && intAt(w, {"status", "updatedReplicas"}) == want &&
            intAt(w, {"status", "availableReplicas"}) == want &&
            intAt(w, {"status", "replicas"}, want) == want);
}

template <bool Succeeded>
Result<json> jobConditionFn(const Args& args, FunctionEnv&, uint32_t) {
  const json& conditions = at(args[0], {"status", "conditions"});
  if (!conditions.is_array()) return ok(false);
  for (const json& c : conditions)
    if (at(c, {"type"}) == (Succeeded ? "Complete" : "Failed") && at(c, {"status"}) == "True")
      return ok(true);
  return ok(false);
}

Result<json> stringOrEmpty(const json& v) { return ok(v.is_string() ? v : json("")); }

Result<json> serviceClusterIPFn(const Args& args, FunctionEnv&, uint32_t) {
  return stringOrEmpty(at(args[0], {"spec", "clusterIP"}));
}
Result<json> serviceLoadBalancerHostFn(const Args& args, FunctionEnv&, uint32_t) {
  const json& ingress = at(args[0], {"status", "loadBalancer", "ingress"});
  if (!ingress.is_array() || ingress.empty()) return ok("");
  const json& host = at(ingress[0], {"hostname"});
  return stringOrEmpty(host.is_string() ? host : at(ingress[0], {"ip"}));
}
Result<json> containerImageFn(const Args& args, FunctionEnv&, uint32_t) {
  const json* containers = &at(args[0], {"spec", "template", "spec", "containers"});
  if (!containers->is_array())
    containers = &at(args[0], {"spec", "jobTemplate", "spec", "template", "spec", "containers"});
  if (!containers->is_array()) containers = &at(args[0], {"spec", "containers"});
  if (!containers->is_array() || containers->empty()) return ok("");
  return stringOrEmpty(at((*containers)[0], {"image"}));
}
Result<json> getLabelFn(const Args& args, FunctionEnv&, uint32_t offset) {
  std::string key;
  if (Result<json> r = stringArg(args[1], "getLabel", offset, key); !r.ok()) return r;
  const json& labels = at(args[0], {"metadata", "labels"});
  if (!labels.is_object()) return ok("");
  auto it = labels.find(key);
  return stringOrEmpty(it == labels.end() ? json() : *it);
}

class SystemClock final : public Clock {
 public:
  int64_t nowUnixSeconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

uint64_t SeededRandom::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

const Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

std::vector<FunctionSpec> extendedFunctions() {
  return {
      {"toJson", 1, 1, toJsonFn},
      {"toYaml", 1, 1, toYamlFn},
      {"b64enc", 1, 1, b64encFn},
      {"b64dec", 1, 1, b64decFn},
      {"sha256sum", 1, 1, sha256Fn},
      {"randomAlphanumeric", 1, 1, randomFn<0>},
      {"randomHex", 1, 1, randomFn<1>},
      {"randomBase64", 1, 1, randomFn<2>},
      {"now", 0, 0, nowFn},
      {"timeSince", 1, 1, timeDeltaFn<true>},
      {"timeUntil", 1, 1, timeDeltaFn<false>},
      {"weekday", 0, 0, weekdayFn},
      {"inBusinessHours", 0, 0, inBusinessHoursFn},
      {"allReplicasReady", 1, 1, allReplicasReadyFn},
      {"rolloutComplete", 1, 1, rolloutCompleteFn},
      {"readyReplicas", 1, 1, replicasFn<0>},
      {"desiredReplicas", 1, 1, replicasFn<1>},
      {"availableReplicas", 1, 1, replicasFn<2>},
      {"updatedReplicas", 1, 1, replicasFn<3>},
      {"jobSucceeded", 1, 1, jobConditionFn<true>},
      {"jobFailed", 1, 1, jobConditionFn<false>},
      {"serviceClusterIP", 1, 1, serviceClusterIPFn},
      {"serviceLoadBalancerHost", 1, 1, serviceLoadBalancerHostFn},
      {"containerImage", 1, 1, containerImageFn},
      {"getLabel", 2, 2, getLabelFn},
  };
}

}  // namespace ork::tmpl
