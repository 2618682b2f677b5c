#!/usr/bin/env bash
# selftest=sched_deadlock quit=1: with every goroutine blocked and no timer pending,
# the kernel must print Go's "fatal error: all goroutines are asleep - deadlock!"
# with the goroutine dump and end the run as a failure (status 35, qemu.sh exit 1).
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'selftest=sched_deadlock quit=1' --timeout 180 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "selftest_sched_deadlock: FAIL: $*"; exit 1; }
[ "$rc" -eq 1 ] || fail "qemu.sh exit $rc, want 1 (isa-debug-exit 35)"
grep -q '^fatal error: all goroutines are asleep - deadlock!' "$log" || fail "no deadlock message"
grep -q '^goroutine 1 \[chan receive\]:' "$log" || fail "no dump of goroutine 1"
grep -q '^goroutine 2 \[chan receive\]:' "$log" || fail "no dump of goroutine 2"
grep -q 'was not reported' "$log" && fail "the run went on after the deadlock"
echo "selftest_sched_deadlock: PASS"
