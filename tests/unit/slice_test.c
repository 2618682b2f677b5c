// Slices against Go 1.19: the capacities append picks (growslice's doubling below 256
// elements, the 1.25x+192 step above, size-class rounding), reallocation counts and
// bytes copied measured at the allocator, reslicing and bounds panics. Expected
// capacities were printed by Go 1.19 itself (append in a loop, cap recorded on change).
#include "tests/unit/golib_test_util.h"
#include "golib/slice.h"

// Appends one int64 at a time from nil; returns the distinct capacities seen.
static size_t caps_of_appends(const gotype_t *t, int n, int64_t *caps, size_t maxcaps) {
    goslice_t s = {0};
    size_t k = 0;
    int64_t last = -1;
    uint8_t zero[8] = {0};
    for (int i = 0; i < n; i++) {
        s = slice_append(t, s, zero, 1);
        if (s.cap != last && k < maxcaps)
            caps[k++] = last = s.cap;
    }
    return k;
}

static void append_from_nil_8byte_caps_match_go119(void **state) {
    (void)state;
    // Go 1.19: var s []int64; for i := 0; i < 2000; i++ { s = append(s, 1) }
    static const int64_t want[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848, 1280, 1792, 2560};
    int64_t caps[32];
    size_t k = caps_of_appends(&gotype_int64, 2000, caps, 32);
    assert_int_equal(k, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < k; i++)
        assert_int_equal(caps[i], want[i]);
}

static void append_from_nil_1byte_caps_match_go119(void **state) {
    (void)state;
    // Go 1.19: var b []byte; 5000 appends. 8 first: 1 byte rounds up to the 8-byte class.
    static const int64_t want[] = {8, 16, 32, 64, 128, 256, 512, 896, 1408, 2048, 3072, 4096, 5376};
    int64_t caps[32];
    size_t k = caps_of_appends(&gotype_uint8, 5000, caps, 32);
    assert_int_equal(k, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < k; i++)
        assert_int_equal(caps[i], want[i]);
}

static void growslice_rule_doubles_below_256_then_grows_by_quarter_plus_192(void **state) {
    (void)state;
    // Before size-class rounding: 255 -> 510; 256 -> 256+(256+768)/4 = 512;
    // 512 -> 832 (then rounded: 832*8 = 6656 bytes -> class 6784 -> 848).
    assert_int_equal(slice_nextcap(8, 255, 256), 512); // 510*8 = 4080 -> class 4096
    assert_int_equal(slice_nextcap(8, 256, 257), 512);
    assert_int_equal(slice_nextcap(8, 512, 513), 848);
    // Needing more than double takes exactly the need (then rounding): 5 -> 48 bytes.
    assert_int_equal(slice_nextcap(8, 2, 5), 6);
    // Above 32 KiB the byte size rounds to whole 8 KiB pages: 4096*8*1.25+... 
    int64_t c = slice_nextcap(8, 4096, 4097); // 4096 + (4096+768)/4 = 5312 -> 42496 B -> 49152 B
    assert_int_equal(c, 49152 / 8);
}

static void reallocs_and_bytes_copied_are_measured_at_the_allocator(void **state) {
    (void)state;
    slice_stats_reset();
    uint64_t m0 = prof_mallocs();
    goslice_t s = {0};
    int64_t copied = 0, lastcap = 0;
    for (int64_t i = 0; i < 2000; i++) {
        if (s.len == s.cap) {
            copied += s.len * 8;
            lastcap = s.cap;
        }
        s = SLICE_APPEND(&gotype_int64, s, int64_t, i);
    }
    (void)lastcap;
    assert_int_equal(slice_stats.reallocs, 14);
    assert_int_equal(slice_stats.grow.mallocs, 14);           // one object per growth
    assert_int_equal(prof_mallocs() - m0, 14);                // and nothing else
    assert_int_equal(slice_stats.bytes_copied, (uint64_t)copied);
    for (int64_t i = 0; i < 2000; i++)
        assert_int_equal(SLICE_AT(s, int64_t, i), i);
}

static void append_within_capacity_does_not_allocate(void **state) {
    (void)state;
    goslice_t s = slice_make(&gotype_int64, 0, 100);
    uint64_t m0 = prof_mallocs();
    for (int i = 0; i < 100; i++)
        s = SLICE_APPEND(&gotype_int64, s, int64_t, i);
    assert_int_equal(prof_mallocs() - m0, 0);
    assert_int_equal(s.cap, 100);
}

static void three_index_reslice_forces_append_to_copy(void **state) {
    (void)state;
    goslice_t s = slice_make(&gotype_int64, 4, 8);
    for (int i = 0; i < 4; i++)
        SLICE_AT(s, int64_t, i) = i + 1;
    goslice_t two = slice_reslice(s, 8, 0, 2);
    assert_int_equal(two.cap, 8);
    two = SLICE_APPEND(&gotype_int64, two, int64_t, 99); // shares: overwrites s[2]
    assert_int_equal(SLICE_AT(s, int64_t, 2), 99);
    goslice_t three = slice_reslice3(s, 8, 0, 2, 2);
    assert_int_equal(three.cap, 2);
    three = SLICE_APPEND(&gotype_int64, three, int64_t, 7); // must copy
    assert_ptr_not_equal(three.ptr, s.ptr);
    assert_int_equal(SLICE_AT(s, int64_t, 2), 99);
    assert_int_equal(SLICE_AT(three, int64_t, 2), 7);
}

