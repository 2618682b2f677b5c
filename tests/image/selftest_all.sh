#!/usr/bin/env bash
# selftest=all quit=1: every self-test registered with in_all must pass (the run
# ends with status 33) and the kernel's own (frames, timer, vm, tickstack) must be among them.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
start=$(date +%s)
ql_run --cmdline 'selftest=all quit=1' --timeout 300
[ "$QL_RC" -eq 0 ] || ql_fail "qemu.sh exit $QL_RC, want 0"
grep -q '^selftests: [1-9][0-9]* passed, 0 failed' "$QL_LOG" || ql_fail "no 'selftests: N passed, 0 failed'"
for t in frames timer vm tickstack; do
    grep -q "^selftest $t: PASS" "$QL_LOG" || ql_fail "selftest $t did not pass"
done
grep -q '^selftest fault:\|^selftest oom:' "$QL_LOG" && ql_fail "fault/oom must not be in all"
echo "selftest_all: PASS ($(($(date +%s) - start)) s)"
