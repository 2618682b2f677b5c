#!/usr/bin/env bash
# A scenario picked from the boot menu, as a student would: set an option row
# ("m": madv=free), type the scenario's number ("13") and Enter; the kernel runs
# exactly that scenario with the option, reports its checks, and answers the end-of-
# run prompt ("p" powers off: QEMU ends without a kernel status, qemu.sh 2).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
img=$QL_DIR/menu-scenario.img
"$QL_ROOT/tools/mkimage.sh" --from "$QL_IMAGE" --out "$img" --cmdline 'timeout=120' ||
    ql_fail "cannot make the test image"

ql_start --image "$img" --timeout 600
ql_expect 'press any key to stop' 240 || ql_fail "no menu countdown"
ql_expect 'Expecting RSS drop without forcing a GC cycle' 30 || ql_fail "no scenario rows in the menu"
ql_type 'm'
ql_expect 'command line: timeout=120 madv=free$' 30 || ql_fail "the option row did not set madv=free"
ql_type '13'
ql_enter
ql_expect '^SCENARIOS 13$' 300 || ql_fail "the kernel did not start scenario 13"
ql_expect '^[0-9]+ passed, 0 failed$' 300 || ql_fail "scenario 13 did not pass"
grep -q 'release_mode_free=1' "$QL_LOG" || ql_fail "madv=free did not reach the kernel"
ql_expect 'press p to power off' 60 || ql_fail "no end-of-run prompt"
ql_type 'p'
ql_wait 60
rc=$?
[ $rc -eq 2 ] || ql_fail "qemu.sh exit status $rc, want 2 (powered off from the prompt)"
echo "PASS: menu row 13 with madv=free ran the scenario, p powered off (${SECONDS}s)"
