// Interface boxing against Go 1.19 (runtime/iface.go convT64/convTstring/convTslice).
// Reference, measured with Go 1.19's testing.AllocsPerRun (sinkI = v): uint64 255: 0,
// 256: 1; "hello": 1, "": 0; nil []int: 0, non-nil: 1; a pointer: 0.
#include "tests/unit/golib_test_util.h"
#include "golib/iface.h"
#include "golib/fmt.h"
#include "golib/str.h"

static GOTYPE_SLICE(ints_type, "[]int");
typedef struct point { int64_t x, y; } point_t;
static GOTYPE_STRUCT(point_type, point_t, "main.Point");

static void convT64_255_does_not_allocate_256_does(void **state) {
    (void)state;
    opcount_mark_t m = opcount_begin();
    goiface_t a = iface_box_uint64(255);
    assert_int_equal(opcount_end(NULL, m), 0);
    assert_ptr_equal(a.data, &iface_staticuint64s[255]);
    m = opcount_begin();
    goiface_t b = iface_box_uint64(256);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_int_equal(prof_alloc_bytes() - m.bytes, 8);
    assert_int_equal(iface_int64(b, &gotype_uint64), 256);
    assert_int_equal(iface_int64(a, &gotype_uint64), 255);
}

static void negative_int_boxes_allocate(void **state) {
    (void)state;
    // -1 is 0xffff...ffff as uint64: not in the static table.
    opcount_mark_t m = opcount_begin();
    goiface_t a = iface_box_int(-1);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_int_equal(iface_int64(a, &gotype_int), -1);
}

static void convTstring_empty_is_free_nonempty_allocates_a_header(void **state) {
    (void)state;
    opcount_mark_t m = opcount_begin();
    goiface_t e = iface_box_string(STR(""));
    assert_int_equal(opcount_end(NULL, m), 0);
    assert_int_equal(iface_string(e).len, 0);
    m = opcount_begin();
    goiface_t h = iface_box_string(STR("hello"));
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_int_equal(prof_alloc_bytes() - m.bytes, 16);
    assert_memory_equal(iface_string(h).ptr, "hello", 5);
}

static void convTslice_nil_is_free_nonnil_allocates(void **state) {
    (void)state;
    goslice_t nil = {0};
    opcount_mark_t m = opcount_begin();
    iface_box_slice(&ints_type, nil);
    assert_int_equal(opcount_end(NULL, m), 0);
    int64_t arr[3] = {1, 2, 3};
    goslice_t s = {arr, 3, 3};
    m = opcount_begin();
    goiface_t b = iface_box_slice(&ints_type, s);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_int_equal(((const goslice_t *)iface_data(b, &ints_type))->len, 3);
}

static void storing_a_pointer_does_not_allocate(void **state) {
    (void)state;
    int64_t *p = rt_new(&gotype_int64);
    opcount_mark_t m = opcount_begin();
    goiface_t b = iface_box_ptr(&gotype_pointer, p);
    goiface_t c = iface_box_bool(true);
    goiface_t d = iface_box_u8(&gotype_uint8, 200);
    assert_int_equal(opcount_end(NULL, m), 0);
    assert_ptr_equal(iface_ptr(b, &gotype_pointer), p);
    assert_int_equal(*(const uint8_t *)c.data, 1);
    assert_int_equal(*(const uint8_t *)d.data, 200);
}

static void float64_boxing_follows_convT64_on_its_bits(void **state) {
    (void)state;
    opcount_mark_t m = opcount_begin();
    iface_box_float64(0.0); // bits 0: static
    assert_int_equal(opcount_end(NULL, m), 0);
    m = opcount_begin();
    goiface_t f = iface_box_float64(1.5);
    assert_int_equal(opcount_end(NULL, m), 1);
    double d;
    memcpy(&d, f.data, 8);
    assert_true(d == 1.5);
}

static void convT16_and_convT32_use_the_static_table_below_256(void **state) {
    (void)state;
    opcount_mark_t m = opcount_begin();
    iface_box_u32(&gotype_int32, 255);
    assert_int_equal(opcount_end(NULL, m), 0);
    m = opcount_begin();
    goiface_t b = iface_box_u32(&gotype_int32, 70000);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_int_equal(iface_int64(b, &gotype_int32), 70000);
}

static void struct_value_boxing_copies_into_a_new_object(void **state) {
    (void)state;
    point_t pt = {3, 4};
    opcount_mark_t m = opcount_begin();
    goiface_t b = iface_box_value(&point_type, &pt);
    assert_int_equal(opcount_end(NULL, m), 1);
    pt.x = 9; // the box holds a copy
    assert_int_equal(((const int64_t *)iface_data(b, &point_type))[0], 3);
}

