// Allocation benchmark: jemalloc (libjemalloc-dev; linked with -ljemalloc, which
// replaces malloc). See bench/alloc_free.h.
#include <stdlib.h>
#define BENCH_NAME "jemalloc"
#define BENCH_MALLOC(size) malloc(size)
#define BENCH_FREE(p) free(p)
#include "bench/alloc_free.h"
