// Boehm GC's pauses, measured the way spanlab's and Go's are reported, for
// bench/run_gc.sh: the benchmarks run single-threaded and Boehm collects with the
// world stopped (not incremental), so every collection, from its GC_EVENT_START to
// its GC_EVENT_END (GC_set_on_collection_event), is one pause; its sweep is lazy
// (done by later allocations), as spanlab's and Go's are, and is not counted.
// boehm_pauses_begin() before GC_INIT() (which collects once, counted by
// GC_get_gc_no); boehm_pauses_report(NAME) at the end prints
//   GCSTATS bench=NAME num_gc=N heap_size=B gc_cpu_fraction_pct=F
//   GCPAUSES bench=NAME cycles=N ns=P1,P2,...
// where F is the pauses' total over the wall time since boehm_pauses_begin (spanlab's
// GCCPUFraction: the mark time over the run's time). bench/pauses.py reads both.
#ifndef SPANLAB_BOEHM_PAUSES_H
#define SPANLAB_BOEHM_PAUSES_H

#include <gc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t *boehm_pause_ns;
static size_t boehm_npauses, boehm_pause_cap;
static uint64_t boehm_start_ns, boehm_began_ns, boehm_total_ns;

static uint64_t boehm_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void GC_CALLBACK boehm_on_event(GC_EventType e) {
    if (e == GC_EVENT_START) {
        boehm_start_ns = boehm_now_ns();
    } else if (e == GC_EVENT_END && boehm_start_ns) {
        uint64_t d = boehm_now_ns() - boehm_start_ns;
        boehm_start_ns = 0;
        boehm_total_ns += d;
        if (boehm_npauses == boehm_pause_cap) { // malloc, not GC_MALLOC: not in Boehm's heap
            boehm_pause_cap = boehm_pause_cap ? 2 * boehm_pause_cap : 1024;
            boehm_pause_ns = realloc(boehm_pause_ns, boehm_pause_cap * sizeof *boehm_pause_ns);
            if (!boehm_pause_ns) {
                fprintf(stderr, "boehm_pauses: out of memory\n");
                exit(1);
            }
        }
        boehm_pause_ns[boehm_npauses++] = d;
    }
}

static void boehm_pauses_begin(void) {
    boehm_began_ns = boehm_now_ns();
    GC_set_on_collection_event(boehm_on_event);
}

static void boehm_pauses_report(const char *name) {
    uint64_t wall = boehm_now_ns() - boehm_began_ns;
    fprintf(stderr, "GCSTATS bench=%s num_gc=%lu heap_size=%lu gc_cpu_fraction_pct=%.1f\n",
            name, (unsigned long)GC_get_gc_no(), (unsigned long)GC_get_heap_size(),
            wall ? 100.0 * (double)boehm_total_ns / (double)wall : 0.0);
    fprintf(stderr, "GCPAUSES bench=%s cycles=%zu ns=", name, boehm_npauses);
    for (size_t i = 0; i < boehm_npauses; i++)
        fprintf(stderr, "%s%llu", i ? "," : "", (unsigned long long)boehm_pause_ns[i]);
    fprintf(stderr, "\n");
}

#endif
