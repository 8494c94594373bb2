#!/usr/bin/env bash
# The one test command (README and .ci/run both call it): installs deps, builds and tests ork in build/,
# again under ASan+UBSan in build-asan/, smoke-runs the YAML fuzzer when clang is present, and ends with
# the main build's ctest summary.
#
# Environment: ORK_JOBS (default 2), ORK_SKIP_ASAN=1, ORK_SKIP_FUZZ=1, ORK_FUZZ_SECONDS (default 30).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=${ORK_JOBS:-2}
START=$SECONDS

phase() { printf '\n== %s\n' "$*" >&2; }
took() { printf '== %s took %ds\n' "$1" $((SECONDS - $2)) >&2; }

# ccache: share hits between clones of the repository (CI clones afresh every run).
export CCACHE_BASEDIR="$ROOT"
if [[ "${CI:-}" == "true" ]]; then
  export CCACHE_NOHASHDIR=1
fi

if [[ ! -d "$ROOT/../shared" ]]; then
  echo "test.sh: warning: ../shared (format reference and corpus) is missing beside the repository" >&2
fi

t=$SECONDS; phase "dependencies"
bash "$ROOT/scripts/install-deps.sh"
took dependencies $t

# configure_build <dir> <cmake args…>: configures and builds every target with $JOBS jobs.
configure_build() {
  local dir=$1
  shift
  mkdir -p "$dir"
  if ! cmake -S "$ROOT" -B "$dir" -G Ninja "$@" >"$dir/configure.log" 2>&1; then
    cat "$dir/configure.log" >&2
    return 1
  fi
  ninja -C "$dir" -j "$JOBS"
}

t=$SECONDS; phase "build: build/ (RelWithDebInfo)"
configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORK_SANITIZE=OFF -DORK_FUZZ=OFF
took "build/" $t

# Later phases run even when an earlier one failed, so one CI run reports everything; the exit status
# counts them all, and the main build's ctest summary stays the last output.
failed=()

# The README's first command, exactly as users run it (build/ is already built, so this is quick).
t=$SECONDS; phase "README command 1: scripts/quickstart.sh"
bash "$ROOT/scripts/quickstart.sh" || failed+=("scripts/quickstart.sh")
took "quickstart" $t

if [[ "${ORK_SKIP_ASAN:-}" != "1" ]]; then
  t=$SECONDS; phase "build: build-asan/ (ASan + UBSan)"
  if configure_build build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DORK_SANITIZE=ON; then
    took "build-asan/" $t
    t=$SECONDS; phase "tests under ASan + UBSan"
    ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$ROOT/testdata/lsan.supp" \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-asan --output-on-failure -j "$JOBS" --timeout 900 || failed+=("tests under ASan + UBSan")
    took "ASan tests" $t
  else
    failed+=("build-asan/")
  fi
fi

if [[ "${ORK_SKIP_FUZZ:-}" != "1" ]] && command -v clang++ >/dev/null 2>&1; then
  t=$SECONDS; phase "fuzz smoke: yaml_frontend_fuzz (${ORK_FUZZ_SECONDS:-30}s)"
  ORK_JOBS=$JOBS bash "$ROOT/bench/fuzz.sh" --smoke "${ORK_FUZZ_SECONDS:-30}" || failed+=("fuzz smoke")
  took "fuzz smoke" $t
fi

printf '\n== everything before the main tests took %ds\n' $((SECONDS - START)) >&2
if [[ ${#failed[@]} -gt 0 ]]; then
  joined=$(printf '%s; ' "${failed[@]}")
  printf '== FAILED before the main tests: %s\n' "${joined%; }" >&2
fi
phase "tests: build/"
status=0
ctest --test-dir build --output-on-failure -j "$JOBS" --timeout 900 || status=$?
if [[ ${#failed[@]} -gt 0 && $status -eq 0 ]]; then
  status=1
fi
exit $status
