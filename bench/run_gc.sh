#!/usr/bin/env bash
# The collector's benchmarks side by side: binary-trees, churn and mark throughput on
# spanlab's collector, Go 1.19, Boehm GC, glibc malloc with explicit free and
# mimalloc. Every program runs single-threaded: Go with GOMAXPROCS=1, Boehm with
# GC_MARKERS=1 (spanlab marks on one CPU). RUNS passes (default 3), each running
# every program once; the tables quote medians of the passes and the medians of the
# same-pass ratios: wall and CPU time (user+sys) and peak RSS from /usr/bin/time,
# mark's collection time and MB/s (live bytes built / median collection, derived
# here from the programs' lines alike), and the pauses (bench/pauses.py: spanlab's
# GCPAUSES line, Go's GODEBUG=gctrace=1 lines).
# Every pass's binary-trees and churn outputs must equal spanlab's first: a
# difference is printed ("OUTPUT DIFFERS: ...") and the script exits 1 after the
# tables. Slow numbers never fail.
#
# Usage: bench/run_gc.sh [--quick] [depth] [churn_objects] [mark_mib]
#   defaults: depth 21, 50,000,000 churn objects, 1024 MiB marked; --quick: 16 5000000 128
#   RUNS=N (default 3); BENCH_BIN / BENCH_NOBUILD: see bench/lib.sh
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
depth=21 churn=50000000 markmb=1024
if [ "${1:-}" = --quick ]; then depth=16 churn=5000000 markmb=128; shift; fi
depth=${1:-$depth}
churn=${2:-$churn}
markmb=${3:-$markmb}
runs=${RUNS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gcbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

progs() { # progs BENCH: the programs of one benchmark, spanlab's first (PROG:stw is
    # spanlab's program with gcmode=stw; plain, its default incremental collector)
    case $1 in
    mark) echo "mark mark:stw mark_go mark_boehm" ;;
    *) echo "$1 $1:stw $1_go $1_boehm $1_glibc $1_mimalloc" ;;
    esac
}
impl_of() { # impl_of PROGRAM: the implementation it runs on
    case $1 in
    *_go) echo go ;; *_boehm) echo boehm ;; *_glibc) echo glibc ;; *_mimalloc) echo mimalloc ;;
    *:stw) echo spanlab_stw ;;
    *) echo spanlab ;;
    esac
}
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; } # calc EXPR: EXPR with 2 decimals
bench_build $(for b in binarytrees churn mark; do progs $b; done | tr ' ' '\n' |
    grep -v : | sed "s|^|$bench_bin/|") || exit 1
bench_begin gc
status=0

# run PASS BENCH ARG PROGRAM: runs it once under /usr/bin/time; records wall_s, cpu_s,
# rss_mb, the pauses and mark's numbers; leaves stdout in $tmp/PROGRAM.PASS.out.
run() {
    local pass=$1 bench=$2 arg=$3 prog=$4 impl out err opts=()
    impl=$(impl_of "$prog")
    [ "${prog%:*}" != "$prog" ] && opts=("gcmode=${prog#*:}")
    out=$tmp/$prog.$pass.out err=$tmp/$prog.$pass.err
    GOMAXPROCS=1 GC_MARKERS=1 GODEBUG=gctrace=1 /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" \
        "$bench_bin/${prog%:*}" "$arg" "${opts[@]}" >"$out" 2>"$err"
    local rc=$?
    if [ $rc -ne 0 ]; then
        echo "$prog $arg: exit $rc" >&2
        tail -3 "$err" >&2
        status=1
        return
    fi
    local wall user sys rss
    read -r wall user sys rss <"$tmp/time"
    bench_record "$bench" "$arg" "$impl" wall_s s "$pass" "$wall"
    bench_record "$bench" "$arg" "$impl" cpu_s s "$pass" "$(calc "$user + $sys")"
    bench_record "$bench" "$arg" "$impl" rss_mb MiB "$pass" "$(calc "$rss / 1024")"
    if [ "$bench" = mark ]; then
        local bytes ms
        bytes=$(bench_field live_bytes "$out") ms=$(bench_field gc_ms "$out")
        bench_record mark "$arg" "$impl" gc_ms ms "$pass" "$ms"
        bench_record mark "$arg" "$impl" mb_per_s MB/s "$pass" \
            "$(calc "$bytes / 1048576 / ($ms / 1000)")"
    fi
    if [ "$impl" = spanlab ] || [ "$impl" = spanlab_stw ] || [ "$impl" = go ] || [ "$impl" = boehm ]; then
        local kv
        for kv in $(python3 bench/pauses.py "$err"); do
            bench_record "$bench" "$arg" "$impl" "${kv%%=*}" "$(pause_unit "${kv%%=*}")" \
                "$pass" "${kv#*=}"
        done
    fi
}
pause_unit() { case $1 in *_us) echo us ;; *_pct) echo % ;; *) echo count ;; esac; }

# check_output PASS BENCH PROGRAM: its output must be spanlab's of pass 1.
check_output() {
    [ -f "$tmp/$3.$1.out" ] || return 0 # it failed: reported by run
    bench_same_output "$tmp/$2.1.out" "$tmp/$3.$1.out" "$3 (pass $1)" "$2 (pass 1)" ||
        status=1
}

echo "gc benchmarks: binary-trees depth $depth, churn $churn objects, mark $markmb MiB;" \
    "median of $runs passes"
for pass in $(seq "$runs"); do
    for p in $(progs binarytrees); do run "$pass" binarytrees "$depth" "$p"; done
    for p in $(progs churn); do run "$pass" churn "$churn" "$p"; done
    for p in $(progs mark); do run "$pass" mark "$markmb" "$p"; done
    for b in binarytrees churn; do
        for p in $(progs $b); do check_output "$pass" "$b" "$p"; done
    done
done
[ $status = 0 ] &&
    echo "binary-trees and churn outputs are identical in every implementation and pass"

echo "ratio = spanlab / row, the median of the same-pass ratios: below 1 spanlab takes less"
echo "time or memory, or has shorter pauses; for MB/s above 1 spanlab is faster."
all="spanlab,spanlab_stw,go,boehm,glibc,mimalloc"
tab() { # tab BENCH ARG METRICS ROWS TITLE
    echo
    bench_table --benchmark "$1" --param "$2" --cols metric --metric "$3" --rows "$4" \
        --base spanlab --title "$5"
}
tab binarytrees "$depth" wall_s,cpu_s,rss_mb "$all" "binary-trees, depth $depth"
tab churn "$churn" wall_s,cpu_s,rss_mb "$all" "churn, $churn objects"
tab mark "$markmb" gc_ms,mb_per_s,rss_mb spanlab,spanlab_stw,go,boehm "mark, $markmb MiB live"
pauses=cycles,pauses,pause_median_us,pause_p99_us,pause_max_us,gc_cpu_pct
tab binarytrees "$depth" "$pauses" spanlab,spanlab_stw,go,boehm \
    "pauses (each stop-the-world pause: 2 per cycle for spanlab (incremental) and Go, 1 for spanlab_stw and Boehm), binary-trees"
tab churn "$churn" "$pauses" spanlab,spanlab_stw,go,boehm "pauses, churn"
tab mark "$markmb" "$pauses" spanlab,spanlab_stw,go,boehm "pauses, mark"
bench_end
[ $status = 0 ] || echo "run_gc: FAILED (an output differs or a program failed: see above)"
exit $status
