// The allocation entry points (rt/alloc.h): mallocgc = the heap's allocation + the
// pacer's check + gcstress + gcpoison + the profiler hook + the allocation watch.
// Out of memory runs a forced collection and tries once more before it panics.
//
// The fast path is one predictable branch and the heap's inline fast path
// (mm/malloc_inline.h): while heapLive < rt_alloc_slow_at, nothing but the heap
// needs to see an allocation, so rt_mallocgc is the heap's nextFreeFast and nothing
// else. Everything else is alloc_slow, out of line. The folded word is
//
//   rt_alloc_slow_at = 0                              any reason in rt_alloc_slow_reasons
//                    = min(gc_next_check, the watch)  otherwise
//
// and it is enough to check it before the allocation: the fast path leaves heapLive
// unchanged (it grows only when a span enters the mcache or a large object is
// allocated, both on the slow path, which checks the pacer and the watch after the
// allocation as before). rt_alloc_refold recomputes it; whoever changes an input calls
// it: the pacer when it moves gc_next_check (rt/gc.c repace, gc_alloc_check_slow),
// gc_init when it reads gcstress/gcpoison (through repace), rt/gc.c when an incremental
// cycle's marking starts or ends (gc_marking), prof_init when it installs
// the hook, rt_set_alloc_watch and the watch firing, and the slow path itself, after
// every allocation it makes. heap_init/heap_destroy need no call: an allocation with no
// heap finds only the mcache's placeholder spans, misses the fast path and sets the
// heap up in alloc_slow. The slow path checks that no input changed without a refold.
//
// While an incremental cycle marks, every allocation must be allocated black and
// charged to the assist, but nothing else: a second folded word, rt_alloc_mark_at
// (the same threshold when marking is the only reason, else 0), sends it to
// alloc_marking, the heap's fast path followed by gc_alloc_black_assist_in (Go's
// mallocgc while gcphase is _GCmark: gcmarknewobject and the assist's debt), inline
// and given the span the fast path took the object from (no lookup), and only what
// that fast path cannot serve to alloc_slow.
#include "rt/alloc.h"
#include "rt/gc_internal.h"
#include "rt/gc_barrier.h"
#include "mm/heap.h"
#include "sys/sys.h"

void (*rt_alloc_hook)(void *p, size_t size, const gotype_t *t);
void (*rt_free_hook)(void *p, size_t size);

uint64_t rt_alloc_watch_at = UINT64_MAX;
static void (*alloc_watch_fn)(void);

uint64_t rt_alloc_slow_at; // 0 until the first refold: the first allocation sets up
uint64_t rt_alloc_mark_at; // see the top: 0 unless marking is the only reason
unsigned rt_alloc_slow_reasons;

static int64_t stress_left;

// The reasons every allocation must take the slow path, now.
static unsigned slow_reasons(void) {
    unsigned r = 0;
    if (!heap_ready())
        r |= RT_ALLOC_SLOW_NO_HEAP;
    if (gc_opt_stress > 0)
        r |= RT_ALLOC_SLOW_STRESS;
    if (gc_opt_poison)
        r |= RT_ALLOC_SLOW_POISON;
    if (rt_alloc_hook)
        r |= RT_ALLOC_SLOW_HOOK;
    if (gc_marking)
        r |= RT_ALLOC_SLOW_MARKING;
    return r;
}

// The heapLive at which an allocation must look at the pacer or the watch.
static uint64_t slow_threshold(void) {
    return gc_next_check < rt_alloc_watch_at ? gc_next_check : rt_alloc_watch_at;
}

// See rt/alloc.h.
void rt_alloc_refold(void) {
    rt_alloc_slow_reasons = slow_reasons();
    uint64_t at = slow_threshold();
    rt_alloc_slow_at = rt_alloc_slow_reasons ? 0 : at;
    rt_alloc_mark_at = rt_alloc_slow_reasons == RT_ALLOC_SLOW_MARKING ? at : 0;
}

