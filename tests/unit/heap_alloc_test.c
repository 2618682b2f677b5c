// Heap allocation: randomized malloc/free against a model with every MemStats
// identity checked after every step; interior pointers; the tiny allocator;
// zeroing of reused memory (dirty fresh spans in bulk, slots past the alloc cache's
// 64-slot boundaries one by one); pointer bitmaps of scan objects; large objects.
#include "tests/unit/test.h"
#include "tests/unit/panics.h"
#include "mm/heap.h"
#include "sys/sys.h"

#define SLOTS 700

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fresh_heap(void) {
    if (heap_ready())
        heap_destroy();
    heap_init();
}

static const uint8_t node_mask[1] = {0x5}; // words 0 and 2
static const gotype_t node_t = {"node", 24, 24, node_mask, 8, GOKIND_STRUCT};
static const uint8_t ptr_mask[1] = {0x1};
static const gotype_t ptr_t = {"*int", 8, 8, ptr_mask, 8, GOKIND_POINTER};
static const uint8_t mixed_mask[1] = {0x2}; // {int, *T, int, int}: word 1
static const gotype_t mixed_t = {"mixed", 32, 16, mixed_mask, 8, GOKIND_STRUCT};
static const uint8_t four_ptrs_mask[1] = {0xf}; // four pointers
static const gotype_t four_ptrs_t = {"quad", 32, 32, four_ptrs_mask, 8, GOKIND_STRUCT};

// The pointer bits of the 4-word object at p: bit w = word w is a pointer slot.
static unsigned ptr_bits4(const void *p) {
    const span_t *s = heap_span_of(p);
    unsigned b = 0;
    for (size_t w = 0; w < 4; w++)
        b |= (unsigned)heap_is_ptr_slot(s, p, w) << w;
    return b;
}

// Checks the MemStats identities and that HeapAlloc/HeapObjects match the model.
static void check_stats(uint64_t live_bytes, uint64_t live_objects) {
    struct memstats m;
    heap_read_memstats(&m);
    assert_int_equal(m.HeapInuse + m.HeapIdle, m.HeapSys);
    assert_true(m.HeapReleased <= m.HeapIdle);
    assert_int_equal(m.Mallocs - m.Frees, m.HeapObjects);
    assert_int_equal(m.Alloc, m.HeapAlloc);
    assert_int_equal(m.HeapAlloc, live_bytes);
    assert_int_equal(m.HeapObjects, live_objects);
    assert_true(m.HeapAlloc <= m.HeapInuse);
    assert_int_equal(m.Sys, m.HeapSys + m.StackSys + m.MSpanSys + m.MCacheSys + m.BuckHashSys +
                                m.GCSys + m.OtherSys);
}

static void heap_random_alloc_free_matches_model(void **state) {
    (void)state;
    fresh_heap();
    static uint8_t *obj[SLOTS];
    static size_t len[SLOTS], slot[SLOTS];
    memset(obj, 0, sizeof obj);
    uint64_t live_bytes = 0, live_objects = 0;
    for (int step = 0; step < 30000; step++) {
        int k = (int)(rnd() % SLOTS);
        if (obj[k]) {
            for (size_t i = 0; i < len[k]; i += 37)
                assert_int_equal(obj[k][i], (uint8_t)k);
            heap_free(obj[k]);
            obj[k] = NULL;
            live_bytes -= slot[k];
            live_objects--;
        } else {
            uint64_t r = rnd() % 100;
            size_t sz = r < 60 ? 16 + rnd() % 240 : r < 95 ? 256 + rnd() % 32512 : 32769 + rnd() % 300000;
            const gotype_t *t = (rnd() & 1) && sz >= 24 ? &node_t : NULL;
            obj[k] = heap_malloc(sz, t, true);
            assert_non_null(obj[k]);
            for (size_t i = 0; i < sz; i += 37)
                assert_int_equal(obj[k][i], 0);
            len[k] = sz;
            slot[k] = heap_usable_size(obj[k]);
            assert_true(slot[k] >= sz);
            assert_int_equal(slot[k], heap_roundupsize(sz));
            memset(obj[k], k, sz);
            live_bytes += slot[k];
            live_objects++;
            // An interior pointer finds the object.
            span_t *s = heap_span_of(obj[k] + sz - 1);
            assert_non_null(s);
            size_t idx;
            assert_ptr_equal(span_object_of(s, obj[k] + rnd() % sz, &idx), obj[k]);
            assert_true(span_is_allocated(s, idx));
        }
        check_stats(live_bytes, live_objects);
        if (step % 1000 == 0)
            heap_verify();
    }
    for (int k = 0; k < SLOTS; k++)
        if (obj[k]) {
            heap_free(obj[k]);
            live_bytes -= slot[k];
            live_objects--;
        }
    check_stats(0, 0);
    heap_verify();
    struct memstats m;
    heap_read_memstats(&m);
    assert_true(m.HeapInuse < (4u << 20)); // only the mcache's spans
    heap_flush_mcache();
    heap_read_memstats(&m);
    assert_int_equal(m.HeapInuse, 0); // every span went back to the pages
    heap_verify();
    heap_destroy();
}

