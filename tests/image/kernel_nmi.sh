#!/usr/bin/env bash
# An NMI (injected through the QEMU monitor while the kernel waits at its end-of-run
# prompt) is reported from its own IST stack with the vector named; without quit=1
# the report stays on screen above the prompt, and "p" still powers off.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
mon=$QL_DIR/monitor.sock
ql_start --cmdline 'verbose=1' --monitor "$mon" --timeout 300
ql_expect 'press p to power off, r to reboot' 240 || ql_fail "no end-of-run prompt"
python3 - "$mon" <<'PY' || ql_fail "cannot talk to the QEMU monitor"
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
time.sleep(0.5)
s.sendall(b"nmi\n")
time.sleep(0.5)
s.close()
PY
ql_expect 'EXCEPTION: NMI \(vector 2\)' 60 || ql_fail "no NMI report"
ql_expect 'run ended: FAILURE' 30 || ql_fail "the NMI did not end the run as a failure"
ql_type 'p'
ql_expect 'powering off' 30 || ql_fail "no power-off after the report"
ql_wait 60
rc=$?
[ $rc -eq 2 ] || ql_fail "qemu.sh exit status $rc, want 2 (powered off)"
echo "PASS: NMI reported, prompt kept working (${SECONDS}s)"
