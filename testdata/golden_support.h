// Helpers of the golden-test driver: run the built `ork` binary in a directory, read and write
// expectation files, and compare outputs (rewriting them when ORK_UPDATE_GOLDEN=1).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ork::golden {

/// What one `ork` run printed and returned.
struct RunResult {
  std::string out;
  std::string err;
  int exit = -1;
};

/// Repository root (ORK_SOURCE_DIR, else the working directory).
std::filesystem::path sourceDir();
/// ../shared (ORK_SHARED_DIR, else <source>/../shared).
std::filesystem::path sharedDir();
/// The ork binary under test (ORK_BIN); empty when unset.
std::string orkBinary();
/// True when ORK_UPDATE_GOLDEN=1: mismatching expectations are rewritten instead of failing.
bool updateGolden();

/// Runs `ork <args>` through /bin/sh (so `args` is split like a shell command line) with `cwd`
/// as working directory, NO_COLOR=1 and TERM=dumb, capturing stdout and stderr. `env` holds
/// extra `NAME=value` assignments (shell words) set for the run.
RunResult runOrk(const std::filesystem::path& cwd, const std::string& args, const std::string& env = "");
/// Runs a shell command in `cwd`; returns its exit status.
int runShell(const std::filesystem::path& cwd, const std::string& command);

std::optional<std::string> readFile(const std::filesystem::path& p);
void writeFile(const std::filesystem::path& p, const std::string& contents);
/// A fresh empty directory under the system temp directory; removed by the caller.
std::filesystem::path makeTempDir();

/// A unified diff of two texts (empty when equal), for failure messages.
std::string diffTexts(const std::string& expected, const std::string& actual, const std::string& label);

/// Compares one expectation file with an actual output. Returns "" when equal, or when
/// ORK_UPDATE_GOLDEN=1 (the file is rewritten); otherwise a message with the diff.
std::string checkExpectation(const std::filesystem::path& file, const std::string& actual);

/// Checks stdout, stderr and exit code of a run against `<dir>/expected.{stdout,stderr,exit}`.
/// Returns the failure messages (empty on success).
std::vector<std::string> checkRun(const std::filesystem::path& expectedDir, const RunResult& r);

/// Every `ORKnnnn` code mentioned in a text.
std::vector<std::string> codesIn(const std::string& text);

}  // namespace ork::golden
