#!/usr/bin/env bash
# selftest=oomhook quit=1 (256 MiB guest): an out-of-memory panic raised inside the
# page-fault handler is taken by a panic hook that longjmps out, as the scenario
# runner does; the kernel must carry on normally afterwards (status 33).
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tools/qemu.sh --mem 256M --cmdline 'selftest=oomhook quit=1' --timeout 300 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
fail() { echo "selftest_oomhook: FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "qemu.sh exit $rc, want 0"
grep -q '^OUT OF MEMORY: ' "$log" || fail "no out-of-memory report"
grep -q 'the hook got "out of memory: ' "$log" || fail "the hook did not get the panic"
grep -q '^selftest oomhook: PASS' "$log" || fail "selftest oomhook did not pass"
echo "selftest_oomhook: PASS"
