#!/usr/bin/env bash
# Issue 5's benchmarks side by side: binary-trees, churn and mark throughput on
# spanlab's collector, Boehm GC, glibc malloc with explicit free, mimalloc and Go 1.19.
# Every program runs single-threaded: Go with GOMAXPROCS=1, Boehm with GC_MARKERS=1
# (spanlab marks on one CPU). Each is run RUNS times; the table shows the lowest wall
# time, the lowest CPU time (user+sys, less sensitive to a busy machine), the peak RSS
# (/usr/bin/time %M) of the fastest run, and ratios against spanlab (>1: spanlab is
# better). binary-trees outputs are compared with glibc's; the GC pause statistics of
# the binary-trees runs are printed after the table. Not a test: slow numbers never fail.
#
# Usage: bench/run_gc.sh [--quick] [depth] [churn_objects] [mark_mib]
#   defaults: depth 21, 50,000,000 churn objects, 1024 MiB marked; --quick: 16 5000000 128
#   RUNS=N (default 3)
set -uo pipefail
cd "$(dirname "$0")/.."
depth=21 churn=50000000 markmb=1024
if [ "${1:-}" = --quick ]; then depth=16 churn=5000000 markmb=128; shift; fi
depth=${1:-$depth}
churn=${2:-$churn}
markmb=${3:-$markmb}
runs=${RUNS:-3}
build=${BUILD:-build}
b=$build/bench
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gcbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

progs="binarytrees binarytrees_boehm binarytrees_glibc binarytrees_mimalloc binarytrees_go
       churn churn_boehm churn_glibc churn_mimalloc churn_go mark mark_boehm mark_go"
make -s $(for p in $progs; do echo "$b/$p"; done) || exit 1

# run NAME ARG: runs $b/NAME ARG $runs times; leaves "wall cpu rss_kb" of the best run
# in $tmp/NAME.res, its stdout in $tmp/NAME.out and its stderr in $tmp/NAME.err.
run() {
    local name=$1 arg=$2 best_wall= best_cpu= best_rss= i
    for i in $(seq "$runs"); do
        GOMAXPROCS=1 GC_MARKERS=1 /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" \
            "$b/$name" "$arg" >"$tmp/$name.out.$i" 2>"$tmp/$name.err.$i"
        local rc=$?
        if [ $rc -ne 0 ]; then
            echo "$name: exit $rc" >&2
            tail -3 "$tmp/$name.err.$i" >&2
            echo "- - -" >"$tmp/$name.res"
            return
        fi
        read -r wall user sys rss <"$tmp/time"
        local cpu
        cpu=$(printf '%.2f' "$(echo "$user + $sys" | bc)")
        if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then
            best_wall=$wall best_rss=$rss
            cp "$tmp/$name.out.$i" "$tmp/$name.out"
            cp "$tmp/$name.err.$i" "$tmp/$name.err"
        fi
        if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu; fi
    done
    echo "$best_wall $best_cpu $best_rss" >"$tmp/$name.res"
}

ratio() { # ratio a b: a/b with two decimals, "-" when either is missing
    if [ "$1" = - ] || [ "$2" = - ] || [ "$(echo "$2 == 0" | bc)" = 1 ]; then echo -; return; fi
    printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"
}

table() { # table BENCH ARG IMPL...: the first impl is spanlab's
    local bench=$1 arg=$2; shift 2
    local base=$1
    read -r bw bc br <"$tmp/$base.res"
    for impl in "$@"; do
        read -r w c r <"$tmp/$impl.res"
        local mb=-
        [ "$r" != - ] && mb=$(( r / 1024 ))
        local extra=
        case $bench in mark)
            extra=$(grep -o 'gc_ms=[0-9.]* ' "$tmp/$impl.out" | head -1)
            extra="$extra$(grep -o 'mb_per_s=[0-9]*' "$tmp/$impl.out" | head -1)" ;;
        esac
        printf '%-18s %-22s %8s %8s %7s %9s %9s %9s  %s\n' "$bench($arg)" "$impl" "$w" "$c" "$mb" \
            "$(ratio "$w" "$bw")" "$(ratio "$c" "$bc")" "$(ratio "$r" "$br")" "$extra"
    done
}

echo "gc benchmarks: binary-trees depth $depth, churn $churn objects, mark $markmb MiB; best of $runs"
for p in binarytrees binarytrees_boehm binarytrees_glibc binarytrees_mimalloc binarytrees_go; do
    run "$p" "$depth"
done
for p in churn churn_boehm churn_glibc churn_mimalloc churn_go; do run "$p" "$churn"; done
for p in mark mark_boehm mark_go; do run "$p" "$markmb"; done

printf '\n%-18s %-22s %8s %8s %7s %9s %9s %9s\n' bench impl wall_s cpu_s rss_MB \
    wall_x cpu_x rss_x
table binarytrees "$depth" binarytrees binarytrees_go binarytrees_boehm binarytrees_glibc \
    binarytrees_mimalloc
table churn "$churn" churn churn_go churn_boehm churn_glibc churn_mimalloc
table mark "$markmb" mark mark_go mark_boehm
echo "(x columns: other / spanlab; above 1 means spanlab is faster or smaller)"

echo
same=1
for p in binarytrees_go binarytrees_boehm binarytrees_glibc binarytrees_mimalloc; do
    if ! cmp -s "$tmp/binarytrees.out" "$tmp/$p.out"; then echo "OUTPUT DIFFERS: $p"; same=0; fi
done
for p in churn_go churn_boehm churn_glibc churn_mimalloc; do
    if ! cmp -s "$tmp/churn.out" "$tmp/$p.out"; then echo "OUTPUT DIFFERS: $p"; same=0; fi
done
[ $same = 1 ] && echo "binary-trees and churn outputs are identical across implementations"
echo
echo "GC pauses of the binary-trees runs (fastest run of each):"
grep -h GCSTATS "$tmp/binarytrees.err" "$tmp/binarytrees_go.err" "$tmp/binarytrees_boehm.err"
grep -h GCSTATS "$tmp/churn.err" "$tmp/churn_go.err" "$tmp/mark.err" 2>/dev/null
