#!/usr/bin/env bash
# The framebuffer console shows the banner: boot with a VGA display (OVMF's GOP)
# and a QEMU monitor (selftest=frames, so a PASS is printed too), wait for the
# end-of-run prompt on serial, take a screendump, and read the screenshot back as
# text by matching every 8x16 cell against the console font (tools/psf2c
# --read-screen). Every line serial printed from the boot on must appear on the
# screen, character for character, and the PASS must be drawn in green. The
# screenshot is kept as build/test-logs/screen_banner.png.
set -u
cd "$(dirname "$0")/../.."
font=/usr/share/consolefonts/Uni2-Terminus16.psf.gz
tmp=$(mktemp -d /tmp/spanlab-screen.XXXXXX)
qpid=
cleanup() { [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- serial"; cat "$tmp/serial.log"; exit 1; }

# Sends one command to the QEMU monitor on socket $1; prints the reply.
mon() {
    python3 - "$1" "$2" <<'PY'
import socket, sys, time
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
print(until_prompt().decode(errors='replace'))
PY
}

# Waits up to $2 seconds for the serial log to contain $1.
wait_for() {
    for _ in $(seq "$2"); do
        grep -q "$1" "$tmp/serial.log" && return 0
        [ -n "$qpid" ] && ! kill -0 "$qpid" 2>/dev/null && return 1
        sleep 1
    done
    return 1
}

tools/qemu.sh --display --monitor "$tmp/mon.sock" --cmdline 'selftest=frames' --timeout 600 \
    >"$tmp/serial.log" 2>&1 </dev/null &
qpid=$!
wait_for 'press p to power off' 300 || fail "no end-of-run prompt on serial"
grep -q '^fbcon: ' "$tmp/serial.log" || fail "fbcon did not start (no 'fbcon:' line)"
sleep 1
mon "$tmp/mon.sock" "screendump $tmp/screen.ppm" >/dev/null
for _ in $(seq 20); do [ -s "$tmp/screen.ppm" ] && break; sleep 0.5; done
[ -s "$tmp/screen.ppm" ] || fail "screendump wrote nothing"
mon "$tmp/mon.sock" quit >/dev/null 2>&1
wait "$qpid" 2>/dev/null
qpid=
mkdir -p build/test-logs
tools/psf2c --read-screen "$tmp/screen.ppm" "$font" --png build/test-logs/screen_banner.png \
    --find PASS >"$tmp/screen.txt" || fail "cannot read the screenshot"
echo "--- the screen, read back through the font"
cat "$tmp/screen.txt"
echo "---"

# Every banner line serial printed (up to the prompt) must be a screen row.
tr -d '\r' <"$tmp/serial.log" | sed -n '/^spanlab [0-9.]* booting/,/press p to power off/p' \
    >"$tmp/expect.txt"
[ "$(grep -c . "$tmp/expect.txt")" -ge 5 ] || fail "serial banner too short"
missing=0
checked=0
while IFS= read -r line; do
    [ -z "$line" ] && continue
    [ ${#line} -gt 160 ] && line=${line:0:160} # a wrapped line: its first screen row
    checked=$((checked + 1))
    if ! grep -qxF -- "$line" "$tmp/screen.txt"; then
        echo "not on screen: $line"
        missing=$((missing + 1))
    fi
done <"$tmp/expect.txt"
echo "$checked serial lines checked, $missing missing from the screen"
grep -q '^spanlab [0-9.]*, x86-64, UEFI boot' "$tmp/screen.txt" || fail "banner line not on screen"
[ "$missing" -eq 0 ] || fail "$missing banner lines missing from the screen"
# "selftest frames: PASS": green ink (green channel well above red and blue).
ink=$(sed -n 's/^PASS row [0-9]* col [0-9]* ink \([0-9a-f]\{6\}\)$/\1/p' "$tmp/screen.txt" | head -1)
[ -n "$ink" ] || fail "no PASS on the screen"
r=$((16#${ink:0:2})) g=$((16#${ink:2:2})) b=$((16#${ink:4:2}))
echo "PASS is drawn in #$ink"
[ "$g" -gt 128 ] && [ "$r" -lt $((g / 2)) ] && [ "$b" -lt $((g / 2)) ] || fail "PASS is not green (#$ink)"
echo "PASS: the banner is on the screen (build/test-logs/screen_banner.png)"
