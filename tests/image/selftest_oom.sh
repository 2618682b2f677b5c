#!/usr/bin/env bash
# selftest=oom quit=1 (512 MiB guest, to stay quick): touching more than RAM with
# nothing lazily freed must print the out-of-memory report and end with status 35.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --mem 512M --cmdline 'selftest=oom quit=1' --timeout 300
[ "$QL_RC" -eq 1 ] || ql_fail "qemu.sh exit $QL_RC, want 1 (isa-debug-exit 35)"
grep -q 'OUT OF MEMORY: first touch of a committed page at 0x[0-9a-f]* in range "selftest-oom"' "$QL_LOG" ||
    ql_fail "no out-of-memory headline naming the range"
grep -q '  frames: total [0-9]* .* free 0' "$QL_LOG" || ql_fail "no frame totals"
grep -q '  page layer: ranges .* lazyfree 0 pages' "$QL_LOG" || ql_fail "no page-state totals"
grep -q 'touched every page without running out' "$QL_LOG" && ql_fail "did not run out of memory"
echo "selftest_oom: PASS"
