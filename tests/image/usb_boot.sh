#!/usr/bin/env bash
# The image as a USB stick: OVMF boots it from emulated USB mass storage behind an
# xHCI controller (the path a PC takes with `dd` to a stick), the loader finds the
# kernel on that volume, and the kernel reaches its banner and reports success.
# Prints the time from QEMU's start to the banner.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"

ql_start --image "$QL_IMAGE" --usb --cmdline 'quit=1' --timeout 500
ql_expect 'BdsDxe: starting Boot[0-9A-F]+ .*USB' 240 || ql_fail "the firmware did not boot from USB"
ql_expect "$QL_BANNER" 240 || ql_fail "no kernel banner"
echo "banner after $(ql_elapsed) s from QEMU's start (USB, TCG)"
ql_wait 400
rc=$?
[ $rc -eq 0 ] || ql_fail "qemu.sh exit status $rc, want 0 (kernel success)"
echo "PASS: boots from emulated USB storage (${SECONDS}s)"
