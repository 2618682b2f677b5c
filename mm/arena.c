// arena: the heap's address space. Arenas are 64 MiB (Go's heapArenaBytes) reserved
// from sys in regions of one or more contiguous arenas (more only for an object too
// big for one), indexed for O(1) address -> arena lookup (heap_inline.h), and
// handed to the page allocator one 4 MiB chunk at a time as the heap grows.
//
// Growing commits the new chunks at once and counts them as released (scav) free
// pages: Go's sysMap'd memory on Linux is likewise mapped read-write but counted in
// HeapReleased until first used. Committed-but-untouched pages cost no frame.
#include <string.h>
#include "mm/heap_internal.h"

heap_arena_t **heap_arena_l1[1u << HEAP_ARENA_L1_BITS];
heap_state_t heap_g;

#define L2_ENTRIES (1u << HEAP_ARENA_L2_BITS)

// Enters a into the two-level arena index.
static void index_arena(heap_arena_t *a) {
    size_t i1 = (a->base >> (HEAP_ARENA_SHIFT + HEAP_ARENA_L2_BITS)) & ((1u << HEAP_ARENA_L1_BITS) - 1);
    size_t i2 = (a->base >> HEAP_ARENA_SHIFT) & (L2_ENTRIES - 1);
    if (!heap_arena_l1[i1])
        heap_arena_l1[i1] = meta_alloc(L2_ENTRIES * sizeof(heap_arena_t *), 64, &heap_g.other_sys);
    heap_check(heap_arena_l1[i1][i2] == NULL, "heap: arena index collision at %p", (void *)a->base);
    heap_arena_l1[i1][i2] = a;
}

// Reserves a region of narenas arenas and links it in address order. Returns
// NULL when sys has no address space left.
static heap_region_t *region_new(size_t narenas) {
    size_t bytes = narenas * HEAP_ARENA_BYTES;
    void *base = sys_reserve(bytes, HEAP_ARENA_BYTES, "heap arena");
    if (!base)
        return NULL;
    heap_region_t *r = meta_alloc(sizeof *r, 64, &heap_g.other_sys);
    r->base = (uintptr_t)base;
    r->bytes = bytes;
    r->nchunks = narenas * HEAP_CHUNKS_PER_ARENA;
    r->zeroedbase = r->base;
    r->heapbits_bytes = bytes / 64; // one bit per 8-byte word
    r->heapbits = meta_alloc(r->heapbits_bytes, 4096, &heap_g.gc_sys);
    r->chunks = meta_alloc(r->nchunks * sizeof(chunk_t), 64, &heap_g.other_sys);
    for (size_t c = 0; c < r->nchunks; c++) // not grown yet: all "in use"
        memset(r->chunks[c].alloc, 0xff, sizeof r->chunks[c].alloc);
    r->arenas = meta_alloc(narenas * sizeof(heap_arena_t *), 8, &heap_g.other_sys);
    for (size_t i = 0; i < narenas; i++) {
        heap_arena_t *a = meta_alloc(sizeof *a, 64, &heap_g.other_sys);
        a->base = r->base + i * HEAP_ARENA_BYTES;
        a->heapbits = r->heapbits + i * (HEAP_ARENA_BYTES / 64 / 8);
        a->region = r;
        r->arenas[i] = a;
        index_arena(a);
    }
    heap_g.reserved += bytes;
    heap_region_t **pp = &heap_g.regions;
    while (*pp && (*pp)->base < r->base)
        pp = &(*pp)->next;
    r->next = *pp;
    *pp = r;
    return r;
}

