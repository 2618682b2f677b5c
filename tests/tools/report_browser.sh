#!/usr/bin/env bash
# The HTML report in a real browser (no QEMU). build/spanlab-host run=all trace=1
# must pass and its log, TRACE,
# MAP, MAPKEY and OBJ lines included, must still pass tools/check-results.py;
# tools/report.py turns it into a report, and tests/tools/browser_check.py opens every
# page in headless Chromium: no console error, every scenario's plots hold their
# series with data, maps and checks are there, and a broken copy of a page is caught.
# Then --only 13 must write exactly that scenario's page, and a log without scenarios
# must be refused by name. Screenshots: build/test-logs/report-bug13.png and
# report-bug02.png (docs/ holds copies for README.md).
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-report.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "report_browser: FAIL: $*"; exit 1; }
[ -x build/spanlab-host ] || fail "build/spanlab-host is missing: run 'make'"
command -v chromium >/dev/null && command -v chromedriver >/dev/null &&
    /usr/bin/python3 -c 'import selenium' 2>/dev/null ||
    fail "chromium, chromium-driver or python3-selenium is missing (tools/deps.sh installs them)"
start=$(date +%s.%N)
log=$dir/run.log
timeout 300 build/spanlab-host run=all trace=1 >"$log" 2>&1 ||
    fail "spanlab-host run=all trace=1 exit $? (tail: $(tail -n 3 "$log"))"
out=$(tools/check-results.py "$log" --expect-bugs all --list-from build/spanlab-host) ||
    fail "the trace=1 log does not validate: $out"
traces=$(grep -c '^TRACE ' "$log")
maps=$(grep -c '^MAP ' "$log")
[ "$traces" -gt 0 ] && [ "$maps" -gt 0 ] || fail "no TRACE ($traces) or MAP ($maps) lines"
tools/report.py "$log" -o "$dir/report" || fail "tools/report.py could not write the report"
mkdir -p build/test-logs
timeout 120 /usr/bin/python3 tests/tools/browser_check.py "$dir/report" \
    --shots build/test-logs || fail "the report does not pass in Chromium"
tools/report.py "$log" -o "$dir/only" --only 13 >/dev/null || fail "--only 13 failed"
[ "$(cd "$dir/only" && ls | tr '\n' ' ')" = "bug13.html index.html " ] ||
    fail "--only 13 wrote: $(ls "$dir/only" | tr '\n' ' ')"
msg=$(tools/report.py /dev/null -o "$dir/none" 2>&1) && fail "an empty log was accepted"
case "$msg" in *"no scenario"*) ;; *) fail "an empty log: unclear message '$msg'" ;; esac
secs=$(echo "$(date +%s.%N) $start" | awk '{printf "%.1f", $1 - $2}')
pages=$(ls "$dir/report" | grep -c '\.html$')
echo "report_browser: PASS ($traces TRACE lines, $maps maps, $pages pages in Chromium, ${secs}s)"
