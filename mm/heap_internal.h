// heap_internal: the mheap's private structures, shared by the mm/ heap files
// (arena.c, pagealloc.c, span.c, mcentral.c, mcache.c, malloc.c, sweep.c,
// scavenge.c, mstats.c, stack.c, heapdump.c). Not for rt/: use mm/heap.h.
#ifndef SPANLAB_HEAP_INTERNAL_H
#define SPANLAB_HEAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/heap.h"
#include "sys/sys.h"

#define HEAP_CHUNK_BYTES ((size_t)HEAP_CHUNK_PAGES * HEAP_PAGE_SIZE) // 4 MiB
#define HEAP_CHUNKS_PER_ARENA (HEAP_ARENA_BYTES / HEAP_CHUNK_BYTES)   // 16
#define HEAP_CHUNK_WORDS (HEAP_CHUNK_PAGES / 64)                      // 8

#define heap_check(cond, ...)          \
    do {                               \
        if (__builtin_expect(!(cond), 0)) \
            sys_panic(__VA_ARGS__);    \
    } while (0)

// ---- metadata (meta.c): Go's persistentalloc ------------------------------

// Zeroed, never-freed metadata of bytes (align a power of two <= 4096); *stat
// (MSpanSys, GCSys or OtherSys) grows by bytes. Panics when sys is out of space.
void *meta_alloc(size_t bytes, size_t align, uint64_t *stat);
// Returns every metadata block to sys (heap_destroy).
void meta_release_all(void);

// ---- page allocator (pagealloc.c): Go's pageAlloc --------------------------

// One 4 MiB chunk: 512 pages. alloc bit set = page in use (or chunk not grown);
// scav bit set = free page counted as released (HeapReleased); uncommitted bit
// set = free page not committed in sys (released by the scavenger). Fresh grown
// pages are scav but committed, as Go's sysMap'd-but-unused memory on Linux.
typedef struct chunk {
    uint64_t alloc[HEAP_CHUNK_WORDS];
    uint64_t scav[HEAP_CHUNK_WORDS];
    uint64_t uncommitted[HEAP_CHUNK_WORDS];
    uint16_t start, max, end; // free-run summary: leading, longest, trailing free pages
    uint16_t nfree;           // free pages
} chunk_t;

// A reservation of narenas contiguous arenas. Chunks [0, ngrown) belong to the
// page allocator; the rest is address space not yet grown into (not in HeapSys).
typedef struct heap_region {
    uintptr_t base;
    size_t bytes;
    size_t nchunks, ngrown;
    size_t search;         // lowest chunk index that may have free pages
    uintptr_t zeroedbase;  // pages at or above it were never allocated (Go's zeroedBase)
    uint64_t *heapbits;    // pointer bitmap of the whole region
    size_t heapbits_bytes;
    chunk_t *chunks;
    heap_arena_t **arenas; // narenas entries
    struct heap_region *next; // address order
} heap_region_t;

// A run of pages the page allocator handed out.
typedef struct pages_run {
    uintptr_t base;
    heap_region_t *region;
    bool needzero; // some page may be dirty
} pages_run_t;

// Allocates the lowest-addressed run of npages free pages, committing any that
// the scavenger released, growing the heap when needed. Returns false when the
// heap cannot grow.
bool pages_alloc(size_t npages, pages_run_t *out);
// Frees [base, base + npages pages), which must be allocated.
void pages_free(uintptr_t base, size_t npages);
// Releases up to bytes of free unreleased pages, highest first. Returns bytes.
size_t pages_scavenge(size_t bytes, sys_release_mode_t mode);
// Go's allocSpan scavenging assist: after a span allocation that grew the heap by
// growth bytes (retained_before: heap_retained() before it), releases what the
// memory limit or the retained-heap goal demands.
void scav_assist(uint64_t growth, uint64_t retained_before);
// Retained heap bytes (Go's heapRetained): grown, not released, not stacks.
uint64_t heap_retained(void);
// Memory the heap has mapped and ready (Go's mappedReady): everything obtained
// from sys minus released pages.
uint64_t stats_mapped_ready(void);
// Lowers the region search hint to r, which just gained free pages.
void pages_note_free_region(heap_region_t *r);
// Checks every chunk's summary against its bitmaps; panics on a mismatch.
void pages_verify(void);
// The region holding addr, or NULL.
heap_region_t *region_of(uintptr_t addr);
// Grows the page allocator by at least npages (a new region or the next chunks of
// one). Returns false when address space is exhausted.
bool arena_grow(size_t npages);
// Free pages at the end of r's grown part (the run a growth of r extends).
size_t pages_free_tail(const heap_region_t *r);
// Recomputes a chunk's summary from its alloc bitmap.
void chunk_summarize(chunk_t *c);

// ---- spans (span.c) --------------------------------------------------------

// A fresh span struct with bitmaps for at least nelems slots (zeroed bits).
span_t *span_struct_alloc(uint32_t nelems);
void span_struct_free(span_t *s);
// Allocates npages pages as a span of state (objects or stack), records it in the
// arena's spans[] map. Returns NULL when the heap cannot grow.
span_t *span_alloc_pages(size_t npages, span_state_t state, bool *needzero);
// Returns an empty span's pages to the page allocator and its struct to the pool.
void span_free_pages(span_t *s);
// Initialises s for span class spc (small) or as a large span: elemsize, nelems,
// divmul, bits, freeindex.
void span_init_class(span_t *s, spanclass_t spc);
// Go's nextFreeIndex: the next free slot at or above freeindex (nelems when full),
// advancing freeindex past it and refilling the alloc cache.
uint32_t span_next_free_index(span_t *s);
// The alloc cache at slot fi: ~allocbits from fi to the end of its 64-slot word,
// bit 0 = slot fi, no bit at or past nelems.
uint64_t span_cache_at(const span_t *s, uint32_t fi);
// Reloads alloccache from allocbits at freeindex.
void span_refill_cache(span_t *s);
// The first free slot by allocbits (nelems when full): every slot below it is
// allocated, so a swept span's freeindex can start there.
uint32_t span_first_free(const span_t *s);
// Words of one bitmap for nelems slots.
static inline uint32_t span_bitwords(uint32_t nelems) { return (nelems + 63) / 64; }

