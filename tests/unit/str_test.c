// Strings against Go 1.19 (runtime/string.go, cmd/compile/internal/walk/order.go):
// which conversions allocate. Reference numbers were measured with Go 1.19's
// testing.AllocsPerRun: []byte(s) of 16 bytes that does not escape: 0, of 64: 1;
// m[string(b)]++ and m[string(b)] = 1: 1; v := m[string(b)]: 0; a 1-byte key: 0.
#include "tests/unit/golib_test_util.h"
#include "golib/map.h"
#include "golib/str.h"

static const char s64[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void string_from_bytes_allocates_once_unless_empty_or_one_byte(void **state) {
    (void)state;
    opcount_mark_t m = opcount_begin();
    gostring_t e = str_from_bytes("x", 0, NULL);
    gostring_t one = str_from_bytes("x", 1, NULL); // staticuint64s
    assert_int_equal(opcount_end(NULL, m), 0);
    assert_int_equal(e.len, 0);
    assert_int_equal(one.len, 1);
    assert_int_equal(one.ptr[0], 'x');
    m = opcount_begin();
    gostring_t two = str_from_bytes("xy", 2, NULL);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_memory_equal(two.ptr, "xy", 2);
}

static void string_from_bytes_uses_32_byte_stack_buffer_when_not_escaping(void **state) {
    (void)state;
    str_tmpbuf_t buf;
    opcount_mark_t m = opcount_begin();
    gostring_t a = str_from_bytes(s64, 32, &buf);
    assert_int_equal(opcount_end(NULL, m), 0);
    assert_ptr_equal(a.ptr, buf.b);
    m = opcount_begin();
    gostring_t b = str_from_bytes(s64, 33, &buf);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_ptr_not_equal(b.ptr, buf.b);
}

static void bytes_from_string_16_no_alloc_64_allocs_like_go119(void **state) {
    (void)state;
    str_tmpbuf_t buf;
    gostring_t s16 = str_sub(STR(s64), 0, 16);
    opcount_mark_t m = opcount_begin();
    goslice_t b = str_to_bytes(s16, &buf);
    assert_int_equal(opcount_end(NULL, m), 0);
    assert_int_equal(b.len, 16);
    assert_int_equal(b.cap, 32); // buf[:len(s)] of a [32]byte
    m = opcount_begin();
    b = str_to_bytes(STR(s64), &buf);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_memory_equal(b.ptr, s64, 64);
}

static void bytes_from_string_capacity_rounds_to_size_class(void **state) {
    (void)state;
    // rawbyteslice: cap = roundupsize(len): 33 -> 48, 100 -> 112.
    goslice_t b = str_to_bytes(str_sub(STR(s64), 0, 33), NULL);
    assert_int_equal(b.len, 33);
    assert_int_equal(b.cap, 48);
    b = str_to_bytes(STR("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"), NULL);
    assert_int_equal(b.cap, 112);
}

static map_type_t counts_type = MAP_TYPE("map[string]int", &gotype_string, &gotype_int, MAP_KEY_STRING);

static void map_lookup_by_bytes_does_not_allocate(void **state) {
    (void)state;
    map_t *m = map_make(&counts_type, 0);
    const char key[] = "some-key-0123";
    *(int64_t *)map_assign_str(m, str_from_bytes(key, 13, NULL)) = 5;
    opcount_mark_t mk = opcount_begin();
    int64_t *v = map_access_bytes(m, key, 13); // v := m[string(b)]
    assert_int_equal(opcount_end(NULL, mk), 0);
    assert_non_null(v);
    assert_int_equal(*v, 5);
}

static void map_assign_by_string_of_bytes_allocates_like_go119(void **state) {
    (void)state;
    map_t *m = map_make(&counts_type, 0);
    const char key[] = "some-key-0123";
    (*(int64_t *)map_assign_bytes(m, key, 13))++; // warm up: the entry exists
    opcount_mark_t mk = opcount_begin();
    (*(int64_t *)map_assign_bytes(m, key, 13))++; // m[string(b)]++ on an existing key
    assert_int_equal(opcount_end(NULL, mk), 1);
    mk = opcount_begin();
    (*(int64_t *)map_assign_bytes(m, "x", 1))++; // 1-byte key: staticuint64s
    (*(int64_t *)map_assign_bytes(m, "x", 1))++;
    assert_int_equal(opcount_end(NULL, mk), 0);
    mk = opcount_begin();
    gostring_t named = STR("some-key-0123");
    (*(int64_t *)map_assign_str(m, named))++; // m[k]++ with a string k: no conversion
    assert_int_equal(opcount_end(NULL, mk), 0);
    assert_int_equal(*(int64_t *)map_access_str(m, named), 3);
}

static void concat_allocates_unless_one_side_empty(void **state) {
    (void)state;
    opcount_mark_t m = opcount_begin();
    gostring_t a = str_concat(STR("ab"), STR(""));
    assert_int_equal(opcount_end(NULL, m), 0);
    m = opcount_begin();
    gostring_t c = str_concat(a, STR("cd"));
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_true(str_eq(c, STR("abcd")));
    assert_true(str_cmp(STR("abc"), STR("abd")) < 0);
    assert_true(str_cmp(STR("ab"), STR("abc")) < 0);
    assert_true(PANICS_WITH(str_sub(c, 3, 9), "slice bounds out of range [:9] with length 4"));
}

RUN_TESTS(GOLIB_TEST(string_from_bytes_allocates_once_unless_empty_or_one_byte),
          GOLIB_TEST(string_from_bytes_uses_32_byte_stack_buffer_when_not_escaping),
          GOLIB_TEST(bytes_from_string_16_no_alloc_64_allocs_like_go119),
          GOLIB_TEST(bytes_from_string_capacity_rounds_to_size_class),
          GOLIB_TEST(map_lookup_by_bytes_does_not_allocate),
          GOLIB_TEST(map_assign_by_string_of_bytes_allocates_like_go119),
          GOLIB_TEST(concat_allocates_unless_one_side_empty))
