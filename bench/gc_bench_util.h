// Shared by the GC benchmarks (bench/binarytrees*, churn*, mark*): a report of the
// collector's pauses for the spanlab builds. Benchmarks print their result lines
// on stdout and one "GCSTATS ..." line on stderr.
#ifndef SPANLAB_GC_BENCH_UTIL_H
#define SPANLAB_GC_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include "mm/heap.h"
#include "rt/gc.h"

static int gcb_cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

// Prints NumGC, total/max/median/p99 pause (of the last 256) and GCCPUFraction.
static void gcb_report(const char *name) {
    gc_memstats_t ms;
    gc_read_memstats(&ms);
    uint32_t n = ms.NumGC < 256 ? ms.NumGC : 256;
    uint64_t p[256];
    for (uint32_t i = 0; i < n; i++)
        p[i] = ms.PauseNs[i];
    qsort(p, n, sizeof p[0], gcb_cmp_u64);
    fprintf(stderr,
            "GCSTATS bench=%s num_gc=%u pause_total_us=%llu pause_max_us=%llu "
            "pause_median_us=%llu pause_p99_us=%llu gc_cpu_fraction_pct=%.1f\n",
            name, ms.NumGC, (unsigned long long)(ms.PauseTotalNs / 1000),
            (unsigned long long)(n ? p[n - 1] / 1000 : 0),
            (unsigned long long)(n ? p[n / 2] / 1000 : 0),
            (unsigned long long)(n ? p[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] / 1000 : 0),
            ms.GCCPUFraction * 100);
}

#endif
