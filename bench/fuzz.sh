#!/usr/bin/env bash
# Fuzzes the YAML frontend (frontend/yaml_frontend_fuzz.cc) with libFuzzer for a given time.
#
# Usage: bench/fuzz.sh [--smoke] [SECONDS]      (default 300 s; needs clang and libclang-rt-14-dev)
#   Builds build-fuzz/ with clang and -DORK_FUZZ=ON, seeds from testdata/, examples/ and ../shared/corpus/,
#   keeps the corpus it grows in build-fuzz/corpus/ and writes crashing inputs to build-fuzz/artifacts/.
#   --smoke: a fixed seed and a throw-away corpus (what scripts/test.sh runs in CI); output only on failure.
# Exit status: 0 when no input crashed, leaked, timed out or ran out of memory; 1 otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SMOKE=0
if [[ "${1:-}" == "--smoke" ]]; then
  SMOKE=1
  shift
fi
SECONDS_TO_RUN=${1:-300}
BUILD=${ORK_FUZZ_BUILD_DIR:-build-fuzz}

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz.sh: clang++ not found (bash scripts/install-deps.sh installs it)" >&2
  exit 1
fi

mkdir -p "$BUILD"
if ! CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORK_FUZZ=ON \
    >"$BUILD/configure.log" 2>&1; then
  cat "$BUILD/configure.log" >&2
  exit 1
fi
ninja -C "$BUILD" -j "${ORK_JOBS:-2}" yaml_frontend_fuzz

SEEDS=()
for dir in testdata examples ../shared/corpus; do
  [[ -d "$dir" ]] && SEEDS+=("$dir")
done
mkdir -p "$BUILD/artifacts"
if [[ $SMOKE -eq 1 ]]; then
  CORPUS=$(mktemp -d)
  trap 'rm -rf "$CORPUS"' EXIT
  EXTRA=(-seed=1)
else
  CORPUS="$BUILD/corpus"
  mkdir -p "$CORPUS"
  EXTRA=()
fi

LOG="$BUILD/fuzz.log"
status=0
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$BUILD/frontend/yaml_frontend_fuzz" "$CORPUS" "${SEEDS[@]}" "${EXTRA[@]}" \
  -dict="$ROOT/bench/yaml.dict" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/" >"$LOG" 2>&1 || status=$?

stats=$(grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' "$LOG" |
  sed 's/^stat:://' | tr -s ' \n' ' ' || true)
if [[ $status -ne 0 ]]; then
  echo "fuzz.sh: yaml_frontend_fuzz FAILED (exit $status); last lines of $LOG:" >&2
  tail -n 60 "$LOG" >&2
  echo "fuzz.sh: reproduce with: $BUILD/frontend/yaml_frontend_fuzz $BUILD/artifacts/<file>" >&2
  exit 1
fi
echo "fuzz.sh: no crash in ${SECONDS_TO_RUN}s: $stats" >&2
