// Measuring helpers for scenarios (see sc_util.h).
#include "scenarios/sc_util.h"
#include "mm/heap.h"
#include "rt/gc.h"

const struct memstats *sc_memstats(void) {
    static struct memstats m;
    heap_read_memstats(&m);
    return &m;
}

uint64_t sc_heap_alloc_after_gc(void) {
    gc_collect(true);
    return sc_memstats()->HeapAlloc;
}

uint64_t sc_mallocs(void) { return sc_memstats()->Mallocs; }

uint64_t sc_total_alloc(void) { return sc_memstats()->TotalAlloc; }
