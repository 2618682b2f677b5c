// scavenge: returns free heap pages to the page layer (Go's mgcscavenge.go).
//
// heap_scavenge(n) releases now (what "release without a GC" means; Go's
// debug.FreeOSMemory is a GC followed by this with n = all, composed in rt/).
// The background scavenger, heap_scavenge_tick(), works toward two goals set after
// each GC cycle (Go's gcPaceScavenger):
//   GOGC goal:  retained <= HeapInuse_at_GC * heap_goal / last_heap_goal * 1.10
//               (retainExtraPercent = 10), none before the second cycle;
//   limit goal: committed <= memory_limit * 0.95 (reduceExtraPercent = 5),
// where retained = HeapSys - HeapReleased (Go's heapRetained = heapInUse+heapFree).
// It is paced to ~1% of CPU time (Go's scavenger utilization target): each tick
// may spend 1% of the time elapsed since the last one, at the measured cost of
// releasing a page. Pages are released highest address first, in the madv= mode.
// Its clock is the wall clock (the now_ns its callers pass) unless
// heap_scavenge_pace(HEAP_SCAV_PACE_ALLOC) made it the allocation clock: bytes the
// heap has handed out, one per nanosecond, and a fixed cost per page. The scenario
// runner does that, so what the scavenger releases during a scenario depends on what
// the program did, not on when the machine let it run (the same numbers every run).
// Allocation assists as Go's allocSpan: with a memory limit, every span allocation
// releases what the heap has mapped beyond the limit; a heap growth releases down
// to the retained goal (at most the growth).
#include "mm/heap_internal.h"

#define SCAV_UTIL_PERCENT 1          // Go: scavengePercent = 1
#define SCAV_RETAIN_EXTRA_PERCENT 10 // Go: retainExtraPercent
#define SCAV_REDUCE_EXTRA_PERCENT 5  // Go: reduceExtraPercent
#define SCAV_MIN_INTERVAL_NS 1000000 // spanlab: the goals are checked at most every 1 ms
#define SCAV_PAGE_COST_NS 2000       // spanlab: a page's release cost before one is measured

static heap_scav_pace_t scav_pace = HEAP_SCAV_PACE_WALL;

// See heap.h.
void heap_scavenge_pace(heap_scav_pace_t pace) {
    scav_pace = pace;
    heap_g.scav_last_ns = 0;
}

// The allocation clock: bytes handed out so far in spans' objects and large
// objects (the flushed counts TotalAlloc sums), a nanosecond each.
static uint64_t scav_alloc_clock(void) {
    uint64_t bytes = heap_g.large_alloc_bytes;
    for (int c = 1; c < HEAP_NUM_SIZE_CLASSES; c++)
        bytes += heap_g.nmalloc[c] * heap_sc_class_to_size[c];
    return bytes + 1; // 0 means "no look yet"
}

// See heap.h.
size_t heap_scavenge(size_t bytes) {
    return pages_scavenge(bytes, sys_default_release_mode());
}

// See heap.h.
size_t heap_scavenge_mode(size_t bytes, sys_release_mode_t mode) {
    return pages_scavenge(bytes, mode);
}

// See heap_internal.h.
uint64_t heap_retained(void) {
    return heap_g.grown - heap_g.inuse_stack - heap_g.released;
}

// See heap.h.
void heap_scavenge_set_goals(uint64_t heap_goal, uint64_t last_heap_goal, uint64_t memory_limit) {
    // LAB 5 BEGIN: the scavenger's two goals: retained heap (GOGC), mapped memory (limit)
    if (memory_limit == 0 || memory_limit >= (uint64_t)INT64_MAX) {
        heap_g.scav_limit_goal = UINT64_MAX;
        heap_g.scav_memory_limit = 0;
    } else {
        heap_g.scav_limit_goal = memory_limit / 100 * (100 - SCAV_REDUCE_EXTRA_PERCENT);
        heap_g.scav_memory_limit = memory_limit;
    }
    if (last_heap_goal == 0) {
        heap_g.scav_gc_goal = UINT64_MAX;
        return;
    }
    uint64_t goal = (uint64_t)((double)heap_g.inuse_heap * ((double)heap_goal / (double)last_heap_goal));
    goal += goal / (100 / SCAV_RETAIN_EXTRA_PERCENT);
    goal = (goal + SYS_PAGE_SIZE - 1) & ~(uint64_t)(SYS_PAGE_SIZE - 1);
    heap_g.scav_gc_goal = goal;
    // LAB 5 STUB
    // // Stub: no goal, so the background scavenger never releases anything.
    // (void)heap_goal;
    // (void)last_heap_goal;
    // (void)memory_limit;
    // heap_g.scav_gc_goal = UINT64_MAX;
    // heap_g.scav_limit_goal = UINT64_MAX;
    // heap_g.scav_memory_limit = 0;
    // LAB 5 END
}

