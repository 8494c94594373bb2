// Test harness for end-to-end tests of the `ork` binary (ORK_BIN) under testdata/cli/: run ork with a
// private cache and environment, temporary directories, and the real registry fixture on loopback.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/testing/server_process.h"

namespace ork::clitest {

namespace fs = std::filesystem;

/// What one `ork` run printed and returned.
struct RunResult {
  std::string out;
  std::string err;
  int exit = -1;
};

inline std::string getEnv(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

inline std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline fs::path sourceDir() {
  std::string s = getEnv("ORK_SOURCE_DIR");
  return s.empty() ? fs::current_path() : fs::path(s);
}

inline std::string orkBinary() { return getEnv("ORK_BIN"); }

inline std::optional<std::string> readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void writeFile(const fs::path& p, const std::string& contents) {
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << contents;
}

/// A fresh directory under the system temp directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "ork-cli-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data())) path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  fs::path path_;
};

/// Runs a shell command in `cwd`; returns its exit status (128 + signal when killed).
inline int runShell(const fs::path& cwd, const std::string& command) {
  std::string full = "cd " + shellQuote(cwd.string()) + " && " + command;
  int status = std::system(full.c_str());
  if (status == -1) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/// Runs `ork <args>` through /bin/sh in `cwd` with NO_COLOR=1, TERM=dumb, stdin from /dev/null and
/// `env` (extra `NAME=value` words, e.g. `ORK_CACHE_DIR=/tmp/x DOCKER_CONFIG=/tmp/d`). Tests should always
/// pass their own ORK_CACHE_DIR and DOCKER_CONFIG so they never touch the user's.
inline RunResult runOrk(const fs::path& cwd, const std::string& args, const std::string& env = "") {
  TempDir tmp;
  fs::path out = tmp / "stdout";
  fs::path err = tmp / "stderr";
  std::string command = "NO_COLOR=1 TERM=dumb " + env + " exec " + shellQuote(orkBinary()) + " " + args + " >" +
                        shellQuote(out.string()) + " 2>" + shellQuote(err.string()) + " </dev/null";
  RunResult r;
  r.exit = runShell(cwd, command);
  r.out = readFile(out).value_or("");
  r.err = readFile(err).value_or("");
  return r;
}

/// The real docker-registry (testdata/fixtures/registry.sh) on 127.0.0.1 for one test: `host()` is
/// `127.0.0.1:<port>`, `storage()` its temporary storage directory. `args` are registry.sh options
/// (`--htpasswd U:P`, `--token U:P`, `--lifetime S`).
class Registry {
 public:
  explicit Registry(std::vector<std::string> args = {}) {
    std::vector<std::string> argv{"bash", (sourceDir() / "testdata/fixtures/registry.sh").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    proc_ = std::make_unique<testing::ServerProcess>(argv);
    port_ = proc_->readLine(60000);
    storage_ = proc_->readLine(10000);
  }
  bool ok() const { return !port_.empty(); }
  std::string host() const { return "127.0.0.1:" + port_; }
  const std::string& storage() const { return storage_; }
  /// Stops the registry now (for --offline tests).
  void stop() { proc_.reset(); }

 private:
  std::unique_ptr<testing::ServerProcess> proc_;
  std::string port_, storage_;
};

/// Copies the quickstart's `cache` pattern (examples/quickstart/patterns/cache: the five files, a valid
/// Katalog) to `dest` with `metadata.version` set to `version`; returns `dest`.
inline fs::path writePattern(const fs::path& dest, const std::string& version) {
  fs::create_directories(dest);
  for (const auto& e : fs::directory_iterator(sourceDir() / "examples/quickstart/patterns/cache"))
    fs::copy_file(e.path(), dest / e.path().filename(), fs::copy_options::overwrite_existing);
  std::string katalog = readFile(dest / "katalog.yaml").value_or("");
  const std::string from = "  version: v0.1.0\n";
  size_t at = katalog.find(from);
  if (at != std::string::npos) katalog.replace(at, from.size(), "  version: " + version + "\n");
  writeFile(dest / "katalog.yaml", katalog);
  return dest;
}

}  // namespace ork::clitest
