// malloc: the allocation entry point (Go's mallocgc, malloc.go) and explicit free.
//
//   noscan, size < 16 B      the tiny allocator: bump inside a 16-byte block
//   size <= 32 KiB           size class -> mcache span -> nextFreeFast: one ctz on the
//                            span's allocCache, no lock, no loop (mm/malloc_inline.h,
//                            inline in the callers up to 1016 B); slow path refills
//   larger                   a dedicated span of whole pages (size class 0)
// Scan objects get their pointer bitmap written (heap.h explains the bitmap). Memory
// is zeroed only when the caller asks and the span may be dirty: pages never used
// since the OS gave them are already zero (Go's needzero).
#include <string.h>
#include "mm/heap_internal.h"

static uint64_t zerobase; // the address of every 0-byte allocation (Go's zerobase)

// Go's mcache.nextFree: a slot of class spc after the fast path missed, refilling
// the cache's span when it is full. *sp is the span used. NULL on OOM.
// The next free slot of s at or past freeindex, counted in alloccount, or NULL when s
// is full (heap_empty_span included: nelems 0).
static void *span_take_next(span_t *s) {
    uint32_t i = span_next_free_index(s);
    if (i >= s->nelems)
        return NULL;
    s->alloccount++;
    return (void *)(s->base + (uintptr_t)i * s->elemsize);
}

static __attribute__((noinline)) void *next_free_slow(spanclass_t spc, span_t **sp) {
    span_t *s = heap_mcache_spans[spc];
    void *x = span_take_next(s);
    if (!x) {
        if (!mcache_refill(spc))
            return NULL;
        s = heap_mcache_spans[spc];
        x = span_take_next(s);
        heap_check(x != NULL, "malloc: refilled span %p has no free slot", (void *)s->base);
    }
    *sp = s;
    return x;
}

// Clears bits [lo, lo+n) of a bitmap, a word at a time.
static inline void bits_clear(uint64_t *b, size_t lo, size_t n) {
    while (n) {
        size_t w = lo >> 6, sh = lo & 63, k = 64 - sh < n ? 64 - sh : n;
        if (k == 64) {
            size_t words = n >> 6;
            memset(&b[w], 0, words * 8);
            lo += words * 64;
            n -= words * 64;
            continue;
        }
        b[w] &= ~(((1ull << k) - 1) << sh);
        lo += k;
        n -= k;
    }
}

// Writes the pointer bitmap of a scan object x (slot bytes slot) holding size bytes
// of t values: t's mask for every whole element, zero elsewhere. A mask of up to 64
// words is ORed in as one pattern per element.
static void heapbits_write(span_t *s, void *x, size_t slot, size_t size, const gotype_t *t) {
    size_t w0 = ((uintptr_t)x - s->base) >> 3, nw = slot >> 3;
    uint64_t *hb = s->heapbits;
    heap_check(t->size >= 8 && (t->size & 7) == 0, "malloc: scan type %s has size %zu",
               t->name ? t->name : "?", t->size);
    size_t ew = t->size >> 3, pw = t->ptrdata >> 3;
    // Whole elements only (growslice may round the byte size past the last one);
    // never past the slot.
    size_t nelem = size >= t->size ? size / t->size : 1;
    if (pw > nw)
        pw = nw;
    if (nelem > 1 && (nelem - 1) * ew + pw > nw)
        nelem = (nw - pw) / ew + 1;
    if (pw <= 64) {
        uint64_t pat = 0;
        for (size_t i = 0; i < (pw + 7) / 8; i++)
            pat |= (uint64_t)t->ptrmask[i] << (8 * i);
        if (pw < 64)
            pat &= (1ull << pw) - 1;
        size_t sh0 = w0 & 63;
        if (sh0 + nw <= 64 && nw < 64) { // the whole slot in one bitmap word: one store
            uint64_t rep = 0;
            for (size_t k = 0; k < nelem; k++)
                rep |= pat << (k * ew);
            uint64_t m = ((1ull << nw) - 1) << sh0;
            hb[w0 >> 6] = (hb[w0 >> 6] & ~m) | ((rep << sh0) & m);
            return;
        }
        bits_clear(hb, w0, nw);
        for (size_t k = 0, b = w0; k < nelem; k++, b += ew) {
            size_t sh = b & 63;
            hb[b >> 6] |= pat << sh;
            if (sh && (pat >> (64 - sh)))
                hb[(b >> 6) + 1] |= pat >> (64 - sh);
        }
        return;
    }
    bits_clear(hb, w0, nw);
    for (size_t k = 0; k < nelem; k++) {
        size_t base = w0 + k * ew;
        for (size_t i = 0; i < pw; i++)
            if ((t->ptrmask[i >> 3] >> (i & 7)) & 1)
                hb[(base + i) >> 6] |= 1ull << ((base + i) & 63);
    }
}

