// Golden-test helpers: process runs through /bin/sh, expectation files and diffs.
#include "testdata/golden_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace ork::golden {
namespace fs = std::filesystem;

namespace {

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

int decodeStatus(int status) {
  if (status == -1) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

fs::path sourceDir() {
  std::string s = env("ORK_SOURCE_DIR");
  return s.empty() ? fs::current_path() : fs::path(s);
}

fs::path sharedDir() {
  std::string s = env("ORK_SHARED_DIR");
  return s.empty() ? sourceDir() / ".." / "shared" : fs::path(s);
}

std::string orkBinary() { return env("ORK_BIN"); }

bool updateGolden() { return env("ORK_UPDATE_GOLDEN") == "1"; }

int runShell(const fs::path& cwd, const std::string& command) {
  std::string full = "cd " + shellQuote(cwd.string()) + " && " + command;
  return decodeStatus(std::system(full.c_str()));
}

RunResult runOrk(const fs::path& cwd, const std::string& args, const std::string& env) {
  fs::path tmp = makeTempDir();
  fs::path out = tmp / "stdout";
  fs::path err = tmp / "stderr";
  // The environment is pinned so output does not depend on the caller's terminal or settings.
  std::string command = "NO_COLOR=1 TERM=dumb " + env + " exec " + shellQuote(orkBinary()) + " " + args + " >" +
                        shellQuote(out.string()) + " 2>" + shellQuote(err.string()) + " </dev/null";
  RunResult r;
  r.exit = runShell(cwd, command);
  r.out = readFile(out).value_or("");
  r.err = readFile(err).value_or("");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return r;
}

std::optional<std::string> readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const fs::path& p, const std::string& contents) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << contents;
}

fs::path makeTempDir() {
  std::string tmpl = (fs::temp_directory_path() / "ork-golden-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return fs::temp_directory_path();
  return fs::path(buf.data());
}

std::string diffTexts(const std::string& expected, const std::string& actual, const std::string& label) {
  if (expected == actual) return "";
  fs::path tmp = makeTempDir();
  writeFile(tmp / "expected", expected);
  writeFile(tmp / "actual", actual);
  fs::path diff = tmp / "diff";
  runShell(tmp, "diff -u --label " + shellQuote("expected " + label) + " --label " +
                    shellQuote("actual " + label) + " expected actual > diff");
  std::string text = readFile(diff).value_or("");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return text;
}

std::string checkExpectation(const fs::path& file, const std::string& actual) {
  std::optional<std::string> expected = readFile(file);
  if (expected && *expected == actual) return "";
  if (updateGolden()) {
    writeFile(file, actual);
    return "";
  }
  if (!expected) {
    return file.string() + " is missing; run the tests with ORK_UPDATE_GOLDEN=1 to create it, then review it\n"
           "actual output:\n" + actual;
  }
  return file.string() + " differs (ORK_UPDATE_GOLDEN=1 rewrites it):\n" +
         diffTexts(*expected, actual, file.filename().string());
}

std::vector<std::string> checkRun(const fs::path& expectedDir, const RunResult& r) {
  std::vector<std::string> failures;
  for (auto [name, actual] : {std::pair<const char*, std::string>{"expected.stdout", r.out},
                              {"expected.stderr", r.err},
                              {"expected.exit", std::to_string(r.exit) + "\n"}}) {
    std::string msg = checkExpectation(expectedDir / name, actual);
    if (!msg.empty()) failures.push_back(msg);
  }
  return failures;
}

std::vector<std::string> codesIn(const std::string& text) {
  static const std::regex code(R"(ORK\d{4})");
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), code); it != std::sregex_iterator(); ++it)
    found.insert(it->str());
  return {found.begin(), found.end()};
}

}  // namespace ork::golden
