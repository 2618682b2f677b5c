#!/usr/bin/env bash
# `make run` at a keyboard (a terminal of its own): pick scenario 1 in the boot menu,
# let it run, press r at the kernel's prompt: the machine reboots into the menu (no
# -no-reboot for interactive runs); press p there: QEMU powers off and make ends
# with status 0 and no make error.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT" || exit 1
unset MAKEFLAGS MFLAGS MAKELEVEL # a make of its own, as typed, not a part of make test

menus() { tr -d '\r' <"$QL_LOG" | grep -c '^== spanlab boot menu ==$'; }

ql_start_tty make run
ql_expect 'press any key to stop' 300 || ql_fail "no boot menu"
ql_type '1\r'
ql_expect '^SCENARIOS 1$' 120 || ql_fail "the kernel did not start scenario 1"
ql_expect 'press p to power off, r to reboot' 300 || ql_fail "no end-of-run prompt"
ql_type 'r'
ql_expect '^rebooting$' 30 || ql_fail "the kernel did not reboot on r"
for ((i = 0; i < 1500 && $(menus) < 2; i++)); do
    kill -0 "$QL_PID" 2>/dev/null || break
    sleep 0.2
done
[ "$(menus)" -eq 2 ] || ql_fail "the boot menu did not come back after r (QEMU ended: -no-reboot?)"
ql_type 'p'
ql_wait 120
rc=$?
[ $rc -ne 124 ] || ql_fail "make run still running 120 s after p"
tr -d '\r' <"$QL_LOG" | grep -E 'make(\[[0-9]+\])?: \*\*\*' && ql_fail "make printed an error"
[ $rc -eq 0 ] || ql_fail "make run ended with status $rc after p, want 0"
echo "PASS: menu 1, r rebooted into the menu, p ended make run with status 0 (${SECONDS}s)"
