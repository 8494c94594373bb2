#!/usr/bin/env bash
# Benchmark of pulling patterns from a registry: N distinct patterns (default 50) pushed with `ork push` to the
# real docker-registry on 127.0.0.1, then pulled cold by ork and, in the same run, by a loop of `skopeo copy`
# (the peer: the same artifacts, each to an OCI layout), and a warm `ork pull -f --locked` that must send zero
# requests (counted in the registry's access log).
#
# Usage: bench/pull.sh [--patterns N] [--runs R] [--keep]
#   Builds `ork` in build-bench/ (Release; ORK_BENCH_BUILD_DIR overrides) unless ORK_BIN names a binary.
#   Figures: ork pull -f (one process, parallel fetches), an `ork pull REF` loop (one process per pattern,
#   like the skopeo loop), the skopeo loop, the ratios (target: ork >= 3x faster than skopeo), and the
#   request count of the warm locked run (target: 0). Each cold figure is the best of R runs (default 3),
#   each run with an empty cache / empty destination; for the last run of each it also prints the registry
#   requests and the CPU seconds of the clients and of the docker-registry server (which shares the cores).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PATTERNS=50
RUNS=3
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --patterns) PATTERNS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: bench/pull.sh [--patterns N] [--runs R] [--keep]" >&2; exit 2 ;;
  esac
done
readonly TARGET_RATIO=3

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
for tool in docker-registry skopeo; do
  command -v "$tool" >/dev/null || { echo "pull.sh: $tool is missing; run scripts/install-deps.sh" >&2; exit 1; }
done
build_ork
make_workdir

# The registry, with an access log to count requests; stopped when the script exits.
exec {registry_out}< <(exec bash "$ROOT/testdata/fixtures/registry.sh" --access-log --lifetime 1800)
registry_pid=$!
stop_registry() { kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; }
if [[ $KEEP -eq 0 ]]; then
  trap 'stop_registry; rm -rf "$WORK"' EXIT
else
  trap 'stop_registry' EXIT
fi
read -r -t 60 port <&"$registry_out" || { echo "pull.sh: the registry did not start" >&2; exit 1; }
read -r -t 10 registry_dir <&"$registry_out"
HOST=127.0.0.1:$port
requests() { grep -cE '"(GET|HEAD|PUT|POST|PATCH|DELETE) /v2/' "$registry_dir/registry.log" || true; }
# CPU seconds used so far by the docker-registry server and by this script's finished children (the clients).
registry_server=$(pgrep -P "$registry_pid" -x docker-registry || true)
registry_cpu() {
  if [[ -n $registry_server ]]; then
    awk -v t="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$registry_server/stat"
  else
    echo 0
  fi
}
# client_cpu: sets CLIENT_CPU; `times` runs in this shell (never in a $(…) subshell, which has no children yet).
client_cpu() {
  times >"$WORK/times"
  CLIENT_CPU=$(tail -n 1 "$WORK/times" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/)
                                                  n += a[1] * 60 + a[2] } printf "%.3f", n }')
}

export ORK_CACHE_DIR=$WORK/cache DOCKER_CONFIG=$WORK/docker SOURCE_DATE_EPOCH=1767225600 NO_COLOR=1
mkdir -p "$DOCKER_CONFIG"

# pattern <i>: a distinct, valid pattern directory (every file differs between patterns, so no blob is shared).
pattern() {
  local i=$1 d=$WORK/patterns/p$1
  mkdir -p "$d"
  cat >"$d/katalog.yaml" <<EOF
apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: p$i, version: v1.0.0, description: bench pattern $i}
spec:
  crds:
    app$i:
      crdFile: ./crd.yaml
      crFiles: [./cr.yaml]
      operatorBox:
        reconcile:
          onReconcile:
            deployments: [{name: "{{ .metadata.name }}", image: "{{ .spec.image }}", port: 8080}]
            services: [{name: "{{ .metadata.name }}", port: 80, targetPort: 8080}]
EOF
  cat >"$d/crd.yaml" <<EOF
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: app${i}s.bench.example.com}
spec:
  group: bench.example.com
  scope: Namespaced
  names: {kind: App$i, plural: app${i}s, singular: app$i}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {image: {type: string}}}
EOF
  printf 'apiVersion: bench.example.com/v1\nkind: App%s\nmetadata: {name: app-%s, namespace: default}\nspec: {image: "nginx:1.%s"}\n' \
    "$i" "$i" "$i" >"$d/cr.yaml"
  printf 'apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: p%s-example}\nimports: {files: [./katalog.yaml]}\n' \
    "$i" >"$d/komposer.yaml"
  printf '# p%s\n\nBench pattern %s for bench/pull.sh.\n' "$i" "$i" >"$d/README.md"
}

echo "pull.sh: pushing $PATTERNS patterns to $HOST" >&2
{
  printf 'apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\nmetadata: {name: bench-pull, version: v1.0.0}\n'
  printf 'imports:\n  registry:\n'
} >"$WORK/komposer.yaml"
for ((i = 0; i < PATTERNS; i++)); do
  pattern "$i"
  "$ORK" push "$HOST/bench/p$i:v1.0.0" "$WORK/patterns/p$i" >/dev/null 2>"$WORK/push.err" ||
    { echo "pull.sh: ork push failed:" >&2; cat "$WORK/push.err" >&2; exit 1; }
  echo "    - $HOST/bench/p$i:v1.0.0" >>"$WORK/komposer.yaml"
