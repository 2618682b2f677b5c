#!/usr/bin/env bash
# selftest=doublefault quit=1: a page fault whose handler stack is unmapped
# escalates to a double fault; its IST stack lets the kernel report it (vector 8)
# and end the run with status 35 instead of triple-faulting (a QEMU reset).
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'selftest=doublefault quit=1' --timeout 180 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "kernel_double_fault: FAIL: $*"; exit 1; }
[ "$rc" -eq 1 ] || fail "qemu.sh exit $rc, want 1 (isa-debug-exit 35)"
grep -q 'EXCEPTION: double fault (vector 8) error 0x0' "$log" || fail "no double-fault report"
grep -q '^backtrace:' "$log" || fail "no backtrace"
grep -q 'selftest_fn_doublefault+0x' "$log" || fail "report does not name the self-test"
echo "kernel_double_fault: PASS"
