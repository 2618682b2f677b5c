// heap: spanlab's mheap — arenas, page allocator, spans, size classes, mcache,
// sweeping, goroutine stacks, scavenger. The public API the GC (rt/gc*), the
// scheduler (stacks) and rt/alloc.c use. Modelled on Go's runtime/malloc.go,
// mheap.go, mpagealloc.go, mcentral.go, mcache.go (Go 1.19); our own C.
//
// Layout. The heap lives in arenas of 64 MiB (Go's heapArenaBytes on linux/amd64),
// reserved from sys (sys_reserve) and handed to the page allocator 4 MiB at a time
// (a "chunk", Go's pallocChunkBytes). Pages are 8 KiB (Go's _PageSize). A span is a
// run of pages that either holds objects of one span class (size class x
// {scan, noscan}), one large object (> 32 KiB, size class 0), or a goroutine stack.
//
// Address -> span in O(1): a two-level arena index (addr >> 26) gives the arena,
// whose spans[] array has one entry per 8 KiB page (every page of an in-use span
// points to it). Object index in a span: ((p - base) * divmul) >> 32, Go's divMagic.
//
// Pointer bitmaps: one bit per 8-byte heap word, per arena (Go's heap bitmap, one
// bit instead of Go 1.19's two: no "more pointers" bit). Bit set = the word is a
// pointer slot. Only scan spans' bits are meaningful; they are rewritten for every
// scan object at allocation (the whole object: pointer bits from t->ptrmask,
// repeated for arrays, zero elsewhere). span->heapbits points at the span's first
// bitmap word (span bases are 8 KiB aligned, so that is word aligned).
//
// Allocation and mark bits are per span, as Go: allocbits + freeindex say which
// objects are allocated (every index < freeindex is allocated; at or above it,
// allocbits says), markbits are set by the GC. Sweeping swaps them (the mark bits
// become the new alloc bits, freeindex = the first free slot) and clears the new
// mark bits.
//
// Sweep generations (Go's mspan.sweepgen, simplified for one P): heap_sweepgen
// grows by 2 at each heap_sweep_begin(). A span with sweepgen == heap_sweepgen - 2
// needs sweeping; == heap_sweepgen is swept. Spans are always swept before they
// are allocated from again. The mcache is flushed by heap_sweep_begin().
//
// Not thread-safe: spanlab has one P. Every function here must be called from the
// runtime's single thread (hosted: the thread that called heap_init).
#ifndef SPANLAB_HEAP_H
#define SPANLAB_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/gotype.h"
#include "mm/mstats.h"
#include "sys/sys.h"

// ---- constants (Go's malloc.go / sizeclasses.go, linux/amd64) -------------

#define HEAP_PAGE_SHIFT 13
#define HEAP_PAGE_SIZE ((size_t)1 << HEAP_PAGE_SHIFT) // _PageSize
#define HEAP_ARENA_SHIFT 26
#define HEAP_ARENA_BYTES ((size_t)1 << HEAP_ARENA_SHIFT) // heapArenaBytes
#define HEAP_CHUNK_PAGES 512                              // pallocChunkPages (4 MiB)
#define HEAP_MAX_SMALL_SIZE 32768                         // _MaxSmallSize
#define HEAP_TINY_SIZE 16                                 // maxTinySize
#define HEAP_NUM_SIZE_CLASSES 68                          // _NumSizeClasses
#define HEAP_NUM_SPAN_CLASSES (HEAP_NUM_SIZE_CLASSES * 2)
#define HEAP_STACK_GUARD 4096 // bytes left unmapped at the bottom of every stack

// ---- spans ----------------------------------------------------------------

typedef enum span_state {
    SPAN_DEAD = 0, // not in use (free pages, or a recycled span struct)
    SPAN_INUSE,    // holds heap objects (small or one large)
    SPAN_STACK,    // a goroutine stack (Go's mSpanManual), not in HeapInuse
} span_state_t;

// span class = size class << 1 | noscan (Go's spanClass).
typedef uint8_t spanclass_t;
static inline spanclass_t spanclass_make(int sizeclass, bool noscan) {
    return (spanclass_t)((sizeclass << 1) | (noscan ? 1 : 0));
}
static inline int spanclass_sizeclass(spanclass_t sc) { return sc >> 1; }
static inline bool spanclass_noscan(spanclass_t sc) { return sc & 1; }

