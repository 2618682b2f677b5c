#!/usr/bin/env bash
# selftest=gc quit=1: the collector in the kernel (garbage cycles freed, a rooted list
# intact through a tiny overflowing work list, interior stack pointers, noscan, GOGC
# pacing, the gctrace format; gcverify and gcpoison on) must pass, and a gctrace=1
# line printed by a real kernel cycle must parse as Go's.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'selftest=gc gctrace=1 quit=1' --timeout 300 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "gc_selftest: FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0"
grep -q '^selftest gc: PASS' "$log" || fail "selftest gc did not pass"
re='^gc [0-9]+ @[0-9]+\.[0-9]{3}s [0-9]+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock, [0-9.]+\+[0-9.]+/[0-9.]+/[0-9.]+\+[0-9.]+ ms cpu, [0-9]+->[0-9]+->[0-9]+ MB, [0-9]+ MB goal, [0-9]+ MB stacks, [0-9]+ MB globals, [0-9]+ P( \(forced\))?$'
n=$(grep -cE "$re" "$log")
[ "$n" -ge 5 ] || fail "only $n gctrace lines parse (want the self-test's cycles)"
echo "gc_selftest: PASS ($n gctrace lines)"
