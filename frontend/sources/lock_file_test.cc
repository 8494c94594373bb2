// ork.lock: exact canonical bytes, sorting, round trips, atomic writes and strict reading with errors
// that name the JSON path.
#include <catch2/catch.hpp>

#include <filesystem>

#include "frontend/sources/lock_file.h"
#include "frontend/sources/oci.h"
#include "frontend/sources/testing/store_temp_dir.h"

using namespace ork::sources;
using ork::sources::testing::slurp;
using ork::sources::testing::StoreTempDir;

namespace {

const std::string kD1 = sha256Digest("1");
const std::string kD2 = sha256Digest("2");

LockEntry entry(std::string kind, std::string url, std::string version) {
  LockEntry e;
  e.kind = std::move(kind);
  e.url = std::move(url);
  e.version = std::move(version);
  e.resolved = kD1;
  return e;
}

std::string readError(const StoreTempDir& tmp, const std::string& text) {
  std::string path = tmp.write("ork.lock", text);
  std::string err;
  CHECK_FALSE(readLockFile(path, &err));
  return err;
}

}  // namespace

TEST_CASE("lock: canonical bytes with sorted keys, imports and usedBy", "[store][lock]") {
  LockFile lock;
  LockEntry pg = entry("oci", "ghcr.io/orkspace/orkestra-registry/postgres", "v14");
  pg.files = {{"katalog.yaml", kD2}, {"README.md", kD1}};
  pg.usedBy = {"spec.crds.web.imports[1]", "imports.registry[0]", "imports.registry[0]"};
  LockEntry gh = entry("github", "https://github.com/acme/patterns/redis", "main");
  gh.resolved = std::string(40, 'a');
  lock.imports = {pg, gh};

  std::string expected = R"({
  "imports": [
    {
      "files": {},
      "kind": "github",
      "resolved": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "url": "https://github.com/acme/patterns/redis",
      "usedBy": [],
      "version": "main"
    },
    {
      "files": {
        "README.md": ")" +
                         kD1 + R"(",
        "katalog.yaml": ")" +
                         kD2 + R"("
      },
      "kind": "oci",
      "resolved": ")" + kD1 +
                         R"(",
      "url": "ghcr.io/orkspace/orkestra-registry/postgres",
      "usedBy": [
        "imports.registry[0]",
        "spec.crds.web.imports[1]"
      ],
      "version": "v14"
    }
  ],
  "lockVersion": 1
}
)";
  CHECK(serializeLockFile(lock) == expected);
  CHECK(serializeLockFile(LockFile{}) == "{\n  \"imports\": [],\n  \"lockVersion\": 1\n}\n");
}

TEST_CASE("lock: imports sort by kind, url, then version", "[store][lock]") {
  LockFile lock;
  lock.imports = {entry("oci", "b", "v1"), entry("oci", "a", "v2"), entry("git", "z", "main"),
                  entry("oci", "a", "v10")};
  auto j = nlohmann::json::parse(serializeLockFile(lock));
  std::vector<std::string> order;
  for (const auto& e : j["imports"])
    order.push_back(e["kind"].get<std::string>() + " " + e["url"].get<std::string>() + " " +
                    e["version"].get<std::string>());
  CHECK(order == std::vector<std::string>{"git z main", "oci a v10", "oci a v2", "oci b v1"});
}

