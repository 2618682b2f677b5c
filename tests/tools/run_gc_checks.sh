#!/usr/bin/env bash
# bench/run_gc.sh judged on stand-in programs (no benchmark is run; no QEMU). Each
# stand-in
# prints a fixed output, and spanlab's, Boehm's and Go's print known pauses (GCPAUSES
# lines, gctrace lines). Checks that:
#   - equal outputs pass, and the JSON holds the expected pause statistics (same
#     definition for both sides) and mark's MB/s derived from live_bytes and gc_ms;
#   - one output that differs in the second pass only makes the script exit 1 naming
#     the program and the pass, after printing its tables;
#   - a program that fails makes the script exit non-zero, naming it.
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-gcbench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() {
    echo "run_gc_checks: FAIL: $*"
    tail -40 "$dir/log" 2>/dev/null | sed 's/^/    /'
    exit 1
}
bin=$dir/build/bench
mkdir -p "$bin"

# stand_in NAME STDOUT STDERR: a program printing the two texts (kept beside it).
stand_in() {
    printf '%s\n' "$2" >"$bin/$1.stdout"
    printf '%s' "$3" >"$bin/$1.stderr"
    printf '#!/bin/sh\ncat "$0.stdout"\ncat "$0.stderr" >&2\n' >"$bin/$1"
    chmod +x "$bin/$1"
}
spanlab_err='GCSTATS bench=x num_gc=3
GCPAUSES bench=x cycles=3 ns=1000,2000,300000
'
go_err='gc 1 @0.001s 0%: 0.010+1.0+0.030 ms clock, 0.010+0/0/0+0.030 ms cpu, 4->4->1 MB
gc 2 @0.002s 12%: 0.020+1.0+0.040 ms clock, 0.020+0.10/0.20/0.30+0.040 ms cpu, 4->4->1 MB
'
boehm_err='GCSTATS bench=x num_gc=2 heap_size=1 gc_cpu_fraction_pct=12.5
GCPAUSES bench=x cycles=2 ns=5000,7000
'
for b in binarytrees churn; do
    stand_in "$b" "$b check: 42" "$spanlab_err"
    stand_in "${b}_go" "$b check: 42" "$go_err"
    stand_in "${b}_boehm" "$b check: 42" "$boehm_err"
    for p in glibc mimalloc; do stand_in "${b}_$p" "$b check: 42" ""; done
done
stand_in mark "mark objects=10 live_bytes=2097152 gc_ms=4.0" "$spanlab_err"
stand_in mark_go "mark objects=10 live_bytes=2097152 gc_ms=8.0" "$go_err"
stand_in mark_boehm "mark objects=10 live_bytes=2097152 gc_ms=2.0" ""

run_gc() { BUILD=$dir/build BENCH_NOBUILD=1 RUNS=2 bash bench/run_gc.sh 5 100 2 >"$dir/log" 2>&1; }

# 1. identical outputs
run_gc || fail "identical outputs: exit $?"
grep -q 'outputs are identical' "$dir/log" || fail "no 'identical' line"
# median (one definition) of spanlab's 1, 2, 300 us and Go's 10, 30, 20, 40 us; Go's
# GC CPU share from the CPU fields (0.04 + 0.36 ms, idle left out, over 3.06 ms), not
# the line's truncated 12%
python3 - "$bin/results-gc.json" <<'PY' || fail "results-gc.json"
import json, sys
res = json.load(open(sys.argv[1]))["results"]
def med(bench, impl, metric):
    got = [r["median"] for r in res if (r["benchmark"], r["implementation"], r["metric"])
           == (bench, impl, metric) and "base" not in r]
    return got[0] if got else None
want = {("churn", "spanlab", "pause_median_us"): 2, ("churn", "spanlab", "pause_p99_us"): 300,
        ("churn", "spanlab", "pauses"): 3, ("churn", "go", "cycles"): 2,
        ("churn", "go", "pauses"): 4, ("churn", "go", "pause_median_us"): 25,
        ("churn", "go", "pause_p99_us"): 40, ("binarytrees", "go", "pause_max_us"): 40,
        ("mark", "spanlab", "mb_per_s"): 500, ("mark", "go", "mb_per_s"): 250,
        ("mark", "boehm", "mb_per_s"): 1000, ("churn", "boehm", "pause_median_us"): 6,
        ("churn", "boehm", "pause_max_us"): 7, ("binarytrees", "boehm", "gc_cpu_pct"): 12.5,
        ("binarytrees", "go", "gc_cpu_pct"): 13.1}
bad = [f"{k}: {med(*k)} != {v}" for k, v in want.items() if med(*k) != v]
print("\n".join(bad)) if bad else None
sys.exit(1 if bad else 0)
PY

# 2. churn_glibc prints another checksum on its second run (pass 2)
cat >"$bin/churn_glibc" <<EOF2
#!/bin/sh
n=\$(cat "$dir/count" 2>/dev/null || echo 0); echo \$((n + 1)) >"$dir/count"
[ "\$n" = 1 ] && echo "churn check: 43" || echo "churn check: 42"
EOF2
run_gc && fail "a differing output passed (exit 0)"
grep -q '^OUTPUT DIFFERS: churn_glibc (pass 2)' "$dir/log" || fail "the difference is not named"
grep -c '^OUTPUT DIFFERS' "$dir/log" | grep -qx 1 || fail "more than one difference reported"
grep -q '^churn, 100 objects' "$dir/log" || fail "no tables printed before failing"

# 3. a program that fails
stand_in churn_glibc "churn check: 42" ""
printf '#!/bin/sh\necho broken >&2\nexit 3\n' >"$bin/mark_boehm"
run_gc && fail "a failing program passed (exit 0)"
grep -q 'mark_boehm 2: exit 3' "$dir/log" || fail "the failing program is not named"
echo "run_gc_checks: PASS"
