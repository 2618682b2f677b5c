#!/usr/bin/env bash
# `make run` at a keyboard (a terminal of its own), ended with Ctrl-C at the boot
# menu: only QEMU gets the SIGINT (its own process group owns the terminal), so it
# quits cleanly and make ends with status 0, printing no "Interrupt" or error.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT" || exit 1
unset MAKEFLAGS MFLAGS MAKELEVEL # a make of its own, as typed, not a part of make test

ql_start_tty make run
ql_expect 'press any key to stop' 300 || ql_fail "no boot menu"
ql_type '\x03'
ql_wait 60
rc=$?
[ $rc -ne 124 ] || ql_fail "make run still running 60 s after Ctrl-C"
grep -q 'terminating on signal 2' "$QL_LOG" || ql_fail "QEMU did not see the SIGINT"
tr -d '\r' <"$QL_LOG" | grep -E 'make(\[[0-9]+\])?: \*\*\*' && ql_fail "make printed an error"
[ $rc -eq 0 ] || ql_fail "make run ended with status $rc after Ctrl-C, want 0"
echo "PASS: Ctrl-C at the menu ended make run with status 0 (${SECONDS}s)"