done

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# mark: remembers the request count and both CPU counters; since: "<requests> <client CPU> <registry CPU>" after it.
mark() {
  m_req=$(requests) m_registry=$(registry_cpu)
  client_cpu
  m_client=$CLIENT_CPU
}
# since <name>: sets <name>_req, <name>_cpu, <name>_reg (requests, client CPU, registry CPU since mark).
since() {
  settle
  client_cpu
  printf -v "$1_req" '%s' "$(($(requests) - m_req))"
  printf -v "$1_cpu" '%s' "$(elapsed "$m_client" "$CLIENT_CPU")"
  printf -v "$1_reg" '%s' "$(elapsed "$m_registry" "$(registry_cpu)")"
}
best() { printf '%s\n' "$@" | sort -g | head -n 1; }
# settle: lets the registry write the access-log lines of the requests it has answered.
settle() { sleep 0.5; }

# Each cold figure also gives, for its last run, the registry requests (access-log lines it added) and the CPU
# time of the clients and of the registry server.
ork_f=() ork_loop=() skopeo_loop=()
for ((r = 0; r < RUNS; r++)); do
  rm -rf "$ORK_CACHE_DIR" "$WORK/ork.lock"
  settle
  mark
  t0=$(now)
  (cd "$WORK" && "$ORK" pull -f komposer.yaml >/dev/null 2>"$WORK/pull.err") ||
    { echo "pull.sh: ork pull -f failed:" >&2; cat "$WORK/pull.err" >&2; exit 1; }
  ork_f+=("$(elapsed "$t0" "$(now)")")
  since f

  rm -rf "$ORK_CACHE_DIR"
  mark
  t0=$(now)
  for ((i = 0; i < PATTERNS; i++)); do
    "$ORK" pull "$HOST/bench/p$i:v1.0.0" >/dev/null 2>"$WORK/pull.err" ||
      { echo "pull.sh: ork pull failed:" >&2; cat "$WORK/pull.err" >&2; exit 1; }
  done
  ork_loop+=("$(elapsed "$t0" "$(now)")")
  since loop

  rm -rf "$WORK/skopeo"
  mkdir -p "$WORK/skopeo"
  mark
  t0=$(now)
  for ((i = 0; i < PATTERNS; i++)); do
    skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$HOST/bench/p$i:v1.0.0" \
      "oci:$WORK/skopeo/p$i:v1.0.0" >/dev/null 2>"$WORK/skopeo.err" ||
      { echo "pull.sh: skopeo copy failed:" >&2; cat "$WORK/skopeo.err" >&2; exit 1; }
  done
  skopeo_loop+=("$(elapsed "$t0" "$(now)")")
  since skopeo
done

# Warm and locked: a fresh cache warmed by one `ork pull -f` (which also writes ork.lock), then the timed
# `ork pull -f --locked`; its requests are the registry access-log lines it added.
rm -rf "$ORK_CACHE_DIR" "$WORK/ork.lock"
(cd "$WORK" && "$ORK" pull -f komposer.yaml >/dev/null 2>"$WORK/pull.err") ||
  { echo "pull.sh: ork pull -f (warming) failed:" >&2; cat "$WORK/pull.err" >&2; exit 1; }
settle
mark
t0=$(now)
(cd "$WORK" && "$ORK" pull -f komposer.yaml --locked >/dev/null 2>"$WORK/pull.err") ||
  { echo "pull.sh: ork pull -f --locked failed:" >&2; cat "$WORK/pull.err" >&2; exit 1; }
warm=$(elapsed "$t0" "$(now)")
since warm

bf=$(best "${ork_f[@]}")
bl=$(best "${ork_loop[@]}")
bs=$(best "${skopeo_loop[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0) ? a / b : 0 }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "ok" : "UNDER TARGET" }'; }
echo "pull of $PATTERNS distinct patterns (5 files each) from docker-registry on loopback, best of $RUNS cold runs"
echo "(requests and CPU seconds of the last run; the registry server's CPU is part of every figure):"
printf '                               wall      requests  client CPU  registry CPU\n'
row() { printf '  %-28s %7.3f s  %5s     %7.3f s   %7.3f s   %s\n' "$@"; }
row "ork pull -f komposer.yaml" "$bf" "$f_req" "$f_cpu" "$f_reg" \
  "one process, parallel: $(ratio "$bs" "$bf")x faster than skopeo (target ${TARGET_RATIO}x) $(verdict "$(ratio "$bs" "$bf")" "$TARGET_RATIO")"
row "ork pull REF, loop" "$bl" "$loop_req" "$loop_cpu" "$loop_reg" \
  "one process per pattern: $(ratio "$bs" "$bl")x faster than skopeo"
row "skopeo copy REF oci:, loop" "$bs" "$skopeo_req" "$skopeo_cpu" "$skopeo_reg" "the peer"
row "warm ork pull -f --locked" "$warm" "$warm_req" "$warm_cpu" "$warm_reg" \
  "target 0 requests: $([[ $warm_req -eq 0 ]] && echo ok || echo OVER TARGET)"
