#!/usr/bin/env bash
# Runs of build/spanlab-host that must fail, each with a message saying why (no
# QEMU): run= with an empty value selects
# nothing, as run=0 does; a run whose every scenario is skipped for RAM checked
# nothing; a report that cannot be written (stdout is /dev/full) did not reach
# its reader; and a log whose MODES line does not show the collector the checker
# was told of fails tools/check-results.py --modes (while the true one passes).
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-hostfail.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "scenarios_host_failures: FAIL: $*"; exit 1; }
[ -x build/spanlab-host ] || fail "build/spanlab-host is missing: run 'make'"
host=build/spanlab-host

# Runs the host program with "$@"; it must exit non-zero and its output (stdout and
# stderr together) must match the extended regex in $want.
must_fail() {
    local out rc
    out=$(timeout 300 "$host" "$@" 2>&1)
    rc=$?
    [ "$rc" -ne 0 ] || fail "'$*' exited 0"
    echo "$out" | grep -Eq -- "$want" || fail "'$*' (exit $rc) did not say /$want/"
    echo "'$*': exit $rc, says: $(echo "$out" | grep -E -m1 -- "$want")"
}

want='^spanlab: run= is empty: it selects no scenario' must_fail run=
want='^spanlab: run=0 selects no scenario' must_fail run=0
want='^spanlab: no scenario ran \(all 18 selected were skipped\)' must_fail scale=1000000 run=all

# A full disk: stdout fails, stderr says so, the exit status is not 0.
timeout 300 "$host" run=1 >/dev/full 2>"$dir/err"
rc=$?
[ "$rc" -ne 0 ] || fail "'run=1 >/dev/full' exited 0"
grep -q '^spanlab: writing the output failed: No space left on device' "$dir/err" ||
    fail "'run=1 >/dev/full' (exit $rc) said nothing on stderr: $(head -c 300 "$dir/err")"
echo "'run=1 >/dev/full': exit $rc, stderr: $(head -n1 "$dir/err")"
# The MODES line names the collector: check-results --modes holds it to the options.
timeout 300 "$host" run=1 gcmode=stw >"$dir/stw.log" 2>&1 || fail "'run=1 gcmode=stw' failed"
out=$(tools/check-results.py "$dir/stw.log" --expect-bugs 1 --modes "gcmode=stw") ||
    fail "check-results --modes gcmode=stw on a gcmode=stw run: $out"
out=$(tools/check-results.py "$dir/stw.log" --expect-bugs 1 --modes "gcmode=inc") &&
    fail "check-results --modes gcmode=inc passed a gcmode=stw run"
echo "$out" | grep -q "given gcmode=inc but its MODES line says gcmode=stw" ||
    fail "check-results --modes did not name the mismatch: $out"
echo "'run=1 gcmode=stw' checked as gcmode=inc: $(echo "$out" | head -n1)"
echo "scenarios_host_failures: PASS"
