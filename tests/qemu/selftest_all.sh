#!/usr/bin/env bash
# selftest=all quit=1: every self-test registered with in_all must pass (the run
# ends with status 33) and the kernel's own (frames, timer, vm) must be among them.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
tools/qemu.sh --cmdline 'selftest=all quit=1' --timeout 300 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "selftest_all: FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0"
grep -q '^selftests: [1-9][0-9]* passed, 0 failed' "$log" || fail "no 'selftests: N passed, 0 failed'"
for t in frames timer vm; do
    grep -q "^selftest $t: PASS" "$log" || fail "selftest $t did not pass"
done
grep -q '^selftest fault:\|^selftest oom:' "$log" && fail "fault/oom must not be in all"
echo "selftest_all: PASS ($(($(date +%s) - start)) s)"
