// Host tests of the physical frame allocator (kernel/frames.c): the same code the
// kernel runs over the UEFI memory map, fed made-up ranges with holes.
#include "tests/unit/test.h"
#include "tests/unit/panics.h"

#include "kernel/frames.h"
#include "sys/sys.h"

#define NFRAMES 70000 // more than one summary word (4096 frames) and not a multiple of 64

static uint64_t *meta;

static int setup(void **state) {
    (void)state;
    meta = malloc(pg_meta_bytes(NFRAMES));
    pg_init(meta, NFRAMES);
    return meta ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    free(meta);
    return 0;
}

#define F(n) ((uint64_t)(n) * PG_FRAME_SIZE)

static void frames_start_empty(void **state) {
    (void)state;
    assert_int_equal(pg_total(), 0);
    assert_int_equal(pg_free_count(), 0);
    assert_true(pg_alloc() == PG_NONE);
}

static void frames_alloc_every_added_frame_once(void **state) {
    (void)state;
    // Three ranges with holes, one crossing a summary word boundary.
    assert_int_equal(pg_add(F(1), 100), 0);
    assert_int_equal(pg_add(F(4000), 300), 0);
    assert_int_equal(pg_add(F(69990), 10), 0);
    assert_int_equal(pg_total(), 410);
    assert_int_equal(pg_free_count(), 410);
    uint8_t *seen = calloc(NFRAMES, 1);
    for (int i = 0; i < 410; i++) {
        uint64_t pa = pg_alloc();
        assert_true(pa != PG_NONE);
        assert_int_equal(pa % PG_FRAME_SIZE, 0);
        uint64_t f = pa / PG_FRAME_SIZE;
        bool in = (f >= 1 && f < 101) || (f >= 4000 && f < 4300) || (f >= 69990 && f < 70000);
        assert_true(in);
        assert_int_equal(seen[f], 0);
        seen[f] = 1;
        assert_false(pg_is_free(pa));
    }
    assert_true(pg_alloc() == PG_NONE);
    assert_int_equal(pg_free_count(), 0);
    assert_int_equal(pg_used(), 410);
    free(seen);
}

static void frames_free_restores_counts_exactly(void **state) {
    (void)state;
    pg_add(F(10), 5000);
    uint64_t got[5000];
    for (int i = 0; i < 5000; i++)
        got[i] = pg_alloc();
    assert_int_equal(pg_free_count(), 0);
    for (int i = 0; i < 5000; i += 2) // free in a scattered order
        pg_free(got[i]);
    for (int i = 1; i < 5000; i += 2)
        pg_free(got[i]);
    assert_int_equal(pg_free_count(), 5000);
    assert_int_equal(pg_total(), 5000);
    assert_int_equal(pg_used(), 0);
    for (int i = 0; i < 5000; i++)
        assert_true(pg_is_free(got[i]));
}

static void frames_reuse_a_freed_frame(void **state) {
    (void)state;
    pg_add(F(100), 3);
    uint64_t a = pg_alloc(), b = pg_alloc(), c = pg_alloc();
    assert_true(a != b && b != c && a != c);
    pg_free(b);
    assert_true(pg_alloc() == b);
    assert_true(pg_alloc() == PG_NONE);
}

static void frames_beyond_the_bitmap_are_dropped(void **state) {
    (void)state;
    assert_int_equal(pg_add(F(NFRAMES - 4), 10), 6);
    assert_int_equal(pg_total(), 4);
}

static void frames_reserved_count_is_reported(void **state) {
    (void)state;
    pg_note_reserved(123);
    pg_note_reserved(7);
    assert_int_equal(pg_reserved(), 130);
    assert_int_equal(pg_total(), 0);
}

static void frames_meta_can_move(void **state) {
    (void)state;
    pg_add(F(1), 64);
    uint64_t a = pg_alloc();
    size_t bytes = pg_meta_bytes(NFRAMES);
    uint64_t *copy = malloc(bytes);
    memcpy(copy, meta, bytes);
    pg_move_meta(copy);
    assert_false(pg_is_free(a));
    assert_int_equal(pg_free_count(), 63);
    uint64_t b = pg_alloc();
    assert_true(b != a && b != PG_NONE);
    pg_move_meta(meta); // the fixture frees meta, not copy
    free(copy);
}

static void frames_meta_size_covers_bitmap_and_summary(void **state) {
    (void)state;
    // 4096 frames: 64 bitmap words + 1 summary word.
    assert_int_equal(pg_meta_bytes(4096), 65 * 8);
    assert_int_equal(pg_meta_bytes(4097), (65 + 2) * 8); // 65 words need 2 summary words
    assert_int_equal(pg_meta_bytes(1), 2 * 8);
}

static void free_twice(void) {
    pg_add(F(5), 1);
    uint64_t a = pg_alloc();
    pg_free(a);
    pg_free(a);
}

static void add_twice(void) {
    pg_add(F(5), 10);
    pg_add(F(9), 10);
}

static void free_beyond(void) { pg_free(F(NFRAMES + 1)); }

static void free_unaligned(void) {
    pg_add(F(5), 1);
    pg_free(pg_alloc() + 8);
}

static void frames_misuse_panics(void **state) {
    (void)state;
    const char *m = panics(free_twice);
    assert_non_null(m);
    assert_non_null(strstr(m, "freed twice"));
    pg_init(meta, NFRAMES);
    m = panics(add_twice);
    assert_non_null(m);
    assert_non_null(strstr(m, "added twice"));
    pg_init(meta, NFRAMES);
    assert_non_null(panics(free_beyond));
    assert_non_null(panics(free_unaligned));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(frames_start_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_alloc_every_added_frame_once, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_free_restores_counts_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_reuse_a_freed_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_beyond_the_bitmap_are_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_reserved_count_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_meta_can_move, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_meta_size_covers_bitmap_and_summary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(frames_misuse_panics, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