static void heap_span_of_rejects_non_heap_and_free_pages(void **state) {
    (void)state;
    fresh_heap();
    int local;
    assert_null(heap_span_of(&local));
    assert_null(heap_span_of(NULL));
    char *p = heap_malloc(100, NULL, true);
    span_t *s = heap_span_of(p);
    assert_non_null(s);
    assert_int_equal(s->elemsize, 112);
    assert_true(spanclass_noscan(s->spanclass));
    // Past the span's pages: free (not yet used) heap pages.
    assert_null(heap_span_of((char *)s->base + s->npages * HEAP_PAGE_SIZE + 100));
    // Tail waste of a 112-byte span (73 objects, 16 bytes left): no object.
    size_t i;
    assert_null(span_object_of(s, (void *)(s->base + 8192 - 8), &i));
    assert_non_null(heap_describe_addr((uintptr_t)p));
    assert_null(heap_describe_addr((uintptr_t)&local));
    heap_destroy();
}

static void heap_tiny_allocations_share_blocks(void **state) {
    (void)state;
    fresh_heap();
    char *a = heap_malloc(4, NULL, true), *b = heap_malloc(4, NULL, true), *c = heap_malloc(8, NULL, true);
    assert_ptr_equal(b, a + 4);
    assert_ptr_equal(c, a + 8); // aligned to 8
    char *d = heap_malloc(8, NULL, true); // no room: a new block
    assert_true(d < a || d >= a + 16);
    struct memstats m;
    heap_read_memstats(&m);
    assert_int_equal(m.HeapObjects, 2);   // two 16-byte blocks
    assert_int_equal(m.TinyAllocs, 2);    // b and c folded in
    assert_int_equal(m.Mallocs, 4);
    assert_int_equal(m.HeapAlloc, 32);
    heap_destroy();
}

static void heap_reused_memory_is_zeroed_when_asked(void **state) {
    (void)state;
    fresh_heap();
    char *p = heap_malloc(64, NULL, true);
    memset(p, 0xab, 64);
    heap_free(p);
    char *q = heap_malloc(64, NULL, true);
    assert_ptr_equal(q, p); // the slot is reused
    for (int i = 0; i < 64; i++)
        assert_int_equal(q[i], 0);
    memset(q, 0xcd, 64);
    heap_free(q);
    char *r = heap_malloc(64, NULL, false); // needzero false: left dirty
    assert_ptr_equal(r, p);
    assert_int_equal((uint8_t)r[0], 0xcd);
    heap_destroy();
}

// Allocates n objects of size bytes (type t) on a fresh heap, where they fill one
// span, in address order: checks that, and returns the span's base.
static uintptr_t fill_one_span(void **objs, int n, size_t size, const gotype_t *t) {
    for (int i = 0; i < n; i++) {
        objs[i] = heap_malloc(size, t, true);
        if (i)
            assert_ptr_equal(objs[i], (char *)objs[i - 1] + size);
    }
    span_t *s = heap_span_of(objs[0]);
    assert_int_equal(s->nelems, n);
    assert_ptr_equal(heap_span_of(objs[n - 1]), s);
    return s->base;
}

// A span that comes fresh from the page heap dirty (its pages held freed objects) is
// zeroed whole when it enters the mcache: even a slot handed out with needzero false
// reads zero, and so does every slot not yet handed out; the span is then clean.
static void heap_dirty_fresh_span_is_zeroed_in_bulk(void **state) {
    (void)state;
    fresh_heap();
    enum { N = 8192 / 64 }; // one 8 KiB span of 64-byte slots
    void *objs[N];
    uintptr_t base = fill_one_span(objs, N, 64, NULL);
    for (int i = 0; i < N; i++)
        memset(objs[i], 0xab, 64);
    for (int i = 0; i < N; i++)
        heap_free(objs[i]);
    heap_flush_mcache(); // the empty span's pages go back to the page heap, dirty
    char *p = heap_malloc(64, NULL, false);
    span_t *s = heap_span_of(p);
    assert_int_equal(s->base, base); // the same pages again (lowest address first)
    assert_int_equal(s->needzero, 0);
    for (size_t i = 0; i < (size_t)N * 64; i++)
        assert_int_equal(((const char *)base)[i], 0);
    heap_verify();
    heap_destroy();
}

