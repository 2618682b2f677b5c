#!/usr/bin/env bash
# Scheduler benchmarks beside Go 1.19 (GOMAXPROCS=1): goroutine switch, unbuffered
# channel ping-pong, timer heap insert+delete with 100,000 timers; both sides time
# their loop on the monotonic clock. RUNS passes (default 5), each running every
# program once; the table quotes the medians and the median same-pass ratio
# spanlab / go (below 1: spanlab is faster). Exits non-zero when a program failed.
# Usage: bench/run_sched.sh [RUNS]   (BENCH_BIN / BENCH_NOBUILD: see bench/lib.sh)
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-${RUNS:-5}}
names="switch pingpong timers"
bench_build $(for p in $names; do echo "$bench_bin/sched_$p $bench_bin/go_sched_$p"; done) ||
    exit 1
bench_begin sched
status=0

# one PASS NAME IMPL PROGRAM: runs it, records the ns_per_* value of its line.
one() {
    local line
    if ! line=$(GOMAXPROCS=1 "$bench_bin/$4" 2>&1) || [[ $line != *ns_per_* ]]; then
        echo "$4: failed: $line" >&2
        status=1
        return
    fi
    local kv
    kv=$(tr ' ' '\n' <<<"$line" | grep '^ns_per_')
    bench_record "$2" "" "$3" "${kv%%=*}" ns "$1" "${kv#*=}"
}

for pass in $(seq "$runs"); do
    for p in $names; do
        one "$pass" "$p" spanlab "sched_$p"
        one "$pass" "$p" go "go_sched_$p"
    done
done
echo "Scheduler: ns per operation (monotonic clock, GOMAXPROCS=1), median of $runs passes;"
echo "ratio = spanlab / row, median of same-pass ratios (below 1: spanlab is faster)."
echo "switch: one goroutine switch; pingpong: one round trip on unbuffered channels;"
echo "timers: one AfterFunc + Stop among 100,000 timers."
bench_table --cols benchmark --benchmark switch,pingpong,timers \
    --metric ns_per_switch,ns_per_roundtrip,ns_per_insert_delete --rows spanlab,go --base spanlab
bench_end
exit $status
