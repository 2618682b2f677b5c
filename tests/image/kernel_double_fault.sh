#!/usr/bin/env bash
# selftest=doublefault quit=1: a page fault whose handler stack is unmapped
# escalates to a double fault; its IST stack lets the kernel report it (vector 8)
# and end the run with status 35 instead of triple-faulting (a QEMU reset).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=doublefault quit=1' --timeout 180
[ "$QL_RC" -eq 1 ] || ql_fail "qemu.sh exit $QL_RC, want 1 (isa-debug-exit 35)"
grep -q 'EXCEPTION: double fault (vector 8) error 0x0' "$QL_LOG" || ql_fail "no double-fault report"
grep -q '^backtrace:' "$QL_LOG" || ql_fail "no backtrace"
grep -q 'selftest_fn_doublefault+0x' "$QL_LOG" || ql_fail "report does not name the self-test"
echo "kernel_double_fault: PASS"
