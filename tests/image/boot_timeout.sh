#!/usr/bin/env bash
# A run that never ends is killed and reported: without quit=1 the kernel waits
# at its end-of-run prompt forever, so tools/qemu.sh --timeout must kill QEMU,
# say that it timed out and exit 124 (what make and CI then see as a failure).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
ql_start --image "$QL_IMAGE" --cmdline 'verbose=0' --timeout 45
ql_wait 120
rc=$?
[ $rc -eq 124 ] || ql_fail "qemu.sh exit status $rc, want 124 (timed out)"
grep -q 'qemu.sh: timed out after 45s; QEMU killed' "$QL_LOG" || ql_fail "no timeout message"
echo "PASS: a run without an end is killed after its timeout (${SECONDS}s)"
