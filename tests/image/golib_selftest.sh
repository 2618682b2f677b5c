#!/usr/bin/env bash
# selftest=golib quit=1: the models of Go's library in the kernel (append capacities,
# boxing, map buckets, bytes.Buffer, defer, Sprintf, JSON) must pass, and the heap
# profile printed over serial must come out through tools/serial2pprof as a file
# that Go 1.19's `go tool pprof -top` opens with the selftest's site on top.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
prof=$QL_DIR/profile.pb
ql_run --cmdline 'selftest=golib quit=1' --timeout 300
[ "$QL_RC" -eq 0 ] || ql_fail "qemu.sh exit $QL_RC, want 0"
grep -q '^selftest golib: PASS' "$QL_LOG" || ql_fail "selftest golib did not pass"
grep -q 'check failed' "$QL_LOG" && ql_fail "a check failed"
tools/serial2pprof "$QL_LOG" -n golib -o "$prof" || ql_fail "no profile block in the serial log"
tests/unit/prof_pprof_check.sh "$prof" alloc_space golib.selftest.big 1MB ||
    ql_fail "go tool pprof did not show the selftest site on top"
echo "golib_selftest: PASS"
