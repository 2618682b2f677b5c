// Allocation benchmark: the public entry point rt_new(T) for the pointer-holding
// struct of bench/alloc_ptrtype.h, Go's new(T). Options: gogc=100|off. See
// bench/alloc_gc.h.
#include "bench/alloc_gc.h"
#include "bench/alloc_ptrtype.h"
#define BENCH_NAME "rt_new-ptr"

static const gotype_t *bench_type;

static inline void *bench_alloc(size_t size) {
    (void)size;
    return rt_new(bench_type);
}

static int bench_init(int argc, char **argv, void **ptrs, size_t n, size_t size) {
    bench_type = bench_ptr_type(size);
    return bench_gc_init(argc, argv, ptrs, n);
}

#include "bench/alloc_common.h"
