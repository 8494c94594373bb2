// The libcurl implementation of http::Client: one easy handle per hop, redirects followed by hand (so
// Authorization never crosses hosts), retries with backoff, bounded and streamed response bodies.
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "support/http.h"

namespace ork::http {
namespace {

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool iequalsPrefix(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// State of one hop: where the body goes, how much arrived, the headers of the final response.
struct Transfer {
  std::string* body = nullptr;
  FILE* sink = nullptr;
  uint64_t received = 0;
  uint64_t limit = 0;
  bool tooLarge = false;
  bool sinkFailed = false;
  Headers headers;
  FILE* upload = nullptr;
};

size_t onWrite(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->received + n > t->limit) {
    t->tooLarge = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->received += n;
  if (t->sink) {
    if (fwrite(data, 1, n, t->sink) != n) {
      t->sinkFailed = true;
      return 0;
    }
  } else {
    t->body->append(data, n);
  }
  return n;
}

size_t onHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    t->headers.clear();  // a new status line (after 100 Continue or on a new hop)
  } else if (size_t colon = line.find(':'); colon != std::string::npos) {
    t->headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return size * count;
}

size_t onRead(char* buffer, size_t size, size_t count, void* user) {
  return fread(buffer, 1, size * count, static_cast<FILE*>(user));
}

// A short, credential-free description of a transport failure.
std::string describe(CURLcode code, const char* errbuf) {
  switch (code) {
    case CURLE_COULDNT_CONNECT: return "connection refused";
    case CURLE_OPERATION_TIMEDOUT: return "timeout";
    case CURLE_PARTIAL_FILE: return "connection closed before the body was complete";
    case CURLE_GOT_NOTHING: return "empty reply from server";
    default: break;
  }
  return errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(code));
}

bool isRetryableTransport(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SSL_CONNECT_ERROR: return true;
    default: return false;
  }
}

// Resolves a Location header against the URL it came from.
std::string resolveLocation(const std::string& base, const std::string& location) {
  CURLU* u = curl_url();
  std::string out = location;
  if (curl_url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_URL, location.c_str(), 0) == CURLUE_OK) {
    char* full = nullptr;
    if (curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) out = full;
    curl_free(full);
  }
  curl_url_cleanup(u);
  return out;
}

// scheme://host:port with the default port filled in, to tell whether a redirect changes origin.
std::string origin(const std::string& url) {
  Url u;
  if (!parseUrl(url, u)) return url;
  std::string port = u.port.empty() ? (u.scheme == "https" ? "443" : "80") : u.port;
  std::string host = u.host;
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return u.scheme + "://" + host + ":" + port;
}

class CurlClient final : public Client {
 public:
  explicit CurlClient(CurlOptions options) : options_(std::move(options)) { globalInit(); }

