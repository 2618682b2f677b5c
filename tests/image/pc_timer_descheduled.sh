#!/usr/bin/env bash
# The timer self-test against the PIT, whose 16-bit counter wraps every 55 ms:
# QEMU is stopped (SIGSTOP) for 300 ms in the middle of the measured second, as
# a busy host deschedules a TCG vCPU. The reference then loses whole wraps while
# the TSC does not; the self-test must notice the gap (a read a whole wrap after
# the previous one), say so, measure again, and pass on the undisturbed second.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"

ql_start --cmdline 'clockref=pit selftest=timer quit=1' --timeout 300
ql_expect 'selftest timer: start' 240 || ql_fail "the timer self-test did not start"
# QEMU runs in qemu.sh's session (ql_start uses setsid): only this test's QEMU.
qemu_pid=$(pgrep -s "$QL_PID" -x qemu-system-x86) # the name, cut to 15 characters
[ -n "$qemu_pid" ] || ql_fail "cannot find this test's QEMU process"
sleep 0.1 # into the measured second (it lasts a second of guest time)
kill -STOP "$qemu_pid"
sleep 0.3
kill -CONT "$qemu_pid"
ql_wait 120
rc=$?
[ $rc -eq 0 ] || ql_fail "qemu.sh exit status $rc, want 0 (the self-test passed)"
grep -q 'the PIT went unread for a whole wrap of its counter' <(tr -d '\r' <"$QL_LOG") ||
    ql_fail "the 300 ms stop was not noticed as a gap in the PIT's reads"
grep -q 'selftest timer: PASS' <(tr -d '\r' <"$QL_LOG") || ql_fail "no PASS after measuring again"
echo "PASS: a 300 ms stop is seen as lost PIT wraps and the second is measured again (${SECONDS}s)"
