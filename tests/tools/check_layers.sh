#!/usr/bin/env bash
# The layering check (tools/check-layers.py) passes on this tree and fails on each
# kind of deliberate violation, naming the file, the line and the rule: rt/ including
# a golib/ header, the kernel including mm/, a weak declaration of a symbol another
# folder defines, inline assembly in rt/, and a fragment listing another folder's
# file. Each violation is made in a scratch copy of the sources under /tmp.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-layers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_layers: FAIL: $*"; exit 1; }

tools/check-layers.py || fail "the check fails on this tree (above)"

# A fresh copy of the tracked and new files, then one violation made by $2 (a shell
# command run in the copy); the check must fail with a line matching $1.
expect_violation() {
    local want=$1 change=$2 copy=$tmp/tree out
    rm -rf "$copy" && mkdir -p "$copy"
    git ls-files -co --exclude-standard | grep -v '^tests/fuzz/corpus/' |
        tar -cf - -T - | tar -xf - -C "$copy"
    (cd "$copy" && eval "$change") || fail "could not make the violation: $change"
    out=$(tools/check-layers.py --root "$copy")
    [ $? -eq 1 ] || fail "no failure for: $change"
    echo "$out" | grep -Eq "$want" || { echo "$out"; fail "want a line matching '$want' for: $change"; }
    echo "ok: $(echo "$out" | grep -E "$want" | head -1)"
}
expect_violation '^rt/gc\.c:[0-9]+: include: rt/ may not include golib/slice\.h' \
    "sed -i '0,/#include/s//#include \"golib\/slice.h\"\n#include/' rt/gc.c"
expect_violation '^kernel/kmain\.c:[0-9]+: include: kernel/ may not include mm/heap\.h' \
    "sed -i '0,/#include/s//#include \"mm\/heap.h\"\n#include/' kernel/kmain.c"
expect_violation '^rt/prof\.c:[0-9]+: weak: weak ksym_format is defined in kernel/' \
    "echo 'extern bool ksym_format(uint64_t a, char *b, unsigned long n) __attribute__((weak));' >> rt/prof.c"
expect_violation '^rt/sched\.c:[0-9]+: machine: inline assembly "mov %%rsp' \
    "echo 'void f(void) { unsigned long x; __asm__ volatile(\"mov %%rsp, %0\" : \"=r\"(x)); }' >> rt/sched.c"
expect_violation '^rt/rt\.mk:[0-9]+: build: CORE_SRCS names kernel/frames\.c' \
    "echo 'CORE_SRCS += kernel/frames.c' >> rt/rt.mk"
expect_violation '^mm/mm\.mk:[0-9]+: build: mm/arena\.c is built into the kernel alone' \
    "echo 'KERNEL_SRCS += mm/arena.c' >> mm/mm.mk"
echo "check_layers: PASS"
