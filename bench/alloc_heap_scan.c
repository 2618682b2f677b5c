// Allocation benchmark: spanlab's heap alone with pointer-holding objects,
// heap_malloc of bench/alloc_ptrtype.h's struct (bitmap written per object) and
// heap_free. See bench/alloc_free.h.
#include "bench/alloc_ptrtype.h"
#include "mm/heap.h"
#define BENCH_NAME "heap_malloc-ptr"
static const gotype_t *bench_type;
#define BENCH_MALLOC(size) heap_malloc(size, bench_type, true)
#define BENCH_FREE(p) heap_free(p)
#define BENCH_SETUP(size) (heap_init(), bench_type = bench_ptr_type(size))
#include "bench/alloc_free.h"
