// The allocation profiler (rt/prof.c): counting at the allocator agrees with
// MemStats.Mallocs; rate 1 records every allocation per site (alloc and in-use
// objects and bytes); sites nest and each goroutine has its own; large objects are
// tracked with site and type. (Its pprof encoding is golib's: pprof_test.c.)
#include "tests/unit/rt_test_util.h"
#include "mm/heap.h"
#include "rt/sched.h"

static uint64_t heap_mallocs(void) {
    static struct memstats ms;
    heap_read_memstats(&ms);
    return ms.Mallocs;
}

static void counting_at_the_hook_agrees_with_memstats_mallocs(void **state) {
    (void)state;
    rt_new(&gotype_int64); // heap up
    uint64_t h0 = heap_mallocs(), g0 = prof_mallocs();
    for (int i = 0; i < 1000; i++) {
        rt_mallocgc((size_t)(1 + i % 100), NULL, false); // tiny ones included
        rt_new(&gotype_string);
        rt_newarray(&gotype_int64, (size_t)(i % 7)); // zero-sized: neither counts
    }
    rt_mallocgc(100000, NULL, true);
    assert_int_equal(prof_mallocs() - g0, heap_mallocs() - h0);
    assert_int_equal(prof_mallocs() - g0, 1000 + 1000 + 857 + 1);
}

static void *big[10]; // registered as a root while a test keeps the big objects

// The tests below expect a dropped large object to be freed: the arena's base is
// pinned first (gc_test_pin_arena_base), by an unsampled allocation.
__attribute__((noinline)) static void pin_arena_base(void) {
    int64_t rate = prof_set_rate(0);
    gc_test_pin_arena_base();
    prof_set_rate(rate);
}

static void rate_1_records_every_allocation_per_site(void **state) {
    (void)state;
    pin_arena_base();
    prof_set_rate(1);
    gc_add_root(big, sizeof big, NULL);
    rt_test_alloc_at("test.big", 10, 1 << 20, big);
    rt_test_alloc_at("test.small", 1000, 64, NULL);
    prof_site_stats_t s[8];
    size_t n = prof_sites(s, 8);
    assert_int_equal(n, 2);
    assert_string_equal(s[0].name, "test.big");
    assert_int_equal(s[0].alloc_objects, 10);
    assert_int_equal(s[0].alloc_space, 10 << 20);
    assert_int_equal(s[0].inuse_objects, 10);
    assert_int_equal(s[0].inuse_space, 10 << 20);
    assert_string_equal(s[1].name, "test.small");
    assert_int_equal(s[1].alloc_objects, 1000);
    assert_int_equal(s[1].alloc_space, 64000);
    // Once nothing keeps the objects, a collection frees them: nothing is in use, the
    // allocation totals stay.
    memset(big, 0, sizeof big);
    gc_remove_root(big);
    gc_test_collect();
    n = prof_sites(s, 8);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s[i].inuse_objects, 0);
        assert_int_equal(s[i].inuse_space, 0);
    }
    assert_true(s[0].alloc_space == 10 << 20 || s[1].alloc_space == 10 << 20);
    gc_test_unpin_arena_base();
    prof_set_rate(opt_int("memprofilerate"));
}

static void nested_sites_form_a_stack_and_untagged_sites_use_the_caller(void **state) {
    (void)state;
    prof_set_rate(1);
    {
        PROF_SITE("main.outer");
        rt_test_alloc_at("main.inner", 3, 48, NULL);
    }
    rt_new(&gotype_string); // no site named: a return address
    prof_site_stats_t s[8];
    size_t n = prof_sites(s, 8);
    assert_int_equal(n, 2);
    bool inner = false, pc = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s[i].name, "main.inner") == 0 && s[i].alloc_objects == 3)
            inner = true;
        else if (s[i].alloc_objects == 1)
            pc = true; // named by dladdr or "0x..."
    }
    assert_true(inner && pc);
    prof_set_rate(opt_int("memprofilerate"));
}

// Two goroutines allocate inside their own PROF_SITE scopes and yield in between:
// each allocation is attributed to its own goroutine's site.
typedef struct site_arg {
    const char *site;
    int n;
    int *done;
} site_arg_t;

