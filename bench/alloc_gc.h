// The allocation benchmarks of the collected heap (rt_mallocgc, rt_new): the options
// after SIZE are spanlab's command line (gogc=100, gogc=off ...); the pointer array
// is a GC root; warm reuses the memory a forced collection freed after every
// reference was dropped (gc_run(), which sweeps every span before it returns, as
// Go's runtime.GC does; with GOGC on, the collections the phases trigger themselves
// sweep lazily, in the allocation path). A program includes this, defines
// BENCH_NAME, bench_alloc(size) and bench_init (calling bench_gc_init), then
// includes bench/alloc_common.h.
#ifndef SPANLAB_ALLOC_GC_H
#define SPANLAB_ALLOC_GC_H

#include <stdio.h>
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/types.h"
#include "sys/options.h"

// Reads spanlab's options, starts the collector and registers ptrs as a root.
static int bench_gc_init(int argc, char **argv, void **ptrs, size_t n) {
    if (opt_parse_argv(argc, argv) != 0) {
        fprintf(stderr, "bad option (see above)\n");
        return 1;
    }
    gc_init();
    gc_add_root(ptrs, n * sizeof(void *), &gotype_pointer);
    return 0;
}

// Drops every reference and collects: the objects' memory is free again.
static void bench_reuse(void **ptrs, size_t n) {
    memset(ptrs, 0, n * sizeof(void *));
    gc_run();
}

// The collector's setting and how many cycles both phases took.
static void bench_extra(void) {
    gc_memstats_t ms;
    gc_read_memstats(&ms);
    printf(" gogc=%s num_gc=%u", opt_str("gogc"), ms.NumGC);
}

#endif
