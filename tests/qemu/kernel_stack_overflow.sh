#!/usr/bin/env bash
# selftest=kstack quit=1: unbounded recursion on the kernel stack hits the guard
# page below it; the page fault runs on its own IST stack, so the report names the
# guard page and the run ends with status 35 (not a triple fault or a hang).
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --cmdline 'selftest=kstack quit=1' --timeout 180 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "kernel_stack_overflow: FAIL: $*"; exit 1; }
[ "$rc" -eq 1 ] || fail "qemu.sh exit $rc, want 1 (isa-debug-exit 35)"
grep -q 'EXCEPTION: page fault (vector 14)' "$log" || fail "no page-fault report"
grep -q "is the kernel stack's guard page: kernel stack overflow" "$log" || fail "guard page not named"
grep -q 'recurse+0x' "$log" || fail "backtrace does not show the recursion"
echo "kernel_stack_overflow: PASS"
