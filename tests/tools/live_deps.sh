#!/usr/bin/env bash
# tools/live-deps.sh, which picks the dependency files the Makefile includes, skips
# one whose source was moved or deleted (else make stops with "No rule to make
# target" until `make clean`) and keeps the others, including multi-line rules.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-livedeps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir -p src build/obj build/mutants build/tests
echo 'int a;' >src/live.c
echo 'int h;' >src/live.h
printf 'build/obj/live.o: src/live.c \\\n src/live.h\nsrc/live.h:\n' >build/obj/live.d
printf 'build/obj/moved.o: src/live.h \\\n src/moved.c\n' >build/obj/moved.d
printf 'build/prog: src/gone.S\n' >build/prog.d
printf 'build/obj/x.o: src/live.c\n' >build/mutants/x.d
printf 'build/tests/t: src/live.c\n' >build/tests/t.d
out=$("$root/tools/live-deps.sh" build | sort | tr '\n' ' ')
want='build/obj/live.d '
[ "$out" = "$want" ] || { echo "FAIL: live-deps printed '$out', want '$want'"; exit 1; }
echo "PASS: only the dependency file whose sources exist is included"
