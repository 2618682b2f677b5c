#!/usr/bin/env bash
# An unknown key and a malformed value are reported by name and ignored; the run
# still succeeds (status 33).
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'frobnicate=7 verbose=banana quit=1' --timeout 180 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "kernel_badopt: FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0"
grep -q "unknown option 'frobnicate'" "$log" || fail "unknown key not reported by name"
grep -q "bad value 'banana' for verbose" "$log" || fail "malformed value not reported"
grep -q '^cmdline: .* -> quit=1' "$log" || fail "parsed line missing quit=1"
echo "kernel_badopt: PASS"
