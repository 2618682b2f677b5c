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
// Scanning an object. Its pointer bits are read from the heap bitmap (one bit per
// 8-byte word, written by heap_malloc from the type's ptrmask): one or two bitmap
// words for an object of at most 64 words, 64 bits at a time for larger ones. An
// object of at most 4 words is walked in straight-line code, each word loaded before
// its bit is tested; a larger one visits its set bits with bit-scan-reverse, from the
// last slot down, so a nil pointer slot costs its bitmap step and one compare.
// Counted per cycle:
// pointer_slots_examined (set bits visited), words_scanned (words up to the last
// pointer word: the type's ptrdata, as Go scans), nonnil_pointers.
//
// Bounded work list. A fixed array of object addresses and their spans
// (GC_WORKLIST_DEFAULT entries, 1 MiB; static, so marking never allocates), used as
// a stack by a marker that keeps its top in a register (see marker_t). When it
// is full, a newly marked object is left marked but unqueued, and the address range
// of such objects is remembered. When the list drains, every marked object of every
// scan span in that range is scanned again (rescanning a black object is harmless:
// its children are already marked, so it only costs time), which re-greys any
// children the dropped objects had; this repeats until a drain ends without
// overflow. Memory stays bounded; time degrades gracefully (Boehm's mark-stack
// overflow recovery). One grey object skips the list: a small object's first
// pointer word is visited last, and its target, when newly marked, would be pushed
// and popped at once, so it is handed over to the drain loop as the next object to
// scan instead (see drain_loop).
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
static wl_entry_t *wl_limit = wl_buf + GC_WORKLIST_DEFAULT; // the list's capacity
static bool wl_overflow;
static uintptr_t wl_ovf_lo, wl_ovf_hi;

static uintptr_t heap_lo, heap_hi; // bounds of the arenas, for a quick reject

#define MAX_ARENA_RANGES 4096
static uintptr_t arena_bases[MAX_ARENA_RANGES];
static size_t arena_bytes[MAX_ARENA_RANGES];

// The marker: the mark loop's working state (the work list's top, a one-entry span
// cache) and its counters. Every entry point copies it into a local (marker_load)
// and back (marker_store), so the compiler keeps it in registers through the loop:
// as globals, each would be reloaded and stored again after every mark-bit or
// work-list store, which might alias them. The counters count from zero and are
// added to gc_cur by marker_store (see there for how marked objects are counted).
// On binary trees the loop's time is set by a chain of dependent loads and by
// costly instructions more than by its instruction count: the object scanned next
// is nearly always the child just marked, so each object's scan waits for its
// parent's, and a bsr per object cost more than the table that replaced it. The
// chain is kept short (that child is handed over, not pushed and popped: see
// drain_loop) and bit scans off the small objects' path (see scan_words); the path
// from a pointer to a new grey object counts nothing and tests no option.
//
// A span cache: the last span found, as the range of its object area
// [lo, lo + len) = [base, base + nelems*elemsize) (empty: len = 0, never a hit).
// Neighbouring objects usually share a span (lists and trees are allocated
// together), and the arena lookup is a chain of dependent loads. The marker has one;
// allocate-black has its own (new objects come one after another from the mcache's
// span for their class).
typedef struct span_cache {
    uintptr_t lo, len;
    span_t *span;
} span_cache_t;

static inline bool span_cache_hit(const span_cache_t *c, uintptr_t v) {
    return v - c->lo < c->len;
}

static inline void span_cache_set(span_cache_t *c, span_t *s) {
    c->span = s;
    c->lo = s->base;
    c->len = (uintptr_t)s->nelems * s->elemsize;
}

// The slot of the cached span holding v (a hit), from the cached base.
static inline size_t span_cache_slot(const span_cache_t *c, uintptr_t v) {
    return span_slot_at(c->span, v - c->lo);
}

