// mstats: MemStats from the heap's counters (Go's mstats.go), exact by construction:
// every counter changes in the same step as the structure it describes, and the
// mcache's unflushed allocations are added span by span at read time.
#include <string.h>
#include "mm/heap_internal.h"

struct memstats_gc stats_gc;

// See heap_internal.h.
void stats_cached_deltas(uint64_t delta[HEAP_NUM_SIZE_CLASSES]) {
    memset(delta, 0, HEAP_NUM_SIZE_CLASSES * sizeof(uint64_t));
    for (int i = 0; i < HEAP_NUM_SPAN_CLASSES; i++) {
        span_t *s = heap_mcache_spans[i];
        if (s != &heap_empty_span)
            delta[spanclass_sizeclass(s->spanclass)] += (uint32_t)(s->alloccount - s->cache_alloccount);
    }
}

// See heap.h.
void heap_read_memstats(struct memstats *out) {
    heap_read_memstats_nopages(out);
    sys_page_counts_t pc;
    heap_page_counts(&pc);
    out->CommittedPages = pc.committed;
    out->ResidentPages = pc.resident;
    out->LazyFreePages = pc.lazyfree;
}

// See heap.h.
void heap_read_memstats_nopages(struct memstats *out) {
    memset(out, 0, sizeof *out);
    uint64_t delta[HEAP_NUM_SIZE_CLASSES];
    stats_cached_deltas(delta);
    uint64_t mallocs = heap_g.nmalloc[0], frees = heap_g.nfree[0];
    uint64_t total = heap_g.large_alloc_bytes, freed = heap_g.large_free_bytes;
    for (int c = 1; c < HEAP_NUM_SIZE_CLASSES; c++) {
        uint64_t m = heap_g.nmalloc[c] + delta[c], f = heap_g.nfree[c];
        mallocs += m;
        frees += f;
        total += m * heap_sc_class_to_size[c];
        freed += f * heap_sc_class_to_size[c];
        if (c < MEMSTATS_NUM_BYSIZE) {
            out->BySize[c].Mallocs = m;
            out->BySize[c].Frees = f;
        }
    }
    for (int c = 0; c < MEMSTATS_NUM_BYSIZE; c++)
        out->BySize[c].Size = heap_sc_class_to_size[c];
    out->TinyAllocs = heap_g.cache.tiny_allocs;
    out->Mallocs = mallocs + heap_g.cache.tiny_allocs;
    out->Frees = frees + heap_g.cache.tiny_allocs;
    out->HeapObjects = mallocs - frees;
    out->TotalAlloc = total;
    out->HeapAlloc = out->Alloc = total - freed;
    out->HeapSys = heap_g.grown - heap_g.inuse_stack;
    out->HeapInuse = heap_g.inuse_heap;
    out->HeapIdle = out->HeapSys - out->HeapInuse;
    out->HeapReleased = heap_g.released;
    out->StackInuse = out->StackSys = heap_g.inuse_stack;
    out->MSpanInuse = heap_g.nspans_inuse * sizeof(span_t);
    out->MSpanSys = heap_g.mspan_sys;
    out->MCacheInuse = out->MCacheSys = sizeof(mcache_t);
    out->GCSys = heap_g.gc_sys;
    out->OtherSys = heap_g.other_sys;
    out->Sys = out->HeapSys + out->StackSys + out->MSpanSys + out->MCacheSys + out->BuckHashSys +
               out->GCSys + out->OtherSys;
    out->NextGC = stats_gc.NextGC;
    out->LastGC = stats_gc.LastGC;
    out->PauseTotalNs = stats_gc.PauseTotalNs;
    memcpy(out->PauseNs, stats_gc.PauseNs, sizeof out->PauseNs);
    memcpy(out->PauseEnd, stats_gc.PauseEnd, sizeof out->PauseEnd);
    out->NumGC = stats_gc.NumGC;
    out->NumForcedGC = stats_gc.NumForcedGC;
    out->GCCPUFraction = stats_gc.GCCPUFraction;
    out->EnableGC = true;
    out->ArenaReserved = heap_g.reserved;
}

struct verify_acc {
    uint64_t alloc_bytes, objects, spans;
};

// Checks one span's internal consistency and sums its objects.
static void verify_span(const span_t *s, void *ctx) {
    struct verify_acc *v = ctx;
    heap_check(heap_span_of_any((void *)s->base) == s &&
                   heap_span_of_any((void *)(s->base + s->npages * HEAP_PAGE_SIZE - 1)) == s,
               "heap_verify: span %p not mapped on its pages", (void *)s->base);
    if (s->state != SPAN_INUSE)
        return;
    v->spans++;
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->nelems; i++)
        n += span_is_allocated(s, i);
    heap_check(n == s->alloccount, "heap_verify: span %p class %d has %u allocated, alloccount %u",
               (void *)s->base, spanclass_sizeclass(s->spanclass), n, s->alloccount);
    heap_check(s->freeindex <= s->nelems, "heap_verify: span %p freeindex past nelems", (void *)s->base);
    heap_check(s->alloccache == span_cache_at(s, s->freeindex) ||
                   (s->alloccache == 0 && (s->freeindex & 63) == 0),
               "heap_verify: span %p alloc cache %#llx is not its bits at freeindex %u",
               (void *)s->base, (unsigned long long)s->alloccache, s->freeindex);
    heap_check(s->incache || s->list, "heap_verify: span %p neither cached nor listed", (void *)s->base);
    heap_check(s->incache == (heap_mcache_spans[s->spanclass] == s),
               "heap_verify: span %p cache flag wrong", (void *)s->base);
    heap_check(s->sweepgen == heap_g.sweepgen || s->sweepgen == heap_g.sweepgen - 2,
               "heap_verify: span %p sweepgen %u (heap %u)", (void *)s->base, s->sweepgen, heap_g.sweepgen);
    if (s->nelems > 1 || spanclass_sizeclass(s->spanclass) != 0)
        heap_check(s->nelems == s->npages * HEAP_PAGE_SIZE / s->elemsize,
                   "heap_verify: span %p nelems wrong", (void *)s->base);
    if (!s->needzero && !spanclass_noscan(s->spanclass) && spanclass_sizeclass(s->spanclass))
        for (uint32_t i = 0; i < s->nelems; i++) // the fast path ORs into a clean slot's bits
            for (size_t w = 0; !span_is_allocated(s, i) && w < s->elemsize / 8; w++)
                heap_check(!heap_is_ptr_slot(s, (void *)(s->base + i * s->elemsize), w),
                           "heap_verify: clean span %p has pointer bits in free slot %u",
                           (void *)s->base, i);
    v->alloc_bytes += (uint64_t)n * s->elemsize;
    v->objects += n;
}

