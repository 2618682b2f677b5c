// Marking: the tri-colour mark phase over mm/'s span mark bits, with an explicit,
// bounded work list and no recursion (runtime/mgcmark.go, mgcwork.go, mbitmap.go).
//
// Colours. White: mark bit clear. Grey: mark bit set and the object is on the work
// list (or was dropped by an overflow, see below). Black: marked and scanned. The
// invariant kept at the end of marking: no black object points to a white one, so
// every object reachable from the roots is marked. With gcmode=stw the world is
// stopped for the whole mark; with gcmode=inc marking runs in bounded slices
// (gc_mark_some) between which the mutator runs, kept sound by the deletion barrier
// (rt/gc_barrier.c shades through gc_shade) and by allocating black
// (gc_mark_new_object): see rt/gc_assist.c.
//
// Finding the object. A candidate word v is first checked against the heap's
// address bounds (the arenas' lowest and highest addresses), then mapped to its span
// in O(1) (arena index, page -> span), to its slot by the span's divMagic multiply,
// and accepted only if the slot is allocated. Any address inside the slot counts (an
// interior pointer keeps the whole object). Noscan objects are marked and never
// queued: their contents are never looked at.
//
// Scanning an object. Its pointer bits are read from the heap bitmap 64 at a time
// (one bit per 8-byte word, written by heap_malloc from the type's ptrmask); set
// bits are visited with count-trailing-zeros, so a nil pointer slot costs its
// bitmap step and one compare. Counted per cycle: pointer_slots_examined (set bits
// visited), words_scanned (words up to the last pointer word: the type's ptrdata,
// as Go scans), nonnil_pointers.
//
// Bounded work list. A fixed array of object addresses (GC_WORKLIST_DEFAULT
// entries of object and span, 1 MiB; static, so marking never allocates). When it is full, a newly
// marked object is left marked but unqueued, and the address range of such objects
// is remembered. When the list drains, every marked object of every scan span in
// that range is scanned again (rescanning a black object is harmless: its children
// are already marked, so it only costs time), which re-greys any children the
// dropped objects had; this repeats until a drain ends without overflow. Memory stays
// bounded; time degrades gracefully (Boehm's mark-stack overflow recovery).
#include "rt/gc_internal.h"
#include "mm/heap.h"
#include "sys/sys.h"

#define GC_WORKLIST_DEFAULT (64u * 1024)

gc_cycle_stats_t gc_cur;

typedef struct wl_entry {
    uintptr_t obj;
    span_t *span; // the object's span, found when it was marked: not looked up again
} wl_entry_t;
static wl_entry_t wl_buf[GC_WORKLIST_DEFAULT];
static size_t wl_cap = GC_WORKLIST_DEFAULT;
static size_t wl_n;
static bool wl_overflow;
static uintptr_t wl_ovf_lo, wl_ovf_hi;

static uintptr_t heap_lo, heap_hi; // bounds of the arenas, for a quick reject

#define MAX_ARENA_RANGES 4096
static uintptr_t arena_bases[MAX_ARENA_RANGES];
static size_t arena_bytes[MAX_ARENA_RANGES];

// A one-entry cache of the last span found: neighbouring objects usually share a
// span (lists and trees are allocated together), and the arena lookup is a chain of
// dependent loads. Only the span's object area [base, base + nelems*elemsize).
static uintptr_t sc_lo, sc_hi; // empty: v - sc_lo < 0 never holds
static span_t *sc_span;

// Returns the previous capacity; 0 restores the default.
size_t gc_set_worklist_cap(size_t entries) {
    size_t old = wl_cap;
    if (entries == 0 || entries > GC_WORKLIST_DEFAULT)
        entries = GC_WORKLIST_DEFAULT;
    wl_cap = entries;
    return old;
}

