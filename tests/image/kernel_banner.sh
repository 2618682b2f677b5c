#!/usr/bin/env bash
# Boots straight into the kernel with quit=1: it must print "spanlab <version>
# booting", the banner (memory, frames, timer calibration, parsed command line)
# and end with QEMU exit status 33. Prints the time from QEMU start to the banner.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s%N)
tools/qemu.sh --cmdline 'quit=1' --timeout 180 | tr -d '\r' |
    while IFS= read -r line; do
        printf '%6d ms | %s\n' $((($(date +%s%N) - start) / 1000000)) "$line"
    done | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "kernel_banner: FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0 (isa-debug-exit 33)"
for pat in '| spanlab [0-9][^ ]* booting' '| memory: usable [0-9.]* MiB' \
           '| frames: total [0-9]* free [0-9]*' '| timer: TSC .* calibrated against' \
           '| cmdline: ".*quit=1.*" -> .*quit=1'; do
    grep -q -- "$pat" "$log" || fail "no line matching '$pat'"
done
ms=$(grep -m1 '| spanlab [0-9][^ ]* booting' "$log" | awk '{print $1}')
echo "kernel_banner: PASS (QEMU start to banner: $ms ms)"