// The fast path ORs a scan object's mask into a clean span's bitmap, so a clean span's
// free slots must have no bits: a dirty fresh scan span gets its bitmap cleared with
// its bulk zeroing, and a slot of a dirty span goes out of line (which clears the old
// bits) even when the caller does not ask for zeroing.
static void heap_scan_bits_of_reused_slots_are_exact(void **state) {
    (void)state;
    fresh_heap();
    enum { N = 8192 / 32 };
    void *objs[N];
    uintptr_t base = fill_one_span(objs, N, 32, &four_ptrs_t);
    for (int i = 0; i < N; i++)
        assert_int_equal(ptr_bits4(objs[i]), 0xf);
    for (int i = 0; i < N; i++)
        heap_free(objs[i]);
    heap_flush_mcache(); // the span's pages go back dirty, their bits still set
    void *p = heap_malloc(32, &mixed_t, true);
    assert_int_equal(heap_span_of(p)->base, base);
    assert_int_equal(ptr_bits4(p), 0x2);
    assert_null(panics(heap_verify)); // every free slot of the clean span: no bits
    span_t *s = heap_span_of(p);
    size_t bit = ((uintptr_t)p - s->base) / 8 + 4 * 10 + 3; // word 3 of free slot 10
    s->heapbits[bit / 64] |= 1ull << (bit % 64);
    const char *msg = panics(heap_verify);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "pointer bits in free slot 10"));
    s->heapbits[bit / 64] &= ~(1ull << (bit % 64));
    // A dirty span in the mcache: the freed slot keeps quad's bits until reused.
    void *q[3];
    for (int i = 0; i < 3; i++)
        q[i] = heap_malloc(32, &four_ptrs_t, true);
    heap_free(q[1]);
    void *r = heap_malloc(32, &mixed_t, false); // no zeroing asked: bits still exact
    assert_ptr_equal(r, q[1]);
    assert_int_equal(ptr_bits4(r), 0x2);
    heap_verify();
    heap_destroy();
}

// Slots past each 64-slot boundary of the alloc cache (heap_malloc_reload) come in
// address order from the same span, and a dirty span's slots reached that way are
// zeroed: freed every other slot of a 32-byte span, the next N/2 allocations are
// exactly those slots, in order, each zero.
static void heap_alloc_cache_reload_keeps_order_and_zeroes(void **state) {
    (void)state;
    fresh_heap();
    enum { N = 8192 / 32 };
    void *objs[N];
    fill_one_span(objs, N, 32, NULL);
    for (int i = 0; i < N; i++)
        memset(objs[i], 0xab, 32);
    for (int i = 0; i < N; i += 2)
        heap_free(objs[i]);
    for (int i = 0; i < N; i += 2) {
        char *q = heap_malloc(32, NULL, true);
        assert_ptr_equal(q, objs[i]);
        for (int k = 0; k < 32; k++)
            assert_int_equal(q[k], 0);
    }
    check_stats((uint64_t)N * 32, N);
    heap_verify();
    heap_destroy();
}

