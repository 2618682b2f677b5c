#!/usr/bin/env bash
# selftest=oom quit=1 (512 MiB guest, to stay quick): touching more than RAM with
# nothing lazily freed must print the out-of-memory report and end with status 35.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --mem 512M --cmdline 'selftest=oom quit=1' --timeout 300 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "selftest_oom: FAIL: $*"; exit 1; }
[ "$rc" -eq 1 ] || fail "qemu.sh exit $rc, want 1 (isa-debug-exit 35)"
grep -q 'OUT OF MEMORY: first touch of a committed page at 0x[0-9a-f]* in range "selftest-oom"' "$log" ||
    fail "no out-of-memory headline naming the range"
grep -q '  frames: total [0-9]* .* free 0' "$log" || fail "no frame totals"
grep -q '  page layer: ranges .* lazyfree 0 pages' "$log" || fail "no page-state totals"
grep -q 'touched every page without running out' "$log" && fail "did not run out of memory"
echo "selftest_oom: PASS"