// Reads the arenas' address bounds (again at mark termination: the heap may grow
// while an incremental cycle marks).
void gc_mark_read_bounds(void) {
    size_t n = heap_arena_ranges(arena_bases, arena_bytes, MAX_ARENA_RANGES);
    if (n == 0) {
        heap_lo = 1;
        heap_hi = 0; // empty: rejects everything
    } else if (n > MAX_ARENA_RANGES) {
        heap_lo = 0;
        heap_hi = UINTPTR_MAX;
    } else {
        heap_lo = UINTPTR_MAX;
        heap_hi = 0;
        for (size_t i = 0; i < n; i++) { // not necessarily in address order
            if (arena_bases[i] < heap_lo)
                heap_lo = arena_bases[i];
            if (arena_bases[i] + arena_bytes[i] > heap_hi)
                heap_hi = arena_bases[i] + arena_bytes[i];
        }
    }
}

// Empties the work list and reads the heap bounds.
void gc_mark_begin(void) {
    wl_n = 0;
    sc_lo = 0; // empty span cache (spans change between cycles)
    sc_hi = 0;
    sc_span = NULL;
    wl_overflow = false;
    gc_mark_read_bounds();
}

// True when v is inside the arenas' address bounds.
bool gc_in_heap_bounds(uintptr_t v) { return v >= heap_lo && v < heap_hi; }

// Remembers an object that did not fit on the full work list (see the top).
__attribute__((noinline)) static void wl_overflowed(uintptr_t obj) {
    if (!wl_overflow || obj < wl_ovf_lo)
        wl_ovf_lo = obj;
    if (!wl_overflow || obj > wl_ovf_hi)
        wl_ovf_hi = obj;
    wl_overflow = true;
    gc_cur.worklist_overflows++;
}

static inline void wl_push(uintptr_t obj, span_t *s) {
    if (__builtin_expect(wl_n < wl_cap, 1))
        wl_buf[wl_n++] = (wl_entry_t){obj, s};
    else
        wl_overflowed(obj);
}

// Marks the allocated object containing v; returns true when newly marked.
// no_sanitize_address like its callers, the scanners: ASan's use-after-scope marks of
// an address-taken local inlined into a no_sanitize function would stay poisoned.
static inline __attribute__((always_inline, no_sanitize_address)) bool
mark_value(uintptr_t v, bool precise) {
    span_t *s;
    if (v - sc_lo < sc_hi - sc_lo) {
        s = sc_span;
    } else {
        if (v < heap_lo || v >= heap_hi)
            return false;
        s = heap_span_of((const void *)v);
        if (!s)
            return false;
        sc_span = s;
        sc_lo = s->base;
        sc_hi = s->base + (uintptr_t)s->nelems * s->elemsize;
    }
    uintptr_t off = v - s->base;
    size_t idx = s->nelems == 1 ? 0 : (size_t)(((uint64_t)off * s->divmul) >> 32);
    if (idx >= s->nelems)
        return false; // the span's tail, past its last slot
    void *obj = (void *)(s->base + idx * s->elemsize);
    // Even a precise pointer is checked against the allocation bits (cheap: most
    // spans are allocated below freeindex): marking a free slot would resurrect it.
    if (!span_is_allocated(s, idx)) {
        if (precise && gc_opt_verify)
            sys_panic("gcverify: pointer slot holds %#lx, inside free slot %zu of span "
                      "[%#lx, +%zu pages) (dangling pointer)",
                      (unsigned long)v, idx, (unsigned long)s->base, s->npages);
        return false;
    }
    // LAB 4 BEGIN: grey the object: mark it, count it, queue it unless its span is noscan
    if (span_mark(s, idx))
        return false;
    gc_cur.objects_marked++;
    gc_cur.bytes_marked += s->elemsize;
    if (!spanclass_noscan(s->spanclass)) {
        __builtin_prefetch(obj); // its words are needed when it is popped
        wl_push((uintptr_t)obj, s);
    }
    return true;
    // LAB 4 STUB
    // // Stub: queues noscan objects too and counts nothing.
    // bool already = span_mark(s, idx);
    // if (!already)
    //     wl_push((uintptr_t)obj, s);
    // return !already;
    // LAB 4 END
}

bool gc_mark_value(uintptr_t v, bool precise) { return mark_value(v, precise); }

// See rt/gc_internal.h. Not through the bounds: the object may lie in an arena the
// heap grew after gc_mark_begin read them.
bool gc_mark_new_object(const void *p) {
    span_t *s = heap_span_of(p);
    if (!s)
        return false;
    size_t idx;
    if (!span_object_of(s, p, &idx) || span_mark(s, idx))
        return false;
    gc_cur.objects_marked++;
    gc_cur.bytes_marked += s->elemsize;
    gc_cur.objects_allocated_black++;
    return true;
}

