#!/usr/bin/env bash
# make bench: prints the machine it runs on (CPU model, cores, kernel, load average
# at the start, date), then runs every area's side-by-side script (bench/run_*.sh:
# alloc, fault, gc, sched) one after the other, each printing its tables, and
# writes every number of the session to build/bench/results.json (bench/results.py
# says what is in it). BENCH_ONLY=alloc,gc limits the areas; each script takes its
# own defaults. Exits non-zero when an area failed (a program that crashed, an
# output that differs).
set -u
cd "$(dirname "$0")/.."
# Under make bench the programs are built already; the scripts' own make calls
# (nothing to do, or the kernel image for the fault area) run on their own,
# without the parent's jobserver (which a recipe without '+' does not pass on).
unset MAKEFLAGS MFLAGS
. bench/lib.sh
mkdir -p "$bench_out"
export BENCH_RAW=$bench_out/results.raw
: >"$BENCH_RAW"
bench_machine >"$bench_out/machine.txt"
bench_machine_line "$bench_out/machine.txt"
echo
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
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$bench_out/machine.txt"
python3 bench/results.py json --machine "$bench_out/machine.txt" --out "$bench_out/results.json" \
    "$BENCH_RAW" || status=1
exit $status