// A large object: its own span of whole pages (Go's allocLarge).
static void *malloc_large(size_t size, const gotype_t *t, bool needzero, bool noscan) {
    if (size > SIZE_MAX - HEAP_PAGE_SIZE)
        return NULL;
    size_t npages = (size + HEAP_PAGE_SIZE - 1) >> HEAP_PAGE_SHIFT;
    span_t *s = span_alloc_pages(npages, SPAN_INUSE, NULL);
    if (!s)
        return NULL;
    span_init_class(s, spanclass_make(0, noscan));
    s->freeindex = 1;
    s->alloccount = 1;
    s->alloccache = 0;
    mcentral_push(s, true, mcentral_swept_set());
    heap_g.nmalloc[0]++;
    heap_g.large_alloc_bytes += s->elemsize;
    heap_hot.live += s->elemsize;
    void *x = (void *)s->base;
    if (needzero && s->needzero)
        memset(x, 0, size);
    if (!noscan) {
        heapbits_write(s, x, s->elemsize, size, t);
        size_t nelem = size >= t->size ? size / t->size : 1;
        s->ptrbytes = (nelem - 1) * t->size + t->ptrdata;
        if (s->ptrbytes > s->elemsize)
            s->ptrbytes = s->elemsize;
    }
    return x;
}

// The tiny allocator (Go's, malloc.go): noscan objects under 16 B share 16-byte
// blocks, aligned by their size's low bits.
static void *malloc_tiny(size_t size) {
    mcache_t *c = &heap_g.cache;
    size_t off = c->tinyoffset;
    if ((size & 7) == 0)
        off = (off + 7) & ~(size_t)7;
    else if ((size & 3) == 0)
        off = (off + 3) & ~(size_t)3;
    else if ((size & 1) == 0)
        off = (off + 1) & ~(size_t)1;
    if (off + size <= HEAP_TINY_SIZE && c->tiny) {
        c->tinyoffset = off + size;
        c->tiny_allocs++;
        return (void *)(c->tiny + off);
    }
    spanclass_t spc = spanclass_make(2, true); // the 16-byte class
    span_t *s = heap_mcache_spans[spc];
    uint64_t *x = span_take_cached(s);
    if (!x && !(x = next_free_slow(spc, &s)))
        return NULL;
    x[0] = 0;
    x[1] = 0;
    if (size < c->tinyoffset || c->tiny == 0) { // keep the block with more room
        c->tiny = (uintptr_t)x;
        c->tinyoffset = size;
    }
    return x;
}

// Zeroes a slot: the small classes (8..64 B) with inline stores, others memset.
static inline void zero_slot(void *x, size_t n) {
    switch (n) {
    case 8: memset(x, 0, 8); return;
    case 16: memset(x, 0, 16); return;
    case 24: memset(x, 0, 24); return;
    case 32: memset(x, 0, 32); return;
    case 48: memset(x, 0, 48); return;
    case 64: memset(x, 0, 64); return;
    default: memset(x, 0, n); return;
    }
}

// See mm/malloc_inline.h. Also the end of every slow-path small allocation.
void *heap_malloc_finish(span_t *s, void *x, size_t size, const gotype_t *t, bool needzero) {
    size_t es = s->elemsize;
    if (needzero && s->needzero)
        zero_slot(x, es);
    if (t && t->ptrdata)
        heapbits_write(s, x, es, size, t);
    return x;
}

// See mm/malloc_inline.h. heap_empty_span (nelems 0) and a full span go to slow.
void *heap_malloc_reload(span_t *s, size_t size, const gotype_t *t, bool needzero,
                         heap_malloc_fn *slow) {
    void *x = span_take_next(s);
    return x ? heap_malloc_finish(s, x, size, t, needzero) : slow(size, t, needzero);
}

