#!/usr/bin/env bash
# Layering check (STYLE.md "The layers"): fails on any repo include that points up a layer, on includes not
# rooted at the repository, and on third-party headers used outside the layer (and file kind) that owns them.
#
# Usage: check_layering.sh [--self-test] [ROOT]   (ROOT defaults to the repository holding this script)
#   --self-test first builds temporary trees with known violations and checks that each is caught (and that a
#   clean tree passes), then checks ROOT. Registered with CTest as `layering`.
set -euo pipefail

# Which of our layers each layer may include (itself included). tools/, testdata/ and bench/ may include anything.
allowed_layers() {
  case "$1" in
    support) echo "support" ;;
    ir) echo "ir support" ;;
    frontend) echo "frontend ir support" ;;
    passes) echo "passes frontend ir support" ;;
    backend) echo "backend backend/plan passes frontend ir support" ;;
    backend/plan) echo "backend/plan support" ;;
    runtime) echo "runtime backend/plan support" ;;
    *) echo "ANY" ;;
  esac
}

# The layer a repository-relative path belongs to ("" when it is not under one of ours).
layer_of() {
  case "$1" in
    support/*) echo support ;;
    ir/*) echo ir ;;
    frontend/*) echo frontend ;;
    passes/*) echo passes ;;
    backend/plan/*) echo backend/plan ;;
    backend/*) echo backend ;;
    runtime/*) echo runtime ;;
    tools/*) echo tools ;;
    testdata/*) echo testdata ;;
    bench/*) echo bench ;;
    *) echo "" ;;
  esac
}

# third_party_rule <file> <header>: prints why <header> may not be included from <file>, or nothing.
# yaml-cpp and libyaml (yaml.h) only in frontend/ sources; curl, libgit2 and RE2 only in the support/ or
# frontend/ sources that implement an interface (never in a header, so they never leak to includers); CLI11 only
# in tools/ork/; Catch2 only in tests and the test helpers under <layer>/testing/.
third_party_rule() {
  local file=$1 header=$2
  case "$header" in
    yaml-cpp/*)
      [[ "$file" == frontend/*.cc ]] || echo "yaml-cpp is used only in frontend/ .cc files" ;;
    yaml.h)
      [[ "$file" == frontend/*.cc ]] || echo "libyaml is used only in frontend/ .cc files" ;;
    curl/* | git2.h | git2/* | re2/*)
      [[ "$file" == support/*.cc || "$file" == frontend/*.cc ]] ||
        echo "curl, libgit2 and RE2 are used only in the support/ or frontend/ .cc files that implement an interface" ;;
    CLI/*)
      [[ "$file" == tools/ork/* ]] || echo "CLI11 is used only in tools/ork/" ;;
    catch2/*)
      [[ "$file" == *_test.cc || "$file" == */testing/* || "$file" == testdata/* ]] ||
        echo "Catch2 is used only in *_test.cc files and <layer>/testing/ helpers" ;;
  esac
}

# check_tree <root>: prints one line per violation (`path:line: message`) and returns 1 when there are any.
check_tree() {
  local root=$1 violations=0 file rel lineno text kind header layer target allowed reason
  local include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*(["<])([^">]+)[">]'
  while IFS= read -r file; do
    rel=${file#"$root"/}
    layer=$(layer_of "$rel")
    [[ -n "$layer" ]] || continue
    allowed=$(allowed_layers "$layer")
    while IFS=: read -r lineno text; do
      if [[ "$text" =~ $include_re ]]; then
        kind=${BASH_REMATCH[1]}
        header=${BASH_REMATCH[2]}
      else
        continue
      fi
      if [[ "$kind" == "<" ]]; then
        reason=$(third_party_rule "$rel" "$header")
        if [[ -n "$reason" ]]; then
          echo "$rel:$lineno: third-party header <$header> outside its layer: $reason"
          violations=$((violations + 1))
        fi
        continue
      fi
      target=$(layer_of "$header")
      if [[ -z "$target" ]]; then
        echo "$rel:$lineno: include \"$header\" is not rooted at the repository (write \"<layer>/…\")"
        violations=$((violations + 1))
        continue
      fi
      [[ "$allowed" == ANY ]] && continue
      if [[ " $allowed " != *" $target "* ]]; then
        echo "$rel:$lineno: upward include \"$header\": $layer/ may include only: $allowed"
        violations=$((violations + 1))
      fi
    done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include' "$file" || true)
  done < <(find "$root" \( -name '.git' -o -name 'build*' -o -name 'ci-check' \) -prune -o -type f \
             \( -name '*.h' -o -name '*.hpp' -o -name '*.cc' -o -name '*.cpp' -o -name '*.def' -o -name '*.inc' \) \
             -print | LC_ALL=C sort)
  if [[ $violations -gt 0 ]]; then
    echo "layering: $violations violation(s) in $root"
    return 1
  fi
  return 0
}

# expect_case <name> <expected substring> <file=content>…: builds a temp tree, checks that the layering check
# fails on it with the expected message ("" = must pass).
expect_case() {
  local name=$1 expected=$2 dir out status
  shift 2
  dir=$(mktemp -d)
  local spec path
  for spec in "$@"; do
    path=${spec%%=*}
    mkdir -p "$dir/$(dirname "$path")"
    printf '%s\n' "${spec#*=}" >"$dir/$path"
  done
  status=0
  out=$(check_tree "$dir") || status=$?
  rm -rf "$dir"
  if [[ -z "$expected" ]]; then
    if [[ $status -ne 0 ]]; then
      echo "self-test '$name': expected a clean tree to pass, got:"
      echo "$out"
      return 1
    fi
  elif [[ $status -eq 0 || "$out" != *"$expected"* ]]; then
    echo "self-test '$name': expected a failure containing: $expected"
    echo "got (status $status): $out"
    return 1
  fi
  echo "self-test '$name': ok"
}

self_test() {
  local failed=0
  expect_case clean "" \
    'support/a.h=#include "support/span.h"' \
    'frontend/b.cc=#include "frontend/loader.h"
#include "ir/node.h"
#include <yaml-cpp/parser.h>
#include <yaml.h>' \
    'runtime/c.cc=#include "backend/plan/format.h"' \
    'tools/ork/main.cc=#include "passes/pass.h"
#include "runtime/worker.h"
#include <CLI/CLI.hpp>' \
    'passes/x_test.cc=#include <catch2/catch.hpp>' \
    'testdata/golden_test.cc=#include "testdata/golden_support.h"' || failed=1
  expect_case frontend-includes-passes 'frontend/bad.cc:2: upward include "passes/pass.h": frontend/ may include only: frontend ir support' \
    'frontend/bad.cc=#include "frontend/loader.h"
#include "passes/pass.h"' || failed=1
  expect_case support-includes-ir 'support/s.h:1: upward include "ir/node.h"' 'support/s.h=#include "ir/node.h"' || failed=1
  expect_case runtime-includes-frontend 'runtime/r.cc:1: upward include "frontend/loader.h": runtime/ may include only: runtime backend/plan support' \
    'runtime/r.cc=  #  include "frontend/loader.h"' || failed=1
  expect_case plan-includes-backend 'backend/plan/p.cc:1: upward include "backend/emit.h"' \
    'backend/plan/p.cc=#include "backend/emit.h"' || failed=1
  expect_case passes-includes-testdata 'passes/t.cc:1: upward include "testdata/golden_support.h"' \
    'passes/t.cc=#include "testdata/golden_support.h"' || failed=1
  expect_case unrooted 'passes/q.cc:1: include "pass.h" is not rooted at the repository' 'passes/q.cc=#include "pass.h"' || failed=1
  expect_case yaml-cpp-in-passes 'passes/y.cc:1: third-party header <yaml-cpp/yaml.h> outside its layer' \
    'passes/y.cc=#include <yaml-cpp/yaml.h>' || failed=1
  expect_case libyaml-in-header 'frontend/y.h:1: third-party header <yaml.h> outside its layer: libyaml is used only in frontend/ .cc files' \
    'frontend/y.h=#include <yaml.h>' || failed=1
  expect_case libyaml-in-passes 'passes/y.cc:1: third-party header <yaml.h> outside its layer' \
    'passes/y.cc=#include <yaml.h>' || failed=1
  expect_case curl-in-header 'support/http.h:1: third-party header <curl/curl.h> outside its layer' \
    'support/http.h=#include <curl/curl.h>' || failed=1
  expect_case cli11-in-passes 'passes/c.cc:1: third-party header <CLI/CLI.hpp>' 'passes/c.cc=#include <CLI/CLI.hpp>' || failed=1
  return $failed
}

main() {
  local run_self_test=0 root
  if [[ "${1:-}" == "--self-test" ]]; then
    run_self_test=1
    shift
  fi
  root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
  root=${root%/}
  if [[ $run_self_test -eq 1 ]]; then
    self_test || { echo "layering: self-test FAILED"; return 1; }
  fi
  check_tree "$root" || return 1
  echo "layering: ok ($root)"
}

main "$@"
