#!/usr/bin/env bash
# Runs the allocation benchmarks side by side (build/bench/alloc_*, Go with GOGC=off)
# RUNS times each (default 5), takes the median ns/object per size and phase, and
# prints the table with each allocator's ratio to spanlab (>1: spanlab is faster).
# Usage: bench/run_alloc.sh [N] [RUNS]
set -u
N=${1:-1000000}
RUNS=${2:-5}
B=${BUILD:-build}/bench
progs=(spanlab spanlab_scan mimalloc jemalloc tcmalloc glibc go)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for r in $(seq "$RUNS"); do
    for p in "${progs[@]}"; do
        bin=$B/alloc_$p
        [ -x "$bin" ] || { echo "missing $bin (make bench)" >&2; continue; }
        if [ "$p" = go ]; then GOGC=off "$bin" "$N"; else "$bin" "$N"; fi >>"$tmp"
    done
done
echo "Allocation of N=$N objects: ns of thread CPU time per object (median batch of 4096), median of $RUNS runs."
echo "cold: fresh memory (page faults included); warm: after freeing them all (Go: runtime.GC())."
echo "ratio = allocator / spanlab (noscan); spanlab-scan writes a pointer bitmap per object."
awk '
/^ALLOC/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    key = v["alloc"] SUBSEP v["size"]
    cold[key] = cold[key] " " v["cold_ns_per_obj"]; warm[key] = warm[key] " " v["warm_ns_per_obj"]
    if (!(v["alloc"] in seenA)) { seenA[v["alloc"]] = 1; order[++na] = v["alloc"] }
    if (!(v["size"] in seenS)) { seenS[v["size"]] = 1; sizes[++ns] = v["size"] }
}
function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
    for (ph = 1; ph <= 2; ph++) {
        printf "\n%-14s", (ph == 1 ? "cold" : "warm")
        for (s = 1; s <= ns; s++) printf "  %8s B  ratio", sizes[s]
        printf "\n"
        for (a = 1; a <= na; a++) {
            printf "%-14s", order[a]
            for (s = 1; s <= ns; s++) {
                k = order[a] SUBSEP sizes[s]; b = "spanlab" SUBSEP sizes[s]
                m = median(ph == 1 ? cold[k] : warm[k]); base = median(ph == 1 ? cold[b] : warm[b])
                printf "  %10.2f  %5.2f", m, (base > 0 ? m / base : 0)
            }
            printf "\n"
        }
    }
}' "$tmp"
