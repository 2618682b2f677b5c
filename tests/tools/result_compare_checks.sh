#!/usr/bin/env bash
# The comparison tools on small made-up logs (no spanlab, no Go): that
# tests/gocompare/variants/compare.py fails on an unexplained difference, on a key
# missing on one side, on a stale relation row (a "differs" whose values are equal,
# a row that governs nothing) and on an out-of-date doc (a spanlab value or a relation
# changed), but not on a Go value that moved under "differs", nor on a timing; and
# that tools/same-results.py fails on any changed key but a timing, and skips the
# platform-dependent keys only with --platform.
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-rcmp.XXXXXX")
trap 'rm -rf "$dir"' EXIT
failed=0
bad() { echo "result_compare_checks: FAIL: $*"; failed=$((failed + 1)); }

cat >"$dir/rel.tsv" <<'T'
reason heap the Go heap is bigger
reason api Go has no such figure
*   *   *     equal
*   *   heap  differs heap
*   *   extra go-only api
T
printf '1 t_ns\n' >"$dir/timing.txt"
printf '*  res\n' >"$dir/platform.txt"
go() { printf 'bug=01 variant=a k=5\nbug=01 variant=a heap=%s\nbug=01 variant=a extra=1\nbug=01 variant=a t_ns=%s\n' "$1" "${2:-9}" >"$dir/go.txt"; }
sp() { printf 'RESULT bug=01 variant=a k=%s heap=%s t_ns=%s\n' "$1" "$2" "${3:-3}" >"$dir/sp.txt"; }
cmp_() { python3 tests/gocompare/variants/compare.py "$dir/go.txt" "$dir/sp.txt" --relations "$dir/rel.tsv" \
             --timing-keys "$dir/timing.txt" "$@" >"$dir/out" 2>&1; }

go 100; sp 5 40
cmp_ || bad "a clean comparison fails: $(cat "$dir/out")"
cmp_ --doc "$dir/doc.md" && cmp_ --check-doc "$dir/doc.md" || bad "a doc just written is out of date: $(cat "$dir/out")"
go 101 12; cmp_ --check-doc "$dir/doc.md" || bad "Go's value under differs, or a timing, moved and the doc check failed"
go 100; sp 5 41; cmp_ --check-doc "$dir/doc.md" && bad "a changed spanlab value left the doc current"
grep -q "OUT OF DATE: 01 a heap" "$dir/out" || bad "the out-of-date row is not named"
sp 6 40; cmp_ && bad "k=5 against k=6 under 'equal' passed"
grep -q "UNEXPLAINED" "$dir/out" || bad "the unexplained row is not marked"
sp 5 100; cmp_ && bad "a 'differs' row whose values are equal passed"
grep -q "STALE.*heap" "$dir/out" || bad "the stale differs row is not named"
sp 5 40; printf '01  b  k  equal\n' >>"$dir/rel.tsv"
cmp_ && bad "a row governing no key passed"
grep -q "STALE.*governs no key" "$dir/out" || bad "the row governing nothing is not named"
sed -i '$d' "$dir/rel.tsv"
sed -i '/extra/d' "$dir/rel.tsv"; cmp_ && bad "a Go-only key without a go-only row passed"

same() { tools/same-results.py "$dir/a.log" "$dir/b.log" --timing-keys "$dir/timing.txt" \
             --platform-keys "$dir/platform.txt" "$@" >"$dir/out" 2>&1; }
printf 'RESULT bug=01 variant=a k=5 res=10 t_ns=3\n' >"$dir/a.log"
printf 'RESULT bug=01 variant=a k=5 res=10 t_ns=7\n' >"$dir/b.log"
same || bad "same-results: a changed timing failed: $(cat "$dir/out")"
printf 'RESULT bug=01 variant=a k=6 res=10 t_ns=3\n' >"$dir/b.log"
same && bad "same-results: k=5 against k=6 passed"
grep -q "bug 01 a k: A 5, B 6" "$dir/out" || bad "same-results: the changed key is not named: $(cat "$dir/out")"
printf 'RESULT bug=01 variant=a k=5 res=11 t_ns=3\n' >"$dir/b.log"
same && bad "same-results: a platform key changed and passed without --platform"
same --platform || bad "same-results --platform: a platform key failed"
printf 'RESULT bug=01 variant=b k=5 res=10 t_ns=3\n' >"$dir/b.log"
same && bad "same-results: a variant missing from one log passed"

[ $failed -eq 0 ] && echo "result_compare_checks: PASS" || exit 1
