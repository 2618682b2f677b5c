// The allocation benchmarks that give memory back one object at a time (the malloc
// peers and spanlab's heap_malloc): warm reuses what the allocator's free put on
// its lists. A program defines BENCH_NAME, BENCH_MALLOC(size), BENCH_FREE(p) and,
// when its allocator needs it, BENCH_SETUP(size), then includes this file. It takes
// no options.
#ifndef SPANLAB_ALLOC_FREE_H
#define SPANLAB_ALLOC_FREE_H

#include <stddef.h>
#include <stdio.h>

#ifndef BENCH_SETUP
#define BENCH_SETUP(size) ((void)(size))
#endif

static inline void *bench_alloc(size_t size) { return BENCH_MALLOC(size); }

static int bench_init(int argc, char **argv, void **ptrs, size_t n, size_t size) {
    (void)ptrs, (void)n;
    if (argc > 0) {
        fprintf(stderr, "%s: takes no options (got '%s')\n", BENCH_NAME, argv[0]);
        return 1;
    }
    BENCH_SETUP(size);
    return 0;
}

static void bench_reuse(void **ptrs, size_t n) {
    for (size_t i = 0; i < n; i++)
        BENCH_FREE(ptrs[i]);
}

static void bench_extra(void) {}

#include "bench/alloc_common.h"

#endif
