#!/usr/bin/env bash
# make bench: runs every benchmark family's side-by-side script (bench/run_*.sh:
# alloc, fault, gc, sched ...) one after the other and prints their tables. Each
# script takes its own defaults; BENCH_ONLY=alloc,gc limits the families.
set -u
cd "$(dirname "$0")/.."
status=0
for s in bench/run_*.sh; do
    name=$(basename "$s" .sh)
    name=${name#run_}
    if [ -n "${BENCH_ONLY:-}" ] && [[ ",$BENCH_ONLY," != *",$name,"* ]]; then
        continue
    fi
    echo "==== bench: $name ($s)"
    bash "$s" || { echo "bench $name: exit $?"; status=1; }
    echo
done
exit $status
