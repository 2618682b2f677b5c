#!/usr/bin/env bash
# Scheduler benchmarks beside Go 1.19 (GOMAXPROCS=1): goroutine switch, unbuffered
# channel ping-pong, timer heap insert+delete with 100,000 timers. Builds what is
# missing, runs each side REPEAT times (best of), prints a table with the ratio
# go/spanlab (> 1: spanlab is faster).
# Usage: bench/run_sched.sh [REPEAT]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-3}
GO=${GO:-/usr/lib/go-1.19/bin/go}
B=build/bench
make -s "$B/sched_switch" "$B/sched_pingpong" "$B/sched_timers"
mkdir -p "$B" build/gocache
for p in switch pingpong timers; do
    if [ ! -x "$B/go_sched_$p" ] || [ "bench/sched_go/$p.go" -nt "$B/go_sched_$p" ]; then
        GOCACHE="$PWD/build/gocache" GO111MODULE=off GOFLAGS= "$GO" build -o "$B/go_sched_$p" \
            "bench/sched_go/$p.go"
    fi
done

# best VALUE of key over REPEAT runs of a command
best() {
    local key=$1; shift
    local b=""
    for _ in $(seq "$repeat"); do
        v=$("$@" | tr ' ' '\n' | sed -n "s/^$key=//p")
        if [ -z "$b" ] || awk -v a="$v" -v b="$b" 'BEGIN{exit !(a<b)}'; then b=$v; fi
    done
    echo "$b"
}

printf '%-34s %12s %12s %8s\n' "benchmark (best of $repeat)" "spanlab" "go1.19" "go/ours"
row() {
    local name=$1 key=$2 ours theirs
    ours=$(best "$key" "$B/sched_$3")
    theirs=$(GOMAXPROCS=1 best "$key" "$B/go_sched_$3")
    printf '%-34s %12s %12s %8s\n' "$name" "$ours" "$theirs" \
        "$(awk -v a="$ours" -v b="$theirs" 'BEGIN{printf "%.2fx", b/a}')"
}
row "goroutine switch (ns/switch)" ns_per_switch switch
row "chan ping-pong (ns/round trip)" ns_per_roundtrip pingpong
row "timers 100k insert+delete (ns/op)" ns_per_insert_delete timers