typedef struct marker {
    wl_entry_t *top; // the work list's next free entry
    span_cache_t sc;
    uint64_t scan_work;       // bytes of the objects scanned (large: their ptrbytes)
    uint64_t objects_scanned; // popped, handed over or rescanned
    uint64_t pointer_slots_examined, nonnil_pointers, words_scanned;
    uint64_t unscanned_bytes; // large objects scanned: their bytes past ptrbytes
    uint64_t rescanned, rescanned_bytes; // scanned again by overflow recovery
    uint64_t objects_marked, bytes_marked; // marked and not queued (see marker_store)
} marker_t;

// The state between entries (the counters live in gc_cur).
static size_t wl_n;
static span_cache_t mark_sc;

static inline marker_t marker_load(void) { return (marker_t){.top = wl_buf + wl_n, .sc = mark_sc}; }

// Counting marked objects. An object that goes on the work list (or is handed over)
// is counted as marked when it is scanned, each such object being scanned exactly
// once: the mark loop's hot path, pointer to new grey object, then counts nothing.
// Objects marked and not queued (noscan ones, those dropped by an overflow) are
// counted when marked; rescans by overflow recovery are taken back out. By mark
// termination every queued object was scanned, so a cycle's totals are exact.
static inline void marker_store(const marker_t *m) {
    wl_n = (size_t)(m->top - wl_buf);
    mark_sc = m->sc;
    gc_cur.objects_marked += m->objects_marked + m->objects_scanned - m->rescanned;
    gc_cur.bytes_marked +=
        m->bytes_marked + m->scan_work + m->unscanned_bytes - m->rescanned_bytes;
    gc_cur.objects_scanned += m->objects_scanned;
    gc_cur.scan_work += m->scan_work;
    gc_cur.pointer_slots_examined += m->pointer_slots_examined;
    gc_cur.nonnil_pointers += m->nonnil_pointers;
    gc_cur.words_scanned += m->words_scanned;
}

// Returns the previous capacity; 0 restores the default.
size_t gc_set_worklist_cap(size_t entries) {
    size_t old = (size_t)(wl_limit - wl_buf);
    if (entries == 0 || entries > GC_WORKLIST_DEFAULT)
        entries = GC_WORKLIST_DEFAULT;
    wl_limit = wl_buf + entries;
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
    gc_mark_forget_spans(); // spans change between cycles
    wl_overflow = false;
    gc_mark_read_bounds();
}

// True when v is inside the arenas' address bounds.
bool gc_in_heap_bounds(uintptr_t v) { return v >= heap_lo && v < heap_hi; }

// Remembers an object that did not fit on the full work list (see the top).
__attribute__((noinline)) static void wl_overflowed(uintptr_t obj, const span_t *s) {
    gc_cur.objects_marked++; // never popped: counted now (see marker_store)
    gc_cur.bytes_marked += s->elemsize;
    if (!wl_overflow || obj < wl_ovf_lo)
        wl_ovf_lo = obj;
    if (!wl_overflow || obj > wl_ovf_hi)
        wl_ovf_hi = obj;
    wl_overflow = true;
    gc_cur.worklist_overflows++;
}

// Queues obj (span s), or hands it over as the object to scan next when next is
// given (see drain_loop).
static inline __attribute__((always_inline)) void wl_push(marker_t *m, uintptr_t obj, span_t *s,
                                                        wl_entry_t *next) {
    if (next)
        *next = (wl_entry_t){obj, s};
    else if (__builtin_expect(m->top < wl_limit, 1))
        *m->top++ = (wl_entry_t){obj, s};
    else
        wl_overflowed(obj, s);
}

// The span holding v with v inside its object area (not in the tail past its last
// slot), or NULL.
static span_t *object_span_of(uintptr_t v) {
    span_t *s = heap_span_of((const void *)v);
    if (!s || v - s->base >= (uintptr_t)s->nelems * s->elemsize)
        return NULL;
    return s;
}

