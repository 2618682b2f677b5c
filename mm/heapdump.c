// heapdump: the heap in words — a human dump (MemStats, span use per size class,
// page-layer counts), the machine line "MEMSTATS key=value ...", and
// heap_describe_addr for fault reports.
#include <stdio.h>
#include <string.h>
#include "mm/heap_internal.h"

typedef unsigned long long ull;

// See heap.h.
void heap_print_memstats_line(void) {
    struct memstats m;
    heap_read_memstats(&m);
    sys_printf("MEMSTATS alloc=%llu total_alloc=%llu sys=%llu mallocs=%llu frees=%llu "
               "heap_alloc=%llu heap_sys=%llu heap_idle=%llu heap_inuse=%llu heap_released=%llu "
               "heap_objects=%llu stack_inuse=%llu stack_sys=%llu mspan_inuse=%llu mspan_sys=%llu "
               "mcache_inuse=%llu mcache_sys=%llu gc_sys=%llu other_sys=%llu next_gc=%llu "
               "num_gc=%llu num_forced_gc=%llu pause_total_ns=%llu tiny_allocs=%llu "
               "arena_reserved=%llu committed_pages=%llu resident_pages=%llu lazyfree_pages=%llu\n",
               (ull)m.Alloc, (ull)m.TotalAlloc, (ull)m.Sys, (ull)m.Mallocs, (ull)m.Frees,
               (ull)m.HeapAlloc, (ull)m.HeapSys, (ull)m.HeapIdle, (ull)m.HeapInuse,
               (ull)m.HeapReleased, (ull)m.HeapObjects, (ull)m.StackInuse, (ull)m.StackSys,
               (ull)m.MSpanInuse, (ull)m.MSpanSys, (ull)m.MCacheInuse, (ull)m.MCacheSys,
               (ull)m.GCSys, (ull)m.OtherSys, (ull)m.NextGC, (ull)m.NumGC, (ull)m.NumForcedGC,
               (ull)m.PauseTotalNs, (ull)m.TinyAllocs, (ull)m.ArenaReserved,
               (ull)m.CommittedPages, (ull)m.ResidentPages, (ull)m.LazyFreePages);
}

struct class_use {
    uint64_t spans[HEAP_NUM_SPAN_CLASSES], objects[HEAP_NUM_SPAN_CLASSES];
    uint64_t slots[HEAP_NUM_SPAN_CLASSES];
    uint64_t stacks, stack_bytes;
};

static void count_span(const span_t *s, void *ctx) {
    struct class_use *u = ctx;
    if (s->state == SPAN_STACK) {
        u->stacks++;
        u->stack_bytes += s->npages * HEAP_PAGE_SIZE;
        return;
    }
    u->spans[s->spanclass]++;
    u->objects[s->spanclass] += s->alloccount;
    u->slots[s->spanclass] += s->nelems;
}

static void kib_line(const char *name, uint64_t bytes, const char *what) {
    sys_printf("  %-13s %10llu KiB  %s\n", name, (ull)(bytes >> 10), what);
}

// See heap.h.
void heap_dump(int verbose) {
    struct memstats m;
    heap_read_memstats(&m);
    sys_printf("heap: %llu objects, %llu mallocs, %llu frees (%llu tiny)\n", (ull)m.HeapObjects,
               (ull)m.Mallocs, (ull)m.Frees, (ull)m.TinyAllocs);
    kib_line("HeapAlloc", m.HeapAlloc, "bytes of allocated objects");
    kib_line("HeapInuse", m.HeapInuse, "bytes in in-use spans");
    kib_line("HeapIdle", m.HeapIdle, "bytes in free pages");
    kib_line("HeapReleased", m.HeapReleased, "free bytes released to the page layer");
    kib_line("HeapSys", m.HeapSys, "Inuse + Idle");
    kib_line("StackInuse", m.StackInuse, "goroutine stack spans (guard pages included)");
    kib_line("MSpan/GC/Other", m.MSpanSys + m.GCSys + m.OtherSys, "heap metadata");
    kib_line("Sys", m.Sys, "everything obtained from the page layer");
    sys_printf("  page layer: %llu KiB reserved, %llu committed pages, %llu resident pages "
               "(%llu lazily freed), 4 KiB each\n",
               (ull)(m.ArenaReserved >> 10), (ull)m.CommittedPages, (ull)m.ResidentPages,
               (ull)m.LazyFreePages);
    static struct class_use u;
    memset(&u, 0, sizeof u);
    heap_for_each_span(count_span, &u);
    sys_printf("  class  size    scan-spans objects   noscan-spans objects\n");
    for (int c = 0; c < HEAP_NUM_SIZE_CLASSES; c++) {
        int a = c << 1, b = a | 1;
        if (!u.spans[a] && !u.spans[b])
            continue;
        char size[16];
        if (c)
            snprintf(size, sizeof size, "%zu", heap_class_to_size(c));
        else
            strcpy(size, "large");
        sys_printf("  %5d  %-6s  %10llu %-8llu  %12llu %llu\n", c, size, (ull)u.spans[a],
                   (ull)u.objects[a], (ull)u.spans[b], (ull)u.objects[b]);
    }
    if (u.stacks)
        sys_printf("  stacks: %llu spans, %llu KiB\n", (ull)u.stacks, (ull)(u.stack_bytes >> 10));
    if (verbose > 0) {
        for (heap_region_t *r = heap_g.regions; r; r = r->next)
            for (size_t ci = 0; ci < r->ngrown; ci++) {
                chunk_t *ch = &r->chunks[ci];
                size_t scav = 0;
                for (int w = 0; w < HEAP_CHUNK_WORDS; w++)
                    scav += (size_t)__builtin_popcountll(ch->scav[w]);
                sys_printf("  chunk %p: %u free pages (%zu released), longest run %u\n",
                           (void *)(r->base + ci * HEAP_CHUNK_BYTES), ch->nfree, scav, ch->max);
            }
    }
}

// See heap.h.
const char *heap_describe_addr(uintptr_t addr) {
    static char buf[160];
    if (!heap_hot.ready)
        return NULL;
    span_t *s = heap_span_of_any((void *)addr);
    if (!s) {
        if (!region_of(addr))
            return NULL;
        snprintf(buf, sizeof buf, "free heap page at %p", (void *)addr);
        return buf;
    }
    if (s->state == SPAN_STACK) {
        uintptr_t lo = s->base + HEAP_STACK_GUARD, hi = s->base + s->npages * HEAP_PAGE_SIZE;
        snprintf(buf, sizeof buf, "%s of goroutine stack [%p, %p)%s",
                 addr < lo ? "guard page" : "inside", (void *)lo, (void *)hi,
                 addr < lo ? ": stack overflow" : "");
        return buf;
    }
    size_t i = 0;
    void *obj = span_object_of(s, (void *)addr, &i);
    snprintf(buf, sizeof buf, "heap %s object %p (size class %d, %zu bytes, %s, slot %zu)",
             spanclass_noscan(s->spanclass) ? "noscan" : "scan", obj,
             spanclass_sizeclass(s->spanclass), s->elemsize,
             obj && span_is_allocated(s, i) ? "allocated" : "free", i);
    return buf;
}

// See heap.h.
void heap_print_metrics(void) {
    heap_metric_t ms[HEAP_NUM_METRICS];
    size_t n = heap_read_metrics(ms, HEAP_NUM_METRICS);
    for (size_t i = 0; i < n; i++)
        sys_printf("%s %llu\n", ms[i].name, (ull)ms[i].value);
}
