// mcache: the P's span cache (Go's mcache.go): one span per span class to allocate
// from without locks or loops; refilled from mcentral when it runs out, flushed
// when a GC cycle's sweep begins. The fast path itself is mm/malloc_inline.h.
#include "mm/heap_internal.h"

// See mm/malloc_inline.h. Statically the placeholder, so an allocation before
// heap_init reaches the slow path and its "not initialised" panic instead of a NULL
// dereference.
span_t *heap_mcache_spans[HEAP_NUM_SPAN_CLASSES] = {
    [0 ... HEAP_NUM_SPAN_CLASSES - 1] = &heap_empty_span};

// See heap_internal.h (Go's mcache.refill).
bool mcache_refill(spanclass_t spc) {
    span_t *s = heap_mcache_spans[spc];
    heap_mcache_spans[spc] = &heap_empty_span;
    if (s != &heap_empty_span)
        mcentral_uncache_span(s);
    s = mcentral_cache_span(spc);
    if (!s)
        return false;
    heap_mcache_spans[spc] = s;
    return true;
}

// See heap_internal.h (Go's mcache.releaseAll).
void mcache_release_all(void) {
    mcache_t *c = &heap_g.cache;
    for (int i = 0; i < HEAP_NUM_SPAN_CLASSES; i++) {
        span_t *s = heap_mcache_spans[i];
        heap_mcache_spans[i] = &heap_empty_span;
        if (s != &heap_empty_span)
            mcentral_uncache_span(s);
    }
    c->tiny = 0;
    c->tinyoffset = 0;
}

// See heap.h.
void heap_flush_mcache(void) { mcache_release_all(); }
