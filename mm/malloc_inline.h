// malloc_inline: the allocation fast path, inline in its callers (rt_mallocgc and
// heap_malloc) so that the common allocation is one straight run of code with no
// call: Go's mallocgc for a small object up to nextFreeFast.
//
//   size 16 .. 1016 B        one load from the 8-byte size-class table -> span class
//   the mcache's span        alloccache != 0: one ctz gives the slot, no loop
//   noscan, clean span       done: nothing else is touched
//   scan, clean span         the pointer bitmap: one OR when a single value's mask
//                            (at most 8 words) lies in one bitmap word
//   dirty span, zeroing      out of line (heap_malloc_finish), as any other bitmap
//
// Anything else (tiny, larger sizes, a full span) is the caller's slow path, called
// with the same arguments, the fast path having changed nothing (so it is a jump:
// the fast path needs no frame). An empty alloc cache also stands for "freeindex
// reached a 64-slot boundary": heap_malloc_reload reloads it from the same span
// without the caller's slow path (once per 64 slots), so the fast path tests neither
// the boundary nor nelems (the cache never holds a slot at or past nelems). Included
// by mm/heap.h only.
#ifndef SPANLAB_MALLOC_INLINE_H
#define SPANLAB_MALLOC_INLINE_H

// The largest size the fast path serves: the last entry of the 8-byte-step table.
#define HEAP_FAST_MAX_SIZE 1016

// The mcache's span of each span class (mm/mcache.c): &heap_empty_span, whose alloc
// cache is empty, when it has none, never NULL.
extern span_t *heap_mcache_spans[HEAP_NUM_SPAN_CLASSES];
extern span_t heap_empty_span;
// Size class of each size up to 1016 B by (size + 7) / 8 (generated, mm/sizeclass.c).
extern const uint8_t heap_sc_size_to_class8[];

// Finishes a slot x of s taken by the fast path: zeroes it when needzero and the span
// is dirty, writes the pointer bitmap of a scan type. Returns x.
__attribute__((returns_nonnull)) void *heap_malloc_finish(span_t *s, void *x, size_t size,
                                                          const gotype_t *t, bool needzero);

// A caller's slow path: the allocation the fast path did not make.
typedef void *heap_malloc_fn(size_t size, const gotype_t *t, bool needzero);

// The fast path found s's alloc cache empty: when s has a free slot further on
// (the cache stops at each 64-slot boundary), reloads the cache and allocates it
// (then finishes it as heap_malloc_finish); only when s is full, slow(size, t,
// needzero). A reload changes nothing a caller's slow path watches (heapLive grows
// when a span enters the mcache, not per slot), so the caller need not see it.
void *heap_malloc_reload(span_t *s, size_t size, const gotype_t *t, bool needzero,
                         heap_malloc_fn *slow);

// The mcache's span the fast path takes an object of size bytes from (HEAP_TINY_SIZE
// <= size <= HEAP_FAST_MAX_SIZE; scan: its type has pointers). After the fast path
// served an allocation, the object lies in this span: a reload stays in the same span.
static inline __attribute__((always_inline)) span_t *heap_mcache_span_for(size_t size,
                                                                          unsigned scan) {
    return heap_mcache_spans[(heap_sc_size_to_class8[(size + 7) >> 3] << 1) | (scan ^ 1)];
}

// Takes the next free slot of s from its alloc cache (Go's nextFreeFast), or returns
// NULL when the cache is empty.
static inline __attribute__((always_inline)) void *span_take_cached(span_t *s) {
    uint64_t c = s->alloccache;
    if (__builtin_expect(c == 0, 0))
        return NULL;
    unsigned b = (unsigned)__builtin_ctzll(c);
    uint32_t i = s->freeindex + b;
    s->alloccache = (c >> 1) >> b; // c >> 1 runs beside the ctz
    s->freeindex = i + 1;
    s->alloccount++;
    return (void *)(s->base + (uintptr_t)i * s->elemsize);
}

// The fast path (see the top), or slow(size, t, needzero). scan: t has pointers (the
// caller has computed it already).
static inline __attribute__((always_inline)) void *heap_malloc_fast(size_t size,
                                                                    const gotype_t *t,
                                                                    unsigned scan,
                                                                    bool needzero,
                                                                    heap_malloc_fn *slow) {
    if (__builtin_expect(size - HEAP_TINY_SIZE > HEAP_FAST_MAX_SIZE - HEAP_TINY_SIZE, 0))
        return slow(size, t, needzero);
    span_t *s = heap_mcache_span_for(size, scan);
    uint64_t c = s->alloccache;
    if (__builtin_expect(c == 0, 0))
        return heap_malloc_reload(s, size, t, needzero, slow);
    void *x = span_take_cached(s);
    // One test, not two: with && the compiler moves the common needzero=true case
    // out of line and back (two taken branches per allocation).
    if (__builtin_expect(needzero & s->needzero, 0))
        return heap_malloc_finish(s, x, size, t, needzero);
    if (scan) {
        // One value whose pointer words are all in ptrmask[0] and in one bitmap word,
        // from a clean span: a clean span's free slots have zero bitmap bits (see
        // heap.h, needzero), so the slot's bits are the mask ORed in. A dirty span's
        // slot (needzero false: the caller zeroes, or does not need to) may hold an
        // old object's bits: out of line, which clears them.
        size_t w0 = ((uintptr_t)x - s->base) >> 3, sh = w0 & 63, pw = t->ptrdata >> 3;
        if (__builtin_expect(s->needzero || size != t->size || pw > 8 || sh + pw > 64, 0))
            return heap_malloc_finish(s, x, size, t, needzero);
        s->heapbits[w0 >> 6] |= (uint64_t)(t->ptrmask[0] & ((1u << pw) - 1)) << sh;
    }
    return x;
}

#endif
