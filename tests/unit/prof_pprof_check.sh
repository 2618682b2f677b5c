#!/usr/bin/env bash
# Opens a heap profile written by spanlab with Go 1.19's `go tool pprof -top` and
# checks the top site and its numbers (called by tests/unit/prof_test.c).
# Usage: prof_pprof_check.sh FILE SAMPLE_INDEX SITE FLAT_VALUE
#   e.g. prof_pprof_check.sh heap.pprof alloc_space test.big 10MB
# Prints pprof's output; exits 0 when SITE is the first row with flat value FLAT_VALUE.
set -u
file=$1 index=$2 site=$3 flat=$4
go=${GO:-/usr/lib/go-1.19/bin/go}
[ -x "$go" ] || go=$(command -v go) || { echo "no go toolchain"; exit 3; }
export HOME=${TMPDIR:-/tmp} PPROF_TMPDIR=${TMPDIR:-/tmp}
out=$("$go" tool pprof -top -sample_index="$index" "$file" 2>&1) || { echo "$out"; exit 1; }
echo "$out"
# The first row after the header line "      flat  flat%   sum%        cum   cum%".
row=$(printf '%s\n' "$out" | awk '/flat%/ { getline; print; exit }')
set -- $row
[ "${6:-}" = "$site" ] || { echo "top site: got '${6:-}', want '$site'"; exit 1; }
[ "${1:-}" = "$flat" ] || { echo "top flat: got '${1:-}', want '$flat'"; exit 1; }
echo "pprof check: $site $flat OK"
