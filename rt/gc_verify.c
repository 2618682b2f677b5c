// The collector's self-checks: gcverify (after marking, no marked object and no root
// points to an allocated unmarked object; after sweeping, exactly the marked objects
// remain and the heap's invariants hold) and gcpoison (freed objects are filled with
// a pattern that must still be intact when the slot is reused). Neither changes what
// a program measures: gcpoison touches only pages that are resident already.
#include "rt/gc_barrier.h"
#include "rt/gc_internal.h"
#include "rt/alloc.h"
#include "mm/heap.h"
#include "sys/sys.h"

typedef struct edge_ctx {
    uintptr_t from;     // object or root range holding the pointer
    const char *what;   // "object" or "root"
    bool precise;
} edge_ctx_t;

// Panics when v (in slot) points at an allocated object that is not marked, naming
// the holder and the field (the slot's offset in it).
static void check_target(uintptr_t v, uintptr_t slot, void *ctxp) {
    edge_ctx_t *c = ctxp;
    if (!gc_in_heap_bounds(v))
        return;
    span_t *s = heap_span_of((const void *)v);
    if (!s)
        return;
    size_t idx;
    void *obj = span_object_of(s, (const void *)v, &idx);
    if (!obj)
        return;
    if (!span_is_allocated(s, idx)) {
        if (c->precise)
            sys_panic("gcverify: %s %#lx holds %#lx, a free slot (dangling pointer)", c->what,
                      (unsigned long)c->from, (unsigned long)v);
        return;
    }
    if (!span_is_marked(s, idx))
        sys_panic("gcverify: %s %#lx field +%zu points to %#lx (object %p, %zu bytes), "
                  "which is allocated but not marked (a black-to-white edge)",
                  c->what, (unsigned long)c->from, (size_t)(slot - c->from), (unsigned long)v,
                  obj, s->elemsize);
}

__attribute__((no_sanitize_address)) static void check_root(const void *lo, const void *hi,
                                                            const gotype_t *t, void *ctx) {
    if (!t && !*(const bool *)ctx)
        return; // a conservative range, not checked (see gc_verify_marked_closure)
    edge_ctx_t c = {(uintptr_t)lo, "root", t != NULL};
    if (t) {
        size_t n = (size_t)((const char *)hi - (const char *)lo) / t->size;
        for (size_t k = 0; k < n; k++) {
            const uintptr_t *w = (const uintptr_t *)((const char *)lo + k * t->size);
            for (size_t i = 0; i < t->ptrdata / 8; i++)
                if (gotype_is_ptr_word(t, i) && w[i])
                    check_target(w[i], (uintptr_t)&w[i], &c);
        }
        return;
    }
    for (const uintptr_t *p = (const uintptr_t *)(((uintptr_t)lo + 7) & ~(uintptr_t)7);
         p < (const uintptr_t *)hi; p++)
        check_target(*p, (uintptr_t)p, &c);
}

static void check_object(void *obj, size_t size, bool marked, const span_t *s, void *ctx) {
    (void)size;
    (void)ctx;
    if (!marked || spanclass_noscan(s->spanclass))
        return;
    edge_ctx_t c = {(uintptr_t)obj, "object", true};
    gc_for_each_ptr_slot(obj, (span_t *)s, check_target, &c);
}

// See rt/gc_internal.h.
void gc_verify_marked_closure(bool check_stacks) {
    gc_for_each_root(check_root, &check_stacks);
    heap_for_each_object(check_object, NULL);
}

static void count_object(void *obj, size_t size, bool marked, const span_t *s, void *ctx) {
    (void)obj, (void)size, (void)marked, (void)s;
    (*(uint64_t *)ctx)++;
}

// See rt/gc_internal.h.
void gc_verify_after_sweep(uint64_t marked) {
    uint64_t n = 0;
    heap_for_each_object(count_object, &n);
    if (n != marked)
        sys_panic("gcverify: %llu objects allocated after the sweep, %llu were marked",
                  (unsigned long long)n, (unsigned long long)marked);
    heap_verify();
}

// Calls fn on each stretch of [obj, obj+size) that lies on resident 4 KiB pages
// (the page layer's state, sys_query_range). gcpoison reads and writes only those:
// a page without a frame holds nothing to poison or to check (it reads as zero when
// touched), and touching it would give it a frame, changing the very page counts a
// scenario measures. obj and size are multiples of 8.
static void for_resident(void *obj, size_t size, void (*fn)(uint64_t *w, size_t n)) {
    enum { CHUNK = 64 };
    uint8_t states[CHUNK];
    uintptr_t lo = (uintptr_t)obj, end = lo + size;
    uintptr_t page = lo & ~(uintptr_t)(SYS_PAGE_SIZE - 1);
    while (page < end) {
        size_t n = (end - page + SYS_PAGE_SIZE - 1) / SYS_PAGE_SIZE;
        if (n > CHUNK)
            n = CHUNK;
        sys_query_range((const void *)page, n, states);
        for (size_t i = 0; i < n; i++, page += SYS_PAGE_SIZE) {
            if (states[i] != SYS_PAGE_RESIDENT)
                continue;
            uintptr_t a = page < lo ? lo : page;
            uintptr_t b = page + SYS_PAGE_SIZE < end ? page + SYS_PAGE_SIZE : end;
            fn((uint64_t *)a, (b - a) / 8);
        }
    }
}

static void fill_words(uint64_t *w, size_t n) {
    for (size_t i = 0; i < n; i++)
        w[i] = GC_POISON;
}

static void check_words(uint64_t *w, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (w[i] != 0 && w[i] != GC_POISON)
            sys_panic("gcpoison: reused slot word %p is %#llx: written after it was freed",
                      (void *)&w[i], (unsigned long long)w[i]);
}

// See rt/gc_internal.h.
void gc_poison_fill(void *obj, size_t size) { for_resident(obj, size, fill_words); }

// See rt/gc_internal.h.
void gc_poison_check(void *obj, size_t size) { for_resident(obj, size, check_words); }

// See rt/gc_internal.h.
void gc_free_hook(void *obj, size_t size) {
    if (gc_marking) // only explicit frees (every span was swept before marking began)
        gc_mark_forget_spans();
    if (rt_free_hook)
        rt_free_hook(obj, size);
    if (gc_opt_poison)
        gc_poison_fill(obj, size);
}
