#!/usr/bin/env bash
# Keys typed on the PS/2 keyboard reach the kernel: boot with a display and a QEMU
# monitor (serial input stays empty), wait for the end-of-run prompt, type an
# ignored key and then 'p' with the monitor's sendkey, and check that the kernel
# says "powering off" and QEMU exits by itself (power off through UEFI).
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d /tmp/spanlab-keys.XXXXXX)
qpid=
cleanup() { [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- serial"; cat "$tmp/serial.log"; exit 1; }

# Sends one command to the QEMU monitor on socket $1.
mon() {
    python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(30)
def until_prompt():
    buf = b''
    while not buf.rstrip().endswith(b'(qemu)'):
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf
until_prompt()
s.sendall(sys.argv[2].encode() + b'\n')
until_prompt()
PY
}

tools/qemu.sh --display --monitor "$tmp/mon.sock" --cmdline 'verbose=0' --timeout 600 \
    >"$tmp/serial.log" 2>&1 </dev/null &
qpid=$!
for _ in $(seq 300); do
    grep -q 'press p to power off' "$tmp/serial.log" && break
    kill -0 "$qpid" 2>/dev/null || fail "QEMU ended before the prompt"
    sleep 1
done
grep -q 'press p to power off' "$tmp/serial.log" || fail "no end-of-run prompt"
grep -q 'no PS/2 controller' "$tmp/serial.log" && fail "the kernel found no i8042 under QEMU"
sleep 1
mon "$tmp/mon.sock" "sendkey x" # not an answer: the prompt must keep waiting
sleep 2
kill -0 "$qpid" 2>/dev/null || fail "QEMU ended after an unrelated key"
mon "$tmp/mon.sock" "sendkey p"
for _ in $(seq 60); do
    kill -0 "$qpid" 2>/dev/null || break
    sleep 1
done
if kill -0 "$qpid" 2>/dev/null; then
    fail "QEMU still running 60 s after 'p' was typed"
fi
wait "$qpid"
rc=$?
qpid=
cat "$tmp/serial.log" | tail -5
grep -q 'powering off' "$tmp/serial.log" || fail "the kernel did not see the key (no 'powering off')"
# tools/qemu.sh: 124 timeout, 0/1 isa-debug-exit; a power off is QEMU's own exit (2).
[ "$rc" -eq 2 ] || fail "QEMU exit status $rc, expected a plain power off"
echo "PASS: sendkey p on the PS/2 keyboard powered the machine off"
