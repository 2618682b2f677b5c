// Helpers shared by the GC host tests: hidden pointers (a test must not keep the
// address of an object it expects to be freed anywhere the conservative stack scan
// would find it), stack clearing, liveness, and a fresh runtime per test.
#ifndef SPANLAB_GC_TEST_UTIL_H
#define SPANLAB_GC_TEST_UTIL_H

#include "tests/unit/test.h"
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/types.h"
#include "sys/options.h"

// From rt/gc_internal.h: the mark work list's capacity (tests shrink it).
size_t gc_set_worklist_cap(size_t entries);

#define GC_TEST_MASK 0x5a5a5a5a5a5a5a5aull
#define HIDE(p) ((uintptr_t)(p) ^ GC_TEST_MASK)
#define SHOW(h) ((void *)((uintptr_t)(h) ^ GC_TEST_MASK))

// Overwrites the dead stack below the caller with zeros, so stale copies of
// pointers left by earlier calls are not found by the conservative scan.
// no_sanitize_address: no redzones, so the array reaches up to the saved registers.
__attribute__((noinline, no_sanitize_address)) static void gc_test_clear_stack(void) {
    volatile char buf[64 * 1024];
    for (size_t i = 0; i < sizeof buf; i += 8)
        *(volatile uint64_t *)&buf[i] = 0;
}

// A forced collection (everything swept on return) from a clean stack.
__attribute__((noinline, unused)) static void gc_test_collect(void) {
    gc_test_clear_stack();
    gc_collect(true);
}

// True when the hidden object is still allocated. Not inline: the real address
// must never live in the caller (the compiler would keep it in a callee-saved
// register across the next collection, where the conservative scan finds it).
__attribute__((noinline, unused)) static bool gc_test_alive(uintptr_t hidden) {
    volatile uintptr_t h = hidden;
    return heap_usable_size(SHOW(h)) != 0;
}

// A fresh heap and collector with the given options ("gcverify=1 ...").
// The first object of a fresh heap starts its first arena, and words equal to an
// arena's base are common in the harness's frames above a test (the heap's own code
// leaves arena bases there; a word with a zero low half equals one whenever the 64
// MiB-aligned arena lands 4 GiB-aligned, about one run in 64). The conservative stack
// scan rightly keeps what they point at, so a test that wants its objects dead first
// gives the arena's base to a rooted object of its own: no test object starts an arena.
static void *gc_test_arena_base_pin;
__attribute__((noinline, unused)) static void gc_test_pin_arena_base(void) {
    gc_add_root(&gc_test_arena_base_pin, sizeof gc_test_arena_base_pin, &gotype_pointer);
    gc_test_arena_base_pin = rt_mallocgc(64 << 10, NULL, false);
    if (((uintptr_t)gc_test_arena_base_pin & (HEAP_ARENA_BYTES - 1)) != 0)
        fail_msg("the pin %p does not start its arena", gc_test_arena_base_pin);
}

__attribute__((unused)) static void gc_test_unpin_arena_base(void) {
    gc_test_arena_base_pin = NULL;
    gc_remove_root(&gc_test_arena_base_pin);
}

static inline int gc_test_setup(const char *opts) {
    opt_parse(opts);
    if (heap_ready())
        heap_destroy();
    heap_init();
    gc_reset();
    // The incremental collector and the background scavenger on their work clocks, as
    // in a scenario: where cycles end and which pages are released, and so which
    // addresses objects land at, is the same on every run. On the wall clock a loaded
    // machine moved them, and now and then an object landed where a stale word in the
    // test's own frame (left by the setup's calls) pointed, and survived a collection
    // it had to die in (gc_mark_test, in make test under load).
    gc_pace_by_work(true);
    heap_scavenge_pace(HEAP_SCAV_PACE_ALLOC);
    return 0;
}

static inline int gc_test_teardown(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    heap_scavenge_pace(HEAP_SCAV_PACE_WALL);
    opt_parse("");
    return 0;
}

#endif
