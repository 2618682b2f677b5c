#!/usr/bin/env bash
# A run that checks nothing is a failure: in a 256 MiB guest, run=9 alone (scenario
# 9 needs more) skips its only scenario, and the kernel must say that no scenario
# ran and end with status 35 (tools/qemu.sh exits 1), not report success.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --mem 256M --cmdline 'run=9 quit=1' --timeout 300
[ "$QL_RC" -eq 1 ] || ql_fail "qemu.sh exit $QL_RC, want 1 (kernel status 35)"
grep -Eq '^SKIP bug=09: needs [0-9]+ MiB' "$QL_LOG" || ql_fail "bug 9 was not skipped for RAM"
grep -q '^spanlab: no scenario ran (all 1 selected were skipped)' "$QL_LOG" ||
    ql_fail "no message saying that no scenario ran"
grep -q '^0 passed, 1 failed$' "$QL_LOG" || ql_fail "closing line is not '0 passed, 1 failed'"
echo "scenarios_all_skipped: PASS"
