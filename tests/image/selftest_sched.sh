#!/usr/bin/env bash
# selftest=sched quit=1: goroutines, channels, select, sync, pools, stack roots, the
# deadlock report, and timers driven by the real LAPIC timer interrupt (the sleep
# must see ticks and idle halts) must all pass; QEMU must exit 0.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=sched quit=1' --timeout 300
[ "$QL_RC" -eq 0 ] || ql_fail "qemu.sh exit $QL_RC, want 0"
grep -q '^selftest sched: PASS' "$QL_LOG" || ql_fail "selftest sched did not pass"
grep -q 'check failed' "$QL_LOG" && ql_fail "a check failed"
grep -Eq 'timers on the tick: .* [1-9][0-9]* ticks, [1-9][0-9]* idle halts' "$QL_LOG" ||
    ql_fail "timers were not driven by LAPIC ticks"
grep -q 'fatal error: all goroutines are asleep - deadlock!' "$QL_LOG" || ql_fail "no deadlock report"
grep -q 'goroutine 1 \[chan receive\]:' "$QL_LOG" || ql_fail "no goroutine dump"
echo "selftest_sched: PASS"
