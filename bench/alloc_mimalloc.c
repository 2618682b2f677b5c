// Allocation benchmark: mimalloc (libmimalloc-dev), through mi_malloc and mi_free.
// See bench/alloc_free.h.
#include <mimalloc.h>
#define BENCH_NAME "mimalloc"
#define BENCH_MALLOC(size) mi_malloc(size)
#define BENCH_FREE(p) mi_free(p)
#include "bench/alloc_free.h"
