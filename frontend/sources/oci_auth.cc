// The registry auth flow of §10.2: Basic, and Bearer tokens fetched from the challenge's realm (with
// basic credentials when available, an identity token as an OAuth2 refresh token, else anonymously).
#include "frontend/sources/oci_auth.h"

#include <cctype>

#include "support/template_functions.h"

namespace ork::sources {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

OciError authError(OciError::Kind kind, int status, std::string detail) {
  return OciError{kind, status, std::move(detail)};
}

// Query string of the token request: service, then one scope parameter per space-separated scope.
std::string tokenQuery(const AuthChallenge& c, const std::string& scope) {
  std::string q;
  if (auto it = c.params.find("service"); it != c.params.end())
    q += "service=" + http::percentEncode(it->second);
  size_t start = 0;
  while (start < scope.size()) {
    size_t space = scope.find(' ', start);
    std::string one = scope.substr(start, space - start);
    if (!one.empty()) q += (q.empty() ? "" : "&") + std::string("scope=") + http::percentEncode(one);
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return q;
}

}  // namespace

std::optional<AuthChallenge> parseAuthChallenge(std::string_view header) {
  size_t i = 0;
  while (i < header.size() && header[i] == ' ') ++i;
  size_t schemeEnd = header.find(' ', i);
  AuthChallenge c;
  c.scheme = lower(std::string(header.substr(i, schemeEnd - i)));
  if (c.scheme.empty()) return std::nullopt;
  if (schemeEnd == std::string_view::npos) return c;
  i = schemeEnd + 1;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name = lower(std::string(header.substr(i, eq - i)));
    i = eq + 1;
    std::string value;
    if (i < header.size() && header[i] == '"') {
      ++i;
      while (i < header.size() && header[i] != '"') {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value += header[i++];
      }
      ++i;  // closing quote
    } else {
      size_t end = header.find(',', i);
      value = std::string(header.substr(i, end - i));
      i = end == std::string_view::npos ? header.size() : end;
    }
    c.params[name] = value;
  }
  return c;
}

RegistryAuth::RegistryAuth(http::Client& client, std::string host, Credentials given, bool useDockerConfig,
                           std::function<bool(const http::Url&)> plainAllowed,
                           std::atomic<uint64_t>& requests)
    : client_(client),
      host_(std::move(host)),
      given_(std::move(given)),
      useDockerConfig_(useDockerConfig),
      plainAllowed_(std::move(plainAllowed)),
      requests_(requests) {}

std::string RegistryAuth::headerFor(const std::string& scope) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!basic_.empty()) return basic_;
  auto it = tokens_.find(scope);
  if (it != tokens_.end() && it->second.expires > std::chrono::steady_clock::now())
    return "Bearer " + it->second.value;
  return "";
}

Credentials RegistryAuth::credentials() {
  if (!given_.empty()) return given_;
  if (useDockerConfig_ && !dockerLoaded_) {
    dockerLoaded_ = true;
    docker_ = findDockerCredentials(host_);  // a failing helper leaves them empty: anonymous, then 401
  }
  return docker_;
}

Expected<std::string> RegistryAuth::answer(const http::Response& unauthorized, const std::string& scope) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto challenge = parseAuthChallenge(unauthorized.header("WWW-Authenticate"));
  if (!challenge) {
    return Expected<std::string>::fail(
        authError(OciError::Kind::Unauthorized, 401, "no WWW-Authenticate challenge"));
  }
  Credentials creds = credentials();
  if (challenge->scheme == "basic") {
    if (creds.username.empty() && creds.password.empty()) {
      return Expected<std::string>::fail(
          authError(OciError::Kind::Unauthorized, 401,
                    "no credentials for " + host_ + " (docker login " + host_ + ")"));
    }
    basic_ = "Basic " + tmpl::base64Encode(creds.username + ":" + creds.password);
    Expected<std::string> out;
    out.value = basic_;
    return out;
  }
  if (challenge->scheme != "bearer") {
    return Expected<std::string>::fail(authError(OciError::Kind::Unauthorized, 401,
                                                 "unsupported authentication scheme " + challenge->scheme));
  }
  // The registry may name the scope it wants (e.g. with more actions); ours covers the request.
  std::string want = scope;
  if (want.empty()) {
    auto it = challenge->params.find("scope");
    if (it != challenge->params.end()) want = it->second;
  }
  auto token = fetchToken(*challenge, want, creds);
  if (!token.ok()) return token;
  Expected<std::string> out;
  out.value = "Bearer " + *token.value;
  return out;
}

