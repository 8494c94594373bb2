// Test helper: runs a fixture server (testdata/fixtures/*.py, *.sh) as a child process in its own process
// group, reads the lines it prints on stdout (its port first), and stops it when the test ends.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace ork::testing {

/// The repository root (ORK_SOURCE_DIR, else the working directory).
inline std::string sourceDir() {
  const char* d = std::getenv("ORK_SOURCE_DIR");
  return d && *d ? d : ".";
}

/// A running child process. The destructor sends SIGTERM to the child, waits up to 10 s, then kills
/// its whole process group, so nothing outlives the test (also when an assertion failed).
class ServerProcess {
 public:
  /// Starts argv[0] (searched on PATH) with `argv`; `env` entries ("NAME=value") are added.
  explicit ServerProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { stop(); }

  /// The next stdout line (without newline), or "" when none arrives within `timeoutMs` or at EOF.
  std::string readLine(int timeoutMs = 30000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (true) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
              .count());
      if (out_ < 0 || left <= 0) return "";
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, left) <= 0) return "";
      char chunk[512];
      ssize_t n = read(out_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  /// SIGTERM to the child, wait (10 s), then SIGKILL to its process group. Returns true when the child
  /// exited by itself after SIGTERM.
  bool stop() {
    if (pid_ <= 0) return false;
    kill(pid_, SIGTERM);
    bool exited = false;
    for (int i = 0; i < 200; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(-pid_, SIGKILL);
    if (!exited) waitpid(pid_, nullptr, 0);
    if (out_ >= 0) close(out_);
    out_ = -1;
    pid_ = -1;
    return exited;
  }

  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

}  // namespace ork::testing
