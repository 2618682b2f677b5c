#!/usr/bin/env bash
# Runs one libFuzzer target (build/fuzz/NAME_fuzz) for SECONDS and prints one summary
# line: executions, executions per second, coverage (cov: edges, ft: features) and
# corpus size. Exits 0 only when the run executed inputs and found nothing; a
# finding (crash, sanitizer report, broken invariant, an input running over 10 s)
# leaves its input in build/fuzz/findings/NAME-* and the report in the log.
#   tests/fuzz/run.sh [--smoke] NAME SECONDS
# Seeds come from tests/fuzz/corpus/NAME/ (read only), words from tests/fuzz/NAME.dict. What the run learns goes to
# build/fuzz/corpus/NAME/ and is kept for the next run; --smoke (make test) starts
# from the seeds alone in a scratch directory, so its cost does not grow.
set -u
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
name=${1:?usage: run.sh [--smoke] NAME SECONDS}
secs=${2:?usage: run.sh [--smoke] NAME SECONDS}
bin=build/fuzz/${name}_fuzz
seeds=tests/fuzz/corpus/$name
[ -x "$bin" ] || { echo "fuzz $name: $bin is not built (make $bin)"; exit 2; }
[ -d "$seeds" ] || { echo "fuzz $name: no seed corpus $seeds"; exit 2; }
case $name in
options) max_len=512 ;;
*) max_len=4096 ;;
esac
if [ $smoke -eq 1 ]; then
    corpus=build/fuzz/smoke/$name
    log=build/fuzz/smoke/$name.log
    rm -rf "$corpus"
else
    corpus=build/fuzz/corpus/$name
    log=build/fuzz/$name.log
fi
findings=build/fuzz/findings
mkdir -p "$corpus" "$findings"
dict=()
[ -f tests/fuzz/$name.dict ] && dict=(-dict="tests/fuzz/$name.dict")

# ASan's fake stacks are off: the collector scans real frames conservatively.
ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" -max_total_time="$secs" -timeout=10 -max_len=$max_len -print_final_stats=1 \
    -artifact_prefix="$findings/$name-" "${dict[@]}" "$corpus" "$seeds" >"$log" 2>&1
rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
if [ $rc -ne 0 ] || [ -z "$runs" ] || [ "${runs:-0}" -eq 0 ]; then
    echo "fuzz $name: FINDING or failure (exit $rc, ${runs:-no} runs); the log, $log, ends:"
    tail -n 40 "$log" | sed 's/^/    /'
    ls "$findings"/"$name"-* 2>/dev/null | sed 's/^/    input: /'
    exit 1
fi
echo "fuzz $name: $runs runs in ${took}s ($rate/s), cov $cov ft $ft, corpus $corp, no finding"
