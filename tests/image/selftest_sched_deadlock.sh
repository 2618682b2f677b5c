#!/usr/bin/env bash
# selftest=sched_deadlock quit=1: with every goroutine blocked and no timer pending,
# the kernel must print Go's "fatal error: all goroutines are asleep - deadlock!"
# with the goroutine dump and end the run as a failure (status 35, qemu.sh exit 1).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=sched_deadlock quit=1' --timeout 180
[ "$QL_RC" -eq 1 ] || ql_fail "qemu.sh exit $QL_RC, want 1 (isa-debug-exit 35)"
grep -q '^fatal error: all goroutines are asleep - deadlock!' "$QL_LOG" || ql_fail "no deadlock message"
grep -q '^goroutine 1 \[chan receive\]:' "$QL_LOG" || ql_fail "no dump of goroutine 1"
grep -q '^goroutine 2 \[chan receive\]:' "$QL_LOG" || ql_fail "no dump of goroutine 2"
grep -q 'was not reported' "$QL_LOG" && ql_fail "the run went on after the deadlock"
echo "selftest_sched_deadlock: PASS"
