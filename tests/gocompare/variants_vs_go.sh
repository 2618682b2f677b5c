#!/usr/bin/env bash
# Every variant of every scenario against Go 1.19 (no QEMU): runs the Go programs of
# tests/gocompare/variants (run.sh, Debian's golang-1.19) and build/spanlab-host
# run=all at scale=1, the same sizes, and joins them (compare.py): prints the table
# (key, Go 1.19, spanlab, relation) and fails on any unexplained difference, on a
# stale relation row (one that explains nothing any more) and when docs/fidelity.md
# is not what `make fidelity-doc` would write from this run.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-variants.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "variants_vs_go: FAIL: $*"; exit 1; }
cp "$root/build/spanlab-host" "$tmp/host" || fail "no build/spanlab-host (run make)"
"$root/tests/gocompare/variants/run.sh" >"$tmp/go.txt" 2>"$tmp/go.err" ||
    { cat "$tmp/go.err"; fail "the Go programs did not run"; }
timeout 600 "$tmp/host" run=all >"$tmp/spanlab.txt" 2>&1 ||
    { tail -20 "$tmp/spanlab.txt"; fail "spanlab-host run=all failed"; }
python3 "$root/tests/gocompare/variants/compare.py" "$tmp/go.txt" "$tmp/spanlab.txt" \
    --check-doc "$root/docs/fidelity.md"
rc=$?
[ $rc -eq 0 ] && echo "PASS: every key of every variant equals Go 1.19's or differs for a named reason; docs/fidelity.md is current" ||
    echo "FAIL: unexplained or stale rows above, or docs/fidelity.md out of date"
exit $rc
