#!/usr/bin/env bash
# Nobody at the keyboard: the menu counts down from timeout= in cmdline.txt and
# boots row b (the default) with the command line as written (timeout= included, which the
# kernel ignores); the run ends with success. Prints the boot time.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
img=$QL_DIR/menu.img
"$QL_ROOT/tools/mkimage.sh" --from "$QL_IMAGE" --out "$img" --cmdline 'timeout=2 quit=1' ||
    ql_fail "cannot make the test image"

ql_start --image "$img" --timeout 400
ql_expect 'Booting b in 2 s; press any key to stop: 2 1 0$' 240 || ql_fail "no countdown to 0"
ql_expect "$QL_BANNER" 240 || ql_fail "no kernel banner after the countdown"
echo "banner after $(ql_elapsed) s (2 s of countdown included)"
ql_wait 300
rc=$?
[ $rc -eq 0 ] || ql_fail "qemu.sh exit status $rc, want 0"
echo "PASS: the countdown boots the default (${SECONDS}s)"
