// The Fetcher (fetcher.h): §10.2 credentials from the environment, one registry client per (host,
// credentials) for the Fetcher's life, request counting, dispatch by source kind, and fetchAll's
// bounded thread pool. The OCI path is fetcher_oci.cc, the Git/HTTPS path fetcher_git.cc.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <system_error>
#include <thread>

#include "frontend/sources/fetcher_internal.h"
#include "support/template_functions.h"

namespace ork::sources {
namespace {

/// Requests sent on this thread during the current fetch() (the `network` flag of its result).
thread_local uint64_t tlRequests = 0;

/// Counts every request (with its retries) in total and on the calling thread.
class CountingClient final : public http::Client {
 public:
  explicit CountingClient(http::Client& inner) : inner_(inner) {}
  http::Response send(const http::Request& request) override {
    http::Response r = inner_.send(request);
    uint64_t n = static_cast<uint64_t>(std::max(1, r.attemptsMade));
    count_ += n;
    tlRequests += n;
    return r;
  }
  uint64_t count() const { return count_.load(); }

 private:
  http::Client& inner_;
  std::atomic<uint64_t> count_{0};
};

/// Credentials of one fetch, from an import's `auth` (§10.2).
struct ResolvedAuth {
  bool given = false;      // an auth block was given (no Docker configuration then)
  Credentials registry;    // OCI: basic, or the token as password in the token flow
  SourceAuth source;       // GitHub, GitLab, Git, HTTPS
  std::string missingEnv;  // the auth-config text when a variable is unset (only fatal online)
};

std::string envValue(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? std::string(v) : std::string();
}

std::string unsetText(const std::string& type, const std::string& name) {
  return "auth type \"" + type + "\": environment variable \"" + name + "\" is not set or empty";
}

/// Reads the environment variables an `auth` block names. Shape errors fail at once; an unset
/// variable is recorded in `missingEnv` (the caller decides: offline fetches need no credentials).
std::optional<ResolvedAuth> resolveAuth(const std::optional<AuthSpec>& spec, FetchFailure* failure) {
  ResolvedAuth out;
  if (!spec) return out;
  out.given = true;
  const AuthSpec& a = *spec;
  if (a.type == "github" || a.type == "bearer") {
    std::string name = a.fromEnv;
    if (name.empty() && a.type == "github") name = "GITHUB_TOKEN";  // docs/formats.md decision
    if (name.empty()) {
      *failure = detail::failure(FetchFailure::Kind::AuthConfig, "auth type \"bearer\" requires fromEnv");
      return std::nullopt;
    }
    std::string token = envValue(name);
    if (token.empty()) {
      out.missingEnv = unsetText(a.type, name);
      return out;
    }
    // Registries: the token is the password of the token flow (any user name is accepted).
    out.registry.username = "oauth2";
    out.registry.password = token;
    out.source.headers.emplace_back("Authorization", "Bearer " + token);
    out.source.username = "oauth2";
    out.source.password = token;
    return out;
  }
  if (a.type == "basic") {
    if (a.usernameFromEnv.empty() || a.passwordFromEnv.empty()) {
      *failure = detail::failure(FetchFailure::Kind::AuthConfig,
                                 "basic auth requires usernameFromEnv and passwordFromEnv");
      return std::nullopt;
    }
    for (const std::string* name : {&a.usernameFromEnv, &a.passwordFromEnv}) {
      if (envValue(*name).empty()) {
        out.missingEnv = unsetText("basic", *name);
        return out;
      }
    }
    out.registry.username = envValue(a.usernameFromEnv);
    out.registry.password = envValue(a.passwordFromEnv);
    out.source.headers.emplace_back(
        "Authorization", "Basic " + tmpl::base64Encode(out.registry.username + ":" + out.registry.password));
    out.source.username = out.registry.username;
    out.source.password = out.registry.password;
    return out;
  }
  *failure =
      detail::failure(FetchFailure::Kind::AuthConfig,
                      a.type.empty() ? "auth.type is required when auth is set"
                                     : "auth type \"" + a.type + "\" is not one of github, bearer, basic");
  return std::nullopt;
}

class FetcherImpl final : public Fetcher {
 public:
  FetcherImpl(const Cache& cache, http::Client& client, FetcherOptions options)
      : cache_(cache), client_(client), options_(std::move(options)) {}

  std::optional<FetchResult> fetch(const FetchRequest& request, FetchFailure* failure) override {
    FetchFailure local;
    FetchFailure* f = failure ? failure : &local;
    std::string error;
    if (!cache_.ensure(&error)) {
      *f = detail::failure(FetchFailure::Kind::Cache,
                           "cannot create the cache at " + cache_.root() + ": " + error);
      return std::nullopt;
    }
    auto auth = resolveAuth(request.auth, f);
    if (!auth) return std::nullopt;
    if (!auth->missingEnv.empty() && !options_.offline) {
      *f = detail::failure(FetchFailure::Kind::AuthConfig, auth->missingEnv);
      return std::nullopt;
    }
    tlRequests = 0;
    std::optional<FetchResult> result = dispatch(request, *auth, f);
    if (result) result->network = result->network || tlRequests > 0;
    tlRequests = 0;
    return result;
  }

  uint64_t requestCount() const override { return counting_.count(); }

