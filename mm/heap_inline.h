// heap_inline: the O(1) address -> arena -> span lookup, inline for the GC's
// conservative and interior-pointer scans. Included by mm/heap.h only.
//
// The arena index has two levels over address bits [26, 48): L1 by bits [38, 48),
// L2 arrays of 4096 arena pointers by bits [26, 38). Upper bits are ignored (the
// kernel's higher half and the hosted user half never share a heap), so a hit is
// confirmed against the arena's base.
#ifndef SPANLAB_HEAP_INLINE_H
#define SPANLAB_HEAP_INLINE_H

#define HEAP_ARENA_L1_BITS 10
#define HEAP_ARENA_L2_BITS 12
#define HEAP_PAGES_PER_ARENA (HEAP_ARENA_BYTES / HEAP_PAGE_SIZE) // 8192

typedef struct heap_arena heap_arena_t;
struct heap_arena {
    uintptr_t base;                         // 64 MiB aligned
    span_t *spans[HEAP_PAGES_PER_ARENA];    // in-use span of each page, or NULL
    uint64_t *heapbits;                     // 1 bit per 8-byte word of the arena
    struct heap_region *region;             // the reservation holding this arena
};

extern heap_arena_t **heap_arena_l1[1u << HEAP_ARENA_L1_BITS];

// The arena holding p, or NULL.
static inline heap_arena_t *heap_arena_of(uintptr_t p) {
    heap_arena_t **l2 = heap_arena_l1[(p >> (HEAP_ARENA_SHIFT + HEAP_ARENA_L2_BITS)) &
                                      ((1u << HEAP_ARENA_L1_BITS) - 1)];
    if (!l2)
        return 0;
    heap_arena_t *a = l2[(p >> HEAP_ARENA_SHIFT) & ((1u << HEAP_ARENA_L2_BITS) - 1)];
    if (!a || a->base != (p & ~(uintptr_t)(HEAP_ARENA_BYTES - 1)))
        return 0;
    return a;
}

static inline span_t *heap_span_of(const void *p) {
    heap_arena_t *a = heap_arena_of((uintptr_t)p);
    if (!a)
        return 0;
    span_t *s = a->spans[((uintptr_t)p - a->base) >> HEAP_PAGE_SHIFT];
    if (!s || s->state != SPAN_INUSE)
        return 0;
    return s;
}

// The two values every allocation's caller reads (rt_mallocgc's folded check).
struct heap_hot {
    bool ready;
    uint64_t live;
};
extern struct heap_hot heap_hot;

static inline bool heap_ready(void) { return heap_hot.ready; }
static inline uint64_t heap_live(void) { return heap_hot.live; }

#endif
