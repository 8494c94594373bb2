// findDockerCredentials: registry credentials from the Docker configuration (§10.2): credHelpers,
// credsStore (both through `docker-credential-<name> get`) and auths entries.
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "frontend/sources/oci.h"
#include "support/template_functions.h"

namespace ork::sources {
namespace {

std::string configPath() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return std::string(dir) + "/config.json";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.docker/config.json";
  return "";
}

// `https://host/v1/` → `host`; docker.io's names all mean index.docker.io.
std::string normalizeHost(std::string key) {
  for (const char* scheme : {"https://", "http://"}) {
    if (key.rfind(scheme, 0) == 0) key = key.substr(std::string(scheme).size());
  }
  key = key.substr(0, key.find('/'));
  if (key == "docker.io" || key == "registry-1.docker.io") return "index.docker.io";
  return key;
}

bool validHelperName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// Runs `docker-credential-<name> get` with `host` on stdin; false with *error on failure. A helper that
// says it has nothing for the host (exit 1, "credentials not found") is not an error.
bool runHelper(const std::string& name, const std::string& host, Credentials& out, std::string* error) {
  const std::string program = "docker-credential-" + name;
  if (!validHelperName(name)) {
    if (error) *error = "invalid credential helper name \"" + name + "\"";
    return false;
  }
  int in[2], outPipe[2];
  if (pipe(in) != 0) return false;
  if (pipe(outPipe) != 0) {
    close(in[0]);
    close(in[1]);
    return false;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(outPipe[1], 1);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 2);
    close(in[0]), close(in[1]), close(outPipe[0]), close(outPipe[1]);
    execlp(program.c_str(), program.c_str(), "get", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(outPipe[1]);
  if (pid < 0) {
    close(in[1]);
    close(outPipe[0]);
    if (error) *error = "cannot start " + program;
    return false;
  }
  // A helper that exits without reading stdin must not kill us with SIGPIPE: block it for this write
  // (on this thread only) and drop a pending one.
  sigset_t pipeSet, oldSet;
  sigemptyset(&pipeSet);
  sigaddset(&pipeSet, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeSet, &oldSet);
  std::string input = host + "\n";
  ssize_t written = write(in[1], input.data(), input.size());
  if (written < 0) {
    timespec zero{0, 0};
    sigtimedwait(&pipeSet, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &oldSet, nullptr);
  close(in[1]);
  std::string output;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool timedOut = false;
  while (output.size() < (1u << 20)) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count());
    pollfd p{outPipe[0], POLLIN, 0};
    if (left <= 0 || poll(&p, 1, left) <= 0) {
      timedOut = true;
      break;
    }
    char buf[4096];
    ssize_t n = read(outPipe[0], buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<size_t>(n));
  }
  close(outPipe[0]);
  if (timedOut) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timedOut) {
    if (error) *error = program + " timed out";
    return false;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
      if (error) *error = "executable file not found: " + program;
      return false;
    }
    if (output.find("credentials not found") != std::string::npos) return true;
    if (error) *error = program + " failed for " + host;  // its output may hold secrets: not shown
    return false;
  }
  auto json = nlohmann::json::parse(output, nullptr, false);
  if (!json.is_object() || !json.contains("Secret") || !json["Secret"].is_string()) {
    if (error) *error = program + " printed no credentials JSON for " + host;
    return false;
  }
  std::string user = json.value("Username", "");
  std::string secret = json["Secret"].get<std::string>();
  if (user == "<token>") {
    out.bearer = secret;
  } else {
    out.username = user;
    out.password = secret;
  }
  return true;
}

}  // namespace

Credentials findDockerCredentials(const std::string& host, std::string* error) {
  Credentials creds;
  std::string path = configPath();
  if (path.empty()) return creds;
  std::ifstream in(path, std::ios::binary);
  if (!in) return creds;
  std::stringstream ss;
  ss << in.rdbuf();
  auto config = nlohmann::json::parse(ss.str(), nullptr, false);
  if (!config.is_object()) {
    if (error) *error = path + " is not a JSON object";
    return creds;
  }
  const std::string want = normalizeHost(host);
  if (auto helpers = config.find("credHelpers"); helpers != config.end() && helpers->is_object()) {
    for (const auto& [key, value] : helpers->items()) {
      if (normalizeHost(key) == want && value.is_string()) {
        runHelper(value.get<std::string>(), host, creds, error);
        return creds;
      }
    }
  }
  if (auto store = config.find("credsStore");
      store != config.end() && store->is_string() && !store->get<std::string>().empty()) {
    if (!runHelper(store->get<std::string>(), host, creds, error)) return creds;
    if (!creds.empty()) return creds;
  }
  auto auths = config.find("auths");
  if (auths == config.end() || !auths->is_object()) return creds;
  for (const auto& [key, entry] : auths->items()) {
    if (normalizeHost(key) != want || !entry.is_object()) continue;
    if (auto a = entry.find("auth"); a != entry.end() && a->is_string() && !a->get<std::string>().empty()) {
      auto decoded = tmpl::base64Decode(a->get<std::string>());
      size_t colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) {
        if (error) *error = path + ": auths[\"" + key + "\"].auth is not base64 of user:password";
        return creds;
      }
      creds.username = decoded->substr(0, colon);
      creds.password = decoded->substr(colon + 1);
    }
    if (auto u = entry.find("username"); u != entry.end() && u->is_string())
      creds.username = u->get<std::string>();
    if (auto p = entry.find("password"); p != entry.end() && p->is_string())
      creds.password = p->get<std::string>();
    if (auto t = entry.find("identitytoken"); t != entry.end() && t->is_string())
      creds.bearer = t->get<std::string>();
    return creds;
  }
  return creds;
}

}  // namespace ork::sources
