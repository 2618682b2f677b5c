#!/usr/bin/env bash
# selftest=fault quit=1: a deliberate write to an unmapped address must produce the
# exception report (vector name and number, CR2 = the address, registers, a
# backtrace naming the self-test) and end the run with status 35 (qemu.sh exit 1).
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'selftest=fault quit=1' --timeout 180 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "selftest_fault: FAIL: $*"; exit 1; }
[ "$rc" -eq 1 ] || fail "qemu.sh exit $rc, want 1 (isa-debug-exit 35)"
grep -q 'EXCEPTION: page fault (vector 14) error 0x2 \[not-present write' "$log" ||
    fail "no page-fault headline"
grep -q 'CR2 0x000000000dead000' "$log" || fail "CR2 does not name the address"
grep -q '0xdead000 is outside every reserved range' "$log" || fail "no reason"
grep -q 'rax [0-9a-f]\{16\}' "$log" || fail "no registers"
grep -q '^backtrace:' "$log" || fail "no backtrace"
grep -q 'selftest_fn_fault+0x' "$log" || fail "backtrace does not name the self-test"
grep -q 'kernel_run_selftests+0x\|run_one+0x' "$log" || fail "backtrace stops too early"
echo "selftest_fault: PASS"
