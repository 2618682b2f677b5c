#!/usr/bin/env bash
# selftest=sched quit=1: goroutines, channels, select, sync, pools, stack roots, the
# deadlock report, and timers driven by the real LAPIC timer interrupt (the sleep
# must see ticks and idle halts) must all pass; QEMU must exit 0.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'selftest=sched quit=1' --timeout 300 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "selftest_sched: FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0"
grep -q '^selftest sched: PASS' "$log" || fail "selftest sched did not pass"
grep -q 'check failed' "$log" && fail "a check failed"
grep -Eq 'timers on the tick: .* [1-9][0-9]* ticks, [1-9][0-9]* idle halts' "$log" ||
    fail "timers were not driven by LAPIC ticks"
grep -q 'fatal error: all goroutines are asleep - deadlock!' "$log" || fail "no deadlock report"
grep -q 'goroutine 1 \[chan receive\]:' "$log" || fail "no goroutine dump"
echo "selftest_sched: PASS"
