// The transport-independent parts of support/http.h: URL splitting, percent-encoding, redaction,
// loopback detection and header lookup.
#include <cctype>
#include <string>

#include "support/http.h"

namespace ork::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Query keys whose values are secrets (signed storage URLs, token parameters).
bool isSecretKey(std::string_view key) {
  std::string k = lower(key);
  for (const char* word : {"token", "sig", "signature", "password", "secret", "credential", "auth", "key"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return "";
}

bool isLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (iequals(host, "localhost") || iequals(host, "localhost.")) return true;
  if (host == "::1" || host == "0:0:0:0:0:0:0:1") return true;
  // 127.0.0.0/8 as a dotted quad.
  int parts = 0;
  size_t i = 0;
  while (i <= host.size()) {
    size_t dot = host.find('.', i);
    if (dot == std::string_view::npos) dot = host.size();
    std::string_view part = host.substr(i, dot - i);
    if (part.empty() || part.size() > 3) return false;
    int value = 0;
    for (char c : part) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || (parts == 0 && value != 127)) return false;
    ++parts;
    i = dot + 1;
    if (dot == host.size()) break;
  }
  return parts == 4;
}

bool parseUrl(std::string_view text, Url& out) {
  out = Url{};
  size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  out.scheme = lower(text.substr(0, sep));
  std::string_view rest = text.substr(sep + 3);
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);  // user info is never kept
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    out.host = std::string(authority.substr(0, close + 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      out.port = std::string(after.substr(1));
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty()) return false;
  for (char c : out.port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  size_t q = rest.find('?');
  out.path = std::string(rest.substr(0, q));
  if (q != std::string_view::npos) out.query = std::string(rest.substr(q + 1));
  return true;
}

std::string percentEncode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string redactUrl(std::string_view url) {
  // A header value: keep the scheme word, hide the secret.
  for (std::string_view scheme : {"Bearer ", "Basic "}) {
    if (url.size() >= scheme.size() && iequals(url.substr(0, scheme.size()), scheme)) {
      return std::string(url.substr(0, scheme.size())) + "***";
    }
  }
  std::string out;
  size_t sep = url.find("://");
  size_t authStart = sep == std::string_view::npos ? 0 : sep + 3;
  size_t authEnd = url.find_first_of("/?#", authStart);
  if (authEnd == std::string_view::npos) authEnd = url.size();
  size_t at = sep == std::string_view::npos ? std::string_view::npos : url.substr(0, authEnd).rfind('@');
  if (at != std::string_view::npos && at >= authStart) {
    out = std::string(url.substr(0, authStart)) + "***@" + std::string(url.substr(at + 1, authEnd - at - 1));
  } else {
    out = std::string(url.substr(0, authEnd));
  }
  std::string_view rest = url.substr(authEnd);
  size_t q = rest.find('?');
  if (q == std::string_view::npos) return out + std::string(rest);
  out += std::string(rest.substr(0, q + 1));
  std::string_view query = rest.substr(q + 1);
  size_t hash = query.find('#');
  std::string_view fragment = hash == std::string_view::npos ? std::string_view{} : query.substr(hash);
  query = query.substr(0, hash);
  bool first = true;
  while (true) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (!first) out += '&';
    first = false;
    if (eq != std::string_view::npos && isSecretKey(pair.substr(0, eq))) {
      out += std::string(pair.substr(0, eq)) + "=***";
    } else {
      out += std::string(pair);
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return out + std::string(fragment);
}

}  // namespace ork::http
