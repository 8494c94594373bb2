#!/usr/bin/env bash
# The ctest `k8s_validate`: renders the quickstart and every rendering golden case of testdata/template/
# with `ork template -o json` and `-o yaml`, and validates each object against the official Kubernetes
# schemas with validate.mjs (npm: kubernetes-models), which also checks the YAML reads back as the JSON.
#
# Env: ORK_BIN (the ork binary), ORK_SOURCE_DIR (repo root), ORK_K8S_VALIDATE_DIR (where the npm
# packages are installed, under the build dir). ORK_SKIP_K8S_VALIDATE=1 skips (exit 77, which ctest
# reports as skipped); otherwise a missing node/npm or a failed install fails the test with the reason.
set -uo pipefail

SRC=${ORK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
HERE=$SRC/testdata/k8s-validate
DIR=${ORK_K8S_VALIDATE_DIR:-$SRC/build/k8s-validate}

if [[ "${ORK_SKIP_K8S_VALIDATE:-}" == 1 ]]; then
  echo "k8s-validate: skipped (ORK_SKIP_K8S_VALIDATE=1)"
  exit 77
fi
if [[ -z "${ORK_BIN:-}" || ! -x "$ORK_BIN" ]]; then
  echo "k8s-validate: ORK_BIN does not name the ork binary ('${ORK_BIN:-}')" >&2
  exit 1
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "k8s-validate: '$tool' is not installed: run scripts/install-deps.sh (Debian's nodejs and npm)," >&2
    echo "  or set ORK_SKIP_K8S_VALIDATE=1 to skip the offline Kubernetes schema validation" >&2
    exit 1
  fi
done

# Install the pinned packages (package-lock.json) once per lock file content.
mkdir -p "$DIR"
stamp=$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -c1-16)
if [[ ! -f "$DIR/node_modules/.ork-stamp-$stamp" ]]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$DIR/"
  echo "k8s-validate: npm ci in $DIR" >&2
  if ! (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error >"$DIR/npm.log" 2>&1); then
    echo "k8s-validate: 'npm ci' failed (is the npm registry reachable?); its log:" >&2
    tail -n 20 "$DIR/npm.log" >&2
    echo "  set ORK_SKIP_K8S_VALIDATE=1 to skip the offline Kubernetes schema validation" >&2
    exit 1
  fi
  touch "$DIR/node_modules/.ork-stamp-$stamp"
fi
cp "$HERE/validate.mjs" "$DIR/validate.mjs"

# The checks must be able to fail: invalid objects are rejected, a misquoted stream is caught.
if ! node "$DIR/validate.mjs" --self-check; then
  echo "k8s-validate: the validator's self-check failed" >&2
  exit 1
fi

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
passed=0
failed=0

# check <label> <working dir> <env words> <ork arguments without -o>
check() {
  local label=$1 cwd=$2 envs=$3 args=$4 n=$((passed + failed))
  local json=$OUT/$n.json yaml=$OUT/$n.yaml
  if ! (cd "$cwd" && eval "env $envs \"\$ORK_BIN\" $args -o json" >"$json" 2>"$OUT/$n.err" &&
    eval "env $envs \"\$ORK_BIN\" $args -o yaml" >"$yaml" 2>>"$OUT/$n.err"); then
    echo "$label: ork template failed:"
    cat "$OUT/$n.err"
    failed=$((failed + 1))
    return
  fi
  if node "$DIR/validate.mjs" --name "$label" --yaml "$yaml" "$json"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}

check quickstart "$SRC" "" "template -f examples/quickstart/komposer.yaml"
for case in "$SRC"/testdata/template/ok_*/; do
  case=${case%/}
  args=$(cat "$case/cmd")
  # Rendering cases only: --katalog and --graph print no Kubernetes objects.
  [[ " $args " == *" --katalog "* || " $args " == *" --graph "* ]] && continue
  args=$(sed -E 's/(^| )(-o|--output)[ =](json|yaml)( |$)/ /' <<<"$args")
  envs=""
  [[ -f "$case/env" ]] && envs=$(tr '\n' ' ' <"$case/env")
  dir=$case
  if [[ -f "$case/setup.sh" ]]; then
    dir=$OUT/$(basename "$case")
    cp -r "$case" "$dir"
    (cd "$dir" && sh setup.sh) || { echo "$(basename "$case"): setup.sh failed"; failed=$((failed + 1)); continue; }
  fi
  check "$(basename "$case")" "$dir" "$envs" "$args"
done

echo "k8s-validate: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
