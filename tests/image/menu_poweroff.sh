#!/usr/bin/env bash
# The menu's other paths over serial: Esc in the line editor cancels and leaves the
# line unchanged, the menu comes back, and "p" powers the machine off through
# UEFI runtime services (QEMU ends by itself, without a kernel status: qemu.sh 2).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
img=$QL_DIR/menu.img
"$QL_ROOT/tools/mkimage.sh" --from "$QL_IMAGE" --out "$img" --cmdline 'timeout=120 gogc=50' ||
    ql_fail "cannot make the test image"

ql_start --image "$img" --timeout 400
ql_expect 'press any key to stop' 240 || ql_fail "no menu countdown"
ql_type 'e'
ql_expect 'Esc cancels' 30 || ql_fail "the line editor did not open"
ql_type 'abc\x1b'
ql_expect '\(cancelled\)' 30 || ql_fail "Esc did not cancel the edit"
ql_expect 'command line: timeout=120 gogc=50$' 30 || ql_fail "the cancelled edit changed the line"
[ "$(tr -d '\r' <"$QL_LOG" | grep -c '^== spanlab boot menu ==$')" -eq 2 ] || ql_fail "the menu was not shown again"
ql_type 'p'
ql_expect 'Powering off' 30 || ql_fail "no power-off message"
ql_wait 60
rc=$?
[ $rc -eq 2 ] || ql_fail "qemu.sh exit status $rc, want 2 (QEMU powered off, no kernel status)"
grep -q "$QL_BANNER" "$QL_LOG" && ql_fail "the kernel ran"
echo "PASS: Esc cancels the edit, p powers off (${SECONDS}s)"
