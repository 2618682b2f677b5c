// fmt against Go 1.19: Sprintf's output for common verbs (expected strings printed by
// Go 1.19's fmt), and what it allocates — measured with testing.AllocsPerRun:
// Sprintf("%d", n) is 2 allocations for n = 1000 (convT64 + the result) and 0 for
// n = 7 (static box, 1-byte result). The typed formatter boxes nothing.
#include "tests/unit/golib_test_util.h"

static void check(gostring_t got, const char *want) {
    if (got.len != (int64_t)strlen(want) || memcmp(got.ptr, want, (size_t)got.len) != 0) {
        fprintf(stderr, "got  %.*s\nwant %s\n", (int)got.len, (const char *)got.ptr, want);
        fail();
    }
}

static void sprintf_int_1000_allocates_twice_7_allocates_none_like_go119(void **state) {
    (void)state;
    int64_t n = 1000;
    opcount_mark_t m = opcount_begin();
    gostring_t s = FMT_SPRINTF("%d", iface_box_int(n));
    assert_int_equal(opcount_end(NULL, m), 2);
    check(s, "1000");
    n = 7;
    m = opcount_begin();
    s = FMT_SPRINTF("%d", iface_box_int(n));
    assert_int_equal(opcount_end(NULL, m), 0);
    check(s, "7");
    // The boxing is counted where it happens: convT64, not Sprintf.
    assert_int_equal(iface_stats.convT64.mallocs, 1);
    assert_int_equal(gofmt_stats.sprintf.mallocs, 1);
}

static void sprintf_verbs_match_go119_output(void **state) {
    (void)state;
    gostring_t s = FMT_SPRINTF(
        "%5d|%-5d|%05d|%x|%X|%q|%v|%t|%8.3f|%s|%10s|%-4s|%v|%+d|%o|%c|%e|%g|%5.1f%%",
        iface_box_int(42), iface_box_int(42), iface_box_int(42), iface_box_int(255),
        iface_box_int(255), iface_box_string(STR("hi\n")), iface_box_float64(3.5),
        iface_box_bool(true), iface_box_float64(3.14159), iface_box_string(STR("s")),
        iface_box_string(STR("r")), iface_box_string(STR("l")), iface_nil(), iface_box_int(5),
        iface_box_int(8), iface_box_u32(&gotype_int32, 'A'), iface_box_float64(12345.678),
        iface_box_float64(0.000012), iface_box_float64(99.95));
    check(s, "   42|42   |00042|ff|FF|\"hi\\n\"|3.5|true|   3.142|s|         r|l   |<nil>|+5|10|A|"
             "1.234568e+04|1.2e-05|100.0%");
    s = FMT_SPRINTF("%x|%q|% d|%+.2f|%6.2f|%-8.3e|%08.3f|%#x|%#o|%b", iface_box_string(STR("hi")),
                    iface_box_u32(&gotype_int32, 'x'), iface_box_int(5), iface_box_float64(3.14159),
                    iface_box_float64(-2.5), iface_box_float64(1234.5),
                    iface_box_float64(-3.14159), iface_box_int(255), iface_box_int(8),
                    iface_box_int(5));
    check(s, "6869|'x'| 5|+3.14| -2.50|1.234e+03|-003.142|0xff|010|101");
    s = FMT_SPRINTF("%s|%v|%.2s|%5t|%p", iface_box_int(42), iface_box_bool(true),
                    iface_box_string(STR("abcdef")), iface_box_bool(false), iface_nil());
    check(s, "%!s(int=42)|true|ab|false|%!p(<nil>)");
}

static void sprintf_reports_missing_and_extra_arguments_like_go(void **state) {
    (void)state;
    check(FMT_SPRINTF("%d|%d %d|%s", iface_box_string(STR("hi")), iface_box_int(1)),
          "%!d(string=hi)|1 %!d(MISSING)|%!s(MISSING)");
    check(FMT_SPRINTF("%d", iface_box_int(1), iface_box_int(2)), "1%!(EXTRA int=2)");
}

static void v_of_float64_is_shortest_like_go119(void **state) {
    (void)state;
    // Go 1.19: 0.1 1e+21 1.23456789e+08 100000 1e+06 1e-05 0.0001 2.5e-300
    check(FMT_SPRINTF("%v %v %v %v %v %v %v %v", iface_box_float64(0.1), iface_box_float64(1e21),
                      iface_box_float64(123456789.0), iface_box_float64(100000.0),
                      iface_box_float64(1e6), iface_box_float64(1e-5), iface_box_float64(0.0001),
                      iface_box_float64(2.5e-300)),
          "0.1 1e+21 1.23456789e+08 100000 1e+06 1e-05 0.0001 2.5e-300");
    volatile double a = 0.1, b = 0.2;
    check(FMT_SPRINTF("%v", iface_box_float64(a + b)), "0.30000000000000004");
}

static void typed_append_formatter_boxes_nothing(void **state) {
    (void)state;
    goslice_t buf = slice_make(&gotype_uint8, 0, 256);
    opcount_mark_t m = opcount_begin();
    for (int i = 0; i < 10; i++) {
        buf.len = 0;
        buf = gofmt_append_cstr(buf, "n=");
        buf = gofmt_append_int(buf, 1000 + i, 10);
        buf = gofmt_append_cstr(buf, " q=");
        buf = gofmt_append_quote(buf, STR("a\"b"));
        buf = gofmt_append_cstr(buf, " f=");
        buf = gofmt_append_float(buf, 2.5, 'f', 2);
        buf = gofmt_append_cstr(buf, " ");
        buf = gofmt_append_bool(buf, 1);
    }
    assert_int_equal(opcount_end(NULL, m), 0);
    check(str_view_bytes(buf.ptr, buf.len), "n=1009 q=\"a\\\"b\" f=2.50 true");
    buf = gofmt_append_uint(buf, 255, 16);
    assert_memory_equal((char *)buf.ptr + buf.len - 2, "ff", 2);
}

