#!/usr/bin/env bash
# selftest=oomhook quit=1 (256 MiB guest): an out-of-memory panic raised inside the
# page-fault handler is taken by a panic hook that longjmps out, as the scenario
# runner does; the kernel must carry on normally afterwards (status 33).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --mem 256M --cmdline 'selftest=oomhook quit=1' --timeout 300
[ "$QL_RC" -eq 0 ] || ql_fail "qemu.sh exit $QL_RC, want 0"
grep -q '^OUT OF MEMORY: ' "$QL_LOG" || ql_fail "no out-of-memory report"
grep -q 'the hook got "out of memory: ' "$QL_LOG" || ql_fail "the hook did not get the panic"
grep -q '^selftest oomhook: PASS' "$QL_LOG" || ql_fail "selftest oomhook did not pass"
echo "selftest_oomhook: PASS"
