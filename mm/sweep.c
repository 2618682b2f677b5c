// sweep: frees what the GC did not mark (Go's mgcsweep.go, one P). A span is swept
// once per cycle, lazily: by heap_sweep_one()/heap_sweep_all(), by mcentral before
// it reuses the span, or by the page allocator before it grows the heap.
//
// Sweeping a small span: live = mark & allocated; the mark bits become the alloc
// bits, the old alloc bits are cleared to be the next mark bits. freeindex starts
// at the first free slot (Go's sweep sets 0 and lets nextFreeIndex skip the
// allocated prefix; allocation picks the same slots either way): below freeindex a
// slot is allocated without reading its bit, which the marker checks per pointer.
// Unmarked allocated slots are freed: counted in Frees, passed to the free hook,
// and the span is marked dirty (needzero). An empty span returns to the page
// allocator. A large span is freed when its one object is unmarked.
// A mark bit on an unallocated slot (a bug in the caller) is ignored, never
// turned into an allocation.
#include <string.h>
#include "mm/heap_internal.h"

// LAB 4 BEGIN: the allocated slots of one bitmap word of a span (freeindex and allocbits)
// Allocated-slot mask of word w of s (slots below freeindex are allocated).
static uint64_t alloc_mask(const span_t *s, uint32_t w) {
    uint32_t lo = w * 64;
    uint64_t m;
    if (lo + 64 <= s->freeindex)
        m = ~0ull;
    else if (lo >= s->freeindex)
        m = s->allocbits[w];
    else
        m = s->allocbits[w] | ((1ull << (s->freeindex - lo)) - 1);
    if (lo + 64 > s->nelems)
        m &= (1ull << (s->nelems - lo)) - 1;
    return m;
}
// LAB 4 STUB
// LAB 4 END

// See heap_internal.h.
bool sweep_span(span_t *s) {
    heap_check(s->state == SPAN_INUSE && s->sweepgen == heap_g.sweepgen - 2,
               "sweep_span: span %p does not need sweeping (sweepgen %u, heap %u)",
               (void *)s->base, s->sweepgen, heap_g.sweepgen);
    heap_check(!s->incache, "sweep_span: span %p is cached", (void *)s->base);
    s->sweepgen = heap_g.sweepgen;
    heap_g.unswept--;
    // LAB 4 BEGIN: sweep one span: free the unmarked objects, marks become the alloc bits
    int c = spanclass_sizeclass(s->spanclass);
    if (c == 0) {
        if (s->markbits[0] & 1) {
            s->markbits[0] = 0;
            return false;
        }
        if (heap_g.free_hook)
            heap_g.free_hook((void *)s->base, s->elemsize);
        heap_g.nfree[0]++;
        heap_g.large_free_bytes += s->elemsize;
        span_free_pages(s);
        return true;
    }
    uint32_t nw = span_bitwords(s->nelems), live = 0, dead = 0;
    for (uint32_t w = 0; w < nw; w++) {
        uint64_t a = alloc_mask(s, w), m = s->markbits[w] & a, d = a & ~m;
        live += (uint32_t)__builtin_popcountll(m);
        dead += (uint32_t)__builtin_popcountll(d);
        s->markbits[w] = m;
        if (d && heap_g.free_hook) {
            while (d) {
                uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(d);
                heap_g.free_hook((void *)(s->base + (uintptr_t)i * s->elemsize), s->elemsize);
                d &= d - 1;
            }
        }
    }
    heap_check(live + dead == s->alloccount, "sweep_span: span %p counts %u+%u objects, alloccount %u",
               (void *)s->base, live, dead, s->alloccount);
    uint64_t *t = s->allocbits;
    s->allocbits = s->markbits;
    s->markbits = t;
    memset(s->markbits, 0, nw * sizeof(uint64_t));
    s->alloccount = live;
    s->freeindex = span_first_free(s); // past the allocated prefix: the marker's
    span_refill_cache(s);               // allocation check reads no bits below it
    heap_g.nfree[c] += dead;
    if (dead)
        s->needzero = 1;
    if (live == 0) {
        span_free_pages(s);
        return true;
    }
    return false;
    // LAB 4 STUB
    // // Stub: frees nothing; every allocated object stays and the marks are cleared.
    // memset(s->markbits, 0, span_bitwords(s->nelems) * sizeof(uint64_t));
    // return false;
    // LAB 4 END
}

