// Tests of the real FileSystem's read errors: the system's reason (directory, symbolic-link loop,
// permission), and special files refused instead of read (a FIFO would block forever).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/filesystem.h"

using namespace ork;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("ork-fs-test-" + std::to_string(getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path / "locked", fs::perms::owner_all, ec);
    fs::remove_all(path, ec);
  }
  std::string at(const std::string& rel) const { return (path / rel).string(); }
};

}  // namespace

TEST_CASE("readFile says why a path cannot be read") {
  TempDir t;
  const FileSystem& rfs = realFileSystem();
  std::ofstream(t.at("ok.yaml")) << "a: 1\n";
  ReadResult ok = rfs.readFile(t.at("ok.yaml"));
  REQUIRE(ok.contents);
  CHECK(*ok.contents == "a: 1\n");

  CHECK(rfs.readFile(t.at("missing.yaml")).error == "no such file or directory");
  CHECK(rfs.readFile(t.path.string()).error == "is a directory");

  fs::create_symlink("loop-b", t.at("loop-a"));
  fs::create_symlink("loop-a", t.at("loop-b"));
  ReadResult loop = rfs.readFile(t.at("loop-a"));
  CHECK_FALSE(loop.contents);
  CHECK(loop.error == "too many levels of symbolic links");

  REQUIRE(mkfifo(t.at("fifo").c_str(), 0600) == 0);
  ReadResult fifo = rfs.readFile(t.at("fifo"));  // returns at once: nothing writes to the FIFO
  CHECK_FALSE(fifo.contents);
  CHECK(fifo.error == "not a regular file");
}

TEST_CASE("an unreadable directory or file reports permission denied") {
  if (geteuid() == 0) return;  // root reads everything
  TempDir t;
  const FileSystem& rfs = realFileSystem();
  fs::create_directories(t.at("locked"));
  std::ofstream(t.at("locked/katalog.yaml")) << "a: 1\n";
  fs::permissions(t.at("locked"), fs::perms::none);
  CHECK(rfs.directoryError(t.at("locked")) == "permission denied");
  CHECK(rfs.readFile(t.at("locked/katalog.yaml")).error == "permission denied");
  CHECK(rfs.directoryError(t.path.string()).empty());
}