// The marker's span-cache miss path, out of line: object_span_of inside the bounds.
__attribute__((noinline)) static span_t *span_lookup(uintptr_t v) {
    return v >= heap_lo && v < heap_hi ? object_span_of(v) : NULL;
}

// A pointer into a free slot: refused (marking it would resurrect the slot); under
// gcverify a precise one is a dangling pointer and panics. Out of line: the mark
// loop keeps nothing alive for it.
__attribute__((noinline, cold)) static void free_slot_pointer(uintptr_t v, const span_t *s,
                                                            size_t idx, bool precise) {
    if (precise && gc_opt_verify)
        sys_panic("gcverify: pointer slot holds %#lx, inside free slot %zu of span "
                  "[%#lx, +%zu pages) (dangling pointer)",
                  (unsigned long)v, idx, (unsigned long)s->base, s->npages);
}

// Marks the allocated object containing v; returns true when newly marked. A newly
// marked scan object is queued, or handed over through next when next is given.
// no_sanitize_address like its callers, the scanners: ASan's use-after-scope marks of
// an address-taken local inlined into a no_sanitize function would stay poisoned.
static inline __attribute__((always_inline, no_sanitize_address)) bool
mark_value_to(marker_t *m, uintptr_t v, bool precise, wl_entry_t *next) {
    if (!span_cache_hit(&m->sc, v)) {
        span_t *found = span_lookup(v);
        if (!found)
            return false;
        span_cache_set(&m->sc, found);
    }
    span_t *s = m->sc.span;
    size_t idx = span_cache_slot(&m->sc, v);
    // Even a precise pointer is checked against the allocation bits (cheap: most
    // spans are allocated below freeindex): marking a free slot would resurrect it.
    if (__builtin_expect(!span_is_allocated(s, idx), 0)) {
        free_slot_pointer(v, s, idx, precise);
        return false;
    }
    void *obj = (void *)(s->base + idx * s->elemsize);
    // LAB 4 BEGIN: grey the object: mark it, count it, queue it unless its span is noscan
    if (span_mark(s, idx))
        return false;
    if (__builtin_expect(spanclass_noscan(s->spanclass), 0)) {
        m->objects_marked++; // never queued: counted now (see marker_store)
        m->bytes_marked += s->elemsize;
    } else {
        wl_push(m, (uintptr_t)obj, s, next); // counted as marked when scanned
    }
    return true;
    // LAB 4 STUB
    // // Stub: queues noscan objects too and counts nothing.
    // bool already = span_mark(s, idx);
    // if (!already)
    //     wl_push(m, (uintptr_t)obj, s, next);
    // return !already;
    // LAB 4 END
}

// mark_value_to with no hand-over: a newly marked scan object is queued.
static inline __attribute__((always_inline, no_sanitize_address)) bool
mark_value(marker_t *m, uintptr_t v, bool precise) {
    return mark_value_to(m, v, precise, NULL);
}

bool gc_mark_value(uintptr_t v, bool precise) {
    marker_t m = marker_load();
    bool marked = mark_value(&m, v, precise);
    marker_store(&m);
    return marked;
}

// Allocate-black's span cache (see span_cache_t).
static span_cache_t black_sc;

// See rt/gc_internal.h. Not through the bounds: the object may lie in an arena the
// heap grew after gc_mark_begin read them.
bool gc_mark_new_object(const void *p) {
    uintptr_t v = (uintptr_t)p;
    if (!span_cache_hit(&black_sc, v)) {
        span_t *found = object_span_of(v);
        if (!found)
            return false;
        span_cache_set(&black_sc, found);
    }
    return gc_mark_black_in(black_sc.span, p);
}

// See rt/gc_internal.h.
void gc_mark_forget_spans(void) {
    mark_sc = (span_cache_t){0};
    black_sc = (span_cache_t){0};
}

// See rt/gc_internal.h.
void gc_shade(uintptr_t v) {
    if (v < heap_lo || v >= heap_hi)
        return;
    marker_t m = marker_load();
    if (mark_value(&m, v, false))
        gc_cur.barrier_shaded++;
    marker_store(&m);
}

