// Allocation benchmark: spanlab's heap_malloc of scan objects, new(T) for a struct T
// of the benchmark's size whose first word is a pointer (so the pointer bitmap is
// written on every allocation). See bench/alloc_common.h.
#include "mm/heap.h"
#define BENCH_NAME "spanlab-scan"
static const uint8_t mask[1] = {0x1};
static const gotype_t t16 = {"struct{p *T; x [1]int}", 16, 8, mask, 8, GOKIND_STRUCT};
static const gotype_t t32 = {"struct{p *T; x [3]int}", 32, 8, mask, 8, GOKIND_STRUCT};
static const gotype_t t64 = {"struct{p *T; x [7]int}", 64, 8, mask, 8, GOKIND_STRUCT};
static const gotype_t t256 = {"struct{p *T; x [31]int}", 256, 8, mask, 8, GOKIND_STRUCT};
static void bench_init(void) { heap_init(); }
static inline void *bench_alloc(size_t size) {
    const gotype_t *t = size == 16 ? &t16 : size == 32 ? &t32 : size == 64 ? &t64 : &t256;
    return heap_malloc(size, t, true);
}
static inline void bench_free(void *p) { heap_free(p); }
#include "bench/alloc_common.h"
