#!/usr/bin/env bash
# The mutation suite's runner can tell each verdict apart (no QEMU, builds no C), and every
# mutant of the suite still applies to the code. On
# the fixtures in
# tools/mutants/fixtures/, an identity mutant must be SURVIVED (so the runner can
# report survival at all), a mutant its test notices KILLED, and a missing or
# repeated snippet, a failing build, an unknown test and a test failing without any
# mutant BROKEN; the runner must then exit 1. Runs in a scratch copy under /tmp.
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-mutants.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "mutants_selfcheck: FAIL: $*"; exit 1; }
fx=tools/mutants/fixtures
out=$(tools/mutants/run.py --work "$dir" $fx/identity.mut $fx/killed.mut $fx/build_fails.mut \
      $fx/snippet_missing.mut $fx/snippet_twice.mut $fx/unknown_test.mut \
      $fx/baseline_fails.mut 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 1 ] || fail "the runner exited $rc, want 1 (a mutant survived, some are broken)"
# Expects the verdict line of fixture $1 to match the extended regex $2.
expect() {
    echo "$out" | grep -Eq "^$2 +$1 .*$3" || fail "fixture $1: want '$2 ... $3'"
}
expect identity SURVIVED 'every test passed'
expect killed KILLED 'by make -f tools/mutants/fixtures/fixture.mk check$'
expect build_fails BROKEN 'build failed'
expect snippet_missing BROKEN 'not found exactly once .*found 0 times'
expect snippet_twice BROKEN 'not found exactly once .*found 2 times'
expect unknown_test BROKEN "test 'no_such_test': not a cmocka program"
expect baseline_fails BROKEN 'fails without any mutant'
echo "$out" | grep -q '^mutants: 1 killed, 1 survived, 5 broken, ' ||
    fail "the summary does not count 1 killed, 1 survived, 5 broken"
# The fixture's file is back as it was in the scratch copy.
cmp -s $fx/answer.sh "$dir/tree/$fx/answer.sh" || fail "answer.sh was not restored"
# Every mutant of the suite still applies: its snippet is in its file exactly once (a
# change to the code under a mutant must carry the mutant along; make mutants would
# only report it BROKEN when someone runs it).
stale=$(python3 - <<'PY'
import glob, sys
sys.path.insert(0, "tools/mutants")
import mutant
for path in sorted(glob.glob("tools/mutants/*.mut")):
    try:
        m = mutant.load(path)
        n = open(m.file, encoding="utf-8").read().count(m.original)
    except (mutant.MutantError, OSError) as e:
        print(f"{path}: {e}")
        continue
    if n != 1:
        print(f"{path}: its snippet is in {m.file} {n} times, want once")
PY
)
[ -z "$stale" ] || fail "mutants that no longer apply:
$stale"
echo "mutants_selfcheck: PASS"