// The pointer bits of nbits (1..64) words starting at bit index b of bitmap bm: one
// load, two when they span a word boundary (then sh > 0, as nbits <= 64), and a mask
// that is a shift (nbits = 64 shifts by 0), so no case costs a branch of its own.
static inline uint64_t bits_at(const uint64_t *bm, size_t b, size_t nbits) {
    unsigned sh = b & 63;
    const uint64_t *w = bm + (b >> 6);
    uint64_t x = w[0] >> sh;
    if (__builtin_expect(sh + nbits > 64, 0))
        x |= w[1] << (64 - sh);
    return x & (~0ull >> (64 - nbits));
}

// One pointer slot holding v: counted, and its target marked unless v is nil (a
// newly marked scan object queued, or handed over through next when given).
static inline __attribute__((always_inline, no_sanitize_address)) void
visit_slot_to(marker_t *m, uintptr_t v, wl_entry_t *next) {
    m->pointer_slots_examined++;
    if (v) {
        m->nonnil_pointers++;
        mark_value_to(m, v, true, next);
    }
}

// visit_slot_to with no hand-over.
static inline __attribute__((always_inline, no_sanitize_address)) void
visit_slot(marker_t *m, uintptr_t v) {
    visit_slot_to(m, v, NULL);
}

// Visits the set bits of one bitmap chunk, bits (not 0) for the words w[0..63],
// from the highest, k, down, and marks the targets of the non-nil ones. The caller
// found k, and counted its words by it.
static inline __attribute__((always_inline, no_sanitize_address)) void
scan_chunk(marker_t *m, const uintptr_t *w, uint64_t bits, unsigned k) {
    for (;;) {
        bits = sys_clear_bit(bits, k);
        visit_slot(m, w[k]);
        if (!bits)
            return;
        k = sys_highest_bit(bits);
    }
}

// Visits the words of a small object of size bytes (8 to 32; bits, its pointer
// bits, has none past its last word) from the last down, and marks the targets of
// the non-nil pointer ones. Straight-line code, no loop: each word is loaded before
// its bit is tested, gated only on the size (known early), so the loads do not
// wait for the bitmap word and its shift: on binary trees that chain was on every
// object's path from its parent. Tests are predicted. Mark time per object, binary
// tree of depth 18 (best of 8 runs of 40 collections): a loop over the words with
// bsr counting them, 8.2 ns; the table, 7.7; this, 7.1.
// The first word is visited last; its target, when newly marked and scannable, is
// handed over through next instead of queued (see drain_loop).
static inline __attribute__((always_inline, no_sanitize_address)) void
scan_words(marker_t *m, const uintptr_t *w, uint64_t bits, size_t size, wl_entry_t *next) {
    if (size > 16) {
        uintptr_t v3 = size > 24 ? w[3] : 0, v2 = w[2];
        if (bits & 8)
            visit_slot(m, v3);
        if (bits & 4)
            visit_slot(m, v2);
    }
    uintptr_t v1 = size > 8 ? w[1] : 0, v0 = w[0];
    if (bits & 2)
        visit_slot(m, v1);
    if (bits & 1)
        visit_slot_to(m, v0, next);
}

// Scans an object of more than 64 words (a large object: its ptrbytes) 64 words at
// a time from the last chunk down.
static inline __attribute__((always_inline, no_sanitize_address)) void
scan_big_object(marker_t *m, uintptr_t obj, span_t *s) {
    size_t nwords = span_scan_bytes(s) / 8;
    size_t b0 = (obj - s->base) >> 3;
    const uintptr_t *w = (const uintptr_t *)obj;
    m->scan_work += nwords * 8;
    m->unscanned_bytes += s->elemsize - nwords * 8;
    size_t i = (nwords - 1) & ~(size_t)63; // the last chunk
    uint64_t bits = bits_at(s->heapbits, b0 + i, nwords - i);
    while (!bits) { // down to one with a pointer bit: words_scanned
        if (i == 0)
            return;
        i -= 64;
        bits = bits_at(s->heapbits, b0 + i, 64);
    }
    unsigned k = sys_highest_bit(bits);
    m->words_scanned += i + 1 + k;
    for (;;) {
        scan_chunk(m, w + i, bits, k);
        do {
            if (i == 0)
                return;
            i -= 64;
            bits = bits_at(s->heapbits, b0 + i, 64);
        } while (!bits);
        k = sys_highest_bit(bits);
    }
}