// See rt/gc_internal.h.
void gc_shade(uintptr_t v) {
    if (v >= heap_lo && v < heap_hi && mark_value(v, false))
        gc_cur.barrier_shaded++;
}

// The pointer bits of nbits (<= 64) words starting at bit index b of bitmap bm.
static inline uint64_t bits_at(const uint64_t *bm, size_t b, size_t nbits) {
    size_t w = b >> 6, sh = b & 63;
    uint64_t x = bm[w] >> sh;
    if (sh && sh + nbits > 64)
        x |= bm[w + 1] << (64 - sh);
    return nbits == 64 ? x : x & ((1ull << nbits) - 1);
}

// Scans one object: visits its pointer slots and marks their targets.
// Slots are visited from the last to the first, so the first child is pushed last
// and popped first: a structure allocated in depth-first order (trees, lists,
// arrays of pointers) is then marked in allocation order, which is address order.
__attribute__((no_sanitize_address)) static void scan_object(uintptr_t obj, span_t *s) {
    // LAB 4 BEGIN: scan an object: visit its pointer slots by the heap bitmap, mark their targets
    size_t nwords = span_scan_bytes(s) / 8;
    size_t b0 = (obj - s->base) >> 3;
    const uintptr_t *w = (const uintptr_t *)obj;
    uint64_t slots = 0, nonnil = 0, last = 0;
    for (size_t c = (nwords + 63) / 64; c-- > 0;) {
        size_t i = c * 64;
        size_t n = nwords - i < 64 ? nwords - i : 64;
        uint64_t bits = bits_at(s->heapbits, b0 + i, n);
        if (!bits)
            continue;
        if (!last)
            last = i + 64 - (size_t)__builtin_clzll(bits);
        while (bits) {
            size_t k = 63 - (size_t)__builtin_clzll(bits);
            bits &= ~(1ull << k);
            slots++;
            uintptr_t v = w[i + k];
            if (v) {
                nonnil++;
                mark_value(v, true);
            }
        }
    }
    gc_cur.objects_scanned++;
    gc_cur.scan_work += nwords * 8;
    gc_cur.pointer_slots_examined += slots;
    gc_cur.nonnil_pointers += nonnil;
    gc_cur.words_scanned += last;
    // LAB 4 STUB
    // // Stub: every word is a candidate pointer (the bitmap is not read); nothing is counted.
    // const uintptr_t *words = (const uintptr_t *)obj;
    // for (size_t k = 0; k < s->elemsize / 8; k++)
    //     mark_value(words[k], false);
    // LAB 4 END
}

