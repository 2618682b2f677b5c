#!/usr/bin/env bash
# tools/batch-grade on three submissions of lab 6 (the pacer, host only): one hands in
# the solution's rt/pacer.c (full marks), one the starting tree's (below full, the
# same as the starting tree), one nothing (named so); the table has a row for each.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-batch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "labs_batch_grade: FAIL: $*"; exit 1; }

mkdir -p "$tmp/subs/alice/rt" "$tmp/subs/bob" "$tmp/subs/carol/docs"
cp rt/pacer.c "$tmp/subs/alice/rt/"
tools/mklab 6 "$tmp/start" >/dev/null || fail "mklab 6"
cp -r "$tmp/start/rt" "$tmp/subs/bob/"  # a whole folder: only rt/pacer.c counts
echo "my answers" >"$tmp/subs/carol/docs/answers.txt"
nice tools/batch-grade 6 "$tmp/subs" --out "$tmp/table.csv" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "batch-grade exited non-zero"; }
cat "$tmp/out"
full=$(python3 -c 'import sys; sys.path.insert(0, "tools/labs"); import grading; print(grading.max_points(6))')
grep -q "^alice,$full,$full,yes,rt/pacer.c," "$tmp/table.csv" || fail "alice (the solution) is not $full/$full"
bob=$(awk -F, '$1 == "bob" {print $2}' "$tmp/table.csv")
[ -n "$bob" ] && [ "$bob" -lt "$full" ] || fail "bob (the starting tree) scores '$bob', want below $full"
grep -q '^carol,.*no lab file in the submission' "$tmp/table.csv" || fail "carol's empty submission is not named"
[ "$(wc -l <"$tmp/table.csv")" -eq 4 ] || fail "the table has $(wc -l <"$tmp/table.csv") lines, want a header and 3 rows"
echo "labs_batch_grade: PASS (alice $full/$full, bob $bob/$full, carol named)"
