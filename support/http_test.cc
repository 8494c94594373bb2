// Tests of support/http.h: URL helpers, and the libcurl client against the real local server
// testdata/fixtures/http_server.py (retries, Retry-After, redirects across ports, limits, sinks, uploads).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/http.h"
#include "support/template_functions.h"
#include "support/testing/server_process.h"

namespace fs = std::filesystem;
using namespace ork::http;
using ork::testing::ServerProcess;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "ork-http-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// One http_server.py with `args`; base() is its URL.
struct Server {
  ServerProcess process;
  std::string port;
  explicit Server(std::vector<std::string> args)
      : process([&] {
          std::vector<std::string> argv = {
              "python3", ork::testing::sourceDir() + "/testdata/fixtures/http_server.py", "--lifetime", "60"};
          argv.insert(argv.end(), args.begin(), args.end());
          return argv;
        }()) {
    port = process.readLine();
    REQUIRE(!port.empty());
  }
  std::string base() const { return "http://127.0.0.1:" + port; }
};

Request get(const std::string& url) {
  Request r;
  r.url = url;
  r.backoffMillis = 10;
  return r;
}

}  // namespace

TEST_CASE("parseUrl splits scheme, host, port, path and query", "[http]") {
  Url u;
  REQUIRE(parseUrl("https://ghcr.io/v2/team/pg/manifests/v1?n=10", u));
  CHECK(u.scheme == "https");
  CHECK(u.host == "ghcr.io");
  CHECK(u.port.empty());
  CHECK(u.path == "/v2/team/pg/manifests/v1");
  CHECK(u.query == "n=10");
  CHECK(u.authority() == "ghcr.io");
  REQUIRE(parseUrl("http://user:pw@127.0.0.1:5000", u));
  CHECK(u.host == "127.0.0.1");
  CHECK(u.port == "5000");
  CHECK(u.path.empty());
  REQUIRE(parseUrl("http://[::1]:8080/x", u));
  CHECK(u.host == "[::1]");
  CHECK(u.authority() == "[::1]:8080");
  CHECK_FALSE(parseUrl("ghcr.io/team/pg", u));
  CHECK_FALSE(parseUrl("http://host:80a/", u));
  CHECK_FALSE(parseUrl("http:///path", u));
}

TEST_CASE("percentEncode keeps only unreserved characters", "[http]") {
  CHECK(percentEncode("group/sub project") == "group%2Fsub%20project");
  CHECK(percentEncode("a-b.c_d~e") == "a-b.c_d~e");
  CHECK(percentEncode("\xff") == "%FF");
}

TEST_CASE("redactUrl hides user info, secret query values and header secrets", "[http]") {
  CHECK(redactUrl("https://bob:s3cret@git.acme.io/x.git") == "https://***@git.acme.io/x.git");
  CHECK(redactUrl("https://s3.example/blob?X-Amz-Signature=abc&n=1&access_token=t") ==
        "https://s3.example/blob?X-Amz-Signature=***&n=1&access_token=***");
  CHECK(redactUrl("Bearer abc.def") == "Bearer ***");
  CHECK(redactUrl("Basic dXNlcjpwdw==") == "Basic ***");
  CHECK(redactUrl("http://127.0.0.1:5000/v2/") == "http://127.0.0.1:5000/v2/");
}

TEST_CASE("isLoopbackHost accepts localhost, 127/8 and ::1 only", "[http]") {
  CHECK(isLoopbackHost("localhost"));
  CHECK(isLoopbackHost("LOCALHOST"));
  CHECK(isLoopbackHost("127.0.0.1"));
  CHECK(isLoopbackHost("127.10.20.30"));
  CHECK(isLoopbackHost("::1"));
  CHECK(isLoopbackHost("[::1]"));
  CHECK_FALSE(isLoopbackHost("128.0.0.1"));
  CHECK_FALSE(isLoopbackHost("127.0.0"));
  CHECK_FALSE(isLoopbackHost("127.0.0.1.evil.io"));
  CHECK_FALSE(isLoopbackHost("localhost.evil.io"));
  CHECK_FALSE(isLoopbackHost("ghcr.io"));
}

