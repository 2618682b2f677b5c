#!/usr/bin/env bash
# The same numbers every run: build/spanlab-host run=all three times, the third beside
# a CPU hog (one busy process per core), and every RESULT key but the timings
# (scenarios/timing-keys.txt) must be the same in all three (tools/same-results.py).
# What varied before: resident_pages by a page (the tick's signal frame on goroutine
# stacks) and the scavenger's releases (paced by the wall clock).
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-same.XXXXXX")
hogs=()
cleanup() {
    for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "scenarios_same_every_run: FAIL: $*"; exit 1; }
cp build/spanlab-host "$dir/host" || fail "no build/spanlab-host (run make)"
run() { # run N: one run=all into $dir/run-N.log
    timeout 600 "$dir/host" run=all >"$dir/run-$1.log" 2>&1 ||
        { tail -20 "$dir/run-$1.log"; fail "run $1: spanlab-host run=all failed"; }
}
run 1
run 2
for _ in $(seq "$(nproc)"); do
    sh -c 'while :; do :; done' &
    hogs+=($!)
done
run 3
for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done
hogs=()
bad=0
tools/same-results.py "$dir/run-1.log" "$dir/run-2.log" --names run1,run2 || bad=1
tools/same-results.py "$dir/run-1.log" "$dir/run-3.log" --names run1,loaded || bad=1
[ $bad -eq 0 ] || fail "RESULT keys changed between runs (above)"
echo "scenarios_same_every_run: PASS (three runs, one loaded: every non-timing key the same)"
