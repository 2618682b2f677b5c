#!/usr/bin/env bash
# Keys reach the kernel's end-of-run prompt through the PS/2 keyboard: boot with a
# display and a QEMU monitor, wait for the prompt on serial, send an unrelated key
# with the monitor's `sendkey` (the prompt must keep waiting), then `p`: the kernel
# powers off and QEMU ends by itself (tools/qemu.sh status 2, no kernel status).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"

ql_start --display --monitor "$QL_MON" --cmdline 'verbose=0' --timeout 600
ql_expect 'press p to power off' 300 || ql_fail "no end-of-run prompt"
grep -q 'no PS/2 controller' "$QL_LOG" && ql_fail "the kernel found no i8042 under QEMU"
sleep 1
ql_monitor 'sendkey x' >/dev/null # not an answer: the prompt must keep waiting
sleep 2
kill -0 "$QL_PID" 2>/dev/null || ql_fail "QEMU ended after an unrelated key"
ql_monitor 'sendkey p' >/dev/null
ql_wait 60
rc=$?
[ "$rc" -ne 124 ] || ql_fail "QEMU still running 60 s after 'p' was typed"
grep -q 'powering off' "$QL_LOG" || ql_fail "the kernel did not see the key (no 'powering off')"
[ "$rc" -eq 2 ] || ql_fail "QEMU exit status $rc, expected a plain power off (2)"
echo "PASS: sendkey p on the PS/2 keyboard powered the machine off"