// Hands chunks [r->ngrown, r->ngrown + n) to the page allocator: committed, free,
// counted as released.
static void region_grow(heap_region_t *r, size_t n) {
    uintptr_t lo = r->base + r->ngrown * HEAP_CHUNK_BYTES;
    heap_check(sys_commit((void *)lo, n * HEAP_CHUNK_BYTES) == 0, "heap: cannot commit %p", (void *)lo);
    for (size_t c = r->ngrown; c < r->ngrown + n; c++) {
        chunk_t *ch = &r->chunks[c];
        memset(ch->alloc, 0, sizeof ch->alloc);
        memset(ch->scav, 0xff, sizeof ch->scav);
        memset(ch->uncommitted, 0, sizeof ch->uncommitted);
        chunk_summarize(ch);
    }
    if (r->search > r->ngrown)
        r->search = r->ngrown;
    r->ngrown += n;
    pages_note_free_region(r);
    heap_g.grown += n * HEAP_CHUNK_BYTES;
    heap_g.released += n * HEAP_CHUNK_BYTES;
}

// See heap_internal.h. Grows into the first region with room, else reserves a
// new region big enough for npages.
bool arena_grow(size_t npages) {
    size_t n = (npages + HEAP_CHUNK_PAGES - 1) / HEAP_CHUNK_PAGES;
    for (heap_region_t *r = heap_g.regions; r; r = r->next) {
        // The free pages already at the end of the grown part count toward the run
        // (Go's heap is contiguous across arenas and gets the same effect from that).
        size_t tail = pages_free_tail(r);
        size_t need = npages > tail ? (npages - tail + HEAP_CHUNK_PAGES - 1) / HEAP_CHUNK_PAGES : 0;
        if (need > 0 && r->nchunks - r->ngrown >= need) {
            region_grow(r, need);
            return true;
        }
    }
    heap_region_t *r = region_new((n + HEAP_CHUNKS_PER_ARENA - 1) / HEAP_CHUNKS_PER_ARENA);
    if (!r)
        return false;
    region_grow(r, n);
    return true;
}

// The region holding addr, or NULL.
heap_region_t *region_of(uintptr_t addr) {
    heap_arena_t *a = heap_arena_of(addr);
    return a ? a->region : NULL;
}

// Fills (base, bytes) of each region; returns how many exist.
size_t heap_arena_ranges(uintptr_t *bases, size_t *bytes, size_t max) {
    size_t n = 0;
    for (heap_region_t *r = heap_g.regions; r; r = r->next, n++) {
        if (n < max) {
            bases[n] = r->base;
            bytes[n] = r->bytes;
        }
    }
    return n;
}

// Page-layer counts over every region.
void heap_page_counts(sys_page_counts_t *out) {
    memset(out, 0, sizeof *out);
    for (heap_region_t *r = heap_g.regions; r; r = r->next)
        sys_count((void *)r->base, r->bytes, out);
}

struct heap_hot heap_hot;

// Sets up an empty heap; panics when it is already set up.
void heap_init(void) {
    heap_check(!heap_hot.ready, "heap_init: heap already initialised");
    memset(&heap_g, 0, sizeof heap_g);
    memset(heap_arena_l1, 0, sizeof heap_arena_l1);
    heap_hot.ready = true;
    heap_hot.live = 0;
    heap_g.sweepgen = 4; // so sweepgen - 2 never underflows
    heap_g.scav_gc_goal = UINT64_MAX;
    heap_g.scav_limit_goal = UINT64_MAX;
    for (int i = 0; i < HEAP_NUM_SPAN_CLASSES; i++)
        heap_mcache_spans[i] = &heap_empty_span;
}

// Returns every arena and metadata block to sys. The heap is unusable until the
// next heap_init.
void heap_destroy(void) {
    if (!heap_hot.ready)
        return;
    for (heap_region_t *r = heap_g.regions; r; r = r->next)
        sys_unreserve((void *)r->base, r->bytes);
    meta_release_all();
    heap_hot.ready = false;
    heap_hot.live = 0;
    memset(&heap_g, 0, sizeof heap_g);
    memset(heap_arena_l1, 0, sizeof heap_arena_l1);
    for (int i = 0; i < HEAP_NUM_SPAN_CLASSES; i++)
        heap_mcache_spans[i] = &heap_empty_span;
}
