#!/usr/bin/env bash
# labseed= (docs/labs/README.md): the labs' scenarios (bugs 1, 9, 12, 13, 18) pass every
# check at a student's seed; the seed changes their sizes (bug 12 keeps another number
# of items than without it), the same seed gives the same counts twice, two seeds give
# different ones, and a bad value is named and ignored.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-labseed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "labseed_host: FAIL: $*"; exit 1; }
host=build/spanlab-host

$host run=1,9,12,13,18 labseed=4711 >"$tmp/seed" 2>&1 || { tail -20 "$tmp/seed"; fail "run=1,9,12,13,18 labseed=4711 failed"; }
grep -q '^43 passed, 0 failed' "$tmp/seed" || { tail -5 "$tmp/seed"; fail "not every check passed at labseed=4711"; }
counts() { grep -o 'kept=[0-9]* reallocs=[0-9]* bytes_copied=[0-9]* final_cap=[0-9]*' "$1"; }
$host run=12 >"$tmp/plain" 2>&1 || fail "run=12"
$host run=12 labseed=4711 >"$tmp/again" 2>&1 || fail "run=12 labseed=4711"
$host run=12 labseed=77 >"$tmp/other" 2>&1 || fail "run=12 labseed=77"
[ "$(counts "$tmp/plain")" != "$(counts "$tmp/again")" ] || fail "labseed=4711 did not change bug 12's sizes"
[ "$(counts "$tmp/seed" | head -2)" = "$(counts "$tmp/again")" ] || fail "labseed=4711 gave other counts the second time"
[ "$(counts "$tmp/other")" != "$(counts "$tmp/again")" ] || fail "labseeds 77 and 4711 gave the same counts"
$host run=12 labseed=abc >"$tmp/bad" 2>&1
grep -q "bad value 'abc' for labseed (want an integer from 0 to 999999) ignored" "$tmp/bad" ||
    fail "labseed=abc is not named: $(head -2 "$tmp/bad")"
echo "labseed_host: PASS ($(counts "$tmp/again" | head -1) at labseed=4711)"
