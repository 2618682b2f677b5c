#!/usr/bin/env bash
# An unknown key and a malformed value are reported by name and ignored; the run
# still succeeds (status 33).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'frobnicate=7 verbose=banana quit=1' --timeout 180
[ "$QL_RC" -eq 0 ] || ql_fail "qemu.sh exit $QL_RC, want 0"
grep -q "unknown option 'frobnicate'" "$QL_LOG" || ql_fail "unknown key not reported by name"
grep -q "bad value 'banana' for verbose" "$QL_LOG" || ql_fail "malformed value not reported"
grep -q '^cmdline: .* -> quit=1' "$QL_LOG" || ql_fail "parsed line missing quit=1"
echo "kernel_badopt: PASS"