TEST_CASE("GET and HEAD of a served file", "[http][server]") {
  TempDir dir;
  writeFile(dir.path / "files/a.txt", "hello ork\n");
  Server server({"--root", dir.path.string()});
  auto client = makeCurlClient();
  Response r = client->send(get(server.base() + "/files/a.txt"));
  CHECK(r.ok());
  CHECK(r.status == 200);
  CHECK(r.body == "hello ork\n");
  CHECK(r.header("content-length") == "10");
  CHECK(r.attemptsMade == 1);

  Request head = get(server.base() + "/files/a.txt");
  head.method = "HEAD";
  r = client->send(head);
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(r.header("Content-Length") == "10");

  r = client->send(get(server.base() + "/files/missing.txt"));
  CHECK(r.status == 404);
  CHECK_FALSE(r.ok());
  CHECK(r.error.empty());
  CHECK(r.attemptsMade == 1);  // a 404 is not retried
}

TEST_CASE("basic auth is sent as given", "[http][server]") {
  TempDir dir;
  writeFile(dir.path / "f", "x");
  Server server({"--root", dir.path.string(), "--basic", "alice:pw"});
  auto client = makeCurlClient();
  Response r = client->send(get(server.base() + "/f"));
  CHECK(r.status == 401);
  CHECK(r.header("WWW-Authenticate") == "Basic realm=\"test\"");
  Request authed = get(server.base() + "/f");
  authed.headers.push_back({"Authorization", "Basic " + ork::tmpl::base64Encode("alice:pw")});
  r = client->send(authed);
  CHECK(r.status == 200);
  CHECK(r.body == "x");
}

TEST_CASE("5xx is retried with backoff up to `attempts`", "[http][server]") {
  TempDir dir;
  writeFile(dir.path / "flaky", "finally");
  Server server({"--root", dir.path.string(), "--fault", "/flaky=fail:2:500", "--fault", "/down=fail:9:503"});
  std::vector<std::string> retries;
  CurlOptions options;
  options.onRetry = [&](int attempt, const std::string& why) {
    retries.push_back(std::to_string(attempt) + " " + why);
  };
  auto client = makeCurlClient(options);
  Response r = client->send(get(server.base() + "/flaky"));
  CHECK(r.ok());
  CHECK(r.body == "finally");
  CHECK(r.attemptsMade == 3);
  CHECK(retries == std::vector<std::string>{"1 status 500", "2 status 500"});

  Request once = get(server.base() + "/down");
  once.attempts = 2;
  r = client->send(once);
  CHECK(r.status == 503);
  CHECK(r.attemptsMade == 2);
}

