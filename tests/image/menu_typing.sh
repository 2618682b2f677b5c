#!/usr/bin/env bash
# The boot menu driven over serial, as a person at the keyboard would: stop the
# countdown, pick "edit", clear the line, type one with a typo and fix it with
# Backspace, boot it; the kernel's banner must show exactly that line and the run
# must end with success (quit=1, isa-debug-exit 33).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
img=$QL_DIR/menu.img
"$QL_ROOT/tools/mkimage.sh" --from "$QL_IMAGE" --out "$img" \
    --cmdline 'timeout=120' || ql_fail "cannot make the test image"

ql_start --image "$img" --timeout 400
ql_expect 'press any key to stop' 240 || ql_fail "no menu countdown"
ql_expect '   e  Edit the command line' 5 || ql_fail "the menu has no edit row"
ql_type 'x'                                   # stops the countdown; no such row
ql_expect 'No row "x"' 30 || ql_fail "an unknown key was not reported"
ql_type 'e'
ql_expect 'Esc cancels' 30 || ql_fail "the line editor did not open"
ql_type '\x15verbose=1 quitt\x7f=1'            # Ctrl-U, then a typo fixed by Backspace
ql_enter
ql_expect "$QL_BANNER" 240 || ql_fail "no kernel banner"
ql_expect '^[^>].*verbose=1 quit=1' 60 || ql_fail "the kernel did not get the typed command line"
sed -n '/starting it/,$p' "$QL_LOG" | grep -q 'timeout=120' && ql_fail "Ctrl-U did not clear the old line"
ql_wait 300
rc=$?
[ $rc -eq 0 ] || ql_fail "qemu.sh exit status $rc, want 0 (kernel success)"
echo "PASS: menu edit boots the typed line (${SECONDS}s)"
