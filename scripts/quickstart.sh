#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: installs deps, builds the `ork` binary in build/ and validates the
# bundled example (examples/quickstart/komposer.yaml). Run as root, or as a user with sudo.
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
exec build/tools/ork/ork validate -f examples/quickstart/komposer.yaml