static void site_body(void *p) {
    site_arg_t *a = p;
    {
        PROF_SITE(a->site);
        for (int i = 0; i < a->n; i++) {
            rt_mallocgc(32, NULL, false);
            sched_gosched();
        }
    }
    (*a->done)++;
}

static void sites_main(void *p) {
    (void)p;
    static int done;
    done = 0;
    site_arg_t a = {"g.alpha", 5, &done}, b = {"g.beta", 9, &done};
    sched_go(site_body, &a, sizeof a);
    sched_go(site_body, &b, sizeof b);
    while (done < 2)
        sched_gosched();
}

static void each_goroutine_has_its_own_site_stack(void **state) {
    (void)state;
    prof_set_rate(1);
    assert_int_equal(sched_run_main(sites_main, NULL), SCHED_OK);
    sched_reset();
    prof_site_stats_t s[16];
    size_t n = prof_sites(s, 16);
    int alpha = -1, beta = -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s[i].name, "g.alpha") == 0)
            alpha = (int)s[i].alloc_objects;
        if (strcmp(s[i].name, "g.beta") == 0)
            beta = (int)s[i].alloc_objects;
    }
    assert_int_equal(alpha, 5);
    assert_int_equal(beta, 9);
    prof_set_rate(opt_int("memprofilerate"));
}

// Tracking large objects: every one of them, sampled or not, with its site and type,
// largest first; freed ones leave; the profile's numbers do not change.
// Fills big[0..5) at two sites (no copy of a pointer stays in this frame).
__attribute__((noinline)) static void alloc_large_objects(void) {
    {
        PROF_SITE("os.ReadFile");
        big[0] = rt_newarray(&gotype_uint8, 3 << 20);
        big[1] = rt_newarray(&gotype_uint8, 1 << 20);
    }
    PROF_SITE("main.fill");
    big[2] = rt_newarray(&gotype_int64, 1 << 16); // 512 KiB of int64
    big[3] = rt_mallocgc(2 << 20, NULL, false);    // untyped
    big[4] = rt_mallocgc(32768, NULL, false);      // small: not tracked
}

static void large_objects_are_tracked_with_site_and_type(void **state) {
    (void)state;
    pin_arena_base();
    prof_set_rate(0); // no samples at all: tracking alone
    prof_track_large(32769);
    gc_add_root(big, sizeof big, NULL);
    alloc_large_objects();
    prof_object_t o[8];
    size_t n = prof_large_objects(o, 8);
    assert_int_equal(n, 4);
    assert_ptr_equal((void *)o[0].addr, big[0]);
    assert_int_equal(o[0].size, 3 << 20);
    assert_string_equal(o[0].site, "os.ReadFile");
    assert_string_equal(o[0].type, "uint8");
    assert_true(o[0].array);
    assert_ptr_equal((void *)o[1].addr, big[3]);
    assert_null(o[1].type);
    assert_string_equal(o[1].site, "main.fill");
    assert_ptr_equal((void *)o[2].addr, big[1]);
    assert_ptr_equal((void *)o[3].addr, big[2]);
    assert_string_equal(o[3].type, "int64");
    assert_int_equal(prof_large_objects(o, 2), 2); // the two largest
    assert_int_equal(o[1].size, 2 << 20);
    prof_site_stats_t s[4];
    assert_int_equal(prof_sites(s, 4), 0); // tracked sites are not samples
    big[0] = NULL; // freed by the next collection: it leaves the list
    memset(o, 0, sizeof o); // (o holds its address: the stack is scanned conservatively)
    gc_test_collect();
    n = prof_large_objects(o, 8);
    assert_int_equal(n, 3);
    assert_ptr_equal((void *)o[0].addr, big[3]);
    prof_reset(); // a fresh runtime forgets them (the heap is gone)
    assert_int_equal(prof_large_objects(o, 8), 0);
    memset(big, 0, sizeof big);
    gc_remove_root(big);
    gc_test_unpin_arena_base();
    prof_track_large(0);
    prof_set_rate(opt_int("memprofilerate"));
}

RUN_TESTS(RT_TEST(each_goroutine_has_its_own_site_stack),
          RT_TEST(large_objects_are_tracked_with_site_and_type),
          RT_TEST(counting_at_the_hook_agrees_with_memstats_mallocs),
          RT_TEST(rate_1_records_every_allocation_per_site),
          RT_TEST(nested_sites_form_a_stack_and_untagged_sites_use_the_caller))