  Response send(const Request& request) override {
    Response response;
    int attempts = std::max(1, request.attempts);
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      bool transient = false;
      response = sendFollowingRedirects(request, transient);
      response.attemptsMade = attempt;
      bool retry = response.error.empty() ? (response.status >= 500 || response.status == 429) : transient;
      if (attempt == attempts || !retry) break;
      long waitMs = static_cast<long>(request.backoffMillis) << (attempt - 1);
      if (response.status == 429 || response.status == 503) {
        std::string after = response.header("Retry-After");
        if (!after.empty() && std::all_of(after.begin(), after.end(), ::isdigit) && after.size() < 6) {
          waitMs = std::min(10000L, std::stol(after) * 1000L);
        }
      }
      if (options_.onRetry) {
        options_.onRetry(
            attempt, response.error.empty() ? "status " + std::to_string(response.status) : response.error);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(waitMs, 10000L)));
    }
    if (!response.ok() && !request.sinkFile.empty()) std::remove(request.sinkFile.c_str());
    return response;
  }

 private:
  // Sends `request`, following redirects; `transient` tells whether a transport error may pass on retry.
  Response sendFollowingRedirects(const Request& request, bool& transient) {
    Request hop = request;
    const std::string firstOrigin = origin(request.url);
    Response response;
    for (int redirects = 0;; ++redirects) {
      response = sendOnce(hop, transient);
      bool redirect = response.status == 301 || response.status == 302 || response.status == 303 ||
                      response.status == 307 || response.status == 308;
      std::string location = response.header("Location");
      if (!redirect || location.empty() || !response.error.empty()) break;
      if (redirects >= request.maxRedirects) {
        response.error = "too many redirects";
        response.status = 0;
        transient = false;
        break;
      }
      hop.url = resolveLocation(hop.url, location);
      if (origin(hop.url) != firstOrigin) {
        hop.headers.erase(std::remove_if(hop.headers.begin(), hop.headers.end(),
                                         [](const auto& h) {
                                           return iequalsPrefix(h.first, "authorization") &&
                                                  h.first.size() == 13;
                                         }),
                          hop.headers.end());
      }
      if (response.status == 303 && hop.method != "HEAD") {
        hop.method = "GET";
        hop.body.clear();
        hop.bodyFile.clear();
      }
    }
    return response;
  }

  Response sendOnce(const Request& request, bool& transient) {
    Response response;
    transient = false;
    CURL* curl = curl_easy_init();
    if (!curl) {
      response.error = "could not create an HTTP handle";
      return response;
    }
    char errbuf[CURL_ERROR_SIZE] = {0};
    Transfer t;
    t.body = &response.body;
    t.limit = request.maxResponseBytes;
    if (!request.sinkFile.empty()) {
      t.sink = std::fopen(request.sinkFile.c_str(), "wb");
      if (!t.sink) {
        response.error = "cannot write " + request.sinkFile;
        curl_easy_cleanup(curl);
        return response;
      }
    }
    curl_slist* headers = nullptr;
    bool hasContentType = false;
    for (const auto& [name, value] : request.headers) {
      if (iequalsPrefix(name, "content-type") && name.size() == 12) hasContentType = true;
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    bool hasBody = request.method != "GET" && request.method != "HEAD";
    if (hasBody && !hasContentType) headers = curl_slist_append(headers, "Content-Type:");

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(request.connectTimeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(request.timeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.userAgent.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onWrite);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    if (!options_.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.caFile.c_str());
    if (request.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (!request.bodyFile.empty()) {
      t.upload = std::fopen(request.bodyFile.c_str(), "rb");
      if (!t.upload) {
        response.error = "cannot read " + request.bodyFile;
      } else {
        std::fseek(t.upload, 0, SEEK_END);
        long size = std::ftell(t.upload);
        std::fseek(t.upload, 0, SEEK_SET);
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, onRead);
        curl_easy_setopt(curl, CURLOPT_READDATA, t.upload);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
    } else if (hasBody) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else if (request.method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    CURLcode code = response.error.empty() ? curl_easy_perform(curl) : CURLE_ABORTED_BY_CALLBACK;
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (response.error.empty()) {
      if (t.tooLarge) {
        response.tooLarge = true;
        response.error = "response larger than " + std::to_string(request.maxResponseBytes) + " bytes";
      } else if (t.sinkFailed) {
        response.error = "cannot write " + request.sinkFile;
      } else if (code != CURLE_OK) {
        response.error = describe(code, errbuf);
        transient = isRetryableTransport(code);
      }
    }
    // A status only counts when the whole response arrived (tooLarge keeps it for the caller's message).
    response.status = response.error.empty() || t.tooLarge ? static_cast<int>(status) : 0;
    response.headers = std::move(t.headers);
    response.effectiveUrl = request.url;
    if (t.sink) std::fclose(t.sink);
    if (t.upload) std::fclose(t.upload);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return response;
  }

  CurlOptions options_;
};

}  // namespace

std::unique_ptr<Client> makeCurlClient(CurlOptions options) {
  return std::make_unique<CurlClient>(std::move(options));
}

}  // namespace ork::http
