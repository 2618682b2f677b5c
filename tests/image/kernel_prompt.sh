#!/usr/bin/env bash
# Without quit=1 a finished run waits at "press p to power off, r to reboot"
# (polled serial/keyboard input; any other key stops the afterrun countdown):
# "p" powers off through UEFI ResetSystem (QEMU ends by itself, no kernel
# status: qemu.sh 2). The reboot path ("r", also ResetSystem) is checked by a
# second boot: qemu.sh runs QEMU with -no-reboot, so a reset ends QEMU too.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
ql_start --cmdline 'verbose=1' --timeout 300
ql_expect 'press p to power off, r to reboot' 240 || ql_fail "no end-of-run prompt"
grep -q 'run ended: success' <(tr -d '\r' <"$QL_LOG") || ql_fail "no 'run ended' line"
ql_type 'x' # other keys stop the countdown (someone is there) and are ignored
ql_expect 'countdown stopped: waiting for p or r' 30 || ql_fail "x did not stop the countdown"
ql_type 'p'
ql_expect 'powering off' 30 || ql_fail "no power-off message"
ql_wait 60
rc=$?
[ $rc -eq 2 ] || ql_fail "qemu.sh exit status $rc, want 2 (QEMU powered off, no kernel status)"
grep -q 'ResetSystem returned' <(tr -d '\r' <"$QL_LOG") && ql_fail "ResetSystem returned"

# Second boot: r reboots.
ql_cleanup_log=$QL_LOG
QL_LOG=$QL_DIR/serial2.log
QL_PID=
exec {QL_FD}>&-
rm -f "$QL_DIR/in"
ql_start --cmdline 'verbose=1' --timeout 300
ql_expect 'press p to power off, r to reboot' 240 || ql_fail "no prompt on the second boot"
ql_type 'r'
ql_expect 'rebooting' 30 || ql_fail "no reboot message"
ql_wait 60
rc=$?
[ $rc -eq 2 ] || ql_fail "qemu.sh exit status $rc after r, want 2 (QEMU reset, -no-reboot)"
grep -q 'ResetSystem returned' <(tr -d '\r' <"$QL_LOG") && ql_fail "ResetSystem returned"
cat "$ql_cleanup_log"
echo "PASS: the prompt waits for a key, p powers off, r reboots (${SECONDS}s)"
