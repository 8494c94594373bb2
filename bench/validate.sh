#!/usr/bin/env bash
# Benchmark of `ork validate` on a generated Komposer with 1,000 CRD entries; reports wall time and peak RSS
# against the targets (0.5 s, 100 MB).
#
# Usage: bench/validate.sh [--crds N] [--per-file K] [--runs R] [--keep]
#   Builds `ork` in build-bench/ (Release; ORK_BENCH_BUILD_DIR overrides) unless ORK_BIN names a binary.
#   Generates, in a temp directory, N/K Katalog files of K CRD entries each (apiTypes, reconcile settings,
#   deployments, services, configMaps, conditions, forEach, status fields, events, admission rules,
#   dependsOn chains) imported through imports.files by one komposer.yaml that overrides the first CRD of
#   every file. Runs `ork validate` R times (default 5) under /usr/bin/time and prints the best and the
#   median run. --keep leaves the directory for inspection.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CRDS=1000
PER_FILE=20
RUNS=5
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --crds) CRDS=$2; shift 2 ;;
    --per-file) PER_FILE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: bench/validate.sh [--crds N] [--per-file K] [--runs R] [--keep]" >&2; exit 2 ;;
  esac
done
readonly TARGET_SECONDS=0.5 TARGET_MB=100

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
ensure_gnu_time validate.sh
build_ork
make_workdir

# katalog_entry <name> <index-in-file> <file-number>: one CRD entry, in map form, at 4 spaces of indentation.
katalog_entry() {
  local name=$1 i=$2 f=$3 kind="App${f}x${2}"
  cat <<EOF
    ${name}:
      description: generated operator ${name}
      apiTypes: {group: bench${f}.example.com, version: v1, kind: ${kind}, plural: app${f}x${i}s}
EOF
  if [[ $i -gt 0 ]]; then
    echo "      dependsOn: {svc-${f}-$((i - 1)): healthy}"
  fi
  cat <<EOF
      admission:
        validation:
          rules:
            - {field: spec.image, operator: prefix, value: ghcr.io/acme/, action: deny, message: images must come from ghcr.io/acme/}
            - {field: spec.replicas, operator: lte, value: 20, action: warn, message: more than 20 replicas}
        mutation:
          rules: [{field: spec.replicas, default: 2}]
      operatorBox:
        runtime: {finalizers: [bench.example.com/cleanup]}
        reconcile:
          workers: $((i % 8 + 1))
          resync: 5m
          queue: {maxDepth: 100, failureThreshold: 5, retryBackoff: {initial: 1s, max: 5m, multiplier: 2}}
          requeue: {after: 10m, when: [{field: status.phase, notEquals: Ready}]}
          onCreate:
            secrets:
              - {name: "{{ .metadata.name }}-session", once: true, data: {key: "{{ randomHex 32 }}"}}
          onReconcile:
            configMaps:
              - name: "{{ .metadata.name }}-config"
                data: {LOG_LEVEL: "{{ .spec.logLevel | default \"info\" }}", OWNER: "{{ .metadata.namespace }}"}
            deployments:
              - name: "{{ .metadata.name }}"
                image: "{{ .spec.image }}"
                replicas: "{{ .spec.replicas | default 2 }}"
                port: 8080
                env:
                  - {name: MODE, value: "{{ .spec.mode }}"}
                  - {name: CONFIG, valueFrom: {configMapKeyRef: {name: "{{ .metadata.name }}-config", key: LOG_LEVEL}}}
                resources: {profile: small}
                probes: {readiness: {type: http, path: /healthz}, liveness: {type: tcp, profile: slow}}
                securityContext: {profile: restricted}
                when: [{field: spec.enabled, notEquals: "false"}]
              - name: "{{ .metadata.name }}-{{ .shard.name }}"
                image: "{{ .spec.image }}"
                forEach: {field: spec.shards, as: shard}
                env: [{name: RANGE, value: "{{ .shard.range }}"}]
            services:
              - {name: "{{ .metadata.name }}-svc", port: 80, targetPort: 8080}
            ingresses:
              - name: "{{ .metadata.name }}"
                host: "{{ .spec.host }}"
                when: [{field: spec.host, exists: true}]
                or: [{field: spec.tier, equals: premium}, {field: spec.replicas, operator: gte, value: 2}]
        emit:
          status:
            conditions: true
            fields:
              - {path: phase, value: Pending, when: [{field: status.phase, notExists: true}]}
              - {path: replicas, type: integer, value: "{{ readyReplicas .children.deployment }}"}
              - {path: endpoint, value: "https://{{ .spec.host }}", clearOnFalse: true, when: [{field: spec.host, exists: true}]}
          events:
            ready: {type: Normal, reason: BecameReady, message: "{{ .metadata.name }} is ready", on: [success]}
EOF
}