TEST_CASE("429 honours Retry-After", "[http][server]") {
  TempDir dir;
  writeFile(dir.path / "limited", "ok");
  Server server({"--root", dir.path.string(), "--fault", "/limited=retry-after:1:1"});
  auto client = makeCurlClient();
  auto start = std::chrono::steady_clock::now();
  Response r = client->send(get(server.base() + "/limited"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(r.ok());
  CHECK(r.attemptsMade == 2);
  CHECK(elapsed >= std::chrono::milliseconds(950));  // backoff alone would be 10 ms
}

TEST_CASE("redirects keep Authorization on the same origin and drop it on another port", "[http][server]") {
  TempDir dir;
  writeFile(dir.path / "target", "moved here");
  Server other({"--root", dir.path.string()});
  Server first({"--root", dir.path.string(), "--fault", "/away=redirect:" + other.base() + "/target",
                "--fault", "/same=redirect:/target"});
  auto client = makeCurlClient();
  Request r = get(first.base() + "/away");
  r.headers.push_back({"Authorization", "Bearer secret-token"});
  Response resp = client->send(r);
  CHECK(resp.ok());
  CHECK(resp.body == "moved here");
  CHECK(resp.effectiveUrl == other.base() + "/target");
  auto log = nlohmann::json::parse(client->send(get(other.base() + "/__log")).body);
  REQUIRE(log.size() == 1);
  CHECK(log[0]["path"] == "/target");
  CHECK(log[0]["authorization"].is_null());

  r.url = first.base() + "/same";
  resp = client->send(r);
  CHECK(resp.body == "moved here");
  log = nlohmann::json::parse(client->send(get(first.base() + "/__log")).body);
  REQUIRE(log.size() == 3);
  CHECK(log[2]["path"] == "/target");
  CHECK(log[2]["authorization"] == "Bearer secret-token");

  Request loop = get(first.base() + "/away");
  loop.maxRedirects = 0;
  resp = client->send(loop);
  CHECK(resp.error == "too many redirects");
  CHECK(resp.attemptsMade == 1);
}

TEST_CASE("a truncated body is a retried transport error", "[http][server]") {
  TempDir dir;
  writeFile(dir.path / "cut", std::string(1000, 'a'));
  Server server({"--root", dir.path.string(), "--fault", "/cut=truncate:10"});
  auto client = makeCurlClient();
  Response r = client->send(get(server.base() + "/cut"));
  CHECK_FALSE(r.ok());
  CHECK(r.status == 0);
  CHECK(r.error == "connection closed before the body was complete");
  CHECK(r.attemptsMade == 3);
}

TEST_CASE("maxResponseBytes aborts the transfer and removes the sink file", "[http][server]") {
  TempDir dir;
  Server server({"--fault", "/big=big:5000000"});
  auto client = makeCurlClient();
  Request r = get(server.base() + "/big");
  r.maxResponseBytes = 100000;
  r.sinkFile = (dir.path / "big.part").string();
  Response resp = client->send(r);
  CHECK(resp.tooLarge);
  CHECK_FALSE(resp.ok());
  CHECK(resp.attemptsMade == 1);
  CHECK(resp.error == "response larger than 100000 bytes");
  CHECK_FALSE(fs::exists(dir.path / "big.part"));

  r.maxResponseBytes = 5000000;
  resp = client->send(r);
  CHECK(resp.ok());
  CHECK(resp.body.empty());
  CHECK(fs::file_size(dir.path / "big.part") == 5000000);
}

TEST_CASE("timeouts end a slow body", "[http][server]") {
  TempDir dir;
  writeFile(dir.path / "slow", std::string(50, 's'));
  Server server({"--root", dir.path.string(), "--fault", "/slow=slow:200"});
  auto client = makeCurlClient();
  Request r = get(server.base() + "/slow");
  r.timeoutSeconds = 1;
  r.attempts = 1;
  r.sinkFile = (dir.path / "slow.part").string();
  Response resp = client->send(r);
  CHECK(resp.error == "timeout");
  CHECK(resp.status == 0);
  CHECK_FALSE(fs::exists(dir.path / "slow.part"));
}

TEST_CASE("request bodies from memory and from a file", "[http][server]") {
  TempDir dir;
  std::string payload(300000, 'p');
  writeFile(dir.path / "upload.bin", payload);
  Server server({});
  auto client = makeCurlClient();
  Request put = get(server.base() + "/__echo");
  put.method = "PUT";
  put.bodyFile = (dir.path / "upload.bin").string();
  Response r = client->send(put);
  REQUIRE(r.ok());
  auto echo = nlohmann::json::parse(r.body);
  CHECK(echo["method"] == "PUT");
  CHECK(echo["bodyLength"] == 300000);
  CHECK(echo["bodySha256"] == ork::tmpl::sha256Hex(payload));

  Request post = get(server.base() + "/__echo?x=1");
  post.method = "PATCH";
  post.body = "chunk";
  post.headers.push_back({"Content-Range", "0-4"});
  r = client->send(post);
  REQUIRE(r.ok());
  echo = nlohmann::json::parse(r.body);
  CHECK(echo["method"] == "PATCH");
  CHECK(echo["path"] == "/__echo?x=1");
  CHECK(echo["bodyLength"] == 5);
  CHECK(echo["headers"]["content-range"] == "0-4");
  CHECK_FALSE(echo["headers"].contains("content-type"));
  CHECK(echo["headers"]["user-agent"] == "ork");

  put.bodyFile = (dir.path / "absent.bin").string();
  r = client->send(put);
  CHECK(r.error == "cannot read " + put.bodyFile);
  CHECK(r.attemptsMade == 1);
}

TEST_CASE("a refused connection is retried, then reported", "[http][server]") {
  std::string base;
  {
    Server gone({});
    base = gone.base();
  }
  auto client = makeCurlClient();
  Response r = client->send(get(base + "/x"));
  CHECK(r.status == 0);
  CHECK(r.error == "connection refused");
  CHECK(r.attemptsMade == 3);
}
