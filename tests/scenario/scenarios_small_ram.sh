#!/usr/bin/env bash
# Too little RAM is a clear message, not a crash: in a 256 MiB guest, scenario 9
# (which needs 256 MiB at scale=1) says so and is skipped, scenario 13 still runs and
# passes, and the run ends with status 33 (a skip is not a failure).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
ql_start --mem 256M --cmdline 'run=9,13 quit=1' --timeout 600
ql_wait 600
rc=$?
[ $rc -eq 0 ] || ql_fail "qemu.sh exit status $rc, want 0 (kernel status 33)"
grep -Eq '^SKIP bug=09: needs [0-9]+ MiB at scale=1, this machine has [0-9]+ MiB' "$QL_LOG" ||
    ql_fail "no SKIP line naming what bug 9 needs and what the machine has"
grep -q 'RESULT bug=09' "$QL_LOG" && ql_fail "bug 9 ran although it was skipped"
grep -q '^RESULT bug=13 variant=madv_free' "$QL_LOG" || ql_fail "bug 13 did not run"
grep -Eq '^[0-9]+ passed, 0 failed' "$QL_LOG" || ql_fail "bug 13's checks did not all pass"
echo "PASS: bug 9 skipped with a message in 256 MiB, bug 13 ran and passed"
