#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: installs deps, builds the `ork` binary in build/, validates the
# bundled example (examples/quickstart/komposer.yaml) and renders the Kubernetes objects it creates. Run as root, or with sudo.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/install-deps.sh
mkdir -p build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >build/configure.log 2>&1 || {
  cat build/configure.log >&2
  exit 1
}
ninja -C build -j "${ORK_JOBS:-2}" ork
echo "+ build/tools/ork/ork validate -f examples/quickstart/komposer.yaml" >&2
build/tools/ork/ork validate -f examples/quickstart/komposer.yaml
echo "+ build/tools/ork/ork template -f examples/quickstart/komposer.yaml" >&2
exec build/tools/ork/ork template -f examples/quickstart/komposer.yaml
