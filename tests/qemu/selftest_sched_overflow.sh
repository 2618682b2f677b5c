#!/usr/bin/env bash
# selftest=sched_overflow quit=1: a goroutine that recurses without bound must hit
# the guard page below its stack; the fault report must name the goroutine and the
# run must end as a failure (status 35, qemu.sh exit 1), not hang or corrupt memory.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'selftest=sched_overflow quit=1' --timeout 180 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "selftest_sched_overflow: FAIL: $*"; exit 1; }
[ "$rc" -eq 1 ] || fail "qemu.sh exit $rc, want 1 (isa-debug-exit 35)"
grep -q 'goroutine 2 stack overflow (guard page at 0x' "$log" ||
    fail "the fault report does not name the goroutine"
grep -q 'was not caught' "$log" && fail "the overflow was not caught"
echo "selftest_sched_overflow: PASS"