static void long_results_grow_past_the_pooled_buffer(void **state) {
    (void)state;
    static char big[100001];
    memset(big, 'x', 100000);
    gostring_t s = FMT_SPRINTF("[%s]", iface_box_string(str_from_cstr(big)));
    assert_int_equal(s.len, 100002);
    assert_int_equal(s.ptr[100001], ']');
}


static GOTYPE_SLICE(ints_t, "[]int64");
static GOTYPE_SLICE(bytes_t, "[]uint8");
static GOTYPE_SLICE(strs_t, "[]string");

// Runs tests/gocompare/fmt_go119_cases.go with Go 1.19 and checks every case: the format,
// a value of kind i/u/f/s/b, and Go's own Sprintf result.
static void sprintf_agrees_with_go119_case_by_case(void **state) {
    (void)state;
    FILE *p = popen("cd tests/gocompare && HOME=${HOME:-/tmp} GOCACHE=${GOCACHE:-/tmp/spanlab-gocache} "
                    "GOFLAGS= /usr/lib/go-1.19/bin/go run fmt_go119_cases.go", "r");
    assert_non_null(p);
    static char line[8192];
    int cases = 0, bad = 0;
    while (fgets(line, sizeof line, p)) {
        char kind, fh[512], vh[512], wh[4096];
        if (sscanf(line, "%c %511s %511s %4095s", &kind, fh, vh, wh) != 4) {
            // an empty string value or result is an empty field: re-split by hand
            char *f1 = line + 2, *f2 = strchr(f1, ' '), *f3 = f2 ? strchr(f2 + 1, ' ') : NULL;
            if (!f2 || !f3)
                continue;
            *f2 = 0;
            *f3 = 0;
            snprintf(fh, sizeof fh, "%.500s", f1);
            snprintf(vh, sizeof vh, "%.500s", f2 + 1);
            snprintf(wh, sizeof wh, "%.4000s", f3 + 1);
            wh[strcspn(wh, "\n")] = 0;
            kind = line[0];
        }
        char format[256] = {0}, want[2048], sval[256];
        unhex(fh, format, sizeof format - 1);
        size_t wn = unhex(wh, want, sizeof want);
        goiface_t arg;
        uint64_t bits = strtoull(vh, NULL, 16);
        switch (kind) {
        case 'i': arg = iface_box_int64((int64_t)bits); break;
        case 'u': arg = iface_box_uint64(bits); break;
        case 'f': {
            double d;
            memcpy(&d, &bits, 8);
            arg = iface_box_float64(d);
            break;
        }
        case 'b': arg = iface_box_bool(bits != 0); break;
        case 'I':
        case 'B':
        case 'S': { // slices: "N" (nil) or "L" + elements
            size_t sn = unhex(vh, sval, sizeof sval - 1);
            sval[sn] = 0;
            goslice_t sl = {0};
            if (sval[0] == 'L') {
                if (kind == 'I') {
                    sl = slice_make(&gotype_int64, 0, 0);
                    for (char *c = sval + 1; *c;) {
                        char *end;
                        int64_t x = strtoll(c, &end, 10);
                        if (end == c)
                            break;
                        sl = SLICE_APPEND(&gotype_int64, sl, int64_t, x);
                        c = *end == ',' ? end + 1 : end;
                    }
                } else if (kind == 'B') {
                    sl = slice_make(&gotype_uint8, 0, 0);
                    sl = slice_append(&gotype_uint8, sl, sval + 1, (int64_t)sn - 1);
                } else {
                    sl = slice_make(&gotype_string, 0, 0);
                    for (size_t a0 = 1; a0 <= sn - 1 && sn > 1;) {
                        size_t e2 = a0;
                        while (e2 < sn && sval[e2])
                            e2++;
                        gostring_t g = str_from_bytes(sval + a0, (int64_t)(e2 - a0), NULL);
                        sl = slice_append(&gotype_string, sl, &g, 1);
                        a0 = e2 + 1;
                    }
                }
            }
            arg = iface_box_slice(kind == 'I' ? &ints_t : kind == 'B' ? &bytes_t : &strs_t, sl);
            break;
        }
        default: {
            size_t sn = unhex(vh, sval, sizeof sval);
            arg = iface_box_string(str_from_bytes(sval, (int64_t)sn, NULL));
        }
        }
        gostring_t got = gofmt_sprintf(format, &arg, 1);
        cases++;
        if (got.len != (int64_t)wn || (wn && memcmp(got.ptr, want, wn) != 0)) {
            if (bad++ < 20)
                fprintf(stderr, "Sprintf(%s, %c:%s): got [%.*s] want [%.*s]\n", format, kind, vh,
                        (int)got.len, (const char *)got.ptr, (int)wn, want);
        }
    }
    assert_int_equal(pclose(p), 0);
    fprintf(stderr, "%d cases from Go 1.19, %d differ\n", cases, bad);
    assert_true(cases > 700);
    assert_int_equal(bad, 0);
}

RUN_TESTS(GOLIB_TEST(sprintf_agrees_with_go119_case_by_case),
          GOLIB_TEST(sprintf_int_1000_allocates_twice_7_allocates_none_like_go119),
          GOLIB_TEST(sprintf_verbs_match_go119_output),
          GOLIB_TEST(sprintf_reports_missing_and_extra_arguments_like_go),
          GOLIB_TEST(v_of_float64_is_shortest_like_go119),
          GOLIB_TEST(typed_append_formatter_boxes_nothing),
          GOLIB_TEST(long_results_grow_past_the_pooled_buffer))