static void heap_scan_objects_get_pointer_bitmaps(void **state) {
    (void)state;
    fresh_heap();
    // A dirty slot first, so stale bits would show.
    void *junk = heap_malloc(96, &ptr_t, true); // 12 pointer words
    heap_free(junk);
    void *n = heap_malloc(96, &mixed_t, true); // 3 x {int, *T, int, int}
    assert_ptr_equal(n, junk);
    span_t *s = heap_span_of(n);
    assert_false(spanclass_noscan(s->spanclass));
    for (size_t w = 0; w < 12; w++)
        assert_int_equal(heap_is_ptr_slot(s, n, w), w % 4 == 1);
    void *one = heap_malloc(24, &node_t, true);
    s = heap_span_of(one);
    assert_true(heap_is_ptr_slot(s, one, 0));
    assert_false(heap_is_ptr_slot(s, one, 1));
    assert_true(heap_is_ptr_slot(s, one, 2));
    // A large array of pointers.
    void **arr = heap_malloc(100000 * 8, &ptr_t, true);
    s = heap_span_of(&arr[50000]);
    assert_int_equal(s->base, (uintptr_t)arr);
    assert_int_equal(spanclass_sizeclass(s->spanclass), 0);
    assert_int_equal(span_scan_bytes(s), 800000);
    assert_true(heap_is_ptr_slot(s, arr, 99999));
    assert_false(heap_is_ptr_slot(s, arr, 100001));
    // 40 bytes of a 16-byte {*T, int}: two whole elements, the rest scalar.
    static const uint8_t pair_mask[1] = {0x1};
    static const gotype_t pair_t = {"pair", 16, 8, pair_mask, 8, GOKIND_STRUCT};
    void *junk2 = heap_malloc(48, &ptr_t, true); // 48-byte slot with every bit set
    heap_free(junk2);
    void *pr = heap_malloc(40, &pair_t, true);
    assert_ptr_equal(pr, junk2);
    s = heap_span_of(pr);
    for (size_t w = 0; w < 6; w++)
        assert_int_equal(heap_is_ptr_slot(s, pr, w), w == 0 || w == 2);
    // Many one-value objects: slots at every offset in the bitmap words, including
    // those ending exactly at a word boundary; stale bits from an all-pointer use.
    void *dirty[300], *objs[300];
    for (int i = 0; i < 300; i++)
        dirty[i] = heap_malloc(32, &ptr_t, true); // 32 B of *int: 4 pointer words
    for (int i = 0; i < 300; i++)
        heap_free(dirty[i]);
    for (int i = 0; i < 300; i++)
        objs[i] = heap_malloc(32, &mixed_t, true);
    for (int i = 0; i < 300; i++) {
        s = heap_span_of(objs[i]);
        for (size_t w = 0; w < 4; w++)
            assert_int_equal(heap_is_ptr_slot(s, objs[i], w), w == 1);
    }
    // noscan objects have no scan bytes.
    void *bytes = heap_malloc(100, NULL, true);
    assert_int_equal(span_scan_bytes(heap_span_of(bytes)), 0);
    heap_destroy();
}

static void heap_zero_size_and_huge_requests(void **state) {
    (void)state;
    fresh_heap();
    assert_non_null(heap_malloc(0, NULL, true));
    assert_ptr_equal(heap_malloc(0, NULL, true), heap_malloc(0, &ptr_t, true));
    assert_null(heap_malloc(SIZE_MAX - 10, NULL, true));
    // 100 MiB: bigger than one arena.
    char *big = heap_malloc(100u << 20, NULL, true);
    assert_non_null(big);
    big[0] = 1;
    big[(100u << 20) - 1] = 2;
    assert_ptr_equal(heap_span_of(big + (90u << 20))->base, (uintptr_t)big);
    heap_free(big);
    heap_verify();
    heap_destroy();
}

// Growing the heap extends the free run already at the end of an arena: five 12 MiB
// objects (60 MiB with their spill pages) all fit in the first 64 MiB arena, as they
// would in Go's contiguous heap, instead of leaving 16 MiB committed and unused.
static void heap_growth_extends_the_free_tail(void **state) {
    heap_init();
    heap_malloc(192, NULL, true);
    char *first = heap_malloc((12u << 20) + 1, NULL, true);
    for (int i = 1; i < 5; i++) {
        char *p = heap_malloc((12u << 20) + 1, NULL, true);
        assert_true(p > first && p - first < (ptrdiff_t)HEAP_ARENA_BYTES);
    }
    uintptr_t bases[4];
    size_t bytes[4];
    assert_int_equal(heap_arena_ranges(bases, bytes, 4), 1);
    heap_verify();
    heap_destroy();
}

RUN_TESTS(cmocka_unit_test(heap_random_alloc_free_matches_model),
          cmocka_unit_test(heap_growth_extends_the_free_tail),
          cmocka_unit_test(heap_span_of_rejects_non_heap_and_free_pages),
          cmocka_unit_test(heap_tiny_allocations_share_blocks),
          cmocka_unit_test(heap_reused_memory_is_zeroed_when_asked),
          cmocka_unit_test(heap_dirty_fresh_span_is_zeroed_in_bulk),
          cmocka_unit_test(heap_alloc_cache_reload_keeps_order_and_zeroes),
          cmocka_unit_test(heap_scan_bits_of_reused_slots_are_exact),
          cmocka_unit_test(heap_scan_objects_get_pointer_bitmaps),
          cmocka_unit_test(heap_zero_size_and_huge_requests))
