// mcentral: per span class lists of spans with and without free slots (Go's
// mcentral.go). partial[i]/full[i] with i = sweepgen/2 % 2 hold spans swept in this
// cycle; the other pair holds spans still to sweep, so bumping sweepgen by 2 turns
// every swept span into an unswept one without touching it. One P: no locks.
#include <string.h>
#include "mm/heap_internal.h"

// Index of the swept set this cycle.
int mcentral_swept_set(void) { return (int)((heap_g.sweepgen / 2) & 1); }
int mcentral_unswept_set(void) { return 1 - mcentral_swept_set(); }

static span_list_t *list_of(mcentral_t *c, bool full, int set) {
    return full ? &c->full[set] : &c->partial[set];
}

// Links s at the head of its class's partial or full list of set.
void mcentral_push(span_t *s, bool full, int set) {
    heap_check(s->list == 0, "mcentral_push: span %p already listed", (void *)s->base);
    span_list_t *l = list_of(&heap_g.central[s->spanclass], full, set);
    s->prev = NULL;
    s->next = l->head;
    if (l->head)
        l->head->prev = s;
    l->head = s;
    l->n++;
    s->list = (uint8_t)(1 + set + (full ? 2 : 0));
}

// Unlinks s from whatever list holds it (no-op when none).
void mcentral_remove(span_t *s) {
    if (!s->list)
        return;
    int id = s->list - 1;
    span_list_t *l = list_of(&heap_g.central[s->spanclass], id >= 2, id & 1);
    if (s->prev)
        s->prev->next = s->next;
    else
        l->head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
    l->n--;
    s->list = 0;
}

// Pops the head of a list, or NULL.
static span_t *pop(span_list_t *l) {
    span_t *s = l->head;
    if (s)
        mcentral_remove(s);
    return s;
}

// Puts a swept, non-empty span back where it belongs.
static void push_swept(span_t *s) {
    mcentral_push(s, s->alloccount == s->nelems, mcentral_swept_set());
}

// See heap_internal.h (Go's cacheSpan): a swept partial span, else sweep unswept
// ones of this class (up to 100, as Go), else a fresh span from the page heap.
span_t *mcentral_cache_span(spanclass_t spc) {
    mcentral_t *c = &heap_g.central[spc];
    int sw = mcentral_swept_set(), us = mcentral_unswept_set();
    if (heap_g.unswept) // a little proportional sweeping, Go's deductSweepCredit
        heap_sweep_one();
    if (heap_g.scav_gc_goal != UINT64_MAX || heap_g.scav_limit_goal != UINT64_MAX)
        heap_scavenge_tick(sys_nanotime()); // allocation is a scheduling point too
    span_t *s = pop(&c->partial[sw]);
    for (int budget = 100; !s && budget > 0; budget--) {
        span_t *u = pop(&c->partial[us]);
        if (!u)
            u = pop(&c->full[us]);
        if (!u)
            break;
        if (sweep_span(u))
            continue; // was empty: its pages went back to the heap
        if (u->alloccount < u->nelems)
            s = u;
        else
            push_swept(u);
    }
    if (!s) {
        int sc = spanclass_sizeclass(spc);
        s = span_alloc_pages(heap_sc_class_to_npages[sc], SPAN_INUSE, NULL);
        if (!s)
            return NULL;
        span_init_class(s, spc);
        if (s->needzero) { // dirty pages: one bulk clear beats a memset per object
            memset((void *)s->base, 0, (size_t)s->nelems * s->elemsize);
            if (!spanclass_noscan(spc)) // and a clean span's free slots have no bits
                memset(s->heapbits, 0, s->npages * HEAP_PAGE_SIZE / 64);
            s->needzero = 0;
        }
    }
    s->incache = 1;
    s->cache_alloccount = s->alloccount;
    heap_hot.live += (uint64_t)(s->nelems - s->alloccount) * s->elemsize;
    span_refill_cache(s);
    return s;
}

// See heap_internal.h (Go's uncacheSpan).
void mcentral_uncache_span(span_t *s) {
    s->incache = 0;
    heap_g.nmalloc[spanclass_sizeclass(s->spanclass)] += (uint32_t)(s->alloccount - s->cache_alloccount);
    uint64_t unused = (uint64_t)(s->nelems - s->alloccount) * s->elemsize;
    heap_hot.live = heap_hot.live > unused ? heap_hot.live - unused : 0;
    if (s->alloccount == 0) { // emptied by explicit frees
        span_free_pages(s);
        return;
    }
    push_swept(s);
}