// See heap.h.
void heap_verify(void) {
    struct memstats m;
    heap_read_memstats_nopages(&m);
    heap_check(m.HeapInuse + m.HeapIdle == m.HeapSys, "heap_verify: HeapInuse+HeapIdle != HeapSys");
    heap_check(m.HeapReleased <= m.HeapIdle, "heap_verify: HeapReleased %llu > HeapIdle %llu",
               (unsigned long long)m.HeapReleased, (unsigned long long)m.HeapIdle);
    heap_check(m.Mallocs - m.Frees == m.HeapObjects, "heap_verify: Mallocs-Frees != HeapObjects");
    heap_check(m.HeapAlloc <= m.HeapInuse, "heap_verify: HeapAlloc > HeapInuse");
    struct verify_acc v = {0, 0, 0};
    heap_for_each_span(verify_span, &v);
    heap_check(v.alloc_bytes == m.HeapAlloc, "heap_verify: objects sum to %llu bytes, HeapAlloc %llu",
               (unsigned long long)v.alloc_bytes, (unsigned long long)m.HeapAlloc);
    heap_check(v.objects == m.HeapObjects, "heap_verify: %llu objects, HeapObjects %llu",
               (unsigned long long)v.objects, (unsigned long long)m.HeapObjects);
    heap_check(v.spans == heap_g.nspans_object, "heap_verify: %llu object spans, counted %llu",
               (unsigned long long)v.spans, (unsigned long long)heap_g.nspans_object);
    size_t listed = 0;
    for (int i = 0; i < HEAP_NUM_SPAN_CLASSES; i++)
        for (int k = 0; k < 2; k++)
            listed += heap_g.central[i].partial[k].n + heap_g.central[i].full[k].n;
    for (int i = 0; i < HEAP_NUM_SPAN_CLASSES; i++)
        listed += heap_mcache_spans[i] != &heap_empty_span;
    heap_check(listed == heap_g.nspans_object, "heap_verify: %zu spans listed or cached, %llu exist",
               listed, (unsigned long long)heap_g.nspans_object);
    pages_verify();
}

// See heap.h. Definitions from Go 1.19's runtime/metrics (description.go, metrics.go).
size_t heap_read_metrics(heap_metric_t *out, size_t max) {
    struct memstats m;
    heap_read_memstats_nopages(&m);
    uint64_t objs = m.Mallocs - m.TinyAllocs, frees = m.Frees - m.TinyAllocs;
    const heap_metric_t all[HEAP_NUM_METRICS] = {
        {"/gc/cycles/automatic:gc-cycles", m.NumGC - m.NumForcedGC},
        {"/gc/cycles/forced:gc-cycles", m.NumForcedGC},
        {"/gc/cycles/total:gc-cycles", m.NumGC},
        {"/gc/heap/allocs:bytes", m.TotalAlloc},
        {"/gc/heap/allocs:objects", objs},
        {"/gc/heap/frees:bytes", m.TotalAlloc - m.HeapAlloc},
        {"/gc/heap/frees:objects", frees},
        {"/gc/heap/goal:bytes", m.NextGC},
        {"/gc/heap/objects:objects", m.HeapObjects},
        {"/gc/heap/tiny/allocs:objects", m.TinyAllocs},
        {"/memory/classes/heap/free:bytes", m.HeapIdle - m.HeapReleased},
        {"/memory/classes/heap/objects:bytes", m.HeapAlloc},
        {"/memory/classes/heap/released:bytes", m.HeapReleased},
        {"/memory/classes/heap/stacks:bytes", m.StackInuse},
        {"/memory/classes/heap/unused:bytes", m.HeapInuse - m.HeapAlloc},
        {"/memory/classes/metadata/mcache/free:bytes", m.MCacheSys - m.MCacheInuse},
        {"/memory/classes/metadata/mcache/inuse:bytes", m.MCacheInuse},
        {"/memory/classes/metadata/mspan/free:bytes", m.MSpanSys - m.MSpanInuse},
        {"/memory/classes/metadata/mspan/inuse:bytes", m.MSpanInuse},
        {"/memory/classes/metadata/other:bytes", m.GCSys},
        {"/memory/classes/os-stacks:bytes", m.StackSys - m.StackInuse},
        {"/memory/classes/other:bytes", m.OtherSys},
        {"/memory/classes/profiling/buckets:bytes", m.BuckHashSys},
        {"/memory/classes/total:bytes", m.Sys},
    };
    for (size_t i = 0; i < HEAP_NUM_METRICS && i < max; i++)
        out[i] = all[i];
    return HEAP_NUM_METRICS;
}
