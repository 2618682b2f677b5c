#!/usr/bin/env bash
# selftest=sched_overflow quit=1: a goroutine that recurses without bound must hit
# the guard page below its stack; the fault report must name the goroutine and the
# run must end as a failure (status 35, qemu.sh exit 1), not hang or corrupt memory.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=sched_overflow quit=1' --timeout 180
[ "$QL_RC" -eq 1 ] || ql_fail "qemu.sh exit $QL_RC, want 1 (isa-debug-exit 35)"
grep -q 'goroutine 2 stack overflow (guard page at 0x' "$QL_LOG" ||
    ql_fail "the fault report does not name the goroutine"
grep -q 'was not caught' "$QL_LOG" && ql_fail "the overflow was not caught"
echo "selftest_sched_overflow: PASS"
