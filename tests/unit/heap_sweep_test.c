// Sweeping: unmarked objects are freed (and passed to the free hook), marked ones
// survive with their contents, empty spans return to the page allocator, spans are
// swept lazily before reuse, and a randomized mark/sweep sequence keeps MemStats
// exact against a model.
#include "tests/unit/test.h"
#include "mm/heap.h"

static void fresh_heap(void) {
    if (heap_ready())
        heap_destroy();
    heap_init();
}

static size_t hook_calls, hook_bytes;
static void count_hook(void *obj, size_t size) {
    (void)obj;
    hook_calls++;
    hook_bytes += size;
}

// Marks the object p points into.
static void mark(void *p) {
    span_t *s = heap_span_of(p);
    assert_non_null(s);
    size_t i;
    assert_non_null(span_object_of(s, p, &i));
    assert_true(span_is_allocated(s, i));
    span_mark(s, i);
}

static void sweep_frees_unmarked_and_keeps_marked(void **state) {
    (void)state;
    fresh_heap();
    hook_calls = hook_bytes = 0;
    heap_set_free_hook(count_hook);
    enum { N = 3000 };
    static uint64_t *p[N];
    for (int i = 0; i < N; i++) {
        p[i] = heap_malloc(48, NULL, true);
        p[i][0] = (uint64_t)i;
    }
    void *big_live = heap_malloc(1 << 20, NULL, true), *big_dead = heap_malloc(1 << 20, NULL, true);
    for (int i = 0; i < N; i += 3)
        mark(p[i] + 1); // interior pointer
    mark(big_live);
    assert_true(span_is_marked(heap_span_of(big_live), 0));
    heap_sweep_begin();
    assert_false(heap_sweep_done());
    heap_sweep_all();
    assert_true(heap_sweep_done());
    struct memstats m;
    heap_read_memstats(&m);
    size_t survivors = 0;
    for (int i = 0; i < N; i++) {
        span_t *s = heap_span_of(p[i]);
        size_t idx;
        if (s && span_object_of(s, p[i], &idx) && span_is_allocated(s, idx)) {
            survivors++;
            if (i % 3 == 0)
                assert_int_equal(p[i][0], (uint64_t)i);
        } else {
            assert_true(i % 3 != 0);
        }
    }
    assert_int_equal(m.HeapObjects, survivors + 1);
    assert_int_equal(survivors, N / 3);
    assert_int_equal(hook_calls, N - survivors + 1);
    assert_int_equal(hook_bytes, (N - survivors) * 48 + (1 << 20));
    assert_null(heap_span_of(big_dead)); // its pages are free
    assert_non_null(heap_span_of(big_live));
    assert_false(span_is_marked(heap_span_of(big_live), 0)); // marks cleared
    heap_verify();
    heap_set_free_hook(NULL);
    heap_destroy();
}

static void sweep_returns_empty_spans_and_reuses_swept_ones(void **state) {
    (void)state;
    fresh_heap();
    for (int i = 0; i < 10000; i++)
        heap_malloc(128, NULL, true);
    struct memstats before, after;
    heap_read_memstats(&before);
    heap_sweep_begin(); // nothing marked: everything is garbage
    // Lazy: allocating sweeps spans of the class before taking new pages.
    void *q = heap_malloc(128, NULL, true);
    assert_non_null(q);
    heap_sweep_all();
    heap_read_memstats(&after);
    assert_int_equal(after.HeapObjects, 1);
    assert_int_equal(after.HeapAlloc, 128);
    assert_true(after.HeapInuse <= 2 * HEAP_PAGE_SIZE);
    assert_int_equal(after.HeapSys, before.HeapSys); // no growth
    assert_int_equal(after.Frees, 10000);
    heap_verify();
    heap_destroy();
}

static uint64_t rng = 12345;
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void sweep_random_cycles_keep_stats_exact(void **state) {
    (void)state;
    fresh_heap();
    enum { SLOTS = 2000 };
    static char *obj[SLOTS];
    static size_t slot[SLOTS];
    memset(obj, 0, sizeof obj);
    uint64_t live = 0, nobj = 0;
    for (int cycle = 0; cycle < 30; cycle++) {
        for (int i = 0; i < 3000; i++) {
            int k = (int)(rnd() % SLOTS);
            if (obj[k])
                continue; // dropped objects are only freed by the "GC"
            size_t sz = rnd() % 10 == 0 ? 40000 + rnd() % 100000 : 16 + rnd() % 2000;
            obj[k] = heap_malloc(sz, NULL, true);
            assert_non_null(obj[k]);
            obj[k][0] = (char)k;
            slot[k] = heap_usable_size(obj[k]);
            live += slot[k];
            nobj++;
        }
        // Drop half the references; mark the rest; sweep lazily while allocating.
        for (int k = 0; k < SLOTS; k++)
            if (obj[k] && rnd() % 2) {
                obj[k] = NULL;
                live -= slot[k];
                nobj--;
            }
        heap_sweep_all();
        for (int k = 0; k < SLOTS; k++)
            if (obj[k])
                mark(obj[k]);
        heap_sweep_begin();
        for (int i = 0; i < 5 && heap_sweep_one(); i++) {
        }
        if (cycle % 3 == 0)
            heap_sweep_all();
        for (int k = 0; k < SLOTS; k++)
            if (obj[k])
                assert_int_equal(obj[k][0], (char)k);
        heap_sweep_all();
        struct memstats m;
        heap_read_memstats(&m);
        assert_int_equal(m.HeapAlloc, live);
        assert_int_equal(m.HeapObjects, nobj);
        heap_verify();
    }
    heap_destroy();
}

