// rt_mallocgc's folded check (rt/alloc.c): each reason alone (incremental marking
// included) zeroes rt_alloc_slow_at, and each input alone still sends allocations
// that the heap's fast path could serve to the slow path (the profiler hook sees
// every one, gcstress counts every one, the pacer collects at the first allocation
// at or past its threshold, also when a goal was lowered under the live heap, the
// watch fires at exactly its heapLive); an input changed without a refold is caught
// (the marking word's too); and the fast path's alloc cache crosses 64-slot
// boundaries and span ends exactly (heap_verify checks the cache against the alloc
// bits).
#include "tests/unit/gc_test_util.h"
#include "tests/unit/child.h"
#include "rt/gc_internal.h"
#include "rt/gc_barrier.h"

#define KEEP 40000
static void *keep[KEEP]; // a root: what the tests allocate stays live

static bool rooted; // keep is a root (a failed test leaves it so)

static int setup(const char *opts) {
    gc_test_setup(opts);
    memset(keep, 0, sizeof keep);
    if (!rooted)
        gc_add_root(keep, sizeof keep, &gotype_pointer);
    rooted = true;
    return 0;
}

static void teardown(void) {
    gc_remove_root(keep);
    rooted = false;
    gc_test_teardown(NULL);
}

static uint32_t num_gc(void) {
    gc_memstats_t ms;
    gc_read_memstats(&ms);
    return ms.NumGC;
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static void nop_hook(void *p, size_t size, const gotype_t *t) { (void)p, (void)size, (void)t; }
static void nop_watch(void) {}

// Every input alone sets its reason and zero; with none, the word is the lower threshold.
static void fold_word_names_each_input(void **state) {
    (void)state;
    setup("gogc=100");
    rt_mallocgc(32, NULL, true); // sets the heap up
    assert_int_equal(rt_alloc_slow_reasons, 0);
    assert_int_equal(rt_alloc_slow_at, min_u64(gc_next_check, rt_alloc_watch_at));
    assert_true(rt_alloc_slow_at > heap_live());

    gc_opt_stress = 5;
    rt_alloc_refold();
    assert_int_equal(rt_alloc_slow_reasons, RT_ALLOC_SLOW_STRESS);
    assert_int_equal(rt_alloc_slow_at, 0);
    gc_opt_stress = 0;

    gc_opt_poison = true;
    rt_alloc_refold();
    assert_int_equal(rt_alloc_slow_reasons, RT_ALLOC_SLOW_POISON);
    assert_int_equal(rt_alloc_slow_at, 0);
    gc_opt_poison = false;

    rt_alloc_hook = nop_hook;
    rt_alloc_refold();
    assert_int_equal(rt_alloc_slow_reasons, RT_ALLOC_SLOW_HOOK);
    assert_int_equal(rt_alloc_slow_at, 0);
    rt_alloc_hook = NULL;

    assert_int_equal(rt_alloc_mark_at, 0); // not marking

    gc_marking = true; // as an incremental cycle's mark phase sets it
    rt_alloc_refold();
    assert_int_equal(rt_alloc_slow_reasons, RT_ALLOC_SLOW_MARKING);
    assert_int_equal(rt_alloc_slow_at, 0);
    // marking alone: allocations below the threshold take alloc_marking
    assert_int_equal(rt_alloc_mark_at, min_u64(gc_next_check, rt_alloc_watch_at));
    gc_opt_stress = 5; // marking and another reason: every allocation is slow
    rt_alloc_refold();
    assert_int_equal(rt_alloc_mark_at, 0);
    gc_opt_stress = 0;
    gc_marking = false;
    rt_alloc_refold();
    assert_int_equal(rt_alloc_mark_at, 0);

    rt_set_alloc_watch(heap_live() + 1000, nop_watch);
    assert_int_equal(rt_alloc_slow_at, min_u64(gc_next_check, heap_live() + 1000));
    rt_set_alloc_watch(0, NULL);
    rt_alloc_refold();
    assert_int_equal(rt_alloc_slow_at, gc_next_check);

    heap_destroy();
    rt_alloc_refold();
    assert_int_equal(rt_alloc_slow_reasons, RT_ALLOC_SLOW_NO_HEAP);
    assert_int_equal(rt_alloc_slow_at, 0);
    teardown();
}

static size_t hook_calls, hook_bad;
static void *hook_last;
static void counting_hook(void *p, size_t size, const gotype_t *t) {
    hook_calls++;
    hook_last = p;
    hook_bad += size != 48 || t != NULL;
}

// The profiler hook alone: called once per allocation with what was allocated, also
// for allocations the fast path would have served.
static void hook_sees_every_allocation(void **state) {
    (void)state;
    setup("gogc=off");
    hook_calls = hook_bad = 0;
    rt_alloc_hook = counting_hook;
    rt_alloc_refold();
    for (int i = 0; i < 1000; i++) {
        keep[i] = rt_mallocgc(48, NULL, true);
        assert_ptr_equal(hook_last, keep[i]);
    }
    rt_alloc_hook = NULL;
    rt_alloc_refold();
    for (int i = 0; i < 1000; i++)
        keep[1000 + i] = rt_mallocgc(48, NULL, true);
    assert_int_equal(hook_calls, 1000);
    assert_int_equal(hook_bad, 0);
    teardown();
}

// gcstress alone: every allocation counts, fast-path sizes too.
static void stress_counts_every_allocation(void **state) {
    (void)state;
    setup("gcmode=stw gcstress=7 gogc=off"); // stw: each stress point is a whole cycle
    for (int i = 0; i < 700; i++)
        keep[i] = rt_mallocgc(32, NULL, true);
    assert_int_equal(num_gc(), 100);
    teardown();
}

// The pacer: a cycle starts exactly at the first allocation that leaves heapLive at or
// past gc_next_check, and heapLive never stays past it without one. (gcmode=stw: the
// cycle also ends there, so NumGC counts it at once; an incremental one ends later.)
static void pacer_collects_at_its_threshold(void **state) {
    (void)state;
    setup("gcmode=stw gogc=100");
    uint32_t cycles = 0;
    for (int i = 0; i < KEEP && cycles < 2; i++) {
        uint64_t check = gc_next_check;
        uint32_t n = num_gc();
        keep[i] = rt_mallocgc(512, NULL, true);
        if (num_gc() != n) {
            assert_int_equal(num_gc(), n + 1);
            assert_true(gc_last_cycle()->heap_before >= check);
            cycles++;
        } else {
            assert_true(heap_live() < gc_next_check);
        }
    }
    assert_int_equal(cycles, 2);
    teardown();
}

// A goal lowered under the live heap (SetGCPercent): the very next allocation, one the
// fast path could serve, collects.
static void lowered_goal_collects_at_next_allocation(void **state) {
    (void)state;
    setup("gcmode=stw gogc=100");
    // 2 MiB of 64-byte objects and five more: the cached span has free slots.
    int n = (2 << 20) / 64 + 5;
    for (int i = 0; i < n; i++)
        keep[i] = rt_mallocgc(64, NULL, true);
    assert_int_equal(num_gc(), 0);
    gc_set_percent(10);
    assert_true(heap_live() >= gc_next_check);
    keep[n] = rt_mallocgc(64, NULL, true);
    assert_int_equal(num_gc(), 1);
    teardown();
}

static int watch_fired;
static uint64_t watch_live;
static void on_watch(void) {
    watch_fired++;
    watch_live = heap_live();
}

// The watch: set at the current heapLive it fires at the next allocation (heapLive at
// or past it), once; set above, it fires at the allocation that first reaches it.
static void watch_fires_at_its_heap_live(void **state) {
    (void)state;
    setup("gogc=off");
    for (int i = 0; i < 10; i++)
        keep[i] = rt_mallocgc(32, NULL, true);
    watch_fired = 0;
    rt_set_alloc_watch(heap_live(), on_watch);
    keep[10] = rt_mallocgc(32, NULL, true);
    assert_int_equal(watch_fired, 1);
    keep[11] = rt_mallocgc(32, NULL, true);
    assert_int_equal(watch_fired, 1); // disarmed

    uint64_t at = heap_live() + 1;
    rt_set_alloc_watch(at, on_watch);
    int i = 12;
    for (; i < KEEP && watch_fired == 1; i++) {
        uint64_t before = heap_live();
        keep[i] = rt_mallocgc(32, NULL, true);
        if (watch_fired == 1)
            assert_true(heap_live() < at);
        else
            assert_true(before < at && watch_live >= at);
    }
    assert_int_equal(watch_fired, 2);
    rt_set_alloc_watch(0, NULL);
    teardown();
}

// Runs child, which changes an input without rt_alloc_refold and allocates on (exit
// 0: it was not caught; exit 3: its premise did not hold): it must die of the panic
// naming the stale word.
static void assert_stale_caught(void (*child)(void), const char *panic_says) {
    static char out[8192];
    int status = child_run(child, out, sizeof out);
    assert_false(WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3));
    assert_non_null(strstr(out, panic_says));
}

