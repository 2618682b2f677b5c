// Small measuring helpers the scenarios share: read MemStats, collect and read,
// count what a stretch of code allocated. Everything measured, nothing computed.
#ifndef SPANLAB_SC_UTIL_H
#define SPANLAB_SC_UTIL_H

#include <stdint.h>
#include "mm/mstats.h"

// MemStats now (a static copy: the struct is large, goroutine stacks are not).
const struct memstats *sc_memstats(void);

// runtime.GC(), after clearing the dead stack below the caller (see sc_util.c).
void sc_gc(void);

// debug.FreeOSMemory() (a GC, then every free page released), the same way.
void sc_free_os_memory(void);

// runtime.GC(), then HeapAlloc: the bytes still reachable.
uint64_t sc_heap_alloc_after_gc(void);

// Mallocs so far (MemStats.Mallocs, tiny allocations included, as Go counts them).
uint64_t sc_mallocs(void);

// Bytes allocated so far (MemStats.TotalAlloc).
uint64_t sc_total_alloc(void);

#endif