typedef struct span span_t;
struct span {
    // Allocation state (the fast path, mm/malloc_inline.h: Go's nextFreeFast). It
    // comes first so that everything the fast path touches (these, base, elemsize,
    // needzero, heapbits) is in the span's first cache line.
    uint64_t alloccache; // ~allocbits from freeindex (bit 0 = slot freeindex free),
                         // only slots below nelems; 0 when empty, which may also
                         // mean freeindex reached a 64-slot boundary (reload then)
    uint32_t freeindex;  // slots below are allocated
    uint32_t alloccount; // allocated slots

    // Fields the GC reads.
    uintptr_t base;     // address of the first object (= first page)
    size_t elemsize;    // bytes per object (large: the whole span)
    uint64_t *heapbits; // this span's first pointer-bitmap word (per-arena bitmap)
    uint32_t nelems;    // object slots (large and stack: 1)
    uint32_t divmul;    // ~0u / elemsize + 1 for small classes (Go's divMul)
    spanclass_t spanclass;
    uint8_t state;      // span_state_t
    uint8_t needzero;   // memory may be dirty: zero on allocation. 0: every free slot
                        // is zero and so are its pointer-bitmap bits (heap_verify)
    uint8_t incache;    // currently the mcache's span for its class
    uint32_t sweepgen;  // see the sweep-generation note at the top
    size_t npages;      // length in 8 KiB pages
    uint64_t *allocbits;
    uint64_t *markbits;

    uint32_t cache_alloccount; // alloccount when it entered the mcache (stats)
    uint32_t bitwords;         // capacity of allocbits/markbits, in words

    // Bookkeeping.
    span_t *next, *prev; // mcentral list or free-struct list
    uint8_t list;        // which mcentral list holds it (internal)
    size_t ptrbytes;     // large scan objects: bytes from base that may hold pointers
};

// Returns the in-use (object or stack) span holding p, or NULL when p is not in
// any in-use span. O(1): arena index, then spans[page].
span_t *heap_span_of_any(const void *p);

// Returns the object span (state SPAN_INUSE) holding p, or NULL (not in the heap,
// in a free page, in a stack span). O(1).
static inline span_t *heap_span_of(const void *p);

// The slot holding the byte at offset off of s's object area (off below nelems *
// elemsize): Go's divMagic multiply, exact there (a large object's span has divmul
// 0: slot 0).
static inline size_t span_slot_at(const span_t *s, uintptr_t off) {
    return (size_t)(((uint64_t)off * s->divmul) >> 32);
}

// The base of the object slot holding p (any interior pointer), and its index
// through *index (may be NULL). Returns NULL when p lies in the span's tail waste
// past the last slot. Does not check that the slot is allocated.
static inline void *span_object_of(span_t *s, const void *p, size_t *index) {
    uintptr_t off = (uintptr_t)p - s->base;
    size_t i = s->nelems == 1 ? 0 : span_slot_at(s, off);
    if (i >= s->nelems)
        return NULL;
    if (index)
        *index = i;
    return (void *)(s->base + i * s->elemsize);
}

// True when slot index of s holds an allocated object (as of the last sweep plus
// allocations since). For a span still waiting to be swept this counts garbage
// the sweeper has not freed yet, as Go's isFree does.
static inline bool span_is_allocated(const span_t *s, size_t index) {
    if (index < s->freeindex)
        return true;
    return (s->allocbits[index >> 6] >> (index & 63)) & 1;
}

// Sets the mark bit of slot index; returns whether it was already set.
static inline bool span_mark(span_t *s, size_t index) {
    uint64_t bit = (uint64_t)1 << (index & 63);
    uint64_t *w = &s->markbits[index >> 6];
    bool was = (*w & bit) != 0;
    *w |= bit;
    return was;
}

// Whether slot index is marked.
static inline bool span_is_marked(const span_t *s, size_t index) {
    return (s->markbits[index >> 6] >> (index & 63)) & 1;
}

// Pointer bitmap: whether word w (8-byte word w from obj) of the object at obj in
// span s is a pointer slot. obj must be an object base in s (a scan span).
static inline bool heap_is_ptr_slot(const span_t *s, const void *obj, size_t w) {
    size_t bit = (((uintptr_t)obj - s->base) >> 3) + w;
    return (s->heapbits[bit >> 6] >> (bit & 63)) & 1;
}

// The 64 pointer bits of words [w0, w0+64) of the span starting at bit index w0
// counted from the span base (w0 a multiple of 64): fast scanning of whole words.
static inline uint64_t heap_ptrbits_word(const span_t *s, size_t w0) {
    return s->heapbits[w0 >> 6];
}