generate() {
  local files=$(((CRDS + PER_FILE - 1) / PER_FILE)) f i n=0 name
  mkdir -p "$WORK/katalogs"
  for ((f = 0; f < files; f++)); do
    {
      printf 'apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\n'
      printf 'metadata: {name: bench-%d, version: v1.0.%d, description: generated for bench/validate.sh}\n' "$f" "$f"
      printf 'spec:\n  crds:\n'
      for ((i = 0; i < PER_FILE && n < CRDS; i++, n++)); do
        katalog_entry "svc-${f}-${i}" "$i" "$f"
      done
    } >"$WORK/katalogs/katalog-$f.yaml"
  done
  {
    printf 'apiVersion: orkestra.orkspace.io/v1\nkind: Komposer\n'
    printf 'metadata: {name: bench-platform, version: v1.0.0}\n'
    printf 'imports:\n  files:\n'
    for ((f = 0; f < files; f++)); do
      printf '    - ./katalogs/katalog-%d.yaml\n' "$f"
    done
    printf 'spec:\n  crds:\n'
    for ((f = 0; f < files; f++)); do
      printf '    - {name: svc-%d-0, workers: 4, resync: 30s}\n' "$f"
    done
  } >"$WORK/komposer.yaml"
}

generate
bytes=$(cat "$WORK/komposer.yaml" "$WORK"/katalogs/*.yaml | wc -c)
lines=$(cat "$WORK/komposer.yaml" "$WORK"/katalogs/*.yaml | wc -l)
echo "generated $CRDS CRD entries in $(ls "$WORK/katalogs" | wc -l) Katalog files ($lines lines, $((bytes / 1024)) KiB) in $WORK" >&2

# One untimed run: it must validate cleanly, otherwise the figures mean nothing.
if ! (cd "$WORK" && "$ORK" validate -f komposer.yaml >"$WORK/validate.out" 2>"$WORK/validate.err"); then
  echo "validate.sh: ork validate failed on the generated input; first diagnostics:" >&2
  head -n 40 "$WORK/validate.err" >&2
  exit 1
fi
warnings=$(grep -c 'warning' "$WORK/validate.err" || true)

times=()
cpus=()
rss=()
for ((r = 0; r < RUNS; r++)); do
  read -r wall kb user sys < <(cd "$WORK" && /usr/bin/time -f '%e %M %U %S' "$ORK" validate -f komposer.yaml 2>&1 >/dev/null |
    tail -n 1)
  times+=("$wall")
  rss+=("$kb")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
done

read -r best_t median_t < <(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)]}')
read -r best_cpu median_cpu < <(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)]}')
read -r best_kb median_kb < <(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)]}')
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "ok" : "OVER TARGET" }'; }
median_mb=$(awk -v k="$median_kb" 'BEGIN { printf "%.1f", k / 1024 }')
best_mb=$(awk -v k="$best_kb" 'BEGIN { printf "%.1f", k / 1024 }')

echo "ork validate, $CRDS CRDs ($RUNS runs; $warnings warning line(s) in the output):"
printf '  wall time  best %6.2f s   median %6.2f s   target %s s    %s\n' "$best_t" "$median_t" "$TARGET_SECONDS" \
  "$(verdict "$median_t" "$TARGET_SECONDS")"
printf '  CPU time   best %6.2f s   median %6.2f s   (user + sys; wall time includes waiting on a busy machine)\n' \
  "$best_cpu" "$median_cpu"
printf '  peak RSS   best %6s MB  median %6s MB  target %s MB   %s\n' "$best_mb" "$median_mb" "$TARGET_MB" \
  "$(verdict "$median_mb" "$TARGET_MB")"
