// Shared by spanlab's GC benchmarks (bench/binarytrees.c, churn.c, mark.c): every
// stop-the-world pause of the run, recorded by a cycle-end hook (MemStats keeps
// only the last 256), and the report at the end. Benchmarks print their result
// lines on stdout; the report goes to stderr:
//   GCSTATS bench=NAME num_gc=N pause_total_us=T gc_cpu_fraction_pct=F
//   GCPAUSES bench=NAME cycles=N ns=P1,P2,...   (every pause, in order)
// bench/pauses.py computes the statistics from GCPAUSES, as it does from Go's
// gctrace lines, so both sides are summarised by the same code.
#ifndef SPANLAB_GC_BENCH_UTIL_H
#define SPANLAB_GC_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include "rt/gc.h"

static uint64_t *gcb_pauses;
static size_t gcb_npauses, gcb_cap;

// Cycle-end hook: appends the cycle's pause (spanlab stops the world for the whole
// cycle: one pause per cycle). libc memory: a hook must not use the GC'd heap.
static void gcb_on_cycle_end(void) {
    if (gcb_npauses == gcb_cap) {
        gcb_cap = gcb_cap ? 2 * gcb_cap : 1024;
        gcb_pauses = realloc(gcb_pauses, gcb_cap * sizeof *gcb_pauses);
        if (!gcb_pauses) {
            fprintf(stderr, "gc_bench_util: no memory for %zu pauses\n", gcb_cap);
            exit(1);
        }
    }
    gcb_pauses[gcb_npauses++] = gc_last_cycle()->pause_ns;
}

// Starts recording pauses; call before the first allocation.
static void gcb_init(void) {
    gc_init();
    gc_add_cycle_end_hook(gcb_on_cycle_end);
}

// Prints the GCSTATS and GCPAUSES lines.
static void gcb_report(const char *name) {
    gc_memstats_t ms;
    gc_read_memstats(&ms);
    fprintf(stderr, "GCSTATS bench=%s num_gc=%u pause_total_us=%llu gc_cpu_fraction_pct=%.1f\n",
            name, ms.NumGC, (unsigned long long)(ms.PauseTotalNs / 1000),
            ms.GCCPUFraction * 100);
    fprintf(stderr, "GCPAUSES bench=%s cycles=%u ns=", name, ms.NumGC);
    for (size_t i = 0; i < gcb_npauses; i++)
        fprintf(stderr, "%s%llu", i ? "," : "", (unsigned long long)gcb_pauses[i]);
    fprintf(stderr, "\n");
}

#endif
