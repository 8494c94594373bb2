// Registry authentication for the distribution client (oci_remote.cc): WWW-Authenticate challenges,
// Basic credentials and the Bearer token flow with tokens cached per scope. Internal to frontend/sources.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "frontend/sources/oci.h"
#include "support/http.h"

namespace ork::sources {

/// One parsed `WWW-Authenticate` challenge: `scheme` lower-cased ("basic", "bearer"), parameters by
/// lower-cased name (`realm`, `service`, `scope`, `error`).
struct AuthChallenge {
  std::string scheme;
  std::map<std::string, std::string> params;
};

/// Parses the first challenge of a `WWW-Authenticate` value; nullopt when it has no scheme.
std::optional<AuthChallenge> parseAuthChallenge(std::string_view header);

/// The credentials and tokens of one registry host. Thread-safe.
class RegistryAuth {
 public:
  /// `plainAllowed(url)` says whether a plain-HTTP token realm may be used; `requests` counts
  /// token requests. `given` wins over the Docker configuration (read on the first 401 when
  /// `useDockerConfig`).
  RegistryAuth(http::Client& client, std::string host, Credentials given, bool useDockerConfig,
               std::function<bool(const http::Url&)> plainAllowed, std::atomic<uint64_t>& requests);

  /// The Authorization value earlier challenges earned for `scope` ("" when none yet).
  std::string headerFor(const std::string& scope);

  /// Answers the 401 `unauthorized` got for `scope`: returns the Authorization value to retry with
  /// (and remembers it), or the error (Unauthorized when no credentials fit). Never puts a secret
  /// into the error.
  Expected<std::string> answer(const http::Response& unauthorized, const std::string& scope);

 private:
  Credentials credentials();
  Expected<std::string> fetchToken(const AuthChallenge& challenge, const std::string& scope,
                                   const Credentials& creds);

  http::Client& client_;
  std::string host_;
  Credentials given_;
  bool useDockerConfig_;
  bool dockerLoaded_ = false;
  Credentials docker_;
  std::function<bool(const http::Url&)> plainAllowed_;
  std::atomic<uint64_t>& requests_;
  std::mutex mutex_;
  std::string basic_;  // "Basic …" once a Basic challenge was answered
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  std::map<std::string, Token> tokens_;  // by scope
};

}  // namespace ork::sources