 private:
  std::optional<FetchResult> dispatch(const FetchRequest& request, const ResolvedAuth& auth,
                                      FetchFailure* f) {
    switch (request.kind) {
      case FetchKind::Oci: {
        size_t slash = request.url.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 >= request.url.size()) {
          *f = detail::failure(FetchFailure::Kind::Invalid, "invalid URL");
          return std::nullopt;
        }
        detail::OciTarget target;
        target.registry = remote(request.url.substr(0, slash), auth);
        target.repo = request.url.substr(slash + 1);
        target.display = request.url;
        return detail::fetchOciArtifact(target, request, cache_, options_, f);
      }
      case FetchKind::OciLayout: {
        detail::OciTarget target;
        target.registry = layout(request.url);
        target.display = "oci-layout:" + request.url;
        target.remote = false;
        return detail::fetchOciArtifact(target, request, cache_, options_, f);
      }
      case FetchKind::GitHub:
      case FetchKind::GitLab:
      case FetchKind::Git:
      case FetchKind::Https:
        return detail::fetchGitSource(counting_, request, auth.source, cache_, options_, f);
    }
    *f = detail::failure(FetchFailure::Kind::Invalid, "unknown source kind");
    return std::nullopt;
  }

  /// The registry client for `host` with these credentials, kept for the Fetcher's life.
  Registry* remote(const std::string& host, const ResolvedAuth& auth) {
    std::string key = host + '\x1f' + (auth.given ? "1" : "0") + '\x1f' + auth.registry.username + '\x1f' +
                      auth.registry.password;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = registries_.find(key);
    if (it != registries_.end()) return it->second.get();
    RemoteOptions ro;
    ro.limits = options_.limits;
    ro.insecureHosts = options_.insecureHosts;
    ro.credentials = auth.registry;
    ro.useDockerConfig = !auth.given;
    auto reg = openRemoteRegistry(host, counting_, std::move(ro));
    Registry* out = reg.get();
    registries_.emplace(std::move(key), std::move(reg));
    return out;
  }

  Registry* layout(const std::string& dir) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = layouts_[dir];
    if (!slot) slot = openLayoutRegistry(dir);
    return slot.get();
  }

  const Cache cache_;  // a copy: the Fetcher may outlive the caller's Cache object
  http::Client& client_;
  CountingClient counting_{client_};
  FetcherOptions options_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Registry>> registries_;  // by host and credentials
  std::map<std::string, std::unique_ptr<Registry>> layouts_;     // by directory
};

}  // namespace

namespace detail {

FetchFailure failure(FetchFailure::Kind kind, std::string text, int status) {
  FetchFailure f;
  f.kind = kind;
  f.status = status;
  f.detail = std::move(text);
  return f;
}

}  // namespace detail

const char* lockKind(FetchKind kind) {
  switch (kind) {
    case FetchKind::Oci: return "oci";
    case FetchKind::OciLayout: return "oci-layout";
    case FetchKind::GitHub: return "github";
    case FetchKind::GitLab: return "gitlab";
    case FetchKind::Git: return "git";
    case FetchKind::Https: return "https";
  }
  return "oci";
}

std::string FetchFailure::message() const {
  switch (kind) {
    case Kind::NotFound: return "reference not found";
    case Kind::Unauthorized: return "authentication required (401)";
    case Kind::Forbidden: return "access denied (403)";
    case Kind::Status: return "unexpected status " + std::to_string(status);
    case Kind::Network: return "network error: " + detail;
    case Kind::DigestMismatch:
    case Kind::TooLarge:
    case Kind::Invalid:
    case Kind::Insecure:
    case Kind::AuthConfig:
    case Kind::Offline:
    case Kind::Cache: return detail;
  }
  return detail;
}

std::string FetchFailure::help() const {
  switch (kind) {
    case Kind::NotFound: return "Check available versions in the registry";
    case Kind::Unauthorized: return "Set the environment variable and check token expiry";
    case Kind::Forbidden: return "Grant read access to the repository or registry";
    case Kind::Status: return "the host answered a status ork cannot use; check the URL and try again later";
    case Kind::Network:
      return "check that the host is reachable and try again (ork already retried with backoff)";
    case Kind::DigestMismatch:
      return "the source served content that does not match its digest; nothing was kept";
    case Kind::TooLarge: return "check that the reference names an Orkestra pattern or motif";
    case Kind::Invalid: return "check that the reference names an Orkestra pattern (or motif) artifact";
    case Kind::Insecure:
      return "use HTTPS, or allow plain HTTP with --insecure-registry or ORK_INSECURE_REGISTRIES";
    case Kind::AuthConfig:
      return "name the variables in the import's auth block (fromEnv; basic: usernameFromEnv and "
             "passwordFromEnv) "
             "and export them";
    case Kind::Offline: return "run once without --offline to fill the cache (ork pull -f <komposer.yaml>)";
    case Kind::Cache: return "check that $ORK_CACHE_DIR (default ~/.cache/ork) is writable";
  }
  return "";
}

std::vector<std::optional<FetchResult>> Fetcher::fetchAll(const std::vector<FetchRequest>& requests,
                                                          std::vector<FetchFailure>* failures,
                                                          int parallelism, const Done& done) {
  std::vector<std::optional<FetchResult>> results(requests.size());
  std::vector<FetchFailure> fails(requests.size());
  std::atomic<size_t> next{0};
  std::mutex doneMu;
  auto worker = [&] {
    for (size_t i = next++; i < requests.size(); i = next++) {
      results[i] = fetch(requests[i], &fails[i]);
      if (done) {
        std::lock_guard<std::mutex> lock(doneMu);
        done(i, results[i], fails[i]);
      }
    }
  };
  size_t threads = std::min<size_t>(static_cast<size_t>(std::max(1, parallelism)), requests.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error&) {
      break;  // no more threads: the ones running (and this one) share the work
    }
  }
  worker();  // the calling thread works too
  for (std::thread& t : pool) t.join();
  if (failures) *failures = std::move(fails);
  return results;
}

std::unique_ptr<Fetcher> makeFetcher(const Cache& cache, http::Client& client, FetcherOptions options) {
  return std::make_unique<FetcherImpl>(cache, client, std::move(options));
}

}  // namespace ork::sources