static void stale_child(void) {
    setup("gogc=off");
    for (int i = 0; i < 10; i++)
        keep[i] = rt_mallocgc(32, NULL, true);
    gc_opt_stress = 3; // no rt_alloc_refold: the fold is stale
    for (int i = 10; i < 10000; i++)
        keep[i] = rt_mallocgc(32, NULL, true);
    _exit(0);
}

// An input changed without rt_alloc_refold is named at the next slow allocation.
static void stale_fold_is_caught(void **state) {
    (void)state;
    assert_stale_caught(stale_child, "fast-path word is stale");
}

static void stale_marking_child(void) {
    setup("gcmode=inc gogc=off");
    for (int i = 0; i < 20000; i++) // marking work, so the cycle outlasts what follows
        keep[i] = rt_mallocgc(32, &gotype_pointer, true);
    gc_collect(false); // an incremental cycle starts: marking is the only slow reason
    if (!gc_running() || rt_alloc_mark_at == 0)
        _exit(3);
    gc_opt_stress = 3; // no rt_alloc_refold: the marking word is stale
    for (int i = 20000; i < 30000; i++) // the mcache was emptied: the first is slow
        keep[i] = rt_mallocgc(48, NULL, true);
    _exit(0);
}

// The marking word too: a reason added while marking, without a refold, is named at
// the next allocation the heap's fast path cannot serve.
static void stale_marking_word_is_caught(void **state) {
    (void)state;
    assert_stale_caught(stale_marking_child, "marking word is stale");
}

