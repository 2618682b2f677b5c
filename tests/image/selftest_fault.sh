#!/usr/bin/env bash
# selftest=fault quit=1: a deliberate write to an unmapped address must produce the
# exception report (vector name and number, CR2 = the address, registers, a
# backtrace naming the self-test) and end the run with status 35 (qemu.sh exit 1).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=fault quit=1' --timeout 180
[ "$QL_RC" -eq 1 ] || ql_fail "qemu.sh exit $QL_RC, want 1 (isa-debug-exit 35)"
grep -q 'EXCEPTION: page fault (vector 14) error 0x2 \[not-present write' "$QL_LOG" ||
    ql_fail "no page-fault headline"
grep -q 'CR2 0x000000000dead000' "$QL_LOG" || ql_fail "CR2 does not name the address"
grep -q '0xdead000 is outside every reserved range' "$QL_LOG" || ql_fail "no reason"
grep -q 'rax [0-9a-f]\{16\}' "$QL_LOG" || ql_fail "no registers"
grep -q '^backtrace:' "$QL_LOG" || ql_fail "no backtrace"
grep -q 'selftest_fn_fault+0x' "$QL_LOG" || ql_fail "backtrace does not name the self-test"
grep -q 'selftest_run+0x\|run_one+0x' "$QL_LOG" || ql_fail "backtrace stops too early"
echo "selftest_fault: PASS"