// A small allocation whose alloc cache was empty: the next free slot of the span
// (reloading the cache), or a refill, then the finish.
static __attribute__((noinline)) void *malloc_small_slow(size_t size, const gotype_t *t,
                                                         bool needzero, spanclass_t spc) {
    span_t *s;
    void *x = next_free_slow(spc, &s);
    if (!x)
        return NULL;
    return heap_malloc_finish(s, x, size, t, needzero);
}

// Everything the fast path does not serve: zero-size, tiny, small scan under 16 B,
// small over 1016 B, an empty alloc cache, large.
static __attribute__((noinline)) void *malloc_slow(size_t size, const gotype_t *t,
                                                   bool needzero) {
    bool noscan = t == NULL || t->ptrdata == 0;
    if (size > HEAP_MAX_SMALL_SIZE)
        return malloc_large(size, t, needzero, noscan);
    if (size == 0)
        return &zerobase;
    if (noscan && size < HEAP_TINY_SIZE)
        return malloc_tiny(size);
    spanclass_t spc = spanclass_make(heap_sc_size_class(size), noscan);
    span_t *s = heap_mcache_spans[spc];
    void *x = span_take_cached(s); // sizes past the inline fast path's table
    if (x)
        return heap_malloc_finish(s, x, size, t, needzero);
    return malloc_small_slow(size, t, needzero, spc);
}

// See heap.h.
void *heap_malloc(size_t size, const gotype_t *t, bool needzero) {
    return heap_malloc_fast(size, t, t != NULL && t->ptrdata != 0, needzero, malloc_slow);
}

// The slot size of the allocated object at p, or 0.
size_t heap_usable_size(const void *p) {
    span_t *s = heap_span_of(p);
    size_t i;
    if (!s || !span_object_of(s, p, &i) || !span_is_allocated(s, i))
        return 0;
    return s->elemsize;
}

// Makes slot i of s free: below freeindex every slot is allocated, so those bits
// are materialised before freeindex moves back to i.
static void span_free_slot(span_t *s, size_t i) {
    if (i < s->freeindex) {
        for (size_t j = i; j < s->freeindex; j++)
            s->allocbits[j >> 6] |= 1ull << (j & 63);
        s->freeindex = (uint32_t)i;
    }
    s->allocbits[i >> 6] &= ~(1ull << (i & 63));
    span_refill_cache(s);
    s->alloccount--;
    if (s->incache)
        s->cache_alloccount--; // keep "allocated since cached" unchanged
    s->needzero = 1;
}

// See heap.h.
void heap_free(void *p) {
    span_t *s = heap_span_of(p);
    heap_check(s != NULL, "heap_free: %p is not in a heap span", p);
    if (s->sweepgen != heap_g.sweepgen) { // sweep first: the mark bits are pending
        mcentral_remove(s);
        heap_check(!sweep_span(s), "heap_free: %p was garbage (freed by the sweep)", p);
        mcentral_push(s, s->alloccount == s->nelems, mcentral_swept_set());
    }
    size_t i;
    void *obj = span_object_of(s, p, &i);
    heap_check(obj != NULL && span_is_allocated(s, i), "heap_free: %p is not allocated", p);
    int c = spanclass_sizeclass(s->spanclass);
    if (heap_g.free_hook)
        heap_g.free_hook(obj, s->elemsize);
    heap_g.nfree[c]++;
    heap_hot.live = heap_hot.live > s->elemsize ? heap_hot.live - s->elemsize : 0;
    if (c == 0) {
        heap_g.large_free_bytes += s->elemsize;
        mcentral_remove(s);
        span_free_pages(s);
        return;
    }
    if (heap_g.cache.tiny == (uintptr_t)obj) // never hand out a freed tiny block
        heap_g.cache.tiny = 0;
    bool was_full = s->alloccount == s->nelems;
    span_free_slot(s, i);
    if (s->incache)
        return;
    if (s->alloccount == 0) {
        mcentral_remove(s);
        span_free_pages(s);
    } else if (was_full) {
        mcentral_remove(s);
        mcentral_push(s, false, mcentral_swept_set());
    }
}