// Calls fn for every non-nil pointer slot of obj (span s), for gcverify.
__attribute__((no_sanitize_address)) void gc_for_each_ptr_slot(void *objp, struct span *s,
                                                               void (*fn)(uintptr_t, void *),
                                                               void *ctx) {
    uintptr_t obj = (uintptr_t)objp;
    size_t nwords = span_scan_bytes(s) / 8;
    size_t b0 = (obj - s->base) >> 3;
    const uintptr_t *w = (const uintptr_t *)obj;
    for (size_t i = 0; i < nwords; i += 64) {
        size_t n = nwords - i < 64 ? nwords - i : 64;
        uint64_t bits = bits_at(s->heapbits, b0 + i, n);
        while (bits) {
            size_t k = (size_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            if (w[i + k])
                fn(w[i + k], ctx);
        }
    }
}

// Scans [lo, hi) word by word, every word a candidate pointer.
__attribute__((no_sanitize_address)) void gc_scan_conservative(const void *lo, const void *hi) {
    uintptr_t a = ((uintptr_t)lo + 7) & ~(uintptr_t)7;
    const uintptr_t *p = (const uintptr_t *)a, *end = (const uintptr_t *)hi;
    for (; p < end; p++) {
        uintptr_t v = *p;
        gc_cur.root_words++;
        if (v >= heap_lo && v < heap_hi)
            mark_value(v, false);
    }
}

// Scans n values of type t at addr by t's pointer bitmap.
__attribute__((no_sanitize_address)) void gc_scan_typed(const void *addr, size_t n,
                                                        const gotype_t *t) {
    if (gotype_noscan(t))
        return;
    const uint8_t *base = addr;
    for (size_t k = 0; k < n; k++) {
        const uintptr_t *w = (const uintptr_t *)(base + k * t->size);
        size_t nw = t->ptrdata / 8;
        for (size_t i = 0; i < nw; i++) {
            gc_cur.root_words++;
            if (gotype_is_ptr_word(t, i) && w[i])
                mark_value(w[i], true);
        }
    }
}

static void drain_list(void);

typedef struct rescan_ctx {
    uintptr_t lo, hi;
} rescan_ctx_t;

// Rescans the marked objects of one scan span inside the overflow range.
static void rescan_span(const span_t *cs, void *ctxp) {
    rescan_ctx_t *ctx = ctxp;
    span_t *s = (span_t *)cs; // marking writes mark bits, nothing else
    if (s->state != SPAN_INUSE || spanclass_noscan(s->spanclass))
        return;
    uintptr_t end = s->base + s->npages * HEAP_PAGE_SIZE;
    if (end <= ctx->lo || s->base > ctx->hi)
        return;
    for (size_t i = 0; i < s->nelems; i++) {
        if (!span_is_marked(s, i))
            continue;
        scan_object(s->base + i * s->elemsize, s);
        drain_list();
    }
}

// Scans queued objects until the list is empty (no overflow recovery). Marking is
// bound by cache misses on the objects' words, so popped objects pass through a
// small FIFO: each is prefetched when it enters and scanned GC_PREFETCH pops later,
// when its cache line has arrived (Boehm GC's mark prefetch queue, in spirit).
#ifndef GC_PREFETCH
#define GC_PREFETCH 8
#endif
static void drain_list(void) {
    wl_entry_t fifo[GC_PREFETCH];
    unsigned head = 0, n = 0;
    for (;;) {
        if (wl_n && n < GC_PREFETCH) {
            wl_entry_t e = wl_buf[--wl_n];
            __builtin_prefetch((const void *)e.obj);
            fifo[(head + n++) % GC_PREFETCH] = e;
            continue;
        }
        if (n == 0)
            return;
        wl_entry_t e = fifo[head];
        head = (head + 1) % GC_PREFETCH;
        n--;
        scan_object(e.obj, e.span);
    }
}

// See rt/gc_internal.h. Like drain_list, but stops taking entries from the work
// list once budget bytes were scanned; the prefetch FIFO is emptied before return
// (at most GC_PREFETCH objects past the budget), so nothing leaves the list unscanned.
uint64_t gc_mark_some(uint64_t budget) {
    uint64_t w0 = gc_cur.scan_work;
    for (;;) {
        wl_entry_t fifo[GC_PREFETCH];
        unsigned head = 0, n = 0;
        for (;;) {
            if (wl_n && n < GC_PREFETCH && gc_cur.scan_work - w0 < budget) {
                wl_entry_t e = wl_buf[--wl_n];
                __builtin_prefetch((const void *)e.obj);
                fifo[(head + n++) % GC_PREFETCH] = e;
                continue;
            }
            if (n == 0)
                break;
            wl_entry_t e = fifo[head];
            head = (head + 1) % GC_PREFETCH;
            n--;
            scan_object(e.obj, e.span);
        }
        if (wl_n || !wl_overflow || gc_cur.scan_work - w0 >= budget)
            return gc_cur.scan_work - w0;
        rescan_ctx_t ctx = {wl_ovf_lo, wl_ovf_hi};
        wl_overflow = false;
        heap_for_each_span(rescan_span, &ctx);
    }
}

// See rt/gc_internal.h.
bool gc_mark_work_left(void) { return wl_n != 0 || wl_overflow; }

// Scans until no grey object is left, recovering from overflow by rescanning.
void gc_mark_drain(void) {
    for (;;) {
        drain_list();
        if (!wl_overflow)
            return;
        rescan_ctx_t ctx = {wl_ovf_lo, wl_ovf_hi};
        wl_overflow = false;
        heap_for_each_span(rescan_span, &ctx);
    }
}
