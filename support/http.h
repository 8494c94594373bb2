// HttpClient: the one HTTP interface of ork (registries, Git hosts, HTTPS imports, later the Kubernetes
// client). The implementation is libcurl (http_curl.cc); tests and callers only see this header.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ork::http {

/// Header list in request order; names compare case-insensitively (see header()).
using Headers = std::vector<std::pair<std::string, std::string>>;

/// One request. `body` is sent as is (PUT/POST/PATCH); `bodyFile` instead streams a file.
struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::string bodyFile;  // when set, the request body is this file's bytes
  /// When set, the response body is written to this file instead of `Response::body` (the caller
  /// renames it into place after verifying it; on any failure the file is removed).
  std::string sinkFile;
  /// Responses larger than this fail with `tooLarge` (the transfer is aborted, nothing kept).
  uint64_t maxResponseBytes = 64ull << 20;
  /// Redirects are followed up to this many hops. `Authorization` is dropped when a hop changes
  /// host (or port or scheme): credentials never reach another host.
  int maxRedirects = 5;
  int connectTimeoutSeconds = 10;
  int timeoutSeconds = 300;
  /// Attempts on connection errors, 5xx and 429 (exponential backoff from `backoffMillis`,
  /// honouring Retry-After up to 10 s). 1 = no retry. Only set above 1 for idempotent requests.
  int attempts = 3;
  int backoffMillis = 200;
};

/// One response. `status` is 0 when no HTTP response arrived (then `error` says why).
struct Response {
  int status = 0;
  Headers headers;
  std::string body;
  std::string effectiveUrl;  // after redirects
  std::string error;         // transport error detail ("connection refused", "timeout", …); "" when fine
  bool tooLarge = false;     // aborted at maxResponseBytes
  int attemptsMade = 0;

  bool ok() const { return error.empty() && !tooLarge && status >= 200 && status < 300; }
  /// First header value by case-insensitive name ("" when absent).
  std::string header(std::string_view name) const;
};

/// Sends requests. Implementations are safe to use from several threads at once.
class Client {
 public:
  virtual ~Client() = default;
  virtual Response send(const Request& request) = 0;
};

/// Options of the libcurl client.
struct CurlOptions {
  /// Extra CA bundle (PEM) to trust; "" uses the system store.
  std::string caFile;
  /// Appended to every request as `User-Agent`.
  std::string userAgent = "ork";
  /// Called before each retry sleep with (attempt, reason); may be empty. For progress/logging only:
  /// never receives credentials.
  std::function<void(int, const std::string&)> onRetry;
};

/// The libcurl client.
std::unique_ptr<Client> makeCurlClient(CurlOptions options = {});

/// Whether `host` (without port) is a loopback name or address: localhost, 127.0.0.0/8, ::1.
bool isLoopbackHost(std::string_view host);

/// Splits `scheme://host[:port]/path?query` into its parts (no validation beyond the shape).
struct Url {
  std::string scheme, host, port, path, query;
  /// host[:port]
  std::string authority() const { return port.empty() ? host : host + ":" + port; }
};
bool parseUrl(std::string_view text, Url& out);

/// Percent-encodes every byte outside RFC 3986 unreserved characters (for path segments, query values).
std::string percentEncode(std::string_view text);

/// Removes credentials from a URL or header value before it is printed (user info, query tokens).
std::string redactUrl(std::string_view url);

}  // namespace ork::http
