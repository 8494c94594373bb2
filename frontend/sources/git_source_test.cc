// Git sources against real repositories: a bare repository built with the git CLI (file://) and the
// same served by `git daemon` on loopback (git://).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "frontend/sources/git_source.h"
#include "frontend/sources/git_source_internal.h"
#include "frontend/sources/oci.h"
#include "support/http.h"
#include "support/testing/server_process.h"

namespace fs = std::filesystem;
using namespace ork::sources;

namespace {

/// Runs a shell command; returns its stdout (fails the test on a non-zero exit).
std::string sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  INFO(cmd << "\n" << out);
  REQUIRE(rc == 0);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << s;
}

/// A port the kernel reports free on 127.0.0.1 (bind to 0, read it, close).
int freePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A temporary tree: a work repository with two commits (tag v1 on the first, branch main at the
/// second) and a bare clone of it; removed at the end.
struct Fixture {
  fs::path root;
  std::string bare;
  std::string first, second;

  Fixture() {
    char tmpl[] = "/tmp/ork-git-XXXXXX";
    root = mkdtemp(tmpl);
    fs::path work = root / "work";
    std::string git = "git -C " + work.string() + " -c user.name=t -c user.email=t@e -c commit.gpgsign=false ";
    fs::create_directories(work);
    sh("git init -q -b main " + work.string());
    for (const char* f : {"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"}) {
      write(work / "postgres" / f, std::string("v1 ") + f + "\n");
    }
    write(work / "top.txt", "top\n");
    sh(git + "add -A && " + git + "commit -q -m one && " + git + "tag v1");
    first = sh(git + "rev-parse HEAD");
    write(work / "postgres" / "katalog.yaml", "v2 katalog.yaml\n");
    write(work / "postgres" / "simulate.yaml", "v2 simulate\n");
    sh(git + "add -A && " + git + "commit -q -m two");
    second = sh(git + "rev-parse HEAD");
    bare = (root / "patterns.git").string();
    sh("git clone -q --bare " + work.string() + " " + bare);
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  Cache cache() const { return Cache((root / "cache").string()); }
};

const FileSet kFiles{{"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"},
                     {"simulate.yaml", "e2e.yaml"}};

}  // namespace

TEST_CASE("splitGitUrl separates the // sub-path", "[git]") {
  GitUrl g = splitGitUrl("https://git.acme.io/ops/patterns.git//postgres/");
  CHECK(g.repo == "https://git.acme.io/ops/patterns.git");
  CHECK(g.subPath == "postgres");
  CHECK(splitGitUrl("file:///tmp/x.git").subPath.empty());
}

TEST_CASE("fetchGit reads a branch, a tag and a SHA from a bare repository", "[git]") {
  Fixture fx;
  Cache cache = fx.cache();
  FetchError err;
  std::string url = "file://" + fx.bare + "//postgres";

  auto main = fetchGit(cache, url, "main", "", kFiles, {}, &err);
  INFO(err.message());
  REQUIRE(main);
  CHECK(main->commit == fx.second);
  CHECK(slurp(fs::path(main->dir) / "katalog.yaml") == "v2 katalog.yaml\n");
  CHECK(slurp(fs::path(main->dir) / "simulate.yaml") == "v2 simulate\n");
  CHECK(main->digests.size() == 6);  // five required + simulate.yaml; e2e.yaml is absent (optional)
  CHECK(!fs::exists(fs::path(main->dir) / "top.txt"));

  auto tag = fetchGit(cache, url, "v1", "", kFiles, {}, &err);
  REQUIRE(tag);
  CHECK(tag->commit == fx.first);
  CHECK(slurp(fs::path(tag->dir) / "katalog.yaml") == "v1 katalog.yaml\n");
  CHECK(!fs::exists(fs::path(tag->dir) / "simulate.yaml"));

  auto sha = fetchGit(cache, url, fx.first, "", kFiles, {}, &err);
  REQUIRE(sha);
  CHECK(sha->dir == tag->dir);

  // A pinned commit (ork.lock) wins over the moving branch name.
  auto pinned = fetchGit(cache, url, "main", fx.first, kFiles, {}, &err);
  REQUIRE(pinned);
  CHECK(pinned->commit == fx.first);
}

TEST_CASE("fetchGit reports a missing ref and leaves missing required files absent", "[git]") {
  Fixture fx;
  Cache cache = fx.cache();
  FetchError err;
  CHECK(!fetchGit(cache, "file://" + fx.bare + "//postgres", "nope", "", kFiles, {}, &err));
  CHECK(err.kind == FetchError::Kind::NotFound);
  CHECK(err.message() == "reference not found");

  auto top = fetchGit(cache, "file://" + fx.bare, "main", "", kFiles, {}, &err);
  REQUIRE(top);
  CHECK(top->digests.empty());  // none of the pattern files lives at the repository root

  CHECK(!fetchGit(cache, "file://" + (fx.root / "missing.git").string(), "main", "", kFiles, {}, &err));
  INFO(err.detail);
  CHECK(err.kind == FetchError::Kind::NotFound);
}

TEST_CASE("fetchGit clones over git:// from git daemon on loopback", "[git]") {
  Fixture fx;
  int port = 0;
  pid_t daemon = -1;
  for (int attempt = 0; attempt < 5 && daemon < 0; ++attempt) {
    int candidate = freePort();
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::string base = "--base-path=" + fx.root.string();
      std::string listen = "--port=" + std::to_string(candidate);
      execlp("git", "git", "daemon", "--export-all", "--reuseaddr", base.c_str(), "--listen=127.0.0.1",
             listen.c_str(), fx.root.string().c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Wait until it accepts, or exits (port taken).
    bool up = false;
    for (int i = 0; i < 50 && !up; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      int status;
      if (waitpid(pid, &status, WNOHANG) == pid) break;
      up = std::system(("git ls-remote git://127.0.0.1:" + std::to_string(candidate) + "/patterns.git >/dev/null 2>&1")
                           .c_str()) == 0;
    }
    if (up) {
      daemon = pid;
      port = candidate;
    } else {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
  REQUIRE(daemon > 0);
  struct Stop {
    pid_t pid;
    ~Stop() {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  } stop{daemon};

  Cache cache = fx.cache();
  FetchError err;
  auto got = fetchGit(cache, "git://127.0.0.1:" + std::to_string(port) + "/patterns.git//postgres", "v1", "", kFiles,
                      {}, &err);
  INFO(err.message());
  REQUIRE(got);
  CHECK(got->commit == fx.first);
  CHECK(slurp(fs::path(got->dir) / "README.md") == "v1 README.md\n");
}

namespace {

/// A GitHub/GitLab look-alike served by testdata/fixtures/http_server.py from `root`.
struct HostFixture {
  fs::path root;
  std::string sha = std::string(40, 'a');
  HostFixture() {
    char tmpl[] = "/tmp/ork-host-XXXXXX";
    root = mkdtemp(tmpl);
    write(root / "repos/acme/patterns/commits/v14", sha + "\n");
    write(root / "api/v4/projects/group/project/repository/commits/v14", "{\"id\": \"" + sha + "\"}");
    for (const char* f : {"katalog.yaml", "crd.yaml", "cr.yaml", "komposer.yaml", "README.md"}) {
      write(root / "acme/patterns" / sha / "postgres" / f, std::string("gh ") + f + "\n");
      write(root / "group/project/-/raw" / sha / "postgres" / f, std::string("gl ") + f + "\n");
    }
  }
  ~HostFixture() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

ork::testing::ServerProcess startServer(const fs::path& root, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv{"python3", ork::testing::sourceDir() + "/testdata/fixtures/http_server.py",
                                "--root", root.string(), "--lifetime", "60"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return ork::testing::ServerProcess(argv);
}

}  // namespace

TEST_CASE("fetchGitHub resolves the ref then fetches each file from that commit", "[git][http]") {
  HostFixture host;
  auto server = startServer(host.root, {"--bearer", "s3cret"});
  std::string port = server.readLine();
  REQUIRE(!port.empty());
  std::string base = "http://127.0.0.1:" + port;
  setenv("ORK_GITHUB_API_BASE", base.c_str(), 1);
  setenv("ORK_GITHUB_RAW_BASE", base.c_str(), 1);
  auto client = ork::http::makeCurlClient();
  Cache cache((host.root / "cache").string());
  FetchError err;
  SourceAuth auth;
  auth.headers.emplace_back("Authorization", "Bearer s3cret");

  auto got = fetchGitHub(*client, cache, "https://github.com/acme/patterns/postgres", "v14", "", kFiles, auth, &err);
  INFO(err.message());
  REQUIRE(got);
  CHECK(got->commit == host.sha);
  CHECK(slurp(fs::path(got->dir) / "crd.yaml") == "gh crd.yaml\n");
  CHECK(got->digests.size() == 5);

  CHECK(!fetchGitHub(*client, cache, "https://github.com/acme/patterns/postgres", "v15", "", kFiles, auth, &err));
  CHECK(err.message() == "reference not found");
  CHECK(!fetchGitHub(*client, cache, "https://github.com/acme/patterns/postgres", "v14", "", kFiles, {}, &err));
  CHECK(err.message() == "authentication required (401)");
  unsetenv("ORK_GITHUB_API_BASE");
  unsetenv("ORK_GITHUB_RAW_BASE");
}

TEST_CASE("fetchGitHub maps 403 to access denied", "[git][http]") {
  HostFixture host;
  auto server = startServer(host.root, {"--fault", "/repos/acme/patterns/commits/v14=status:403"});
  std::string base = "http://127.0.0.1:" + server.readLine();
  setenv("ORK_GITHUB_API_BASE", base.c_str(), 1);
  setenv("ORK_GITHUB_RAW_BASE", base.c_str(), 1);
  auto client = ork::http::makeCurlClient();
  Cache cache((host.root / "cache").string());
  FetchError err;
  CHECK(!fetchGitHub(*client, cache, "https://github.com/acme/patterns/postgres", "v14", "", kFiles, {}, &err));
  CHECK(err.message() == "access denied (403)");
  unsetenv("ORK_GITHUB_API_BASE");
  unsetenv("ORK_GITHUB_RAW_BASE");
}

TEST_CASE("fetchGitLab resolves through the commits API and reads /-/raw/ files", "[git][http]") {
  HostFixture host;
  auto server = startServer(host.root);
  std::string base = "http://127.0.0.1:" + server.readLine();
  auto client = ork::http::makeCurlClient();
  Cache cache((host.root / "cache").string());
  FetchError err;
  auto got = fetchGitLab(*client, cache, base + "/group/project/-/postgres", "v14", "", kFiles, {}, &err);
  INFO(err.message());
  REQUIRE(got);
  CHECK(got->commit == host.sha);
  CHECK(slurp(fs::path(got->dir) / "katalog.yaml") == "gl katalog.yaml\n");
  CHECK(!fetchGitLab(*client, cache, "http://gitlab.example.com/group/project", "v14", "", kFiles, {}, &err));
  CHECK(err.message() == "plain HTTP is only used for loopback hosts");
}

TEST_CASE("fetchHttpsFile caches by content digest and honours a pinned digest", "[git][http]") {
  HostFixture host;
  write(host.root / "files/audit.yaml", "kind: Katalog\n");
  auto server = startServer(host.root);
  std::string base = "http://127.0.0.1:" + server.readLine();
  auto client = ork::http::makeCurlClient();
  Cache cache((host.root / "cache").string());
  FetchError err;
  std::string digest;
  auto path = fetchHttpsFile(*client, cache, base + "/files/audit.yaml", "", {}, &digest, &err);
  REQUIRE(path);
  CHECK(slurp(*path) == "kind: Katalog\n");
  CHECK(digest == sha256Digest("kind: Katalog\n"));
  // Pinned and cached: no request needed (the server is gone).
  server.stop();
  auto again = fetchHttpsFile(*client, cache, base + "/files/audit.yaml", digest, {}, &digest, &err);
  REQUIRE(again);
  CHECK(*again == *path);
}
