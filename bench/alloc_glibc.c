// Allocation benchmark: glibc malloc. See bench/alloc_free.h.
#include <stdlib.h>
#define BENCH_NAME "glibc"
#define BENCH_MALLOC(size) malloc(size)
#define BENCH_FREE(p) free(p)
#include "bench/alloc_free.h"
