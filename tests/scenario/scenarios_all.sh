#!/usr/bin/env bash
# Boots the image with run=all quit=1: the kernel must end with status 33 (every
# check passed; tools/qemu.sh exits 0), and the serial log must pass
# tools/check-results.py with every registered scenario (the list comes from
# build/spanlab-host, built from the same sources). Prints the run's time and the
# slowest variants (from the "(N ms)" outcome lines) for the CI budget. Then the
# kernel's numbers against the host's: build/spanlab-host run=all must print the
# same value for every RESULT key but the timings and the platform-dependent keys
# (scenarios/timing-keys.txt, scenarios/platform-keys.txt; tools/same-results.py).
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp "${TMPDIR:-/tmp}/spanlab-scall.XXXXXX")
hostlog=$(mktemp "${TMPDIR:-/tmp}/spanlab-scall-host.XXXXXX")
trap 'rm -f "$log" "$hostlog"' EXIT
fail() { echo "scenarios_all: FAIL: $*"; exit 1; }
start=$(date +%s)
tools/qemu.sh --cmdline 'run=all quit=1' --timeout 600 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
secs=$(($(date +%s) - start))
echo "----- slowest variants -----"
awk '/^---- bug [0-9]+ variant / {v = $3 " " $5; sub(":$", "", v)}
     /^  \| outcome: .*\([0-9]+ ms\)$/ {ms = $(NF - 1); sub(/^\(/, "", ms); print ms " ms  bug " v}' \
    "$log" | sort -rn | head -n 8
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0 (kernel status 33) after ${secs}s"
list=()
[ -x build/spanlab-host ] && list=(--list-from build/spanlab-host)
tools/check-results.py "$log" --expect-bugs all "${list[@]}" || fail "the serial log does not validate"
timeout 600 build/spanlab-host run=all >"$hostlog" 2>&1 || fail "build/spanlab-host run=all failed"
tools/same-results.py "$log" "$hostlog" --platform --names kernel,host ||
    fail "the kernel's RESULT keys differ from the host's (above)"
echo "scenarios_all: PASS (run=all in ${secs}s, boot included)"