// Bytes of the object at the start of s that the GC must scan: elemsize for small
// scan spans, the pointer-holding prefix for a large scan object, 0 for noscan.
static inline size_t span_scan_bytes(const span_t *s) {
    if (spanclass_noscan(s->spanclass))
        return 0;
    return s->nelems == 1 && spanclass_sizeclass(s->spanclass) == 0 ? s->ptrbytes : s->elemsize;
}

// ---- lifetime -------------------------------------------------------------

// Sets up an empty heap (no arena is reserved until the first allocation).
// Panics if called twice without heap_destroy().
void heap_init(void);

// Releases everything: arenas, metadata, stacks (sys_unreserve). Every pointer
// into the heap dies. Afterwards heap_init() may be called again.
void heap_destroy(void);

// True between heap_init and heap_destroy (inline, heap_inline.h).
static inline bool heap_ready(void);

// ---- allocation -----------------------------------------------------------

// mallocgc's allocation part: size bytes typed by t (t NULL or t->ptrdata == 0:
// noscan). Noscan sizes < 16 B use the tiny allocator; sizes up to 32 KiB a size
// class through the mcache; larger ones a dedicated span. Scan objects get their
// pointer bitmap written. Zeroed when needzero and the memory may be dirty (fresh
// pages from the OS are already zero). size 0 returns a fixed non-NULL address
// (Go's zerobase). Returns NULL only when the heap cannot grow (OOM: the caller
// reports it).
void *heap_malloc(size_t size, const gotype_t *t, bool needzero);

// Explicit free for tests and benchmarks: frees the whole slot holding p (for a
// tiny allocation that is the whole 16-byte block and everything in it). Panics
// when p is not an allocated heap object.
void heap_free(void *p);

// Size classes (generated from Go's algorithm, sizeclasses.go).
// The size class for a small size (1..32768), 0 for larger sizes.
int heap_size_to_class(size_t size);
// Object bytes of size class c (0 for class 0).
size_t heap_class_to_size(int c);
// Span pages of size class c.
size_t heap_class_to_npages(int c);
// Go's roundupsize: the bytes an allocation of size really gets (small: its
// class size; large: rounded up to pages).
size_t heap_roundupsize(size_t size);
// The usable bytes of the allocation at p (its slot size), 0 when p is not an
// allocated heap object.
size_t heap_usable_size(const void *p);

// ---- GC interface: sweeping ------------------------------------------------

// Current sweep generation (grows by 2 per heap_sweep_begin).
uint32_t heap_sweepgen(void);

// Called by the GC at the end of mark (world stopped): flushes the mcache and
// makes every in-use span "needs sweep" against the mark bits just computed.
// Panics if the previous cycle's sweep is not finished (call heap_sweep_all
// before marking, as Go's finishsweep_m).
void heap_sweep_begin(void);

// Sweeps one span that needs it; returns false when none is left.
bool heap_sweep_one(void);

// Sweeps every span that needs it.
void heap_sweep_all(void);

// Whether every span is swept.
bool heap_sweep_done(void);

// Called for every object the sweeper (or heap_free) frees, before its memory is
// reused, with its slot size: the profiler and gcpoison use it. NULL = none.
void heap_set_free_hook(void (*fn)(void *obj, size_t size));

// heapLive for the pacer: bytes of marked objects plus bytes allocated since
// (counted per span at mcache refill, as Go's heapLive). Inline (heap_inline.h).
static inline uint64_t heap_live(void);

// Sets heapLive at mark termination to the bytes the GC marked (Go's resetLive).
void heap_set_live(uint64_t marked_bytes);

// Calls fn for every allocated object (and, marked, whether its mark bit is set),
// span by span in address order. fn must not allocate or free.
void heap_for_each_object(void (*fn)(void *obj, size_t size, bool marked, const span_t *s,
                                     void *ctx),
                          void *ctx);

// Calls fn for every in-use span (objects and stacks) in address order.
void heap_for_each_span(void (*fn)(const span_t *s, void *ctx), void *ctx);

// Returns the mcache's spans to mcentral (empty ones to the page allocator) and
// drops the tiny block, as a GC cycle does; for tests and before a full scavenge.
void heap_flush_mcache(void);

// Clears every in-use object span's mark bits (for a GC that starts without a
// preceding sweep, e.g. tests). Normally sweeping leaves them clear.
void heap_clear_marks(void);

// ---- goroutine stacks -----------------------------------------------------