uint32_t heap_sweepgen(void) { return heap_g.sweepgen; }
bool heap_sweep_done(void) { return heap_g.unswept == 0; }
void heap_set_free_hook(void (*fn)(void *obj, size_t size)) { heap_g.free_hook = fn; }

// See heap.h.
void heap_sweep_begin(void) {
    heap_check(heap_g.unswept == 0, "heap_sweep_begin: %zu spans of the last cycle unswept",
               heap_g.unswept);
    mcache_release_all();
    heap_g.sweepgen += 2;
    heap_g.unswept = heap_g.nspans_object;
}

// See heap.h.
bool heap_sweep_one(void) {
    if (heap_g.unswept == 0)
        return false;
    int us = mcentral_unswept_set();
    for (int k = 0; k < HEAP_NUM_SPAN_CLASSES; k++) {
        int spc = (heap_g.sweep_cursor + k) % HEAP_NUM_SPAN_CLASSES;
        mcentral_t *c = &heap_g.central[spc];
        span_t *s = c->partial[us].head ? c->partial[us].head : c->full[us].head;
        if (!s)
            continue;
        heap_g.sweep_cursor = spc;
        mcentral_remove(s);
        if (!sweep_span(s))
            mcentral_push(s, s->alloccount == s->nelems, mcentral_swept_set());
        return true;
    }
    sys_panic("heap_sweep_one: %zu spans unswept but none listed", heap_g.unswept);
}

// See heap.h.
void heap_sweep_all(void) {
    while (heap_sweep_one()) {
    }
}

void heap_set_live(uint64_t marked_bytes) { heap_hot.live = marked_bytes; }

// Calls fn(s) for every in-use span in address order.
static void for_each_span(void (*fn)(span_t *s, void *ctx), void *ctx) {
    for (heap_region_t *r = heap_g.regions; r; r = r->next) {
        size_t npages = r->ngrown * HEAP_CHUNK_PAGES;
        for (size_t i = 0; i < npages;) {
            uintptr_t a = r->base + i * HEAP_PAGE_SIZE;
            heap_arena_t *ar = r->arenas[(a - r->base) >> HEAP_ARENA_SHIFT];
            span_t *s = ar->spans[(a - ar->base) >> HEAP_PAGE_SHIFT];
            if (s && s->base == a) {
                fn(s, ctx);
                i += s->npages;
            } else {
                i++;
            }
        }
    }
}

struct obj_walk {
    void (*fn)(void *obj, size_t size, bool marked, const span_t *s, void *ctx);
    void *ctx;
};

static void walk_objects(span_t *s, void *ctx) {
    struct obj_walk *w = ctx;
    if (s->state != SPAN_INUSE)
        return;
    for (uint32_t i = 0; i < s->nelems; i++)
        if (span_is_allocated(s, i))
            w->fn((void *)(s->base + (uintptr_t)i * s->elemsize), s->elemsize,
                  span_is_marked(s, i), s, w->ctx);
}

// See heap.h.
void heap_for_each_object(void (*fn)(void *obj, size_t size, bool marked, const span_t *s,
                                     void *ctx),
                          void *ctx) {
    struct obj_walk w = {fn, ctx};
    for_each_span(walk_objects, &w);
}

struct span_walk {
    void (*fn)(const span_t *s, void *ctx);
    void *ctx;
};

static void walk_span(span_t *s, void *ctx) {
    struct span_walk *w = ctx;
    w->fn(s, w->ctx);
}

// See heap.h.
void heap_for_each_span(void (*fn)(const span_t *s, void *ctx), void *ctx) {
    struct span_walk w = {fn, ctx};
    for_each_span(walk_span, &w);
}

static void clear_marks(span_t *s, void *ctx) {
    (void)ctx;
    if (s->state == SPAN_INUSE)
        memset(s->markbits, 0, span_bitwords(s->nelems) * sizeof(uint64_t));
}

// See heap.h.
void heap_clear_marks(void) { for_each_span(clear_marks, NULL); }
