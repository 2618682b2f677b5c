// Allocation benchmark: mimalloc (libmimalloc-dev), through mi_malloc.
#include <mimalloc.h>
#define BENCH_NAME "mimalloc"
static void bench_init(void) {}
static inline void *bench_alloc(size_t size) { return mi_malloc(size); }
static inline void bench_free(void *p) { mi_free(p); }
#include "bench/alloc_common.h"
