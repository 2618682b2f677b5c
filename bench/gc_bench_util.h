// Shared by spanlab's GC benchmarks (bench/binarytrees.c, churn.c, mark.c): every
// stop-the-world pause of the run, recorded by a cycle-end hook (MemStats keeps
// only the last 256; gcmode=inc has two pauses a cycle, the root scan and mark
// termination, gcmode=stw one), the collector's CPU time by kind, and the report at
// the end. Benchmarks print their result lines on stdout; the report goes to stderr:
//   GCSTATS bench=NAME gcmode=M num_gc=N pause_total_us=T gc_cpu_fraction_pct=F
//           pauses=P pause_median_us= pause_p99_us= pause_max_us= (gc_pause_stats)
//           assist_ms= background_ms= idle_ms= (incremental mark work, measured)
//   GCPAUSES bench=NAME cycles=N ns=P1,P2,...   (every pause, in order)
// bench/pauses.py computes the statistics from GCPAUSES, as it does from Go's
// gctrace lines, so both sides are summarised by the same code.
#ifndef SPANLAB_GC_BENCH_UTIL_H
#define SPANLAB_GC_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include "rt/gc.h"
#include "sys/options.h"

static uint64_t *gcb_pauses;
static size_t gcb_npauses, gcb_cap;
static uint64_t gcb_assist_ns, gcb_bg_ns, gcb_idle_ns;

// Appends one pause. libc memory: a hook must not use the GC'd heap.
static void gcb_add_pause(uint64_t ns) {
    if (gcb_npauses == gcb_cap) {
        gcb_cap = gcb_cap ? 2 * gcb_cap : 1024;
        gcb_pauses = realloc(gcb_pauses, gcb_cap * sizeof *gcb_pauses);
        if (!gcb_pauses) {
            fprintf(stderr, "gc_bench_util: no memory for %zu pauses\n", gcb_cap);
            exit(1);
        }
    }
    gcb_pauses[gcb_npauses++] = ns;
}

// Cycle-end hook: the cycle's pauses and mark work.
static void gcb_on_cycle_end(void) {
    const gc_cycle_stats_t *c = gc_last_cycle();
    if (c->incremental) {
        gcb_add_pause(c->pause_start_ns);
        gcb_add_pause(c->pause_term_ns);
    } else {
        gcb_add_pause(c->pause_ns);
    }
    gcb_assist_ns += c->assist_ns;
    gcb_bg_ns += c->bg_ns;
    gcb_idle_ns += c->idle_ns;
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
    gc_pause_stats_t ps;
    gc_pause_stats(&ps);
    fprintf(stderr,
            "GCSTATS bench=%s gcmode=%s num_gc=%u pause_total_us=%llu gc_cpu_fraction_pct=%.1f "
            "pauses=%llu pause_median_us=%.1f pause_p99_us=%.1f pause_max_us=%.1f "
            "assist_ms=%.1f background_ms=%.1f idle_ms=%.1f\n",
            name, opt_str("gcmode"), ms.NumGC, (unsigned long long)(ms.PauseTotalNs / 1000),
            ms.GCCPUFraction * 100, (unsigned long long)ps.count, ps.median_ns / 1e3,
            ps.p99_ns / 1e3, ps.max_ns / 1e3, gcb_assist_ns / 1e6, gcb_bg_ns / 1e6,
            gcb_idle_ns / 1e6);
    fprintf(stderr, "GCPAUSES bench=%s cycles=%u ns=", name, ms.NumGC);
    for (size_t i = 0; i < gcb_npauses; i++)
        fprintf(stderr, "%s%llu", i ? "," : "", (unsigned long long)gcb_pauses[i]);
    fprintf(stderr, "\n");
}

#endif
