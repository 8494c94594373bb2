#!/usr/bin/env bash
# Installs everything ork's build, tests, fuzzer and benchmarks need, from Debian 12 packages.
# Idempotent and quiet: when every package is already installed it only runs dpkg-query and exits.
set -euo pipefail

# Why each package is here:
#   build-essential cmake ninja-build ccache pkg-config   compiler, build system, compile cache
#   libyaml-dev                                           frontend YAML reader (libyaml's event parser)
#   libyaml-cpp-dev libre2-dev nlohmann-json3-dev         YAML emitter (ork template), RE2 regexes, JSON (plan, diagnostics)
#   libcurl4-openssl-dev libgit2-dev                      HTTPS and Git fetchers (support/ interfaces)
#   llvm-14-dev clang libclang-rt-14-dev                  clang, libFuzzer and sanitizer runtimes (bench/fuzz.sh);
#                                                         llvm-symbolizer for readable ASan/UBSan stack traces
#   catch2 libcli11-dev                                   unit tests; the CLI's argument parser
#   git                                                   version control; tests that build real repositories
#   time                                                  /usr/bin/time -f '%e %M' for bench/validate.sh (peak RSS)
#   ca-certificates                                       apt over HTTPS mirrors on minimal images
#   zlib1g-dev                                            gzip of directory layers in OCI artifacts (§11.1)
#   docker-registry apache2-utils                         the real CNCF distribution registry and htpasswd, for tests
#   skopeo                                                interop tests (reads what ork push wrote) and bench/pull.sh
#   python3                                               the plain HTTP / token test servers in testdata/fixtures
#   openssl                                               the token server's signing key and certificate (registry.sh)
#   nodejs npm (only when node/npm are missing)           kubernetes-models schema validation (testdata/k8s-validate)
readonly PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libyaml-dev libyaml-cpp-dev libre2-dev nlohmann-json3-dev
  libcurl4-openssl-dev libgit2-dev
  llvm-14-dev clang libclang-rt-14-dev
  catch2 libcli11-dev
  git time ca-certificates
  zlib1g-dev docker-registry apache2-utils skopeo python3 openssl
)

# node and npm run the offline Kubernetes schema validation (testdata/k8s-validate); Debian's only when
# the machine has none (it may have a newer node from elsewhere).
OPTIONAL=()
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  OPTIONAL=(nodejs npm)
fi

missing=()
for pkg in "${PACKAGES[@]}" "${OPTIONAL[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: not root and sudo is not installed; install as root: ${missing[*]}" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
