#!/usr/bin/env bash
# A fresh machine has make but no compiler yet. With none on PATH, `make -n GOAL`
# must read every Makefile fragment without calling a missing tool (status 0,
# nothing on stderr) and show `tools/deps.sh TIER` (GOAL's tier) before any compile
# or link command. The failure this guards against: a fragment's `all:
# build/spanlab-host` compiled before the dependency step, and `GCC_INCLUDE :=
# $(shell gcc ...)` ran while make read the Makefile ("make: gcc: No such file").
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-nocc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The commands a minimal Debian root has (no gcc, cc, ld, as, ar, python3 ...).
mkdir "$tmp/bin"
for c in make sh bash env find nproc cat mkdir rm sed grep awk sort tr head tail cut \
         dirname basename uname id date mktemp ls cp mv printf echo test true false; do
    p=$(type -P "$c") && ln -s "$p" "$tmp/bin/$c"
done
[ -x "$tmp/bin/make" ] || { echo "FAIL: no make"; exit 1; }

failed=0
# Runs make -n with the goals $2... in a fresh build dir; wants `tools/deps.sh $1`
# first, then at least one compile command.
check() {
    local tier=$1 goals=${*:2} deps cc
    (cd "$root" && env -i PATH="$tmp/bin" HOME="$tmp" make -n BUILD="$tmp/build" "${@:2}") \
        >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    deps=$(grep -n -m1 '^tools/deps\.sh ' "$tmp/out" | cut -d: -f1)
    cc=$(grep -n -m1 -E '^(gcc|cc|clang|ld|ar|objcopy) ' "$tmp/out" | cut -d: -f1)
    if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
        echo "FAIL: make -n ${goals:-(default)}: status $rc, stderr:"; sed 's/^/    /' "$tmp/err"
    elif [ -z "$deps" ] || [ -z "$cc" ]; then
        echo "FAIL: make -n ${goals:-(default)}: no dependency step (line '${deps}') or no compile command (line '${cc}')"
    elif [ "$deps" -gt "$cc" ]; then
        echo "FAIL: make -n ${goals:-(default)}: compiles (line $cc) before the dependency step (line $deps)"
        sed -n "${cc}p;${deps}p" "$tmp/out" | sed 's/^/    /'
    elif [ "$(sed -n "${deps}p" "$tmp/out")" != "tools/deps.sh $tier" ]; then
        echo "FAIL: make -n ${goals:-(default)}: '$(sed -n "${deps}p" "$tmp/out")', want 'tools/deps.sh $tier'"
    else
        echo "ok: make -n ${goals:-(default)}: tools/deps.sh $tier (line $deps), first compile at line $cc"
        return
    fi
    failed=1
}
check build
check build usb
check run run
check test test
check bench bench
[ $failed -eq 0 ] || exit 1
echo "PASS: with no compiler on PATH, make reads its files cleanly and installs first"
