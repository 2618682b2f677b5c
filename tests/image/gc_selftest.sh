#!/usr/bin/env bash
# selftest=gc quit=1: the collector in the kernel (garbage cycles freed, a rooted list
# intact through a tiny overflowing work list, interior stack pointers, noscan, GOGC
# pacing, the gctrace format; gcverify and gcpoison on) must pass, and a gctrace=1
# line printed by a real kernel cycle must parse as Go's.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=gc gctrace=1 quit=1' --timeout 300
[ "$QL_RC" -eq 0 ] || ql_fail "qemu.sh exit $QL_RC, want 0"
grep -q '^selftest gc: PASS' "$QL_LOG" || ql_fail "selftest gc did not pass"
re='^gc [0-9]+ @[0-9]+\.[0-9]{3}s [0-9]+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock, [0-9.]+\+[0-9.]+/[0-9.]+/[0-9.]+\+[0-9.]+ ms cpu, [0-9]+->[0-9]+->[0-9]+ MB, [0-9]+ MB goal, [0-9]+ MB stacks, [0-9]+ MB globals, [0-9]+ P( \(forced\))?$'
n=$(grep -cE "$re" "$QL_LOG")
[ "$n" -ge 5 ] || ql_fail "only $n gctrace lines parse (want the self-test's cycles)"
echo "gc_selftest: PASS ($n gctrace lines)"
