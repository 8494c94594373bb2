// Shared helpers of the registry commands: REF reading, opening registries and layouts, and the
// size/age/gate cells and error texts of FORMATS.md §10.3, §11.3 and §11.4.
#include "tools/ork/registry_cli.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "support/strings.h"

namespace ork::cli {
namespace {

std::string envOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string(fallback);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Reads `count` digits at `pos` of `s` into `out`.
bool digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string annotation(const std::map<std::string, std::string>& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? std::string() : it->second;
}

std::string countOf(const std::string& n, const char* word) { return n + " " + word + (n == "1" ? "" : "s"); }

}  // namespace

std::string defaultKatalogRegistry() {
  return envOr("ORK_REGISTRY", "ghcr.io/orkspace/orkestra-registry/patterns/katalogs");
}

std::string defaultMotifRegistry() {
  return envOr("ORK_MOTIFS_REGISTRY", "ghcr.io/orkspace/orkestra-registry/patterns/motifs");
}

std::optional<sources::OciRef> commandRef(std::string_view text, bool motif, std::string* error) {
  return sources::parseOciRef(text, motif ? defaultMotifRegistry() : defaultKatalogRegistry(), error);
}

OpenedRegistry openRegistryFor(const sources::OciRef& ref, http::Client& client, bool createLayout,
                               const std::vector<std::string>& insecureHosts) {
  OpenedRegistry out;
  if (ref.layout) {
    out.registry = sources::openLayoutRegistry(ref.layoutDir, createLayout);
    return out;
  }
  sources::RemoteOptions options;
  options.insecureHosts = sources::insecureRegistriesFromEnv();
  options.insecureHosts.insert(options.insecureHosts.end(), insecureHosts.begin(), insecureHosts.end());
  options.useDockerConfig = true;
  out.registry = sources::openRemoteRegistry(ref.registry, client, std::move(options));
  out.repo = ref.repository;
  return out;
}

std::unique_ptr<http::Client> makeHttpClient() {
  http::CurlOptions options;
  options.userAgent = "ork";
  return http::makeCurlClient(std::move(options));
}

std::string refHost(const sources::OciRef& ref) {
  return ref.layout ? "oci-layout:" + ref.layoutDir : ref.registry;
}

std::string humanSize(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  char buf[32];
  double v = static_cast<double>(bytes) / 1024.0;
  const char* unit = "KB";
  if (v >= 1024.0) {
    v /= 1024.0;
    unit = "MB";
  }
  std::snprintf(buf, sizeof buf, "%.1f %s", v, unit);
  return buf;
}

std::string humanAge(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 86400) + "d";
}

std::optional<int64_t> parseRfc3339(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
      s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om))
      return std::nullopt;
    offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

int64_t nowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string gateCell(const std::map<std::string, std::string>& annotations, std::string_view gate,
                     int64_t now) {
  const std::string prefix = "io.orkestra." + std::string(gate) + ".";
  const std::string status = annotation(annotations, prefix + "status");
  const std::string assertions = annotation(annotations, prefix + "assertions");
  if (status == "passed") {
    std::string cell = "✓ Verified";
    if (!assertions.empty()) cell += " · " + countOf(assertions, "assertion");
    std::string duration = annotation(annotations, prefix + "duration");
    if (!duration.empty()) cell += " · " + duration;
    if (auto tested = parseRfc3339(annotation(annotations, prefix + "tested_at")))
      cell += " · tested " + humanAge((now < 0 ? nowUnix() : now) - *tested) + " ago";
    return cell;
  }
  if (status == "failed") {
    std::string failed = annotation(annotations, prefix + "failed");
    if (failed.empty() || assertions.empty()) return "✗ Failed";
    return "✗ Failed · " + failed + " of " + countOf(assertions, "assertion") + " failed";
  }
  if (status == "skipped") return "⊘ Skipped";
  if (status == "no-assertion") return "⚠ No assertions";
  return "- Not verified";
}

std::string gateMark(std::string_view status) {
  if (status == "passed") return "✓";
  if (status == "failed") return "✗";
  if (status == "skipped") return "⊘";
  if (status == "no-assertion") return "⚠";
  return "-";
}

ErrorText ociErrorText(const sources::OciError& error, const std::string& host) {
  using Kind = sources::OciError::Kind;
  ErrorText t;
  t.message = error.message();
  switch (error.kind) {
    case Kind::NotFound:
      t.code = DiagCode::ReferenceNotFound;
      t.help = "Check available versions in the registry";
      break;
    case Kind::Unauthorized:
      t.code = DiagCode::AuthenticationRequired;
      t.help =
          "run 'docker login " + host + "' (push, pull, inspect and patterns read the Docker configuration)";
      break;
    case Kind::Forbidden:
      t.code = DiagCode::AccessDenied;
      t.help = "Grant read access to the repository or registry";
      break;
    case Kind::Status:
      t.code = DiagCode::UnexpectedStatus;
      t.help = "the registry answered a status ork cannot use; check the registry and try again";
      break;
    case Kind::Network:
      t.code = DiagCode::NetworkError;
      t.help = "check that " + host + " is reachable and try again";
      break;
    case Kind::DigestMismatch:
      t.code = DiagCode::DigestMismatch;
      t.help = "the registry served content that does not match its digest; nothing was kept";
      break;
    case Kind::TooLarge:
      t.code = DiagCode::ContentTooLarge;
      t.help = "the artifact is larger than ork accepts; check that the reference names an Orkestra pattern";
      break;
    case Kind::Invalid:
      t.code = DiagCode::InvalidArtifact;
      t.help = "check that the reference names an Orkestra pattern (or a motif, with --motif)";
      break;
    case Kind::Insecure:
      t.code = DiagCode::InsecureRegistry;
      t.help =
          "use HTTPS, or allow plain HTTP with --insecure-registry " + host + " or ORK_INSECURE_REGISTRIES";
      break;
  }
  return t;
}

ErrorText fetchFailureText(const sources::FetchFailure& failure, const std::string& host) {
  using Kind = sources::FetchFailure::Kind;
  ErrorText t;
  t.message = failure.message();
  t.help = failure.help();
  switch (failure.kind) {
    case Kind::NotFound: t.code = DiagCode::ReferenceNotFound; break;
    case Kind::Unauthorized:
      t.code = DiagCode::AuthenticationRequired;
      t.help =
          "run 'docker login " + host + "' (push, pull, inspect and patterns read the Docker configuration)";
      break;
    case Kind::Forbidden: t.code = DiagCode::AccessDenied; break;
    case Kind::Status: t.code = DiagCode::UnexpectedStatus; break;
    case Kind::Network: t.code = DiagCode::NetworkError; break;
    case Kind::DigestMismatch: t.code = DiagCode::DigestMismatch; break;
    case Kind::TooLarge: t.code = DiagCode::ContentTooLarge; break;
    case Kind::Invalid: t.code = DiagCode::InvalidArtifact; break;
    case Kind::Insecure: t.code = DiagCode::InsecureRegistry; break;
    case Kind::AuthConfig: t.code = DiagCode::ImportAuthConfig; break;
    case Kind::Offline: t.code = DiagCode::OfflineMissing; break;
    case Kind::Cache: t.code = DiagCode::CacheUnusable; break;
  }
  return t;
}

void reportOciError(DiagnosticEngine& diags, const sources::OciRef& ref, const sources::OciError& error) {
  ErrorText t = ociErrorText(error, refHost(ref));
  diags.report(t.code, Span{}, ref.str() + ": " + t.message);
  diags.help(t.help);
}

}  // namespace ork::cli
