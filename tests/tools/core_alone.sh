#!/usr/bin/env bash
# The runtime core (sys, mm, rt) builds and its tests pass without the models of Go's
# library: from an empty build directory, `make -n test-core` compiles the core's
# sources (rt/gc.c among them, so this check can fail) and nothing under golib/ or
# scenarios/. (make test runs the core's unit tests too, each linked against
# libspanlab-core alone; core_alone_test links every core object with nothing above.)
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-core.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "core_alone: FAIL: $*"; exit 1; }

make -n SPANLAB_DEPS=checked BUILD="$tmp/build" test-core >"$tmp/out" 2>"$tmp/err" ||
    fail "make -n test-core failed: $(cat "$tmp/err")"
for f in rt/gc.c mm/malloc.c sys/options.c tests/unit/core_alone_test.c; do
    grep -q " $f " "$tmp/out" || fail "make -n test-core does not compile $f"
done
if grep -E ' (golib|scenarios)/[a-z_0-9]+\.c' "$tmp/out" | head -3 | grep .; then
    fail "make test-core compiles files of golib/ or scenarios/ (above)"
fi
echo "core_alone: PASS: test-core compiles $(grep -c -- ' -c ' "$tmp/out") core files, none of golib/ or scenarios/"
