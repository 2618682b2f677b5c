// Allocation benchmark: spanlab's heap_malloc (noscan, zeroed when dirty, as Go's
// make([]byte, n)). See bench/alloc_common.h.
#include "mm/heap.h"
#define BENCH_NAME "spanlab"
static void bench_init(void) { heap_init(); }
static inline void *bench_alloc(size_t size) { return heap_malloc(size, NULL, true); }
static inline void bench_free(void *p) { heap_free(p); }
#include "bench/alloc_common.h"