Expected<std::string> RegistryAuth::fetchToken(const AuthChallenge& challenge, const std::string& scope,
                                               const Credentials& creds) {
  auto realmIt = challenge.params.find("realm");
  http::Url realm;
  if (realmIt == challenge.params.end() || !http::parseUrl(realmIt->second, realm)) {
    return Expected<std::string>::fail(
        authError(OciError::Kind::Unauthorized, 401, "Bearer challenge without a realm"));
  }
  if (realm.scheme != "https" && !(realm.scheme == "http" && plainAllowed_(realm))) {
    return Expected<std::string>::fail(
        authError(OciError::Kind::Insecure, 0,
                  "token realm " + http::redactUrl(realmIt->second) +
                      " is not HTTPS and its host is neither loopback nor allowed"));
  }
  http::Request req;
  req.url = realmIt->second;
  req.maxResponseBytes = 1 << 20;
  req.attempts = 3;
  if (!creds.bearer.empty()) {
    // An identity token is an OAuth2 refresh token (the docker CLI's flow).
    req.method = "POST";
    req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    req.body = "grant_type=refresh_token&client_id=ork&refresh_token=" + http::percentEncode(creds.bearer);
    std::string q = tokenQuery(challenge, scope);
    if (!q.empty()) req.body += "&" + q;
  } else {
    std::string q = tokenQuery(challenge, scope);
    if (!q.empty()) req.url += (realm.query.empty() ? "?" : "&") + q;
    if (!creds.username.empty() || !creds.password.empty()) {
      req.headers.push_back(
          {"Authorization", "Basic " + tmpl::base64Encode(creds.username + ":" + creds.password)});
    }
  }
  http::Response resp = client_.send(req);
  requests_ += static_cast<uint64_t>(std::max(1, resp.attemptsMade));
  if (!resp.error.empty()) {
    if (resp.tooLarge)
      return Expected<std::string>::fail(authError(OciError::Kind::TooLarge, 0, "token response"));
    return Expected<std::string>::fail(authError(OciError::Kind::Network, 0, resp.error));
  }
  if (resp.status == 401 || resp.status == 403) {
    return Expected<std::string>::fail(
        authError(resp.status == 401 ? OciError::Kind::Unauthorized : OciError::Kind::Forbidden, resp.status,
                  "token request refused for " + host_));
  }
  if (resp.status < 200 || resp.status >= 300) {
    return Expected<std::string>::fail(authError(OciError::Kind::Status, resp.status, "token request"));
  }
  auto json = nlohmann::json::parse(resp.body, nullptr, false);
  std::string value;
  int expiresIn = 60;
  if (json.is_object()) {
    for (const char* key : {"token", "access_token"}) {
      auto it = json.find(key);
      if (it != json.end() && it->is_string() && !it->get<std::string>().empty()) {
        value = it->get<std::string>();
        break;
      }
    }
    auto exp = json.find("expires_in");
    if (exp != json.end() && exp->is_number_integer()) expiresIn = std::max(1, exp->get<int>());
  }
  if (value.empty()) {
    return Expected<std::string>::fail(
        authError(OciError::Kind::Invalid, 0, "token response without a token"));
  }
  // Renew a little early so a token never expires between our check and the registry's.
  auto life = std::chrono::seconds(expiresIn > 10 ? expiresIn - 5 : expiresIn);
  tokens_[scope] = Token{value, std::chrono::steady_clock::now() + life};
  Expected<std::string> out;
  out.value = value;
  return out;
}

}  // namespace ork::sources
