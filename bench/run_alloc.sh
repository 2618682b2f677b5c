#!/usr/bin/env bash
# The allocation benchmarks side by side (bench/alloc_common.h says what is timed):
# spanlab's public entry points rt_mallocgc (noscan) and rt_new (pointer-holding)
# with the collector on (gogc=100) and off, the heap alone (heap_malloc/heap_free),
# mimalloc, jemalloc, tcmalloc, glibc and Go 1.19 (GOGC=100 and off, GOMAXPROCS=1),
# and the memory floor with no allocator (bench/alloc_floor.c),
# every one with the same N, sizes and clock. RUNS passes, each running every
# program once per size in a fresh process; the tables quote the median of the
# passes and the median of the same-pass ratios. Exits non-zero when a program
# failed. Not a test: slow numbers never fail.
# Usage: bench/run_alloc.sh [N] [RUNS]   (defaults 1000000 objects, 5 passes)
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-1000000}
RUNS=${2:-5}
sizes="16 32 64 256"
# program and arguments after N SIZE, one configuration a line
configs="alloc_rt gogc=100
alloc_rt gogc=off
alloc_rt_scan gogc=100
alloc_rt_scan gogc=off
alloc_heap
alloc_heap_scan
alloc_mimalloc
alloc_jemalloc
alloc_tcmalloc
alloc_glibc
alloc_floor bump
alloc_floor bump-zero
alloc_go noscan GOGC=100
alloc_go noscan GOGC=off
alloc_go ptr GOGC=100
alloc_go ptr GOGC=off"
bench_build $(echo "$configs" | awk '{ print "'"$bench_bin"'/" $1 }' | sort -u) || exit 1
bench_begin alloc
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
status=0

# one PASS SIZE PROGRAM ARGS...: runs the program, records its ALLOC line's numbers
# under "NAME gogc=G" (or NAME). Go's GOGC=... word goes to its environment.
one() {
    local pass=$1 size=$2 prog=$3 env=() args=() w
    shift 3
    for w in "$@"; do
        if [[ $w == GOGC=* ]]; then env+=("$w"); else args+=("$w"); fi
    done
    if ! env GOMAXPROCS=1 "${env[@]}" "$bench_bin/$prog" "$N" "$size" "${args[@]}" >"$tmp" 2>&1 ||
        ! grep -q '^ALLOC ' "$tmp"; then
        echo "$prog $size ${*}: failed:" >&2
        sed 's/^/    /' "$tmp" >&2
        status=1
        return
    fi
    local impl gogc
    impl=$(bench_field alloc "$tmp")
    gogc=$(bench_field gogc "$tmp")
    [ -n "$gogc" ] && impl="$impl gogc=$gogc"
    local phase
    for phase in cold warm; do
        bench_record "$phase" "$size" "$impl" ns_per_obj ns/obj "$pass" \
            "$(bench_field "${phase}_ns_per_obj" "$tmp")"
        bench_record "$phase" "$size" "$impl" mean_ns_per_obj ns/obj "$pass" \
            "$(bench_field "${phase}_mean" "$tmp")"
    done
}

for pass in $(seq "$RUNS"); do
    for size in $sizes; do
        while read -r prog args; do
            # shellcheck disable=SC2086 # args are words
            one "$pass" "$size" "$prog" $args
        done <<<"$configs"
    done
done

peers="mimalloc,jemalloc,tcmalloc,glibc"
noscan="rt_mallocgc gogc=100,rt_mallocgc gogc=off,heap_malloc,$peers,go gogc=100,go gogc=off"
noscan="$noscan,floor-bump,floor-bump-zero"
ptr="rt_new-ptr gogc=100,rt_new-ptr gogc=off,heap_malloc-ptr,rt_mallocgc gogc=100,$peers"
ptr="$ptr,go-ptr gogc=100,go-ptr gogc=off"
cat <<TEXT
Allocation of N=$N objects per process, one process per size (the columns, in bytes);
ns of process CPU time per object; median of $RUNS passes. cold: the first N objects
(fresh memory, page faults included); warm: again after giving them back: rt_* and go
drop every reference and collect (runtime.GC()), heap_malloc and the malloc peers free
each object (malloc does not zero; rt_*, heap_malloc and go do). ratio = base / row,
the median of the same-pass ratios (below 1: the base, spanlab's public path, takes
less time than the row); in the pointer-holding tables the rt_mallocgc row's ratio is
pointer-holding over noscan. floor-*: no allocator, a bump pointer over one region
(bench/alloc_floor.c): floor-bump touches one line per object, floor-bump-zero also
zeroes the reused memory warm, 8 KiB at a time: the least a zeroing allocator pays.
TEXT
tab() { # tab TITLE BENCHMARK METRIC ROWS: one table; the first row is the base
    echo
    bench_table --title "$1" --benchmark "$2" --metric "$3" --rows "$4" --base "${4%%,*}"
}
median="median batch, ns/object"
mean="mean of all batches (collections included), ns/object"
tab "warm, noscan: $median" warm ns_per_obj "$noscan"
tab "warm, pointer-holding: $median" warm ns_per_obj "$ptr"
tab "cold, noscan: $median" cold ns_per_obj "$noscan"
tab "cold, pointer-holding: $median" cold ns_per_obj "$ptr"
tab "warm, noscan: $mean" warm mean_ns_per_obj "$noscan"
tab "warm, pointer-holding: $mean" warm mean_ns_per_obj "$ptr"
bench_end
exit $status
