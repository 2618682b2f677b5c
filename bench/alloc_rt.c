// Allocation benchmark: the public entry point rt_mallocgc(size, NULL, true), noscan
// bytes as Go's make([]byte, n), with the pacer check, gcstress and profiler hooks
// every spanlab program goes through. Options: gogc=100|off. See bench/alloc_gc.h.
#include "bench/alloc_gc.h"
#define BENCH_NAME "rt_mallocgc"

static inline void *bench_alloc(size_t size) { return rt_mallocgc(size, NULL, true); }

static int bench_init(int argc, char **argv, void **ptrs, size_t n, size_t size) {
    (void)size;
    return bench_gc_init(argc, argv, ptrs, n);
}

#include "bench/alloc_common.h"