// Everything at once: scan/noscan/large objects, explicit frees, mark/sweep cycles with
// lazy sweeping, stacks, scavenging (both release modes) — every live object keeps
// its bytes, every identity holds.
static void heap_mixed_operations_keep_objects_intact(void **state) {
    (void)state;
    fresh_heap();
    enum { SLOTS = 1500, STACKS = 8 };
    static uint8_t *obj[SLOTS];
    static size_t len[SLOTS];
    static void *stk[STACKS];
    static const uint8_t m1[1] = {0x1};
    static const gotype_t pt = {"*T", 8, 8, m1, 8, GOKIND_POINTER};
    memset(obj, 0, sizeof obj);
    memset(stk, 0, sizeof stk);
    for (int step = 0; step < 40000; step++) {
        uint64_t op = rnd() % 1000;
        int k = (int)(rnd() % SLOTS);
        if (op < 600) {
            if (obj[k])
                continue;
            size_t sz = rnd() % 20 == 0 ? 33000 + rnd() % 200000 : 1 + rnd() % 3000;
            obj[k] = heap_malloc(sz, sz >= 8 && rnd() % 2 ? &pt : NULL, true);
            assert_non_null(obj[k]);
            for (size_t i = 0; i < sz; i += 97)
                assert_int_equal(obj[k][i], 0);
            len[k] = sz;
            memset(obj[k], (uint8_t)(k * 7 + 1), sz);
        } else if (op < 850) {
            if (!obj[k] || len[k] < 16) // tiny blocks are only freed by sweeping
                continue;
            for (size_t i = 0; i < len[k]; i += 53)
                assert_int_equal(obj[k][i], (uint8_t)(k * 7 + 1));
            heap_free(obj[k]);
            obj[k] = NULL;
        } else if (op < 900) {
            int j = (int)(rnd() % STACKS);
            if (stk[j]) {
                heap_stack_free(stk[j]);
                stk[j] = NULL;
            } else {
                char *hi = heap_stack_alloc(16384 + rnd() % 100000, &stk[j]);
                assert_non_null(hi);
                memset(stk[j], 0x55, (size_t)(hi - (char *)stk[j]));
            }
        } else if (op < 960) { // a GC cycle: drop some, mark the rest, sweep lazily
            for (int i = 0; i < SLOTS; i++)
                if (obj[i] && rnd() % 4 == 0)
                    obj[i] = NULL;
            heap_sweep_all();
            for (int i = 0; i < SLOTS; i++)
                if (obj[i])
                    mark(obj[i]);
            heap_sweep_begin();
        } else if (op < 990) {
            heap_scavenge(rnd() % 2 ? SIZE_MAX : (size_t)(rnd() % (4 << 20)));
        } else {
            heap_verify();
            for (int i = 0; i < SLOTS; i++)
                if (obj[i])
                    for (size_t b = 0; b < len[i]; b += 211)
                        assert_int_equal(obj[i][b], (uint8_t)(i * 7 + 1));
        }
    }
    heap_sweep_all();
    heap_verify();
    heap_destroy();
}

struct walk_acc {
    size_t objects, bytes, marked;
};
static void walk_fn(void *obj, size_t size, bool marked, const span_t *s, void *ctx) {
    struct walk_acc *a = ctx;
    assert_ptr_equal(heap_span_of(obj), s);
    a->objects++;
    a->bytes += size;
    a->marked += marked;
}

// heap_for_each_object reports exactly the allocated objects and their mark bits;
// heap_clear_marks clears them.
static void heap_walk_reports_allocated_objects_and_marks(void **state) {
    (void)state;
    fresh_heap();
    void *keep[100];
    for (int i = 0; i < 100; i++)
        keep[i] = heap_malloc(16 + (size_t)i * 40, NULL, true);
    void *big = heap_malloc(100000, NULL, true);
    for (int i = 0; i < 100; i += 2)
        heap_free(keep[i]);
    for (int i = 1; i < 100; i += 10)
        mark(keep[i]);
    mark(big);
    struct walk_acc a = {0, 0, 0};
    heap_for_each_object(walk_fn, &a);
    struct memstats m;
    heap_read_memstats(&m);
    assert_int_equal(a.objects, 51);
    assert_int_equal(a.objects, m.HeapObjects);
    assert_int_equal(a.bytes, m.HeapAlloc);
    assert_int_equal(a.marked, 11);
    heap_clear_marks();
    memset(&a, 0, sizeof a);
    heap_for_each_object(walk_fn, &a);
    assert_int_equal(a.marked, 0);
    assert_int_equal(a.objects, 51);
    heap_destroy();
}

RUN_TESTS(cmocka_unit_test(heap_walk_reports_allocated_objects_and_marks),
          cmocka_unit_test(heap_mixed_operations_keep_objects_intact),
          cmocka_unit_test(sweep_frees_unmarked_and_keeps_marked),
          cmocka_unit_test(sweep_returns_empty_spans_and_reuses_swept_ones),
          cmocka_unit_test(sweep_random_cycles_keep_stats_exact))
