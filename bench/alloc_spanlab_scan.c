// Allocation benchmark: spanlab's heap_malloc of scan objects (one pointer word per
// 16 bytes, so the pointer bitmap is written on every allocation).
#include "mm/heap.h"
#define BENCH_NAME "spanlab-scan"
static const uint8_t mask[1] = {0x1};
static const gotype_t pair_t = {"struct{p *T; x int}", 16, 8, mask, 8, GOKIND_STRUCT};
static void bench_init(void) { heap_init(); }
static inline void *bench_alloc(size_t size) { return heap_malloc(size, &pair_t, true); }
static inline void bench_free(void *p) { heap_free(p); }
#include "bench/alloc_common.h"
