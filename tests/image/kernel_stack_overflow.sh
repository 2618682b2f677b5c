#!/usr/bin/env bash
# selftest=kstack quit=1: unbounded recursion on the kernel stack hits the guard
# page below it; the page fault runs on its own IST stack, so the report names the
# guard page and the run ends with status 35 (not a triple fault or a hang).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=kstack quit=1' --timeout 180
[ "$QL_RC" -eq 1 ] || ql_fail "qemu.sh exit $QL_RC, want 1 (isa-debug-exit 35)"
grep -q 'EXCEPTION: page fault (vector 14)' "$QL_LOG" || ql_fail "no page-fault report"
grep -q "is the kernel stack's guard page: kernel stack overflow" "$QL_LOG" || ql_fail "guard page not named"
grep -q 'recurse+0x' "$QL_LOG" || ql_fail "backtrace does not show the recursion"
echo "kernel_stack_overflow: PASS"