// Scans one object: visits its pointer slots and marks their targets.
// Slots are visited from the last to the first, so the first child is pushed last
// and popped first (a small object's is handed over through next instead: see
// drain_loop): a structure allocated in depth-first order (trees, lists, arrays of
// pointers) is then marked in allocation order, which is address order.
// An object of at most 64 words (every size class up to 512 B; noscan objects are
// never queued) takes its pointer bits from one or two bitmap words, with no loop
// over chunks; one of at most 4 words (classes up to 32 B) is walked word by word
// (scan_words), a larger one by its set bits (scan_chunk).
static inline __attribute__((always_inline, no_sanitize_address)) void
scan_object(marker_t *m, uintptr_t obj, span_t *s, wl_entry_t *next) {
    // LAB 4 BEGIN: scan an object: visit its pointer slots by the heap bitmap, mark their targets
    size_t size = s->elemsize;
    m->objects_scanned++;
    if (__builtin_expect(size <= 64 * 8, 1)) {
        uint64_t bits = bits_at(s->heapbits, (obj - s->base) >> 3, size >> 3);
        m->scan_work += size;
        if (bits) {
            if (size <= 4 * 8) {
                m->words_scanned += gc_small_words_scanned(bits);
                scan_words(m, (const uintptr_t *)obj, bits, size, next);
            } else {
                unsigned k = sys_highest_bit(bits);
                m->words_scanned += 1 + k;
                scan_chunk(m, (const uintptr_t *)obj, bits, k);
            }
        }
    } else {
        scan_big_object(m, obj, s);
    }
    // LAB 4 STUB
    // // Stub: every word is a candidate pointer (the bitmap is not read); only the scan
    // // work, the incremental mode's measure of progress, is counted.
    // const uintptr_t *words = (const uintptr_t *)obj;
    // for (size_t k = 0; k < s->elemsize / 8; k++)
    //     mark_value(m, words[k], false);
    // m->scan_work += s->elemsize;
    // LAB 4 END
}

// Calls fn for every non-nil pointer slot of obj (span s), for gcverify.
__attribute__((no_sanitize_address)) void
gc_for_each_ptr_slot(void *objp, struct span *s, void (*fn)(uintptr_t, uintptr_t, void *),
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
                fn(w[i + k], (uintptr_t)&w[i + k], ctx);
        }
    }
}

// Scans [lo, hi) word by word, every word a candidate pointer.
__attribute__((no_sanitize_address)) void gc_scan_conservative(const void *lo, const void *hi) {
    uintptr_t a = ((uintptr_t)lo + 7) & ~(uintptr_t)7;
    const uintptr_t *p = (const uintptr_t *)a, *end = (const uintptr_t *)hi;
    marker_t m = marker_load();
    if (p < end)
        gc_cur.root_words += (uint64_t)(end - p);
    for (; p < end; p++) {
        uintptr_t v = *p;
        if (v >= heap_lo && v < heap_hi)
            mark_value(&m, v, false);
    }
    marker_store(&m);
}