// A refold is missing when the word lets the fast path run although an input says it
// must not: a reason set (but no heap, see the top) or a threshold moved lower.
static void check_folded(void) {
    if (rt_alloc_mark_at != 0 &&
        (slow_reasons() != RT_ALLOC_SLOW_MARKING || slow_threshold() < rt_alloc_mark_at))
        sys_panic("rt_mallocgc: the marking word is stale (mark_at %llu, reasons %#x, "
                  "threshold %llu): an input changed without rt_alloc_refold",
                  (unsigned long long)rt_alloc_mark_at, slow_reasons(),
                  (unsigned long long)slow_threshold());
    if (rt_alloc_slow_at == 0)
        return;
    unsigned r = slow_reasons() & ~RT_ALLOC_SLOW_NO_HEAP;
    if (r || slow_threshold() < rt_alloc_slow_at)
        sys_panic("rt_mallocgc: the fast-path word is stale (slow_at %llu, reasons %#x, "
                  "threshold %llu): an input changed without rt_alloc_refold",
                  (unsigned long long)rt_alloc_slow_at, r,
                  (unsigned long long)slow_threshold());
}

// See rt/alloc.h.
void rt_set_alloc_watch(uint64_t at, void (*fn)(void)) {
    alloc_watch_fn = fn;
    rt_alloc_watch_at = fn ? at : UINT64_MAX;
    rt_alloc_refold();
}

// The watch fired: disarm it, then call its function (which may re-arm it).
static void alloc_watch_fire(void) {
    rt_alloc_watch_at = UINT64_MAX;
    rt_alloc_refold();
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

// Everything but the fast path: heap setup, gcstress, the heap's slow path, OOM
// recovery, gcpoison, then allocate-black and the assist while marking, the hook, the
// pacer's check and the watch, in that order.
__attribute__((noinline)) static void *alloc_slow(size_t size, const gotype_t *t,
                                                  bool needzero) {
    check_folded();
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
    if (gc_marking) // an incremental cycle marks: allocate black, assist
        gc_alloc_black_assist(p, size);
    if (rt_alloc_hook)
        rt_alloc_hook(p, size, t);
    if (heap_live() >= gc_next_check)
        gc_alloc_check_slow();
    if (heap_live() >= rt_alloc_watch_at)
        alloc_watch_fire();
    rt_alloc_refold();
    return p;
}

// The heap's fast path's answer when it cannot serve an allocation: none.
static void *fast_path_missed(size_t size, const gotype_t *t, bool needzero) {
    (void)size, (void)t, (void)needzero;
    return NULL;
}

// An allocation while an incremental cycle marks and nothing else needs the slow
// path (see the top): allocate black and assist after the heap's fast path, or the
// slow path (which does both) when that path cannot serve it.
__attribute__((noinline)) static void *alloc_marking(size_t size, const gotype_t *t,
                                                     unsigned scan, bool needzero) {
    void *p = heap_malloc_fast(size, t, scan, needzero, fast_path_missed);
    if (!p)
        return alloc_slow(size, t, needzero);
    gc_alloc_black_assist_in(heap_mcache_span_for(size, scan), p, size);
    return p;
}

// See rt/alloc.h.
void *rt_mallocgc(size_t size, const gotype_t *t, bool needzero) {
    // Memory that may hold pointers is always zeroed, as Go (growslice and friends
    // pass needzero=false only for pointer-free types): a stale word in a pointer
    // slot would otherwise be followed by the precise scan.
    // t == NULL (noscan bytes) reads the placeholder's ptrdata: a conditional move,
    // not a branch out of line and back.
    static const gotype_t no_type = {.name = "noscan"};
    unsigned scan = (t ? t : &no_type)->ptrdata != 0;
    needzero |= scan;
    if (__builtin_expect(heap_live() < rt_alloc_slow_at, 1))
        return heap_malloc_fast(size, t, scan, needzero, alloc_slow);
    if (heap_live() < rt_alloc_mark_at)
        return alloc_marking(size, t, scan, needzero);
    return alloc_slow(size, t, needzero);
}

void *rt_new(const gotype_t *t) { return rt_mallocgc(t->size, t, true); }

// See rt/alloc.h.
void *rt_newarray(const gotype_t *elem, size_t n) {
    if (elem->size && n > SIZE_MAX / elem->size)
        sys_panic("runtime: allocation size out of range (%zu x %s)", n, elem->name);
    return rt_mallocgc(elem->size * n, elem, true);
}