// See heap_internal.h.
uint64_t stats_mapped_ready(void) {
    return heap_g.grown - heap_g.released + heap_g.mspan_sys + heap_g.gc_sys + heap_g.other_sys +
           sizeof(mcache_t);
}

// See heap_internal.h (mheap.go allocSpan, Go 1.19): with a memory limit, release
// what the heap now has ready beyond it; after a growth, release down to the
// retained-heap goal, at most the growth.
void scav_assist(uint64_t growth, uint64_t retained_before) {
    uint64_t todo = 0;
    if (heap_g.scav_memory_limit) {
        uint64_t ready = stats_mapped_ready();
        if (ready > heap_g.scav_memory_limit)
            todo = ready - heap_g.scav_memory_limit;
    }
    if (heap_g.scav_gc_goal != UINT64_MAX && growth > 0) {
        uint64_t retained = retained_before + growth; // the growth is about to be used
        if (retained > heap_g.scav_gc_goal) {
            uint64_t t = retained - heap_g.scav_gc_goal;
            if (t > growth)
                t = growth;
            if (t > todo)
                todo = t;
        }
    }
    if (todo)
        heap_g.scav_assist_bytes += pages_scavenge(todo, sys_default_release_mode());
}

// Bytes over the tighter of the two goals (0 when under both).
static uint64_t scav_excess(void) {
    uint64_t retained = heap_retained(), over = 0;
    if (retained > heap_g.scav_gc_goal)
        over = retained - heap_g.scav_gc_goal;
    if (heap_g.scav_limit_goal != UINT64_MAX) {
        uint64_t mapped = stats_mapped_ready();
        if (mapped > heap_g.scav_limit_goal && mapped - heap_g.scav_limit_goal > over)
            over = mapped - heap_g.scav_limit_goal;
    }
    return over;
}

// See heap.h.
void heap_scavenge_tick(uint64_t now_ns) {
    if (!heap_hot.ready)
        return;
    bool alloc_paced = scav_pace == HEAP_SCAV_PACE_ALLOC;
    if (alloc_paced)
        now_ns = scav_alloc_clock();
    if (heap_g.scav_last_ns == 0 || now_ns < heap_g.scav_last_ns) {
        heap_g.scav_last_ns = now_ns;
        return;
    }
    if (now_ns - heap_g.scav_last_ns < SCAV_MIN_INTERVAL_NS)
        return; // cheap at every scheduling point: look at most once a millisecond
    uint64_t over = scav_excess();
    if (over == 0) {
        heap_g.scav_last_ns = now_ns;
        return;
    }
    uint64_t cost = heap_g.scav_ns_per_page && !alloc_paced ? heap_g.scav_ns_per_page : SCAV_PAGE_COST_NS;
    uint64_t budget_ns = (now_ns - heap_g.scav_last_ns) * SCAV_UTIL_PERCENT / 100;
    uint64_t pages = budget_ns / cost;
    if (pages == 0)
        return; // let the budget accumulate
    uint64_t want = (over + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE;
    if (pages > want)
        pages = want;
    uint64_t t0 = sys_nanotime();
    size_t got = heap_scavenge(pages * HEAP_PAGE_SIZE) / HEAP_PAGE_SIZE;
    uint64_t dt = sys_nanotime() - t0;
    if (got && !alloc_paced)
        heap_g.scav_ns_per_page = (heap_g.scav_ns_per_page * 3 + dt / got + 3) / 4;
    heap_g.scav_last_ns = now_ns;
}
