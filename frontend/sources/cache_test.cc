// Cache: the directory layout, verified reads that drop corrupt blobs, adopt failures that leave
// nothing behind, refs, and two processes storing the same blob at once.
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "frontend/sources/cache.h"
#include "frontend/sources/oci.h"
#include "frontend/sources/testing/store_temp_dir.h"

using namespace ork::sources;
using ork::sources::testing::slurp;
using ork::sources::testing::StoreTempDir;
namespace fs = std::filesystem;

namespace {

// Sets an environment variable for one scope, restoring the old value afterwards.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(const std::string& n, const char* value) : name(n) {
    if (const char* o = std::getenv(n.c_str())) old = o;
    if (value)
      ::setenv(n.c_str(), value, 1);
    else
      ::unsetenv(n.c_str());
  }
  ~ScopedEnv() {
    if (old)
      ::setenv(name.c_str(), old->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};

size_t countFiles(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
  return n;
}

int waitChild(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

}  // namespace

TEST_CASE("cache: the root comes from ORK_CACHE_DIR, XDG_CACHE_HOME, then HOME", "[store][cache]") {
  ScopedEnv home("HOME", "/home/someone");
  {
    ScopedEnv a("ORK_CACHE_DIR", "/c/ork");
    ScopedEnv b("XDG_CACHE_HOME", "/xdg");
    CHECK(defaultCacheDir() == "/c/ork");
  }
  {
    ScopedEnv a("ORK_CACHE_DIR", "");
    ScopedEnv b("XDG_CACHE_HOME", "/xdg");
    CHECK(defaultCacheDir() == "/xdg/ork");
  }
  ScopedEnv a("ORK_CACHE_DIR", nullptr);
  ScopedEnv b("XDG_CACHE_HOME", nullptr);
  CHECK(defaultCacheDir() == "/home/someone/.cache/ork");
}

TEST_CASE("cache: blobs are stored by digest and read back verified", "[store][cache]") {
  StoreTempDir tmp;
  Cache cache(tmp.path("c"));
  std::string err;
  REQUIRE(cache.ensure(&err));
  for (const char* sub : {"blobs/sha256", "refs", "git", "tmp", "patterns"})
    CHECK(fs::is_directory(tmp.path("c/") + sub));
  auto digest = cache.putBlob("hello", &err);
  REQUIRE(digest);
  CHECK(*digest == sha256Digest("hello"));
  CHECK(cache.blobPath(*digest) == tmp.path("c/blobs/sha256/") + digest->substr(7));
  CHECK(slurp(cache.blobPath(*digest)) == "hello");
  CHECK(cache.hasBlob(*digest));
  CHECK(*cache.readBlob(*digest) == "hello");
  CHECK_FALSE(cache.hasBlob(sha256Digest("absent")));
  CHECK(cache.blobPath("sha256:../../etc") == "");
  CHECK(countFiles(tmp.path("c/tmp")) == 0);  // nothing left behind
  CHECK(cache.gitDir() == tmp.path("c/git"));
}

TEST_CASE("cache: a corrupt blob is detected and removed", "[store][cache]") {
  StoreTempDir tmp;
  Cache cache(tmp.path());
  std::string digest = *cache.putBlob("good bytes");
  tmp.write("blobs/sha256/" + digest.substr(7), "bad bytes");
  CHECK_FALSE(cache.readBlob(digest));
  CHECK_FALSE(fs::exists(cache.blobPath(digest)));
  tmp.write("blobs/sha256/" + digest.substr(7), "bad again");
  CHECK_FALSE(cache.hasBlob(digest));
  CHECK_FALSE(fs::exists(cache.blobPath(digest)));
  // Stored again, it is whole.
  REQUIRE(cache.putBlob("good bytes"));
  CHECK(*cache.readBlob(digest) == "good bytes");
}

TEST_CASE("cache: adoptFile verifies, and a failed adopt leaves nothing in blobs/", "[store][cache]") {
  StoreTempDir tmp;
  Cache cache(tmp.path());
  REQUIRE(cache.ensure());
  std::string dl = cache.tmpPath("dl");
  CHECK(dl.rfind(tmp.path("tmp/dl-"), 0) == 0);
  CHECK(cache.tmpPath("dl") != dl);
  tmp.write(dl.substr(tmp.path().size() + 1), "downloaded");

  std::string err;
  CHECK_FALSE(cache.adoptFile(dl, sha256Digest("something else"), &err));
  CHECK(err == "downloaded content is " + sha256Digest("downloaded") + ", expected " +
                   sha256Digest("something else"));
  CHECK(countFiles(tmp.path("blobs/sha256")) == 0);
  CHECK_FALSE(fs::exists(dl));  // the bad download is gone too

  tmp.write(dl.substr(tmp.path().size() + 1), "downloaded");
  REQUIRE(cache.adoptFile(dl, sha256Digest("downloaded"), &err));
  CHECK(*cache.readBlob(sha256Digest("downloaded")) == "downloaded");
  CHECK_FALSE(fs::exists(dl));
  CHECK_FALSE(cache.adoptFile(tmp.path("tmp/missing"), sha256Digest("x"), &err));
  CHECK(countFiles(tmp.path("blobs/sha256")) == 1);
}

TEST_CASE("cache: refs map any key to one file and round-trip", "[store][cache]") {
  StoreTempDir tmp;
  Cache cache(tmp.path());
  std::string key = "oci:ghcr.io/orkspace/registry/postgres:v14";
  CHECK_FALSE(cache.readRef(key));
  REQUIRE(cache.writeRef(key, "sha256:9f2c"));
  REQUIRE(cache.writeRef("../../escape", "abc"));
  REQUIRE(cache.writeRef("", "empty"));
  CHECK(*cache.readRef(key) == "sha256:9f2c");
  CHECK(*cache.readRef("../../escape") == "abc");
  CHECK(*cache.readRef("") == "empty");
  CHECK(fs::exists(tmp.path("refs/oci%3Aghcr.io%2Forkspace%2Fregistry%2Fpostgres%3Av14")));
  CHECK(countFiles(tmp.path("refs")) == 3);
  REQUIRE(cache.writeRef(key, "sha256:aaaa"));
  CHECK(*cache.readRef(key) == "sha256:aaaa");
  std::string err;
  CHECK_FALSE(cache.writeRef(key, "two\nlines", &err));
  CHECK(err == "invalid resolution \"two\nlines\"");
  std::string longKey(500, 'k');
  REQUIRE(cache.writeRef(longKey, "x"));
  CHECK(*cache.readRef(longKey) == "x");
  CHECK_FALSE(cache.readRef(std::string(499, 'k')));
}

TEST_CASE("cache: patternDir is empty until the directory exists", "[store][cache]") {
  StoreTempDir tmp;
  Cache cache(tmp.path());
  std::string key = sha256Digest("manifest");
  CHECK(cache.patternDir(key) == "");
  CHECK(cache.patternPath(key) == tmp.path("patterns/sha256%3A") + key.substr(7));
  fs::create_directories(cache.patternPath(key));
  CHECK(cache.patternDir(key) == cache.patternPath(key));
}

TEST_CASE("cache: two processes store the same blob concurrently", "[store][cache]") {
  StoreTempDir tmp;
  Cache cache(tmp.path());
  std::string big(2 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 4099) big[i] = static_cast<char>('a' + i % 26);
  std::string digest = sha256Digest(big);
  pid_t kids[2];
  for (pid_t& k : kids) {
    k = ::fork();
    REQUIRE(k >= 0);
    if (k == 0) {
      Cache c(tmp.path());
      for (int i = 0; i < 20; ++i) {
        ::unlink(c.blobPath(digest).c_str());  // force a fresh write each round
        if (c.putBlob(big) != digest) ::_exit(1);
        auto back = c.readBlob(digest);
        // A reader never sees a partial blob: either absent (just unlinked by the other) or whole.
        if (back && *back != big) ::_exit(2);
      }
      ::_exit(0);
    }
  }
  CHECK(waitChild(kids[0]) == 0);
  CHECK(waitChild(kids[1]) == 0);
  REQUIRE(cache.putBlob(big));
  CHECK(*cache.readBlob(digest) == big);
  CHECK(countFiles(tmp.path("tmp")) == 0);
  CHECK(countFiles(tmp.path("blobs/sha256")) == 1);
}

TEST_CASE("cache: CacheLock excludes another process until released", "[store][cache]") {
  StoreTempDir tmp;
  Cache cache(tmp.path("c"));
  std::string marker = tmp.path("released");
  // The child is forked before the parent locks: a forked child would share the parent's lock
  // (flock belongs to the open file description) and never see it released.
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t kid = ::fork();
  REQUIRE(kid >= 0);
  if (kid == 0) {
    char c;
    ::close(ready[1]);
    if (::read(ready[0], &c, 1) != 1) ::_exit(3);
    auto started = std::chrono::steady_clock::now();
    CacheLock mine(cache);  // blocks until the parent releases
    auto waited = std::chrono::steady_clock::now() - started;
    ::_exit(mine.held() && fs::exists(marker) && waited >= std::chrono::milliseconds(200) ? 0 : 1);
  }
  ::close(ready[0]);
  {
    CacheLock lock(cache);
    REQUIRE(lock.held());
    CHECK(fs::exists(tmp.path("c/lock")));
    REQUIRE(::write(ready[1], "x", 1) == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    tmp.write("released", "1");
  }
  ::close(ready[1]);
  CHECK(waitChild(kid) == 0);
}
