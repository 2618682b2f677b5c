// Size classes: the generated table equals Go 1.19's runtime/sizeclasses.go entry by
// entry (parsed from the Go source), and every size maps to the smallest class that
// fits it.
#include "tests/unit/test.h"
#include "mm/heap_internal.h"

#define GO_SIZECLASSES "/usr/lib/go-1.19/src/runtime/sizeclasses.go"

static char *go_src;

// Reads Go's file once.
static const char *go_file(void) {
    if (go_src)
        return go_src;
    FILE *f = fopen(GO_SIZECLASSES, "r");
    if (!f)
        return NULL;
    go_src = calloc(1, 1 << 20);
    size_t n = fread(go_src, 1, (1 << 20) - 1, f);
    go_src[n] = 0;
    fclose(f);
    return go_src;
}

// Parses the Go array "var NAME = [...]T{a, b, ...}" into out; returns the count.
// Entries of the form ^uint32(0)/D + 1 are evaluated.
static int go_array(const char *name, uint64_t *out, int max) {
    const char *src = go_file();
    assert_non_null(src);
    char key[64];
    snprintf(key, sizeof key, "var %s = ", name);
    const char *p = strstr(src, key);
    assert_non_null(p);
    p = strchr(p + strlen(key), '{');
    assert_non_null(p);
    p++;
    int n = 0;
    while (*p && *p != '}') {
        while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t')
            p++;
        if (*p == '}')
            break;
        assert_true(n < max);
        if (strncmp(p, "^uint32(0)/", 11) == 0) {
            char *e;
            unsigned long d = strtoul(p + 11, &e, 10);
            out[n++] = (uint64_t)(UINT32_MAX / (uint32_t)d + 1);
            p = e;
            while (*p == ' ' || *p == '+' || *p == '1')
                p++;
        } else {
            char *e;
            out[n++] = strtoull(p, &e, 10);
            assert_true(e != p);
            p = e;
        }
    }
    return n;
}

static void sizeclass_table_equals_go(void **state) {
    (void)state;
    uint64_t v[512];
    assert_int_equal(go_array("class_to_size", v, 512), HEAP_NUM_SIZE_CLASSES);
    for (int c = 0; c < HEAP_NUM_SIZE_CLASSES; c++)
        assert_int_equal(heap_sc_class_to_size[c], v[c]);
    assert_int_equal(go_array("class_to_allocnpages", v, 512), HEAP_NUM_SIZE_CLASSES);
    for (int c = 0; c < HEAP_NUM_SIZE_CLASSES; c++)
        assert_int_equal(heap_sc_class_to_npages[c], v[c]);
    assert_int_equal(go_array("class_to_divmagic", v, 512), HEAP_NUM_SIZE_CLASSES);
    for (int c = 0; c < HEAP_NUM_SIZE_CLASSES; c++)
        assert_int_equal(heap_sc_class_to_divmul[c], v[c]);
    int n8 = go_array("size_to_class8", v, 512);
    assert_int_equal(n8, 1024 / 8 + 1);
    for (int i = 0; i < n8; i++)
        assert_int_equal(heap_sc_size_to_class8[i], v[i]);
    int n128 = go_array("size_to_class128", v, 512);
    assert_int_equal(n128, (32768 - 1024) / 128 + 1);
    for (int i = 0; i < n128; i++)
        assert_int_equal(heap_sc_size_to_class128[i], v[i]);
}

static void sizeclass_maps_size_to_smallest_fitting_class(void **state) {
    (void)state;
    for (size_t size = 1; size <= HEAP_MAX_SMALL_SIZE; size++) {
        int c = heap_size_to_class(size);
        assert_true(c >= 1 && c < HEAP_NUM_SIZE_CLASSES);
        assert_true(heap_class_to_size(c) >= size);
        if (c > 1)
            assert_true(heap_class_to_size(c - 1) < size);
        assert_int_equal(heap_roundupsize(size) , size == HEAP_MAX_SMALL_SIZE ? 32768 : heap_class_to_size(c));
    }
    assert_int_equal(heap_size_to_class(HEAP_MAX_SMALL_SIZE + 1), 0);
    // Large sizes round up to whole 8 KiB heap pages (msize.go), not 4 KiB OS pages.
    assert_int_equal(heap_roundupsize(40000), 40960);
    assert_int_equal(heap_roundupsize(32769), 40960);
    assert_int_equal(heap_roundupsize(49153), 57344);
}

static void sizeclass_divmul_gives_object_index(void **state) {
    (void)state;
    for (int c = 1; c < HEAP_NUM_SIZE_CLASSES; c++) {
        size_t span = heap_sc_class_to_npages[c] * HEAP_PAGE_SIZE, sz = heap_sc_class_to_size[c];
        for (size_t off = 0; off < span; off += 1 + off / 7)
            assert_int_equal((off * (uint64_t)heap_sc_class_to_divmul[c]) >> 32, off / sz);
    }
}

RUN_TESTS(cmocka_unit_test(sizeclass_table_equals_go),
          cmocka_unit_test(sizeclass_maps_size_to_smallest_fitting_class),
          cmocka_unit_test(sizeclass_divmul_gives_object_index))
