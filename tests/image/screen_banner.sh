#!/usr/bin/env bash
# The framebuffer console shows the banner: boot with a VGA display (OVMF's GOP)
# and a QEMU monitor (selftest=frames, so a PASS is printed too), wait for the
# end-of-run prompt on serial, take a screendump, and read the screenshot back as
# text by matching every 8x16 cell against the console font (tools/psf2c
# --read-screen). Every line serial printed from the boot on must appear on the
# screen, character for character, and the PASS must be drawn in green. The
# screenshot is kept as build/test-logs/screen_banner.png.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
font=/usr/share/consolefonts/Uni2-Terminus16.psf.gz
tmp=$QL_DIR

ql_start --display --monitor "$QL_MON" --cmdline 'selftest=frames' --timeout 600
ql_expect 'press p to power off' 300 || ql_fail "no end-of-run prompt on serial"
grep -q '^fbcon: ' "$QL_LOG" || ql_fail "fbcon did not start (no 'fbcon:' line)"
sleep 1
ql_screendump "$tmp/screen.ppm" || ql_fail "screendump wrote nothing"
ql_monitor quit >/dev/null 2>&1
ql_wait 60
mkdir -p build/test-logs
tools/psf2c --read-screen "$tmp/screen.ppm" "$font" --png build/test-logs/screen_banner.png \
    --find PASS >"$tmp/screen.txt" || ql_fail "cannot read the screenshot"
echo "--- the screen, read back through the font"
cat "$tmp/screen.txt"
echo "---"

# Every banner line serial printed (up to the prompt) must be a screen row.
tr -d '\r' <"$QL_LOG" | sed -n '/^spanlab [0-9.]* booting/,/press p to power off/p' \
    >"$tmp/expect.txt"
[ "$(grep -c . "$tmp/expect.txt")" -ge 5 ] || ql_fail "serial banner too short"
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
grep -q '^spanlab [0-9.]*, x86-64, UEFI boot' "$tmp/screen.txt" || ql_fail "banner line not on screen"
[ "$missing" -eq 0 ] || ql_fail "$missing banner lines missing from the screen"
# "selftest frames: PASS": green ink (green channel well above red and blue).
ink=$(sed -n 's/^PASS row [0-9]* col [0-9]* ink \([0-9a-f]\{6\}\)$/\1/p' "$tmp/screen.txt" | head -1)
[ -n "$ink" ] || ql_fail "no PASS on the screen"
r=$((16#${ink:0:2})) g=$((16#${ink:2:2})) b=$((16#${ink:4:2}))
echo "PASS is drawn in #$ink"
[ "$g" -gt 128 ] && [ "$r" -lt $((g / 2)) ] && [ "$b" -lt $((g / 2)) ] || ql_fail "PASS is not green (#$ink)"
echo "PASS: the banner is on the screen (build/test-logs/screen_banner.png)"
