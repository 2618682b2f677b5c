// span: span structs and their alloc/mark bitmaps, taking page runs from the page
// allocator and entering them in the arenas' page -> span maps (Go's mspan,
// mheap.allocSpan/freeSpan). Span structs and bit blocks are pooled, never freed.
#include <string.h>
#include "mm/heap_internal.h"

// The mcache's placeholder for "no span": full, so the fast path always misses.
span_t heap_empty_span = {.nelems = 0, .freeindex = 0, .alloccache = 0};

// Pool index of a bitmap capacity of words (1, 2, 4, 8, 16 ...): log2.
static int bits_pool(uint32_t words) { return __builtin_ctz(words); }

// Gives s bitmaps for at least nelems slots, both zeroed.
static void span_ensure_bits(span_t *s, uint32_t nelems) {
    uint32_t w = span_bitwords(nelems ? nelems : 1);
    if (s->bitwords < w) {
        if (s->bitwords) { // return the old block to its pool
            uint64_t *old = s->allocbits < s->markbits ? s->allocbits : s->markbits;
            *(uint64_t **)old = heap_g.free_bits[bits_pool(s->bitwords)];
            heap_g.free_bits[bits_pool(s->bitwords)] = old;
        }
        uint32_t cap = 1;
        while (cap < w)
            cap <<= 1;
        int k = bits_pool(cap);
        uint64_t *blk = heap_g.free_bits[k];
        if (blk)
            heap_g.free_bits[k] = *(uint64_t **)blk;
        else
            blk = meta_alloc(2 * cap * sizeof(uint64_t), 64, &heap_g.gc_sys);
        s->allocbits = blk;
        s->markbits = blk + cap;
        s->bitwords = cap;
    }
    memset(s->allocbits, 0, s->bitwords * sizeof(uint64_t));
    memset(s->markbits, 0, s->bitwords * sizeof(uint64_t));
}

// A recycled or new span struct with bits for nelems slots.
span_t *span_struct_alloc(uint32_t nelems) {
    span_t *s = heap_g.free_spans;
    if (s) {
        heap_g.free_spans = s->next;
        uint64_t *a = s->allocbits, *m = s->markbits;
        uint32_t bw = s->bitwords;
        memset(s, 0, sizeof *s);
        s->allocbits = a;
        s->markbits = m;
        s->bitwords = bw;
    } else {
        s = meta_alloc(sizeof *s, 64, &heap_g.mspan_sys);
    }
    span_ensure_bits(s, nelems);
    heap_g.nspans_inuse++;
    return s;
}

// Puts s back in the struct pool (keeping its bit block).
void span_struct_free(span_t *s) {
    s->state = SPAN_DEAD;
    s->next = heap_g.free_spans;
    heap_g.free_spans = s;
    heap_g.nspans_inuse--;
}

// Points every page of [base, base+npages) at s (NULL to clear).
static void span_map_pages(heap_region_t *r, uintptr_t base, size_t npages, span_t *s) {
    for (size_t i = 0; i < npages; i++) {
        uintptr_t a = base + i * HEAP_PAGE_SIZE;
        heap_arena_t *ar = r->arenas[(a - r->base) >> HEAP_ARENA_SHIFT];
        ar->spans[(a - ar->base) >> HEAP_PAGE_SHIFT] = s;
    }
}

// See heap_internal.h.
span_t *span_alloc_pages(size_t npages, span_state_t state, bool *needzero) {
    heap_check(heap_hot.ready, "heap: allocation before heap_init (or after heap_destroy)");
    pages_run_t run;
    if (!pages_alloc(npages, &run))
        return NULL;
    span_t *s = span_struct_alloc(1);
    s->base = run.base;
    s->npages = npages;
    s->state = (uint8_t)state;
    s->needzero = run.needzero;
    s->sweepgen = heap_g.sweepgen;
    s->heapbits = run.region->heapbits + (run.base - run.region->base) / (8 * 64);
    span_map_pages(run.region, run.base, npages, s);
    if (state == SPAN_STACK) {
        heap_g.inuse_stack += npages * HEAP_PAGE_SIZE;
    } else {
        heap_g.inuse_heap += npages * HEAP_PAGE_SIZE;
        heap_g.nspans_object++;
    }
    if (needzero)
        *needzero = run.needzero;
    return s;
}

// See heap_internal.h.
void span_free_pages(span_t *s) {
    heap_region_t *r = region_of(s->base);
    heap_check(r != NULL && s->state != SPAN_DEAD, "span_free_pages: bad span %p", (void *)s->base);
    span_map_pages(r, s->base, s->npages, NULL);
    if (s->state == SPAN_STACK) {
        heap_g.inuse_stack -= s->npages * HEAP_PAGE_SIZE;
    } else {
        heap_g.inuse_heap -= s->npages * HEAP_PAGE_SIZE;
        heap_g.nspans_object--;
    }
    pages_free(s->base, s->npages);
    span_struct_free(s);
}

// See heap_internal.h.
void span_init_class(span_t *s, spanclass_t spc) {
    int c = spanclass_sizeclass(spc);
    s->spanclass = spc;
    if (c == 0) {
        s->elemsize = s->npages * HEAP_PAGE_SIZE;
        s->nelems = 1;
        s->divmul = 0;
    } else {
        s->elemsize = heap_sc_class_to_size[c];
        s->nelems = (uint32_t)(s->npages * HEAP_PAGE_SIZE / s->elemsize);
        s->divmul = heap_sc_class_to_divmul[c];
    }
    span_ensure_bits(s, s->nelems);
    s->freeindex = 0;
    s->alloccount = 0;
    span_refill_cache(s);
}

// See heap_internal.h.
uint64_t span_cache_at(const span_t *s, uint32_t fi) {
    if (fi >= s->nelems)
        return 0;
    uint64_t c = ~s->allocbits[fi >> 6] >> (fi & 63);
    uint32_t left = s->nelems - fi;
    return left < 64 ? c & ((1ull << left) - 1) : c;
}

// See heap_internal.h.
void span_refill_cache(span_t *s) { s->alloccache = span_cache_at(s, s->freeindex); }

// See heap_internal.h.
uint32_t span_first_free(const span_t *s) {
    for (uint32_t fi = 0; fi < s->nelems; fi += 64) {
        uint64_t c = span_cache_at(s, fi); // the free slots of this word, none past nelems
        if (c)
            return fi + (uint32_t)__builtin_ctzll(c);
    }
    return s->nelems;
}

// See heap_internal.h (Go's nextFreeIndex).
uint32_t span_next_free_index(span_t *s) {
    uint32_t fi = s->freeindex, n = s->nelems;
    if (fi >= n)
        return n;
    uint64_t c = s->alloccache;
    if (c == 0) // the fast path stops at a 64-slot boundary: the rest of the word first
        c = span_cache_at(s, fi);
    while (c == 0) {
        fi = (fi + 64) & ~63u;
        if (fi >= n) {
            s->freeindex = n;
            s->alloccache = 0;
            return n;
        }
        c = span_cache_at(s, fi);
    }
    unsigned b = (unsigned)__builtin_ctzll(c);
    uint32_t r = fi + b;
    s->freeindex = r + 1;
    s->alloccache = (c >> 1) >> b;
    return r;
}

// See heap.h.
span_t *heap_span_of_any(const void *p) {
    heap_arena_t *a = heap_arena_of((uintptr_t)p);
    if (!a)
        return NULL;
    span_t *s = a->spans[((uintptr_t)p - a->base) >> HEAP_PAGE_SHIFT];
    return s && s->state != SPAN_DEAD ? s : NULL;
}
