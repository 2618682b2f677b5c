// The allocation entry points (rt/alloc.h): mallocgc = heap_malloc + the pacer's
// check + gcstress + the profiler hook. Out of memory runs a forced collection
// and tries once more before it panics.
#include "rt/alloc.h"
#include "rt/gc_internal.h"
#include "rt/gc_barrier.h"
#include "mm/heap.h"
#include "sys/sys.h"

void (*rt_alloc_hook)(void *p, size_t size, const gotype_t *t);
void (*rt_free_hook)(void *p, size_t size);

uint64_t rt_alloc_watch_at = UINT64_MAX;
static void (*alloc_watch_fn)(void);

static int64_t stress_left;

// See rt/alloc.h.
void rt_set_alloc_watch(uint64_t at, void (*fn)(void)) {
    alloc_watch_fn = fn;
    rt_alloc_watch_at = fn ? at : UINT64_MAX;
}

// The watch fired: disarm it, then call its function (which may re-arm it).
__attribute__((noinline)) static void alloc_watch_fire(void) {
    rt_alloc_watch_at = UINT64_MAX;
    if (alloc_watch_fn)
        alloc_watch_fn();
}

// Sets the heap up on first use and wires the collector to it.
static void ensure_heap(void) {
    gc_init();
    if (!heap_ready()) {
        heap_init();
        gc_heap_ready();
    }
}

// gcpoison on a slot heap_malloc returned unzeroed. Only a dirty span (one that held
// freed objects, Go's needzero) can hold an old object: its resident pages must read
// as poison or zero, and it is then zeroed exactly as heap_malloc would have (the
// slot; a large object's size). A clean slot is fresh from the page layer: nothing
// to check, and touching it would make its pages resident.
static void poison_check_reused(void *p, size_t size, bool needzero) {
    const span_t *s = heap_span_of(p);
    if (!s->needzero)
        return;
    gc_poison_check(p, s->elemsize);
    if (needzero)
        __builtin_memset(p, 0, s->elemsize > HEAP_MAX_SMALL_SIZE ? size : s->elemsize);
}

// The slow part of an allocation: heap setup, gcstress, OOM recovery, poison.
__attribute__((noinline)) static void *malloc_slow(size_t size, const gotype_t *t,
                                                   bool needzero) {
    ensure_heap();
    if (gc_opt_stress > 0 && --stress_left <= 0) {
        stress_left = gc_opt_stress;
        gc_stress_collect();
    }
    // gcpoison checks a reused slot before zeroing it itself. Tiny allocations share
    // a 16-byte block with others, so they are left to the heap.
    bool tiny = size < HEAP_TINY_SIZE && gotype_noscan(t);
    bool poison = gc_opt_poison && !tiny && size;
    void *p = heap_malloc(size, t, poison ? false : needzero);
    if (!p) {
        gc_collect(true);
        p = heap_malloc(size, t, poison ? false : needzero);
        if (!p)
            sys_panic("out of memory: allocating %zu bytes of %s (heap live %llu bytes)", size,
                      t ? t->name : "noscan", (unsigned long long)heap_live());
    }
    if (poison)
        poison_check_reused(p, size, needzero);
    return p;
}

// See rt/alloc.h.
void *rt_mallocgc(size_t size, const gotype_t *t, bool needzero) {
    void *p;
    // Memory that may hold pointers is always zeroed, as Go (growslice and friends
    // pass needzero=false only for pointer-free types): a stale word in a pointer
    // slot would otherwise be followed by the precise scan.
    if (t && t->ptrdata)
        needzero = true;
    if (__builtin_expect(!heap_ready() || gc_opt_stress > 0 || gc_opt_poison, 0))
        p = malloc_slow(size, t, needzero);
    else if (__builtin_expect(!(p = heap_malloc(size, t, needzero)), 0))
        p = malloc_slow(size, t, needzero);
    if (__builtin_expect(gc_marking, 0)) // an incremental cycle marks: allocate black, assist
        gc_alloc_black_assist(p, size);
    if (rt_alloc_hook)
        rt_alloc_hook(p, size, t);
    if (__builtin_expect(heap_live() >= gc_next_check, 0))
        gc_alloc_check_slow();
    if (__builtin_expect(heap_live() >= rt_alloc_watch_at, 0))
        alloc_watch_fire();
    return p;
}

void *rt_new(const gotype_t *t) { return rt_mallocgc(t->size, t, true); }

// See rt/alloc.h.
void *rt_newarray(const gotype_t *elem, size_t n) {
    if (elem->size && n > SIZE_MAX / elem->size)
        sys_panic("runtime: allocation size out of range (%zu x %s)", n, elem->name);
    return rt_mallocgc(elem->size * n, elem, true);
}
