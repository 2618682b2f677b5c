// bytes.Buffer against Go 1.19 (bytes/buffer.go): capacities measured with Go 1.19 —
// 3000 WriteString("0123456789") from empty: 64 128 256 ... 32768; ReadFrom of a
// 100000-byte bytes.Reader into an empty buffer: cap 131072, len 100000.
#include "tests/unit/golib_test_util.h"
#include "golib/buffer.h"
#include "golib/str.h"

static void buffer_write_caps_match_go119(void **state) {
    (void)state;
    static const int64_t want[] = {64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
    buf_t b = {0};
    int64_t caps[16], last = -1;
    size_t k = 0;
    for (int i = 0; i < 3000; i++) {
        buf_write_string(&b, STR("0123456789"));
        if (buf_cap(&b) != last && k < 16)
            caps[k++] = last = buf_cap(&b);
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < k; i++)
        assert_int_equal(caps[i], want[i]);
    assert_int_equal(buf_len(&b), 30000);
    assert_int_equal(buf_stats.grow.mallocs, 10); // one array per capacity
}

static void read_from_100000_bytes_ends_with_cap_131072_like_go119(void **state) {
    (void)state;
    static uint8_t data[100000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    buf_mem_reader_t r;
    buf_mem_reader_init(&r, data, sizeof data);
    buf_t b = {0};
    assert_int_equal(buf_read_from(&b, &r.r), 100000);
    assert_int_equal(buf_len(&b), 100000);
    assert_int_equal(buf_cap(&b), 131072);
    assert_memory_equal(buf_bytes(&b).ptr, data, sizeof data);
}

static void bytes_aliases_the_buffer_array_and_reset_keeps_capacity(void **state) {
    (void)state;
    buf_t b = {0};
    for (int i = 0; i < 1000; i++)
        buf_write_string(&b, STR("abcdefgh"));
    goslice_t view = buf_bytes(&b);
    assert_ptr_equal(view.ptr, b.buf.ptr); // Bytes() pins the whole array
    int64_t cap = buf_cap(&b);
    buf_reset(&b);
    assert_int_equal(buf_len(&b), 0);
    assert_int_equal(buf_cap(&b), cap);
    opcount_mark_t m = opcount_begin();
    buf_write_string(&b, STR("again"));
    assert_int_equal(opcount_end(NULL, m), 0);
}

static void first_small_write_allocates_64_bytes(void **state) {
    (void)state;
    buf_t b = {0};
    opcount_mark_t m = opcount_begin();
    buf_write_byte(&b, 'x');
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_int_equal(prof_alloc_bytes() - m.bytes, 64); // make([]byte, n, smallBufferSize)
    assert_int_equal(buf_cap(&b), 64);
}

static void grow_reserves_without_changing_length_and_rejects_negative(void **state) {
    (void)state;
    buf_t b = {0};
    buf_write_string(&b, STR("hello"));
    buf_grow(&b, 1000); // growSlice: max(5 + 1000, 2*64) = 1005 -> size class 1024
    assert_int_equal(buf_len(&b), 5);
    assert_int_equal(buf_cap(&b), 1024); // Go 1.19 prints 5 1024
    assert_true(PANICS_WITH(buf_grow(&b, -1), "bytes.Buffer.Grow: negative count"));
}

static void reading_then_writing_slides_data_down_instead_of_growing(void **state) {
    (void)state;
    buf_t b = {0};
    uint8_t tmp[1000];
    for (int i = 0; i < 100; i++)
        buf_write_string(&b, STR("0123456789"));
    int64_t cap = buf_cap(&b); // 1024
    bool eof;
    assert_int_equal(buf_read(&b, tmp, 900, &eof), 900);
    buf_write(&b, tmp, 300); // 300 <= 1024/2 - 100: slide, no allocation
    assert_int_equal(buf_cap(&b), cap);
    assert_int_equal(buf_len(&b), 400);
    assert_int_equal(buf_stats.slides, 1);
}

static void inflate_reader_expands_small_input_deterministically(void **state) {
    (void)state;
    uint8_t comp[64];
    int64_t n = buf_inflate_encode(comp, sizeof comp, 1 << 20, 128 << 10); // 8 records
    assert_int_equal(n, 40);
    buf_inflate_reader_t z;
    buf_inflate_init(&z, comp, n);
    buf_t b = {0};
    assert_int_equal(buf_read_from(&b, &z.r), 1 << 20);
    goslice_t out = buf_bytes(&b);
    const uint8_t *p = out.ptr;
    assert_int_equal(p[0], 'a');
    assert_int_equal(p[1], 'a' + 1);
    assert_int_equal(p[128 << 10], 'b'); // second record
    uint64_t sum = 0;
    for (int64_t i = 0; i < out.len; i++)
        sum = sum * 31 + p[i];
    buf_inflate_init(&z, comp, n); // same input, same output
    buf_t c = {0};
    buf_read_from(&c, &z.r);
    uint64_t sum2 = 0;
    for (int64_t i = 0; i < buf_len(&c); i++)
        sum2 = sum2 * 31 + ((const uint8_t *)buf_bytes(&c).ptr)[i];
    assert_int_equal(sum, sum2);
}

static void buffer_contents_survive_gc(void **state) {
    (void)state;
    buf_t b = {0};
    for (int i = 0; i < 5000; i++)
        buf_write_string(&b, STR("xyz"));
    gc_test_collect();
    gostring_t s = buf_string(&b);
    assert_int_equal(s.len, 15000);
    assert_memory_equal(s.ptr + 14997, "xyz", 3);
}

static void read_file_allocates_size_plus_one_once_like_os_readfile(void **state) {
    (void)state;
    static uint8_t data[10000];
    buf_mem_reader_t r;
    buf_mem_reader_init(&r, data, sizeof data);
    opcount_mark_t m = opcount_begin();
    goslice_t f = buf_read_file(&r.r, sizeof data);
    assert_int_equal(opcount_end(NULL, m), 1);
    assert_int_equal(f.len, 10000);
    assert_int_equal(f.cap, 10001);
    assert_int_equal(prof_alloc_bytes() - m.bytes, 10001);
    // A file that grew after Stat: append grows the array (growslice rule).
    buf_mem_reader_init(&r, data, sizeof data);
    f = buf_read_file(&r.r, 100);
    assert_int_equal(f.len, 10000);
    // io.ReadAll: 512, then append's growth: 512 -> 896 -> 1408 -> 2048 -> 3072 -> 4096
    // -> 5376 -> 6912 -> 9472 -> 12288.
    buf_mem_reader_init(&r, data, sizeof data);
    f = buf_read_all(&r.r);
    assert_int_equal(f.len, 10000);
    assert_int_equal(f.cap, 12288);
}

// Runs tests/gocompare/buffer_go119_cases.go with Go 1.19 and replays every case (writes
// of many sizes, ReadFrom, Grow, interleaved Read): the capacities must agree.
static void buffer_capacities_agree_with_go119(void **state) {
    (void)state;
    FILE *p = popen("cd tests/gocompare && HOME=${HOME:-/tmp} GOCACHE=${GOCACHE:-/tmp/spanlab-gocache} "
                    "GOFLAGS= /usr/lib/go-1.19/bin/go run buffer_go119_cases.go", "r");
    assert_non_null(p);
    static char line[8192], got[8192];
    static uint8_t data[1 << 20], sink[1 << 16];
    int cases = 0, bad = 0;
    while (fgets(line, sizeof line, p)) {
        char op;
        long a, b2 = 0;
        int off;
        line[strcspn(line, "\n")] = 0;
        if (line[0] == 'r') {
            if (sscanf(line, "%c %ld %n", &op, &a, &off) != 2)
                continue;
        } else if (sscanf(line, "%c %ld %ld %n", &op, &a, &b2, &off) != 3) {
            continue;
        }
        const char *want = line + off;
        buf_t b = {0};
        size_t o = 0;
        int64_t last = -1;
#define SEE()                                                                     \
    do {                                                                          \
        if (buf_cap(&b) != last) {                                                \
            last = buf_cap(&b);                                                   \
            o += (size_t)sprintf(got + o, "%lld,", (long long)last);              \
        }                                                                         \
    } while (0)
        bool eof;
        switch (op) {
        case 'w':
            for (long i = 0; i < b2; i++) {
                buf_write(&b, data, a);
                SEE();
            }
            break;
        case 'r': {
            buf_mem_reader_t r;
            buf_mem_reader_init(&r, data, a);
            buf_read_from(&b, &r.r);
            o += (size_t)sprintf(got + o, "%lld,%lld,", (long long)buf_len(&b), (long long)buf_cap(&b));
            break;
        }
        case 'g':
            buf_grow(&b, a);
            SEE();
            buf_write(&b, data, b2);
            SEE();
            break;
        case 'x':
            for (long i = 0; i < b2; i++) {
                buf_write(&b, data, a);
                buf_read(&b, sink, a / 2, &eof);
                SEE();
            }
            break;
        }
#undef SEE
        got[o] = 0;
        cases++;
        if (strcmp(got, want) != 0 && bad++ < 5)
            fprintf(stderr, "%c %ld %ld:\n  got  %s\n  want %s\n", op, a, b2, got, want);
    }
    assert_int_equal(pclose(p), 0);
    fprintf(stderr, "%d cases from Go 1.19, %d differ\n", cases, bad);
    assert_int_equal(cases, 33);
    assert_int_equal(bad, 0);
}

RUN_TESTS(GOLIB_TEST(buffer_capacities_agree_with_go119),
          GOLIB_TEST(read_file_allocates_size_plus_one_once_like_os_readfile),
          GOLIB_TEST(buffer_write_caps_match_go119),
          GOLIB_TEST(read_from_100000_bytes_ends_with_cap_131072_like_go119),
          GOLIB_TEST(bytes_aliases_the_buffer_array_and_reset_keeps_capacity),
          GOLIB_TEST(first_small_write_allocates_64_bytes),
          GOLIB_TEST(grow_reserves_without_changing_length_and_rejects_negative),
          GOLIB_TEST(reading_then_writing_slides_data_down_instead_of_growing),
          GOLIB_TEST(inflate_reader_expands_small_input_deterministically),
          GOLIB_TEST(buffer_contents_survive_gc))