TEST_CASE("lock: RFC 8785 string escaping and UTF-16 key order", "[store][lock]") {
  LockFile lock;
  LockEntry e = entry("https", "https://x.io/a\"b\\c\td\x01", "v");
  // U+1F600 (a surrogate pair in UTF-16) sorts before U+FF21 there, after it by code point.
  e.files = {{"\xEF\xBC\xA1.yaml", kD1}, {"\xF0\x9F\x98\x80.yaml", kD2}, {"\xC3\xA9.yaml", kD1}};
  lock.imports = {e};
  std::string s = serializeLockFile(lock);
  CHECK(s.find(R"("url": "https://x.io/a\"b\\c\td\u0001")") != std::string::npos);
  size_t eAcute = s.find("\xC3\xA9.yaml"), emoji = s.find("\xF0\x9F\x98\x80.yaml"),
         fullA = s.find("\xEF\xBC\xA1.yaml");
  CHECK(eAcute < emoji);
  CHECK(emoji < fullA);
}

TEST_CASE("lock: write then read round-trips; a missing file is an empty lock", "[store][lock]") {
  StoreTempDir tmp;
  std::string path = tmp.path("ork.lock");
  bool exists = true;
  std::string err;
  auto none = readLockFile(path, &err, &exists);
  REQUIRE(none);
  CHECK_FALSE(exists);
  CHECK(none->imports.empty());

  LockFile lock;
  LockEntry e = entry("oci-layout", "./registry/postgres", "v14");
  e.files = {{"crd.yaml", kD2}, {"example/app.yaml", kD1}};
  e.usedBy = {"imports.registry[0]"};
  lock.imports = {e, entry("https", "https://x.io/k.yaml", "")};
  REQUIRE(writeLockFile(path, lock, &err));
  CHECK(std::distance(std::filesystem::directory_iterator(tmp.path()),
                      std::filesystem::directory_iterator()) == 1);
  auto back = readLockFile(path, &err, &exists);
  REQUIRE(back);
  CHECK(exists);
  REQUIRE(back->imports.size() == 2);
  const LockEntry* found = back->find("oci-layout", "./registry/postgres", "v14");
  REQUIRE(found);
  CHECK(found->files == e.files);
  CHECK(found->usedBy == e.usedBy);
  CHECK(back->find("oci-layout", "./registry/postgres", "v15") == nullptr);
  CHECK(serializeLockFile(*back) == slurp(path));
  CHECK_FALSE(writeLockFile(tmp.path("no/such/dir/ork.lock"), lock, &err));
  CHECK(err.rfind("ork.lock: ", 0) == 0);
}

TEST_CASE("lock: strict reading names the JSON path", "[store][lock]") {
  StoreTempDir tmp;
  const std::string good = R"({"files": {}, "kind": "oci", "resolved": ")" + kD1 +
                           R"(", "url": "u", "usedBy": [], "version": "v"})";
  auto wrap = [](const std::string& entryText) {
    return R"({"imports": [)" + entryText + R"(], "lockVersion": 1})";
  };
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return wrap(s);
  };
  CHECK(readError(tmp, R"({"imports": [], "lockVersion": 2})") ==
        "ork.lock: lockVersion: 2 is not supported (supported: 1)");
  CHECK(readError(tmp, R"({"imports": [], "lockVersion": "1"})") ==
        "ork.lock: lockVersion: expected an integer");
  CHECK(readError(tmp, R"({"imports": []})") == "ork.lock: lockVersion: missing");
  CHECK(readError(tmp, R"({"imports": {}, "lockVersion": 1})") == "ork.lock: imports: expected a list");
  CHECK(readError(tmp, R"({"imports": [], "lockVersion": 1, "extra": 0})") == "ork.lock: extra: unknown key");
  CHECK(readError(tmp, "[]") == "ork.lock: (top level): expected an object");
  CHECK(readError(tmp, wrap(good + "," + good)) ==
        "ork.lock: imports[1]: duplicate entry for oci \"u\" version \"v\"");
  CHECK(readError(tmp, with(R"("kind": "oci")", R"("kind": "svn")")) ==
        "ork.lock: imports[0].kind: unknown kind \"svn\" (oci, oci-layout, github, gitlab, git, https)");
  CHECK(readError(tmp, with(R"("url": "u")", R"("url": 3)")) ==
        "ork.lock: imports[0].url: expected a string");
  CHECK(readError(tmp, with(R"("url": "u", )", "")) == "ork.lock: imports[0].url: missing");
  CHECK(readError(tmp, with(R"("usedBy": [])", R"("usedBy": [1])")) ==
        "ork.lock: imports[0].usedBy[0]: expected a string");
  CHECK(readError(tmp, with(R"("files": {})", R"("files": {"a.yaml": "md5:x"})")) ==
        "ork.lock: imports[0].files[\"a.yaml\"]: expected a sha256:<64 hex> digest");
  CHECK(readError(tmp, with(R"("files": {})", R"("files": {"../a.yaml": ")" + kD1 + "\"}")) ==
        "ork.lock: imports[0].files[\"../a.yaml\"]: unsafe path (contains '..')");
  CHECK(readError(tmp, with(R"("files": {})", R"("files": {}, "extra": true)")) ==
        "ork.lock: imports[0].extra: unknown key");
  CHECK(readError(tmp, "{\n  \"lockVersion\": 1,\n  \"imports\": [,]\n}") ==
        "ork.lock: not valid JSON (line 3, column 15)");
  CHECK(readError(tmp, R"({"imports": [], "lockVersion": 1, "lockVersion": 1})") ==
        "ork.lock: duplicate key \"lockVersion\"");
  std::string err;
  auto ok = readLockFile(tmp.write("ork.lock", wrap(good)), &err);
  REQUIRE(ok);
  CHECK(ok->imports.size() == 1);
  CHECK(err.empty());
}
