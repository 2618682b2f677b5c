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
# only report it BROKEN when someone runs it). stale_mutants ROOT names those under
# ROOT/tools/mutants that do not; it must name a made-up stale one too.
stale_mutants() {
    python3 - "$1" <<'PY'
import glob, os, sys
sys.path.insert(0, "tools/mutants")
import mutant
root = sys.argv[1]
for path in sorted(glob.glob(os.path.join(root, "tools/mutants/*.mut"))):
    try:
        m = mutant.load(path)
        n = open(os.path.join(root, m.file), encoding="utf-8").read().count(m.original)
    except (mutant.MutantError, OSError) as e:
        print(f"{os.path.relpath(path, root)}: {e}")
        continue
    if n != 1:
        print(f"{os.path.relpath(path, root)}: its snippet is in {m.file} {n} times, want once")
PY
}
stale=$(stale_mutants .)
[ -z "$stale" ] || fail "mutants that no longer apply:
$stale"
mkdir -p "$dir/stale/tools/mutants" "$dir/stale/src"
printf 'int f(void) { return 2; }\n' >"$dir/stale/src/f.c"
printf 'models: m\nfile: src/f.c\ntest: t\n@@ original\nreturn 1;\n@@ replacement\nreturn 0;\n@@ end\n' \
    >"$dir/stale/tools/mutants/moved.mut"
stale_mutants "$dir/stale" | grep -q '^tools/mutants/moved.mut: its snippet is in src/f.c 0 times' ||
    fail "a mutant whose snippet left its file is not named"
echo "mutants_selfcheck: PASS"
