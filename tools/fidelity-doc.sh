#!/usr/bin/env bash
# make fidelity-doc: writes docs/fidelity.md from one run of the Go 1.19 programs
# (tests/gocompare/variants/run.sh) and of build/spanlab-host run=all, through
# compare.py --doc; fails, leaving the file as it was, if any row is unexplained.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-fidelity.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$root/tests/gocompare/variants/run.sh" >"$tmp/go.txt"
"$root/build/spanlab-host" run=all >"$tmp/spanlab.txt" 2>&1
python3 "$root/tests/gocompare/variants/compare.py" "$tmp/go.txt" "$tmp/spanlab.txt" \
    --doc "$tmp/fidelity.md" >/dev/null
cp "$tmp/fidelity.md" "$root/docs/fidelity.md"
echo "wrote docs/fidelity.md"