// The alloc cache across 64-slot boundaries and span ends: every slot of three spans of
// a class whose span holds 170 slots (48 B) and of one holding 512 (16 B, scan), each
// handed out once, in order within a span, heap_verify after every allocation near a
// boundary, and MemStats' count exact.
static void alloc_cache_crosses_words_and_spans(void **state) {
    (void)state;
    static const uint8_t mask[1] = {0x1};
    static const gotype_t p16 = {"p16", 16, 8, mask, 8, GOKIND_STRUCT};
    setup("gogc=off");
    struct {
        size_t size;
        const gotype_t *t;
        size_t per_span;
    } cls[] = {{48, NULL, 8192 / 48}, {16, &p16, 8192 / 16}};
    int k = 0;
    for (size_t c = 0; c < 2; c++) {
        uintptr_t prev = 0;
        for (size_t i = 0; i < 3 * cls[c].per_span; i++, k++) {
            uintptr_t p = (uintptr_t)rt_mallocgc(cls[c].size, cls[c].t, true);
            keep[k] = (void *)p;
            assert_int_equal(heap_usable_size((void *)p), cls[c].size);
            if (i % cls[c].per_span)
                assert_int_equal(p, prev + cls[c].size); // the next slot of the same span
            prev = p;
            size_t j = i % cls[c].per_span;
            if (j % 64 == 63 || j % 64 == 0 || j + 1 == cls[c].per_span)
                heap_verify();
        }
    }
    struct memstats ms;
    heap_read_memstats_nopages(&ms);
    assert_int_equal(ms.Mallocs, (uint64_t)k);
    assert_int_equal(ms.HeapObjects, (uint64_t)k);
    teardown();
}

RUN_TESTS(cmocka_unit_test(fold_word_names_each_input), cmocka_unit_test(hook_sees_every_allocation),
          cmocka_unit_test(stress_counts_every_allocation),
          cmocka_unit_test(pacer_collects_at_its_threshold),
          cmocka_unit_test(lowered_goal_collects_at_next_allocation),
          cmocka_unit_test(stale_marking_word_is_caught),
          cmocka_unit_test(watch_fires_at_its_heap_live), cmocka_unit_test(stale_fold_is_caught),
          cmocka_unit_test(alloc_cache_crosses_words_and_spans))