// Scans n values of type t at addr by t's pointer bitmap.
__attribute__((no_sanitize_address)) void gc_scan_typed(const void *addr, size_t n,
                                                        const gotype_t *t) {
    if (gotype_noscan(t))
        return;
    const uint8_t *base = addr;
    size_t nw = t->ptrdata / 8;
    gc_cur.root_words += (uint64_t)n * nw;
    marker_t m = marker_load();
    for (size_t k = 0; k < n; k++) {
        const uintptr_t *w = (const uintptr_t *)(base + k * t->size);
        for (size_t i = 0; i < nw; i++) {
            if (gotype_is_ptr_word(t, i) && w[i])
                mark_value(&m, w[i], true);
        }
    }
    marker_store(&m);
}

// Scans queued objects until the list is empty or about budget bytes of scan work
// were done (the last object may pass it); returns the scan work done. No overflow
// recovery. The list is a plain stack: the top is scanned next, so a structure
// allocated depth first is popped in address order, where the one-entry span cache
// almost always hits and the hardware prefetcher follows. Tried on binary trees and
// dropped: a software prefetch of each object when pushed (the last child pushed is
// popped at once, before the line could arrive; without it the GC's CPU share fell
// from 34% to 32%); scanning the top two entries together, with one or two span
// caches (more instructions and spills than the overlap saved); a FIFO of 8 popped
// objects between the stack and the scan (far subtrees interleaved: one child in
// four missed the span cache).
// The hand-over: the target of a small object's first pointer word, when newly
// marked and scannable, comes back through next and is scanned straight away; on a
// list or a depth-first tree it is the object the stack would have returned, minus
// a push, a pop and the store-to-load wait between them on every object's path
// (binary tree of depth 18, best of 12 runs of 40 collections: 6.95 -> 6.29 ns per
// object; 52.1 -> 49.1 instructions). When the budget is spent it is pushed.
// Under gcverify's barrier checker (gc_shadow_on, gcmode=inc) every scanned object
// is recorded too: a second copy of the loop, so the usual one tests nothing for it.
static inline __attribute__((always_inline, no_sanitize_address)) void
drain_loop(marker_t *m, uint64_t budget, bool record) {
    while (m->top != wl_buf && m->scan_work < budget) {
        wl_entry_t e = *--m->top;
        for (;;) {
            wl_entry_t next = {0, NULL};
            scan_object(m, e.obj, e.span, &next);
            if (record)
                gc_shadow_record_object(e.obj, e.span);
            if (!next.obj)
                break;
            if (m->scan_work >= budget) {
                wl_push(m, next.obj, next.span, NULL);
                break;
            }
            e = next;
        }
    }
}

__attribute__((no_sanitize_address)) static uint64_t drain(uint64_t budget) {
    marker_t m = marker_load();
    if (__builtin_expect(gc_shadow_on, 0))
        drain_loop(&m, budget, true);
    else
        drain_loop(&m, budget, false);
    marker_store(&m);
    return m.scan_work;
}

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
        marker_t m = marker_load();
        uintptr_t obj = s->base + i * s->elemsize;
        scan_object(&m, obj, s, NULL);
        if (gc_shadow_on)
            gc_shadow_record_object(obj, s);
        m.rescanned++; // counted as marked already
        m.rescanned_bytes += s->elemsize;
        marker_store(&m);
        drain(UINT64_MAX);
    }
}

// Rescans the overflow range (see the top): re-greys what the dropped objects point to.
static void rescan_overflow(void) {
    rescan_ctx_t ctx = {wl_ovf_lo, wl_ovf_hi};
    wl_overflow = false;
    heap_for_each_span(rescan_span, &ctx);
}

// See rt/gc_internal.h.
uint64_t gc_mark_some(uint64_t budget) {
    uint64_t done = 0;
    for (;;) {
        done += drain(budget - done);
        if (wl_n || !wl_overflow || done >= budget)
            return done;
        rescan_overflow();
    }
}

// See rt/gc_internal.h.
bool gc_mark_work_left(void) { return wl_n != 0 || wl_overflow; }

// Scans until no grey object is left, recovering from overflow by rescanning.
void gc_mark_drain(void) {
    for (;;) {
        drain(UINT64_MAX);
        if (!wl_overflow)
            return;
        rescan_overflow();
    }
}
