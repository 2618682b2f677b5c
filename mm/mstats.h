// mstats: MemStats with Go's field names and meanings (runtime/mstats.go, Go 1.19),
// filled by heap_read_memstats(). Heap, stack and metadata fields are kept exact by
// the heap (mm/); the GC fields live in stats_gc, which the collector (rt/) writes.
//
// Identities that hold at every heap_read_memstats (checked by heap_verify and the
// tests): HeapInuse + HeapIdle == HeapSys; HeapReleased <= HeapIdle;
// Mallocs - Frees == HeapObjects; Alloc == HeapAlloc; HeapAlloc <= HeapInuse;
// Sys == HeapSys + StackSys + MSpanSys + MCacheSys + BuckHashSys + GCSys + OtherSys.
#ifndef SPANLAB_MSTATS_H
#define SPANLAB_MSTATS_H

#include <stdbool.h>
#include <stdint.h>

#define MEMSTATS_NUM_BYSIZE 61 // Go's MemStats.BySize length
#define MEMSTATS_NUM_PAUSES 256 // Go's MemStats.PauseNs and PauseEnd: a ring of the last 256
                                // pauses (runtime/mstats.go)

// The fields the garbage collector owns and writes (rt/): copied into MemStats.
struct memstats_gc {
    uint64_t NextGC;         // heap goal of the next cycle
    uint64_t LastGC;         // end of the last cycle, ns (sys_nanotime)
    uint64_t PauseTotalNs;   // cumulative stop-the-world pause
    uint64_t PauseNs[MEMSTATS_NUM_PAUSES];  // the most recent at [(NumGC+255)%256]
    uint64_t PauseEnd[MEMSTATS_NUM_PAUSES]; // pause end times, same ring
    uint32_t NumGC;          // completed cycles
    uint32_t NumForcedGC;    // cycles forced by runtime.GC()-style calls
    double GCCPUFraction;    // fraction of CPU time used by the GC since start
};
extern struct memstats_gc stats_gc;

struct memstats {
    // General statistics.
    uint64_t Alloc;      // == HeapAlloc
    uint64_t TotalAlloc; // cumulative bytes allocated for heap objects
    uint64_t Sys;        // total bytes obtained from the page layer (reserved-and-mapped)
    uint64_t Lookups;    // always 0 (as Go)
    uint64_t Mallocs;    // cumulative heap objects allocated (tiny allocations included)
    uint64_t Frees;      // cumulative heap objects freed (tiny allocations included)

    // Heap.
    uint64_t HeapAlloc;    // bytes of allocated heap objects (unswept garbage included)
    uint64_t HeapSys;      // bytes of heap memory grown from arenas: Inuse + Idle
    uint64_t HeapIdle;     // bytes in free pages (released ones included)
    uint64_t HeapInuse;    // bytes in in-use object spans
    uint64_t HeapReleased; // bytes of free pages released to the page layer
    uint64_t HeapObjects;  // allocated heap objects

    // Stacks.
    uint64_t StackInuse; // bytes in stack spans (guard pages included)
    uint64_t StackSys;   // == StackInuse (no OS-allocated stacks)

    // Off-heap metadata.
    uint64_t MSpanInuse;  // bytes of span structures in use
    uint64_t MSpanSys;    // bytes obtained for span structures
    uint64_t MCacheInuse; // bytes of mcache structures
    uint64_t MCacheSys;
    uint64_t BuckHashSys; // profiling bucket tables (0: the profiler lives in rt/)
    uint64_t GCSys;       // pointer bitmaps, span alloc/mark bits
    uint64_t OtherSys;    // arena index, arena and chunk metadata

    // Garbage collector (from stats_gc).
    uint64_t NextGC;
    uint64_t LastGC;
    uint64_t PauseTotalNs;
    uint64_t PauseNs[MEMSTATS_NUM_PAUSES];
    uint64_t PauseEnd[MEMSTATS_NUM_PAUSES];
    uint32_t NumGC;
    uint32_t NumForcedGC;
    double GCCPUFraction;
    bool EnableGC;
    bool DebugGC;

    // Per size class: Size is the class's object size; Mallocs and Frees count
    // objects of that class (Go: classes 0..60 of its table; here likewise the
    // first 61 classes, class 0 = large objects are not included, as Go).
    struct {
        uint32_t Size;
        uint64_t Mallocs;
        uint64_t Frees;
    } BySize[MEMSTATS_NUM_BYSIZE];

    // spanlab's own: what the page layer says about the heap's arenas (4 KiB pages).
    uint64_t TinyAllocs;     // tiny allocations folded into 16-byte blocks
    uint64_t ArenaReserved;  // bytes of arena address space reserved
    uint64_t CommittedPages; // committed 4 KiB pages in the arenas (resident or not)
    uint64_t ResidentPages;  // resident 4 KiB pages in the arenas
    uint64_t LazyFreePages;  // released in madv=free mode, frame not yet reclaimed
};

// One runtime/metrics sample (Go 1.19 runtime/metrics names and meanings).
typedef struct heap_metric {
    const char *name; // e.g. "/memory/classes/heap/objects:bytes"
    uint64_t value;
} heap_metric_t;

#define HEAP_NUM_METRICS 24

#endif
