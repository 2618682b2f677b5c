// Allocation benchmark: spanlab's heap alone, heap_malloc of noscan bytes (zeroed
// when dirty, as Go's make([]byte, n)) and heap_free, without the collector's entry
// point (the figure rt_mallocgc adds to). See bench/alloc_free.h.
#include "mm/heap.h"
#define BENCH_NAME "heap_malloc"
#define BENCH_MALLOC(size) heap_malloc(size, NULL, true)
#define BENCH_FREE(p) heap_free(p)
#define BENCH_SETUP(size) heap_init()
#include "bench/alloc_free.h"
