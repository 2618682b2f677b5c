#!/usr/bin/env bash
# selftest=gosem quit=1: the Go-semantics modules in the kernel (append capacities,
# boxing, map buckets, bytes.Buffer, defer, Sprintf, JSON) must pass, and the heap
# profile printed over serial must come out through tools/serial2pprof as a file
# that Go 1.19's `go tool pprof -top` opens with the selftest's site on top.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
prof=$(mktemp)
trap 'rm -f "$log" "$prof"' EXIT
tools/qemu.sh --cmdline 'selftest=gosem quit=1' --timeout 300 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "gosem_selftest: FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0"
grep -q '^selftest gosem: PASS' "$log" || fail "selftest gosem did not pass"
grep -q 'check failed' "$log" && fail "a check failed"
tools/serial2pprof "$log" -n gosem -o "$prof" || fail "no profile block in the serial log"
tests/host/prof_pprof_check.sh "$prof" alloc_space gosem.selftest.big 1MB ||
    fail "go tool pprof did not show the selftest site on top"
echo "gosem_selftest: PASS"
