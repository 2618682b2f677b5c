#!/usr/bin/env bash
# The scenarios on the host (no QEMU): build/spanlab-host run=all must exit 0 and its output
# must pass tools/check-results.py with every registered scenario; then each scenario
# alone (run=N), which must pass the same way with exactly that scenario; and run=all
# with gctrace=1, whose trace lines interleave with the report. With an argument N
# (as the mutation suite, tools/mutants/, uses it): only scenario N alone.
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-schost.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "scenarios_host: FAIL: $*"; exit 1; }
[ -x build/spanlab-host ] || fail "build/spanlab-host is missing: run 'make'"
# A private copy: one binary for every run, even if build/ is relinked meanwhile.
host=$dir/spanlab-host
cp build/spanlab-host "$host" || fail "cannot copy build/spanlab-host"
nums=$("$host" | awk '/^scenarios:/ {on = 1; next} on && $1 ~ /^[0-9]+$/ {print $1}')
[ -n "$nums" ] || fail "$host lists no scenarios"
failed=0

# Runs the host program with run=$1 (and options $3...), checks its exit status and
# that its log validates with exactly the scenarios $2.
run_one() {
    local sel=$1 expect=$2 log="$dir/run-$1-$#.log" start rc
    shift 2
    start=$(date +%s.%N)
    timeout 600 "$host" "run=$sel" "$@" >"$log" 2>&1
    rc=$?
    local secs
    secs=$(echo "$(date +%s.%N) $start" | awk '{printf "%.2f", $1 - $2}')
    if [ "$rc" -ne 0 ]; then
        echo "run=$sel${*:+ $*}: exit $rc (want 0), ${secs}s; tail of its log:"
        tail -n 25 "$log" | sed 's/^/    /'
        tools/check-results.py "$log" --expect-bugs "$expect" --list-from "$host" | sed 's/^/    /'
        failed=$((failed + 1))
        return
    fi
    if ! out=$(tools/check-results.py "$log" --expect-bugs "$expect" --list-from "$host"); then
        echo "run=$sel${*:+ $*}: exit 0 but the log does not validate:"
        echo "$out" | sed 's/^/    /'
        failed=$((failed + 1))
        return
    fi
    echo "run=$sel${*:+ $*}: ok, ${secs}s: $out"
}

if [ $# -gt 0 ]; then
    echo "$nums" | grep -qx "$1" || fail "no scenario '$1' (the host program lists: $(echo $nums))"
    run_one "$1" "$1"
    [ "$failed" -eq 0 ] || fail "run=$1 failed"
    echo "scenarios_host: PASS (scenario $1 alone)"
    exit 0
fi
run_one all all
run_one all all gctrace=1
for n in $nums; do
    run_one "$n" "$n"
done
[ "$failed" -eq 0 ] || fail "$failed run(s) failed"
echo "scenarios_host: PASS ($(echo $nums | wc -w) scenarios, all together and one by one)"
