#!/usr/bin/env bash
# Benchmark of `ork template` rendering 10,000 objects: one pattern whose operator renders three objects
# (a Deployment, a Service, a ConfigMap) per CR, and 3,334 example CRs; reports wall time and peak RSS
# against the targets (1 s, 200 MB), then the same with 10× the CRs (target: at most 11× the time).
#
# Usage: bench/template.sh [--crs N] [--runs R] [--no-scaling] [--keep]
#   Builds `ork` in build-bench/ (Release; ORK_BENCH_BUILD_DIR overrides) unless ORK_BIN names a binary.
#   Generates, in a temp directory, patterns/app/{katalog,crd,cr}.yaml (N CRs, default 3,334) and a
#   komposer.yaml importing the Katalog and overriding it; runs `ork template` R times (default 5) under
#   /usr/bin/time and prints the best and the median run; then (unless --no-scaling) 10×N CRs, 3 runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CRS=3334
RUNS=5
SCALING=1
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --crs) CRS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --no-scaling) SCALING=0; shift ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: bench/template.sh [--crs N] [--runs R] [--no-scaling] [--keep]" >&2; exit 2 ;;
  esac
done
readonly TARGET_SECONDS=1 TARGET_MB=200 TARGET_SCALING=11

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
ensure_gnu_time template.sh
build_ork
make_workdir

# generate <dir> <number of CRs>
generate() {
  local dir=$1 n=$2 i
  mkdir -p "$dir/patterns/app"
  cat >"$dir/patterns/app/katalog.yaml" <<'EOF'
apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: app, version: v1.0.0, description: generated for bench/template.sh}
spec:
  crds:
    app:
      crdFile: ./crd.yaml
      crFiles: [./cr.yaml]
      operatorBox:
        reconcile:
          onReconcile:
            configMaps:
              - name: "{{ .metadata.name }}-config"
                data: {LOG_LEVEL: "{{ .spec.logLevel | default \"info\" }}", OWNER: "{{ .metadata.namespace }}",
                       TIER: "{{ .spec.tier | upper }}"}
            deployments:
              - name: "{{ .metadata.name }}"
                image: "{{ .spec.image }}"
                replicas: "{{ .spec.replicas | default 2 }}"
                port: 8080
                env:
                  - {name: MODE, value: "{{ .spec.tier }}"}
                  - {name: CONFIG, valueFrom: {configMapKeyRef: {name: "{{ .metadata.name }}-config", key: LOG_LEVEL}}}
                resources: {profile: small}
                probes: {readiness: {type: http, path: /healthz}, liveness: {type: tcp, profile: slow}}
                securityContext: {profile: restricted}
                when: [{field: spec.enabled, notEquals: "false"}]
            services:
              - {name: "{{ .metadata.name }}-svc", port: 80, targetPort: 8080}
EOF
  cat >"$dir/patterns/app/crd.yaml" <<'EOF'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: apps.bench.example.com}
spec:
  group: bench.example.com
  scope: Namespaced
  names: {kind: App, plural: apps, singular: app}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                image: {type: string}
                replicas: {type: integer}
                tier: {type: string}
                logLevel: {type: string}
                enabled: {type: boolean}
            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
EOF
  awk -v n="$n" 'BEGIN {
    for (i = 0; i < n; i++) {
      if (i > 0) print "---"
      printf "apiVersion: bench.example.com/v1\nkind: App\nmetadata:\n  name: app-%d\n  namespace: team-%d\n", i, i % 50
      printf "spec:\n  image: ghcr.io/acme/app:1.%d.0\n  replicas: %d\n  tier: %s\n", i % 10, i % 5 + 1, (i % 3 ? "standard" : "premium")
      if (i % 4 == 0) printf "  logLevel: debug\n"
    }
  }' >"$dir/patterns/app/cr.yaml"
  cat >"$dir/komposer.yaml" <<'EOF'
apiVersion: orkestra.orkspace.io/v1
kind: Komposer
metadata: {name: bench-template, version: v1.0.0}
imports:
  files: [./patterns/app/katalog.yaml]
spec:
  crds: [{name: app, workers: 4}]
EOF
}

# measure <dir> <runs>: prints "best_wall median_wall best_cpu median_cpu best_kb median_kb objects"
measure() {
  local dir=$1 runs=$2 r times=() cpus=() rss=() objects
  if ! (cd "$dir" && "$ORK" template -f komposer.yaml >"$dir/template.out" 2>"$dir/template.err"); then
    echo "template.sh: ork template failed on the generated input; first diagnostics:" >&2
    head -n 40 "$dir/template.err" >&2
    exit 1
  fi
  objects=$(grep -c '^# Source: ' "$dir/template.out" || true)
  for ((r = 0; r < runs; r++)); do
    read -r wall kb user sys < <(cd "$dir" && /usr/bin/time -f '%e %M %U %S' "$ORK" template -f komposer.yaml 2>&1 >/dev/null |
      tail -n 1)
    times+=("$wall")
    rss+=("$kb")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
  done
  local bt mt bc mc bk mk
  read -r bt mt < <(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)]}')
  read -r bc mc < <(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)]}')
  read -r bk mk < <(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)]}')
  echo "$bt $mt $bc $mc $bk $mk $objects"
}

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "ok" : "OVER TARGET" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

generate "$WORK/x1" "$CRS"
echo "generated $CRS CRs ($(wc -c <"$WORK/x1/patterns/app/cr.yaml") bytes of cr.yaml) in $WORK/x1" >&2
read -r bt mt bc mc bk mk objects < <(measure "$WORK/x1" "$RUNS")
echo "ork template, $CRS CRs, $objects objects ($RUNS runs):"
printf '  wall time  best %6.2f s   median %6.2f s   target %s s      %s\n' "$bt" "$mt" "$TARGET_SECONDS" \
  "$(verdict "$mt" "$TARGET_SECONDS")"
printf '  CPU time   best %6.2f s   median %6.2f s   (user + sys; wall time includes waiting on a busy machine)\n' "$bc" "$mc"
printf '  peak RSS   best %6s MB  median %6s MB  target %s MB   %s\n' "$(mb "$bk")" "$(mb "$mk")" "$TARGET_MB" \
  "$(verdict "$(mb "$mk")" "$TARGET_MB")"

if [[ $SCALING -eq 1 ]]; then
  generate "$WORK/x10" $((CRS * 10))
  read -r bt10 mt10 bc10 mc10 bk10 mk10 objects10 < <(measure "$WORK/x10" 3)
  ratio=$(awk -v a="$bc" -v b="$bc10" 'BEGIN { printf "%.1f", (a > 0) ? b / a : 0 }')
  echo "ork template, $((CRS * 10)) CRs, $objects10 objects (3 runs):"
  printf '  wall time  best %6.2f s   median %6.2f s\n' "$bt10" "$mt10"
  printf '  CPU time   best %6.2f s   median %6.2f s\n' "$bc10" "$mc10"
  printf '  peak RSS   best %6s MB  median %6s MB\n' "$(mb "$bk10")" "$(mb "$mk10")"
  printf '  scaling    10x input takes %sx the CPU time (best runs)   target <= %sx   %s\n' "$ratio" "$TARGET_SCALING" \
    "$(verdict "$ratio" "$TARGET_SCALING")"
fi
