// mcache: the P's span cache (Go's mcache.go): one span per span class to allocate
// from without locks or loops; refilled from mcentral when it runs out, flushed
// when a GC cycle's sweep begins. The fast path itself lives in malloc.c.
#include "mm/heap_internal.h"

// See heap_internal.h (Go's mcache.refill).
bool mcache_refill(spanclass_t spc) {
    mcache_t *c = &heap_g.cache;
    span_t *s = c->alloc[spc];
    c->alloc[spc] = &heap_empty_span;
    if (s != &heap_empty_span)
        mcentral_uncache_span(s);
    s = mcentral_cache_span(spc);
    if (!s)
        return false;
    c->alloc[spc] = s;
    return true;
}

// See heap_internal.h (Go's mcache.releaseAll).
void mcache_release_all(void) {
    mcache_t *c = &heap_g.cache;
    for (int i = 0; i < HEAP_NUM_SPAN_CLASSES; i++) {
        span_t *s = c->alloc[i];
        c->alloc[i] = &heap_empty_span;
        if (s != &heap_empty_span)
            mcentral_uncache_span(s);
    }
    c->tiny = 0;
    c->tinyoffset = 0;
}

// See heap.h.
void heap_flush_mcache(void) { mcache_release_all(); }