// ---- size classes (sizeclass.c, tables generated by tools/mksizeclasses.c) ----

extern const uint16_t heap_sc_class_to_size[HEAP_NUM_SIZE_CLASSES];
extern const uint8_t heap_sc_class_to_npages[HEAP_NUM_SIZE_CLASSES];
extern const uint32_t heap_sc_class_to_divmul[HEAP_NUM_SIZE_CLASSES];
extern const uint8_t heap_sc_size_to_class128[];

static inline int heap_sc_size_class(size_t size) {
    if (size <= 1024 - 8)
        return heap_sc_size_to_class8[(size + 7) >> 3];
    return heap_sc_size_to_class128[(size - 1024 + 127) >> 7];
}

// ---- mcentral and mcache -----------------------------------------------------

typedef struct span_list {
    span_t *head;
    size_t n;
} span_list_t;

// Go's mcentral: partial[i] / full[i], i = sweepgen/2 % 2 holds swept spans of this
// generation, the other set holds spans still to sweep.
typedef struct mcentral {
    span_list_t partial[2];
    span_list_t full[2];
} mcentral_t;

// The mcache: its spans are heap_mcache_spans (mm/malloc_inline.h), outside this
// struct so that the inline fast path reaches them.
typedef struct mcache {
    uintptr_t tiny;
    size_t tinyoffset;
    uint64_t tiny_allocs;
} mcache_t;

// List ids stored in span->list: 0 none, else 1 + (full ? 2 : 0) + set.
void mcentral_push(span_t *s, bool full, int set);
void mcentral_remove(span_t *s);
// Swept/unswept set indices for the current sweepgen.
int mcentral_swept_set(void);
int mcentral_unswept_set(void);
// Go's cacheSpan: a span of class spc with a free slot (swept), or NULL on OOM.
span_t *mcentral_cache_span(spanclass_t spc);
// Go's uncacheSpan: s leaves the mcache: stats folded, back to a swept list.
void mcentral_uncache_span(span_t *s);
// Replaces the mcache's span of class spc with one that has a free slot. Returns
// false on OOM.
bool mcache_refill(spanclass_t spc);
// Returns every cached span to mcentral and drops the tiny block.
void mcache_release_all(void);

// ---- sweeping (sweep.c) ------------------------------------------------------

// Sweeps s (which needs it): frees unmarked objects, swaps bits. Returns true
// when the span was freed to the page allocator (empty). Unlinks nothing: the
// caller owns the list membership.
bool sweep_span(span_t *s);

// ---- the heap's global state ---------------------------------------------------

typedef struct heap_state {
    bool ready;
    heap_region_t *regions;
    heap_region_t *search_region; // lowest region that may have free pages (NULL: head)
    uint32_t sweepgen;
    size_t unswept;     // object spans still to sweep this cycle
    int sweep_cursor;   // span class the sweeper looks at next
    uint64_t live;      // heapLive
    void (*free_hook)(void *obj, size_t size);
    mcentral_t central[HEAP_NUM_SPAN_CLASSES];
    mcache_t cache;

    // Statistics (bytes unless noted). Exact: see mstats.c for the identities.
    uint64_t nmalloc[HEAP_NUM_SIZE_CLASSES]; // objects (class 0 = large) — flushed
    uint64_t nfree[HEAP_NUM_SIZE_CLASSES];
    uint64_t large_alloc_bytes, large_free_bytes;
    uint64_t grown;           // bytes handed to the page allocator
    uint64_t released;        // free bytes counted as released (scav)
    uint64_t inuse_heap;      // bytes in SPAN_INUSE spans
    uint64_t inuse_stack;     // bytes in SPAN_STACK spans
    uint64_t reserved;        // arena address space reserved
    uint64_t mspan_sys, gc_sys, other_sys;
    uint64_t nspans_inuse;    // span structs in use
    uint64_t nspans_object;   // SPAN_INUSE spans

    // Scavenger pacing.
    uint64_t scav_gc_goal;    // retained-heap goal (UINT64_MAX = none)
    uint64_t scav_limit_goal; // committed goal under the memory limit (UINT64_MAX = none)
    uint64_t scav_memory_limit; // the limit itself (0 = none), for allocation assists
    uint64_t scav_assist_bytes; // released by allocation-time assists (Go's allocSpan)
    uint64_t scav_last_ns;
    uint64_t scav_ns_per_page; // measured release cost
    uint64_t scav_released_total;

    // Span struct and bitmap pools (span.c).
    span_t *free_spans;
    uint64_t *free_bits[8]; // free bit blocks of 2 << k words (alloc + mark)
} heap_state_t;

extern heap_state_t heap_g;

// Folds the cached spans' allocation counts into per-class totals (for stats):
// *mallocs per class delta, exact without flushing.
void stats_cached_deltas(uint64_t delta[HEAP_NUM_SIZE_CLASSES]);

#endif