// Allocates a stack with at least bytes usable, from a stack span whose lowest
// 4 KiB page is left released (reserved, unmapped) as a guard page: an overflow
// faults. Returns the top (highest address, 16-byte aligned, exclusive) and the
// lowest usable address through *lo_out. Accounted in StackInuse/StackSys.
// Returns NULL when the heap cannot grow.
void *heap_stack_alloc(size_t bytes, void **lo_out);

// Frees the stack whose lowest usable address is lo (as returned in *lo_out).
// Panics when lo is not such an address.
void heap_stack_free(void *lo);

// A human description of what addr is in the heap ("goroutine stack guard page
// of stack [lo,hi)", "heap object of size class N ...", "free heap page"), or
// NULL when addr is not in the heap. Usable as a sys_fault_explainer_t. The
// string lives in a static buffer until the next call.
const char *heap_describe_addr(uintptr_t addr);

// ---- statistics -----------------------------------------------------------

// Fills *out with MemStats as Go's runtime.ReadMemStats (exact, including the
// mcache's unflushed counts). GC fields come from stats_gc (mm/mstats.h).
void heap_read_memstats(struct memstats *out);

// The same without the page-layer fields (CommittedPages, ResidentPages,
// LazyFreePages stay 0): no residency query (mincore hosted), O(size classes).
// For the pacer and anything called per GC cycle.
void heap_read_memstats_nopages(struct memstats *out);

// The runtime/metrics view of the same numbers (Go 1.19 runtime/metrics names:
// /memory/classes/..., /gc/heap/..., /gc/cycles/...): fills up to max samples
// and returns how many exist (HEAP_NUM_METRICS). The /memory/classes/ values sum
// to /memory/classes/total:bytes, as Go documents.
size_t heap_read_metrics(heap_metric_t *out, size_t max);

// Prints every metric, one "name value" line each, as Go's metrics.All() listing.
void heap_print_metrics(void);

// Page-layer counts (sys_count) over every heap arena (object and stack spans,
// free pages, released pages: the whole reserved range).
void heap_page_counts(sys_page_counts_t *out);

// The reserved arena ranges, in address order: fills up to max (base, bytes)
// pairs and returns how many exist (for residency maps).
size_t heap_arena_ranges(uintptr_t *bases, size_t *bytes, size_t max);

// Prints the human heap dump (MemStats, per-class span use, page counts);
// verbose > 0 adds one line per arena chunk.
void heap_dump(int verbose);

// Prints the machine line "MEMSTATS key=value ..." (integers, one line).
void heap_print_memstats_line(void);

// Checks every heap invariant (stat identities, span lists, page-allocator
// summaries against bitmaps); panics with a message on the first violation.
void heap_verify(void);

// The randomized self-test behind selftest=heap: sets up a private heap, runs
// 20000 checked operations, tears it down. Returns true when every check held
// (skips, returning true, when the heap is already in use).
bool heap_selftest(void);

// ---- scavenger (mgcscavenge.go) ---------------------------------------------

// Releases up to bytes (SIZE_MAX = all) of free, unreleased heap pages to the page
// layer now, highest addresses first, without a GC, in sys_default_release_mode().
// Returns the bytes released.
size_t heap_scavenge(size_t bytes);

// The same in an explicit release mode, whatever madv= says (scenario 13 shows
// both modes in one run).
size_t heap_scavenge_mode(size_t bytes, sys_release_mode_t mode);

// Sets the background scavenger's goals after a GC cycle (Go's gcPaceScavenger):
// retain HeapInuse(now) * heap_goal/last_heap_goal * 1.1 (retainExtraPercent);
// with a memory limit, keep committed memory under 95% of it. last_heap_goal 0
// (first cycle) disables the GOGC-based goal; memory_limit 0 or INT64_MAX: none.
void heap_scavenge_set_goals(uint64_t heap_goal, uint64_t last_heap_goal,
                             uint64_t memory_limit);

// A paced background step the runtime calls at scheduling points (and the heap
// itself at every mcache refill once a goal is set): releases free pages toward
// the goals above at ~1% of CPU time (Go's scavenger utilization). Cheap to call
// often: it looks at the goals at most once a millisecond.
void heap_scavenge_tick(uint64_t now_ns);

// The clock that paces heap_scavenge_tick: the wall clock its callers pass (the
// default), or the allocation clock (bytes allocated, a nanosecond each, at a fixed
// cost per page), which makes what it releases a function of the program alone.
typedef enum { HEAP_SCAV_PACE_WALL, HEAP_SCAV_PACE_ALLOC } heap_scav_pace_t;
void heap_scavenge_pace(heap_scav_pace_t pace);

#include "mm/heap_inline.h"
#include "mm/malloc_inline.h"

#endif
