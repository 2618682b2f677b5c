// Maps against Go 1.19's runtime/map.go: growth by doubling when count exceeds 6.5
// per bucket, make's hint, extra overflow buckets for B >= 4, delete and clear that
// never give bucket memory back, iteration, string keys that the GC must see.
#include "tests/unit/golib_test_util.h"
#include "mm/heap.h"
#include "golib/map.h"
#include "golib/str.h"

static map_type_t i64_type = MAP_TYPE("map[int64]int64", &gotype_int64, &gotype_int64, MAP_KEY_MEM);
static map_type_t str_type = MAP_TYPE("map[string]int", &gotype_string, &gotype_int, MAP_KEY_STRING);
static map_type_t ptr_type = MAP_TYPE("map[int64]*int64", &gotype_int64, &gotype_pointer, MAP_KEY_MEM);

static void map_grows_when_count_exceeds_6_5_per_bucket(void **state) {
    (void)state;
    map_t *m = map_make(&i64_type, 0);
    // overLoadFactor(count, B): count > 8 && count > 13*(2^B/2).
    for (int64_t i = 0; i < 8; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    assert_int_equal(map_B(m), 0);
    *(int64_t *)map_assign_i64(m, 8) = 8; // the 9th entry: 9 > 8 and 9 > 6.5
    assert_int_equal(map_B(m), 1);
    for (int64_t i = 9; i < 13; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    assert_int_equal(map_B(m), 1); // 13 entries = 6.5 * 2
    *(int64_t *)map_assign_i64(m, 13) = 13;
    assert_int_equal(map_B(m), 2);
    for (int64_t i = 0; i < 14; i++)
        assert_int_equal(*(int64_t *)map_access_i64(m, i), i);
    assert_null(map_access_i64(m, 99));
    assert_int_equal(map_len(m), 14);
}

static void make_hint_sizes_the_array_with_extra_overflow_buckets(void **state) {
    (void)state;
    // hint 1000: B = 8 (6.5*128 = 832 < 1000 <= 6.5*256); makeBucketArray adds 2^(8-4)
    // = 16 overflow buckets and rounds the bytes up to the size class.
    opcount_mark_t mk = opcount_begin();
    map_t *m = map_make(&i64_type, 1000);
    // The hmap, the bucket array and mapextra (it holds nextOverflow), as Go's makemap.
    assert_int_equal(opcount_end(NULL, mk), 3);
    assert_int_equal(map_B(m), 8);
    size_t bucketsize = 8 + 8 * 8 + 8 * 8 + 8; // tophash, keys, values, overflow
    assert_int_equal(map_bucket_bytes(m), heap_roundupsize(bucketsize * (256 + 16)));
    map_stats_reset();
    mk = opcount_begin();
    for (int64_t i = 0; i < 1000; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    assert_int_equal(map_B(m), 8); // no growth up to the hint
    // Preallocated overflow buckets cost nothing; others are one object each, plus
    // the overflow list (new([]*bmap) and its appends) of a noscan map.
    uint64_t n = opcount_end(NULL, mk);
    if (map_stats.overflow_prealloc + map_stats.overflow_new == 0)
        assert_int_equal(n, 0);
    else
        assert_true(n >= map_stats.overflow_new + 2 && n <= map_stats.overflow_new + 12);
}

static void map_million_entries_keeps_bucket_bytes_after_delete(void **state) {
    (void)state;
    map_t *m = map_make(&i64_type, 0);
    for (int64_t i = 0; i < 1000000; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    assert_int_equal(map_B(m), 18); // 6.5 * 2^17 < 1e6 <= 6.5 * 2^18
    uint64_t full = map_bucket_bytes(m);
    assert_true(full >= (uint64_t)(262144 + 16384) * 144);
    for (int64_t i = 0; i < 1000000; i++)
        map_delete_i64(m, i);
    assert_int_equal(map_len(m), 0);
    assert_int_equal(map_bucket_bytes(m), full);
    gc_test_collect();
    struct memstats ms;
    heap_read_memstats(&ms);
    assert_true(ms.HeapAlloc >= full); // the buckets are still live heap
    // Re-inserting reuses the same buckets: no growth, (almost) no allocation.
    opcount_mark_t mk = opcount_begin();
    for (int64_t i = 0; i < 1000; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    assert_int_equal(opcount_end(NULL, mk), 0);
    assert_int_equal(map_bucket_bytes(m), full);
}

static void map_clear_keeps_the_bucket_array(void **state) {
    (void)state;
    map_t *m = map_make(&i64_type, 0);
    for (int64_t i = 0; i < 5000; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    unsigned B = map_B(m);
    uint64_t array = map_bucket_bytes(m);
    map_clear(m);
    assert_int_equal(map_len(m), 0);
    assert_int_equal(map_B(m), B);
    assert_true(map_bucket_bytes(m) <= array); // separate overflow buckets are dropped
    assert_true(map_bucket_bytes(m) > 0);
    assert_null(map_access_i64(m, 42));
    *(int64_t *)map_assign_i64(m, 42) = 1;
    assert_int_equal(*(int64_t *)map_access_i64(m, 42), 1);
}

static void iteration_visits_every_entry_once_and_allows_delete(void **state) {
    (void)state;
    map_t *m = map_make(&i64_type, 0);
    enum { N = 3000 };
    static uint8_t seen[N];
    memset(seen, 0, sizeof seen);
    for (int64_t i = 0; i < N; i++)
        *(int64_t *)map_assign_i64(m, i) = i * 2;
    map_iter_t it;
    void *k, *v;
    int count = 0;
    map_iter_init(&it, m);
    while (map_iter_next(&it, &k, &v)) {
        int64_t key = *(int64_t *)k;
        assert_int_equal(*(int64_t *)v, key * 2);
        assert_int_equal(seen[key], 0);
        seen[key] = 1;
        count++;
        map_delete(m, k); // for k := range m { delete(m, k) }
    }
    assert_int_equal(count, N);
    assert_int_equal(map_len(m), 0);
}

static void delete_clears_slots_and_missing_keys_are_ignored(void **state) {
    (void)state;
    map_t *m = map_make(&i64_type, 0);
    for (int64_t i = 0; i < 100; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    map_delete_i64(m, 1000);
    for (int64_t i = 0; i < 100; i += 2)
        map_delete_i64(m, i);
    assert_int_equal(map_len(m), 50);
    for (int64_t i = 0; i < 100; i++) {
        if (i % 2)
            assert_int_equal(*(int64_t *)map_access_i64(m, i), i);
        else
            assert_null(map_access_i64(m, i));
    }
    assert_true(PANICS_WITH(map_assign_i64(NULL, 1), "assignment to entry in nil map"));
    assert_null(map_access_i64(NULL, 1));
}

// Builds "key-<i>" as a fresh heap string (no other reference to its bytes).
static gostring_t key_of(int i) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "key-%d", i);
    return str_from_bytes(buf, n, NULL);
}

static void string_keys_and_pointer_values_survive_gc(void **state) {
    (void)state;
    map_t *m = map_make(&str_type, 0);
    map_t *pm = map_make(&ptr_type, 0);
    for (int i = 0; i < 2000; i++) {
        *(int64_t *)map_assign_str(m, key_of(i)) = i;
        int64_t *p = rt_new(&gotype_int64);
        *p = i;
        *(int64_t **)map_assign_i64(pm, i) = p;
    }
    gc_test_collect();
    gc_test_collect();
    for (int i = 0; i < 2000; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "key-%d", i);
        int64_t *v = map_access_bytes(m, buf, n);
        assert_non_null(v);
        assert_int_equal(*v, i);
        assert_int_equal(**(int64_t **)map_access_i64(pm, i), i);
    }
}

static void assign_with_existing_string_key_replaces_the_key(void **state) {
    (void)state;
    // mapassign_faststr: "Overwrite existing key, so it can be garbage collected."
    map_t *m = map_make(&str_type, 0);
    gostring_t k1 = key_of(7), k2 = key_of(7);
    *(int64_t *)map_assign_str(m, k1) = 1;
    *(int64_t *)map_assign_str(m, k2) = 2;
    map_iter_t it;
    void *k, *v;
    map_iter_init(&it, m);
    assert_true(map_iter_next(&it, &k, &v));
    assert_ptr_equal(((gostring_t *)k)->ptr, k2.ptr);
    assert_int_equal(*(int64_t *)v, 2);
    assert_false(map_iter_next(&it, &k, &v));
}

static void small_map_allocates_hmap_then_one_bucket_like_go119(void **state) {
    (void)state;
    // Go 1.19 AllocsPerRun: make(map[int64]int64) escaping: 1; plus m[1] = 1: 2;
    // make(map[int64]int64, 1000): 3.
    opcount_mark_t mk = opcount_begin();
    map_t *m = map_make(&i64_type, 0);
    assert_int_equal(opcount_end(NULL, mk), 1);
    assert_int_equal(prof_alloc_bytes() - mk.bytes, 48); // runtime.hmap
    mk = opcount_begin();
    *(int64_t *)map_assign_i64(m, 1) = 1;
    assert_int_equal(opcount_end(NULL, mk), 1);
    assert_int_equal(prof_alloc_bytes() - mk.bytes, 144); // one bucket: 8+64+64+8
    assert_int_equal(map_bucket_bytes(m), 144);
}

static GOTYPE_NOSCAN(i32_t, int32_t, "int32", GOKIND_INT);
static GOTYPE_NOSCAN(i8_t, int8_t, "int8", GOKIND_INT);
static map_type_t small_type = MAP_TYPE("map[int32]int8", &i32_t, &i8_t, MAP_KEY_MEM);

static void bucket_layout_matches_go_for_small_keys(void **state) {
    (void)state;
    // bmap{tophash [8]uint8; keys [8]int32; elems [8]int8; overflow *bmap} = 8+32+8+8.
    map_t *m = map_make(&small_type, 0);
    for (int32_t i = 0; i < 100; i++)
        *(int8_t *)map_assign(m, &i) = (int8_t)i;
    assert_int_equal(small_type.bucketsize, 56);
    for (int32_t i = 0; i < 100; i++)
        assert_int_equal(*(int8_t *)map_access(m, &i), (int8_t)i);
}

// Random assign/delete/lookup/clear against a model array, with collections and full
// iterations along the way: every emptyRest/emptyOne transition, growth and overflow
// chain stays consistent.
static void random_operations_agree_with_a_model(void **state) {
    (void)state;
    enum { KEYS = 3000, OPS = 200000 };
    static int64_t model[KEYS];
    static bool present[KEYS];
    memset(present, 0, sizeof present);
    map_t *m = map_make(&str_type, 0);
    map_t *mi = map_make(&i64_type, 0);
    uint64_t r = 88172645463325252ull;
    int64_t count = 0;
    for (int op = 0; op < OPS; op++) {
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        int k = (int)(r % KEYS);
        int what = (int)((r >> 32) % 100);
        char buf[32];
        int n = snprintf(buf, sizeof buf, "k%d", k);
        if (what < 45) {
            *(int64_t *)map_assign_bytes(m, buf, n) = op;
            *(int64_t *)map_assign_i64(mi, k) = op;
            if (!present[k])
                count++;
            present[k] = true;
            model[k] = op;
        } else if (what < 85) {
            map_delete(m, &(gostring_t){(const uint8_t *)buf, n});
            map_delete_i64(mi, k);
            if (present[k])
                count--;
            present[k] = false;
        } else if (what < 99) {
            int64_t *v = map_access_bytes(m, buf, n), *vi = map_access_i64(mi, k);
            if (present[k]) {
                assert_non_null(v);
                assert_int_equal(*v, model[k]);
                assert_int_equal(*vi, model[k]);
            } else {
                assert_null(v);
                assert_null(vi);
            }
        } else if (op % 7 == 0) {
            map_clear(m);
            map_clear(mi);
            memset(present, 0, sizeof present);
            count = 0;
        }
        assert_int_equal(map_len(m), count);
        assert_int_equal(map_len(mi), count);
        if (op % 20000 == 0) {
            gc_test_collect();
            map_iter_t it;
            void *key, *val;
            int64_t seen = 0;
            map_iter_init(&it, m);
            while (map_iter_next(&it, &key, &val)) {
                gostring_t ks = *(gostring_t *)key;
                int kk = 0; // "k<digits>", not NUL-terminated
                for (int64_t c = 1; c < ks.len; c++)
                    kk = kk * 10 + (ks.ptr[c] - '0');
                assert_true(present[kk]);
                assert_int_equal(*(int64_t *)val, model[kk]);
                seen++;
            }
            assert_int_equal(seen, count);
        }
    }
}

// Runs tests/gocompare/map_go119_cases.go with Go 1.19: make(map[K]V, hint) for three map
// types and hints 0..1e6 must allocate the same heap bytes (TotalAlloc: hmap, bucket
// array with its extra overflow buckets, mapextra) and pick the same B.
static void make_with_hint_allocates_like_go119(void **state) {
    (void)state;
    FILE *p = popen("cd tests/gocompare && HOME=${HOME:-/tmp} GOCACHE=${GOCACHE:-/tmp/spanlab-gocache} "
                    "GOFLAGS= /usr/lib/go-1.19/bin/go run map_go119_cases.go", "r");
    assert_non_null(p);
    char line[256], name[16];
    long long hint, bytes;
    unsigned B;
    int cases = 0, bad = 0;
    static struct memstats a, b;
    while (fgets(line, sizeof line, p)) {
        if (sscanf(line, "%15s %lld %lld %u", name, &hint, &bytes, &B) != 4)
            continue;
        map_type_t *t = strcmp(name, "i64") == 0 ? &i64_type : strcmp(name, "str") == 0 ? &str_type : &ptr_type;
        map_make(t, 0); // the type's bucket descriptor exists before measuring
        heap_read_memstats(&a);
        map_t *m = map_make(t, hint);
        heap_read_memstats(&b);
        cases++;
        if ((long long)(b.TotalAlloc - a.TotalAlloc) != bytes || map_B(m) != B) {
            if (bad++ < 5)
                fprintf(stderr, "%s hint %lld: got %llu bytes B=%u, want %lld B=%u\n", name, hint,
                        (unsigned long long)(b.TotalAlloc - a.TotalAlloc), map_B(m), bytes, B);
        }
        gc_test_collect();
    }
    assert_int_equal(pclose(p), 0);
    fprintf(stderr, "%d cases from Go 1.19, %d differ\n", cases, bad);
    assert_int_equal(cases, 33);
    assert_int_equal(bad, 0);
}

static void iteration_survives_growth_and_sees_current_values(void **state) {
    (void)state;
    // for k := range m { (first time: delete some keys, update others, insert many so
    // the map grows) } — every original key not deleted is produced exactly once, with
    // its current value; deleted ones never appear.
    enum { N = 100 };
    map_t *m = map_make(&i64_type, 0);
    for (int64_t i = 0; i < N; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    static uint8_t seen[N];
    memset(seen, 0, sizeof seen);
    map_iter_t it;
    void *k, *v;
    unsigned B0 = map_B(m);
    int originals = 0;
    int64_t first = -1;
    map_iter_init(&it, m);
    while (map_iter_next(&it, &k, &v)) {
        int64_t key = *(int64_t *)k;
        if (key >= 1000)
            continue; // added during the range: may or may not be seen (as Go)
        assert_true(key >= 0 && key < N);
        assert_int_equal(seen[key], 0);
        seen[key] = 1;
        originals++;
        if (first < 0) {
            first = key;
            for (int64_t j = 3; j < N; j += 10)
                if (j != key)
                    map_delete_i64(m, j);
            for (int64_t j = 1; j < N; j += 2)
                if (j % 10 != 3 || j == key)
                    *(int64_t *)map_assign_i64(m, j) = j * 7;
            for (int64_t j = 0; j < 2000; j++) // grows the table several times
                *(int64_t *)map_assign_i64(m, 1000 + j) = j;
            continue;
        }
        assert_true(key % 10 != 3);
        assert_int_equal(*(int64_t *)v, key % 2 ? key * 7 : key);
    }
    assert_true(map_B(m) > B0 + 2);
    assert_int_equal(originals, N - 10 + (first % 10 == 3 ? 1 : 0));
}

// Churn at a constant size (delete the oldest key, insert a new one) leaves overflow
// buckets behind until there are 2^B of them; then the map re-hashes at the same
// size (hashGrow's sameSizeGrow) and sheds them. Contents stay right throughout.
static void churn_at_constant_size_triggers_same_size_growth(void **state) {
    (void)state;
    enum { LIVE = 6000 };
    map_t *m = map_make(&i64_type, 0);
    for (int64_t i = 0; i < LIVE; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    unsigned B = map_B(m);
    int64_t next = LIVE;
    for (int64_t op = 0; op < 3000000 && map_stats.same_size_grows == 0; op++) {
        map_delete_i64(m, next - LIVE);
        *(int64_t *)map_assign_i64(m, next) = next;
        next++;
    }
    assert_true(map_stats.same_size_grows > 0);
    assert_int_equal(map_B(m), B);
    assert_true(map_noverflow(m) < ((uint64_t)1 << B));
    assert_int_equal(map_len(m), LIVE);
    for (int64_t k = next - LIVE; k < next; k++)
        assert_int_equal(*(int64_t *)map_access_i64(m, k), k);
    assert_null(map_access_i64(m, next - LIVE - 1));
}

RUN_TESTS(GOLIB_TEST(churn_at_constant_size_triggers_same_size_growth),
          GOLIB_TEST(iteration_survives_growth_and_sees_current_values),
          GOLIB_TEST(make_with_hint_allocates_like_go119),
          GOLIB_TEST(random_operations_agree_with_a_model),
          GOLIB_TEST(bucket_layout_matches_go_for_small_keys),
          GOLIB_TEST(small_map_allocates_hmap_then_one_bucket_like_go119),
          GOLIB_TEST(map_grows_when_count_exceeds_6_5_per_bucket),
          GOLIB_TEST(make_hint_sizes_the_array_with_extra_overflow_buckets),
          GOLIB_TEST(map_million_entries_keeps_bucket_bytes_after_delete),
          GOLIB_TEST(map_clear_keeps_the_bucket_array),
          GOLIB_TEST(iteration_visits_every_entry_once_and_allows_delete),
          GOLIB_TEST(delete_clears_slots_and_missing_keys_are_ignored),
          GOLIB_TEST(string_keys_and_pointer_values_survive_gc),
          GOLIB_TEST(assign_with_existing_string_key_replaces_the_key))