static void reslice_past_capacity_panics_like_go(void **state) {
    (void)state;
    goslice_t s = slice_make(&gotype_int64, 2, 4);
    assert_true(PANICS_WITH(slice_reslice(s, 8, 0, 5), "slice bounds out of range [:5] with capacity 4"));
    assert_true(PANICS_WITH(slice_reslice(s, 8, 3, 2), "slice bounds out of range [3:2]"));
    assert_true(PANICS_WITH(slice_reslice3(s, 8, 0, 1, 9), "slice bounds out of range [::9] with capacity 4"));
    assert_true(PANICS_WITH(slice_index(s, 8, 2), "index out of range [2] with length 2"));
    assert_true(PANICS_WITH(slice_make(&gotype_int64, -1, 0), "makeslice: len out of range"));
    assert_true(PANICS_WITH(slice_make(&gotype_int64, 5, 2), "makeslice: cap out of range"));
}

static void copy_copies_min_length_and_handles_overlap(void **state) {
    (void)state;
    goslice_t s = slice_make(&gotype_int64, 6, 6);
    for (int i = 0; i < 6; i++)
        SLICE_AT(s, int64_t, i) = i;
    int64_t n = slice_copy(slice_reslice(s, 8, 1, 6), s, 8); // copy(s[1:], s)
    assert_int_equal(n, 5);
    for (int i = 1; i < 6; i++)
        assert_int_equal(SLICE_AT(s, int64_t, i), i - 1);
}

static void grown_pointer_slice_survives_gc(void **state) {
    (void)state;
    goslice_t s = {0};
    for (int i = 0; i < 300; i++) {
        int64_t *p = rt_new(&gotype_int64);
        *p = i;
        s = SLICE_APPEND(&gotype_pointer, s, void *, p);
    }
    gc_test_collect();
    for (int i = 0; i < 300; i++)
        assert_int_equal(*SLICE_AT(s, int64_t *, i), i);
}

// Runs tests/gocompare/slice_go119_cases.go with Go 1.19 and replays every case: element
// sizes 1..1000 bytes, 1, 3, 7 or 100 elements per append; the capacities must be
// the same, in the same order.
static void append_capacities_agree_with_go119_for_many_element_sizes(void **state) {
    (void)state;
    FILE *p = popen("cd tests/gocompare && HOME=${HOME:-/tmp} GOCACHE=${GOCACHE:-/tmp/spanlab-gocache} "
                    "GOFLAGS= /usr/lib/go-1.19/bin/go run slice_go119_cases.go", "r");
    assert_non_null(p);
    static char line[65536], got[65536];
    static uint8_t zeros[100 * 1000];
    int cases = 0, bad = 0;
    while (fgets(line, sizeof line, p)) {
        int size, k, calls, off;
        if (sscanf(line, "%d %d %d %n", &size, &k, &calls, &off) != 3)
            continue;
        line[strcspn(line, "\n")] = 0;
        const char *want = line + off;
        gotype_t t = {"[N]byte", (size_t)size, 0, NULL, 1, GOKIND_ARRAY};
        goslice_t sl = {0};
        size_t o = 0;
        int64_t last = -1;
        for (int i = 0; i < calls; i++) {
            sl = slice_append(&t, sl, zeros, k);
            if (sl.cap != last) {
                last = sl.cap;
                o += (size_t)sprintf(got + o, "%lld,", (long long)last);
            }
        }
        cases++;
        if (strcmp(got, want) != 0 && bad++ < 5)
            fprintf(stderr, "size %d k %d:\n  got  %s\n  want %s\n", size, k, got, want);
        gc_test_collect(); // drop the arrays
    }
    assert_int_equal(pclose(p), 0);
    fprintf(stderr, "%d cases from Go 1.19, %d differ\n", cases, bad);
    assert_int_equal(cases, 40);
    assert_int_equal(bad, 0);
}

RUN_TESTS(GOLIB_TEST(append_capacities_agree_with_go119_for_many_element_sizes),
          GOLIB_TEST(append_from_nil_8byte_caps_match_go119),
          GOLIB_TEST(append_from_nil_1byte_caps_match_go119),
          GOLIB_TEST(growslice_rule_doubles_below_256_then_grows_by_quarter_plus_192),
          GOLIB_TEST(reallocs_and_bytes_copied_are_measured_at_the_allocator),
          GOLIB_TEST(append_within_capacity_does_not_allocate),
          GOLIB_TEST(three_index_reslice_forces_append_to_copy),
          GOLIB_TEST(reslice_past_capacity_panics_like_go),
          GOLIB_TEST(copy_copies_min_length_and_handles_overlap),
          GOLIB_TEST(grown_pointer_slice_survives_gc))
