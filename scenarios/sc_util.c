// Measuring helpers for scenarios (see sc_util.h).
#include "scenarios/sc_util.h"
#include <string.h>
#include "mm/heap.h"
#include "rt/gc.h"

// Zeroes the dead stack below the caller. The collector's own frames, which will
// occupy that space, leave some slots unwritten; without this they would still hold
// stale pointers from calls that already returned, and the conservative stack scan
// would keep those objects (Go scans stacks precisely and has no such problem).
static __attribute__((noinline)) void scrub_dead_stack(void) {
    volatile char dead[8192];
    memset((char *)dead, 0, sizeof dead);
    __asm__ volatile("" ::"r"(dead) : "memory");
}

void sc_gc(void) {
    scrub_dead_stack();
    gc_collect(true);
}

void sc_free_os_memory(void) {
    scrub_dead_stack();
    gc_free_os_memory();
}

const struct memstats *sc_memstats(void) {
    static struct memstats m;
    heap_read_memstats(&m);
    return &m;
}

uint64_t sc_heap_alloc_after_gc(void) {
    sc_gc();
    return sc_memstats()->HeapAlloc;
}

uint64_t sc_mallocs(void) { return sc_memstats()->Mallocs; }

uint64_t sc_total_alloc(void) { return sc_memstats()->TotalAlloc; }
