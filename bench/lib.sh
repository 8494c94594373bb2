# Shared by the bench scripts (sourced): GNU time for peak RSS, the ork binary to measure, a work dir.
# Needs ROOT and KEEP set by the caller; sets ORK and WORK.

# ensure_gnu_time <script name>: installs /usr/bin/time (Debian `time`) when missing.
ensure_gnu_time() {
  [[ -x /usr/bin/time ]] && return 0
  echo "$1: installing GNU time (/usr/bin/time)" >&2
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq time >/dev/null
}

# build_ork: ORK=$ORK_BIN when set, else a Release build in $ORK_BENCH_BUILD_DIR (default build-bench/).
build_ork() {
  if [[ -n "${ORK_BIN:-}" ]]; then
    ORK=$ORK_BIN
    return 0
  fi
  local build=${ORK_BENCH_BUILD_DIR:-$ROOT/build-bench}
  mkdir -p "$build"
  cmake -S "$ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; return 1; }
  ninja -C "$build" -j "${ORK_JOBS:-2}" ork >&2
  ORK=$build/tools/ork/ork
}

# make_workdir: WORK=a fresh temporary directory, removed at exit unless KEEP=1.
make_workdir() {
  WORK=$(mktemp -d)
  if [[ ${KEEP:-0} -eq 0 ]]; then
    trap 'rm -rf "$WORK"' EXIT
  fi
}