static void wrong_type_assertion_panics_like_go(void **state) {
    (void)state;
    goiface_t s = iface_box_string(STR("hi"));
    assert_true(PANICS_WITH(iface_int64(s, &gotype_int), "interface conversion: interface {} is string, not int"));
    assert_true(PANICS_WITH(iface_string(iface_nil()), "interface is nil, not string"));
}

static void boxed_values_survive_gc(void **state) {
    (void)state;
    goiface_t boxes[64];
    for (int i = 0; i < 64; i++)
        boxes[i] = iface_box_int(1000 + i);
    gc_test_collect();
    for (int i = 0; i < 64; i++)
        assert_int_equal(iface_int64(boxes[i], &gotype_int), 1000 + i);
}

// Runs tests/gocompare/allocs_go119_cases.go (testing.AllocsPerRun in Go 1.19) and
// measures the same operations here at the allocator: boxing ints and floats,
// string(b) and []byte(s) escaping or not (tmpBuf), boxing strings, Sprintf.
static void allocations_per_operation_agree_with_go119(void **state) {
    (void)state;
    FILE *p = popen("cd tests/gocompare && HOME=${HOME:-/tmp} GOCACHE=${GOCACHE:-/tmp/spanlab-gocache} "
                    "GOFLAGS= /usr/lib/go-1.19/bin/go run allocs_go119_cases.go", "r");
    assert_non_null(p);
    char line[256], op[32], arg[64];
    double want;
    int cases = 0, bad = 0;
    char bytes[64];
    while (fgets(line, sizeof line, p)) {
        if (sscanf(line, "%31s %63s %lf", op, arg, &want) != 3)
            continue;
        long long n = strtoll(arg, NULL, 10);
        for (int i = 0; i < 64; i++)
            bytes[i] = (char)('a' + i % 26);
        gostring_t s = str_view_bytes(bytes, n);
        str_tmpbuf_t tmp;
        opcount_mark_t m = opcount_begin();
        if (strcmp(op, "box_int64") == 0) {
            iface_box_int64(n);
        } else if (strcmp(op, "sprintf_d") == 0) {
            FMT_SPRINTF("%d", iface_box_int64(n));
        } else if (strcmp(op, "box_float64") == 0) {
            iface_box_float64(strtod(arg, NULL));
        } else if (strcmp(op, "string_escaping") == 0) {
            str_from_bytes(bytes, n, NULL);
        } else if (strcmp(op, "string_local") == 0) {
            str_from_bytes(bytes, n, &tmp);
        } else if (strcmp(op, "bytes_escaping") == 0) {
            str_to_bytes(s, NULL);
        } else if (strcmp(op, "bytes_local") == 0) {
            str_to_bytes(s, &tmp);
        } else if (strcmp(op, "box_string") == 0) {
            iface_box_string(s);
        } else if (strcmp(op, "sprintf_s") == 0) {
            FMT_SPRINTF("%s", iface_box_string(s));
        } else if (strcmp(op, "concat_escaping") == 0) {
            str_concat(s, STR("xy"));
        } else if (strcmp(op, "concat_local") == 0) {
            str_concat_tmp(s, STR("xy"), &tmp);
        } else {
            fprintf(stderr, "unknown case %s\n", op);
            bad++;
            continue;
        }
        uint64_t got = opcount_end(NULL, m);
        cases++;
        if ((double)got != want && bad++ < 10)
            fprintf(stderr, "%s(%s): got %llu allocs, Go 1.19 %g\n", op, arg, (unsigned long long)got, want);
    }
    assert_int_equal(pclose(p), 0);
    fprintf(stderr, "%d cases from Go 1.19, %d differ\n", cases, bad);
    assert_int_equal(cases, 8 * 2 + 3 + 41 * 8);
    assert_int_equal(bad, 0);
}

RUN_TESTS(GOLIB_TEST(allocations_per_operation_agree_with_go119),
          GOLIB_TEST(convT64_255_does_not_allocate_256_does),
          GOLIB_TEST(negative_int_boxes_allocate),
          GOLIB_TEST(convTstring_empty_is_free_nonempty_allocates_a_header),
          GOLIB_TEST(convTslice_nil_is_free_nonnil_allocates),
          GOLIB_TEST(storing_a_pointer_does_not_allocate),
          GOLIB_TEST(float64_boxing_follows_convT64_on_its_bits),
          GOLIB_TEST(convT16_and_convT32_use_the_static_table_below_256),
          GOLIB_TEST(struct_value_boxing_copies_into_a_new_object),
          GOLIB_TEST(wrong_type_assertion_panics_like_go),
          GOLIB_TEST(boxed_values_survive_gc))
