// Allocation benchmark: glibc malloc. See bench/alloc_common.h.
#include <stdlib.h>
#define BENCH_NAME "glibc"
static void bench_init(void) {}
static inline void *bench_alloc(size_t size) { return malloc(size); }
static inline void bench_free(void *p) { free(p); }
#include "bench/alloc_common.h"
