// selftest=golib: the models of Go's library on the real heap wherever spanlab runs
// (the kernel included): append capacities, boxing, map bucket memory, bytes.Buffer
// growth, defer pools, Sprintf, JSON reuse, and a heap profile written over the
// console (tests/image/golib_selftest.sh extracts it and opens it in go tool pprof).
#include <string.h>
#include "golib/pprof.h"
#include "rt/alloc.h"
#include "golib/buffer.h"
#include "golib/defer.h"
#include "golib/fmt.h"
#include "rt/gc.h"
#include "golib/iface.h"
#include "golib/json.h"
#include "golib/map.h"
#include "rt/prof.h"
#include "golib/slice.h"
#include "golib/str.h"
#include "sys/selftest.h"
#include "sys/sys.h"

static bool st_ok;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            sys_printf("selftest golib: check failed: %s (line %d)\n", #cond, __LINE__); \
            st_ok = false;                                                            \
        }                                                                             \
    } while (0)

// append from nil: Go 1.19's capacities for 8-byte elements.
static void check_slices(void) {
    static const int64_t want[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848, 1280};
    goslice_t s = {0};
    size_t k = 0;
    int64_t last = -1;
    for (int64_t i = 0; i < 1000; i++) {
        s = SLICE_APPEND(&gotype_int64, s, int64_t, i);
        if (s.cap != last) {
            CHECK(k < 12 && s.cap == want[k]);
            k++;
            last = s.cap;
        }
    }
    CHECK(k == 12);
    sys_printf("selftest golib: append caps ... 848 1280 ok (%llu reallocs)\n",
               (unsigned long long)slice_stats.reallocs);
}

// convT64 and friends.
static void check_boxing(void) {
    opcount_mark_t m = opcount_begin();
    goiface_t a = iface_box_int(255);
    CHECK(opcount_end(NULL, m) == 0);
    m = opcount_begin();
    goiface_t b = iface_box_int(256);
    CHECK(opcount_end(NULL, m) == 1);
    CHECK(iface_int64(a, &gotype_int) == 255 && iface_int64(b, &gotype_int) == 256);
    sys_printf("selftest golib: convT64 255 -> 0 allocs, 256 -> 1 alloc\n");
}

static map_type_t i64map = MAP_TYPE("map[int64]int64", &gotype_int64, &gotype_int64, MAP_KEY_MEM);

// A map keeps its buckets after every entry is deleted.
static void check_map(void) {
    map_t *m = map_make(&i64map, 0);
    for (int64_t i = 0; i < 100000; i++)
        *(int64_t *)map_assign_i64(m, i) = i;
    uint64_t full = map_bucket_bytes(m);
    for (int64_t i = 0; i < 100000; i++)
        map_delete_i64(m, i);
    gc_collect(true);
    CHECK(map_len(m) == 0 && map_bucket_bytes(m) == full && map_B(m) == 14);
    sys_printf("selftest golib: map 100000 entries: B=%u, %llu bucket bytes kept after delete\n",
               map_B(m), (unsigned long long)full);
}

// bytes.Buffer capacities and Sprintf.
static void check_buffer_fmt(void) {
    buf_t b = {0};
    for (int i = 0; i < 3000; i++)
        buf_write_string(&b, STR("0123456789"));
    CHECK(buf_cap(&b) == 32768);
    gostring_t s = FMT_SPRINTF("%5d|%-4s|%x|%v|%.2f", iface_box_int(42), iface_box_string(STR("ab")),
                               iface_box_int(255), iface_box_bool(true), iface_box_float64(3.14159));
    CHECK(str_eq(s, STR("   42|ab  |ff|true|3.14")));
    volatile double x = 0.1, y = 0.2; // shortest %v: exercises the x87 round trip
    gostring_t v = FMT_SPRINTF("%v %v %v", iface_box_float64(x + y), iface_box_float64(1e21),
                               iface_box_float64(123456789.0));
    CHECK(str_eq(v, STR("0.30000000000000004 1e+21 1.23456789e+08")));
    sys_printf("selftest golib: buffer cap 32768, Sprintf \"%.*s\"\n", (int)s.len, (const char *)s.ptr);
}

typedef struct cnt_closure {
    defer_closure_t f;
    int64_t *n;
} cnt_closure_t;
static GOTYPE_STRUCT(cnt_closure_type, cnt_closure_t, "golib.selftest.func1", offsetof(cnt_closure_t, n));
static void dec_fn(defer_closure_t *c) { (*((cnt_closure_t *)c)->n)--; }

// A loop of 10 defers: 10 closures per call, records from the pool after the first.
static void defer_loop(int64_t *n) {
    DEFER_FRAME(f, NULL);
    for (int i = 0; i < 10; i++) {
        (*n)++;
        cnt_closure_t *c = (cnt_closure_t *)defer_closure_new(&cnt_closure_type, dec_fn);
        c->n = n;
        defer_push(&f, &c->f);
    }
}

static void check_defer(void) {
    int64_t n = 0;
    defer_loop(&n);
    opcount_mark_t m = opcount_begin();
    defer_loop(&n);
    CHECK(opcount_end(NULL, m) == 10 && n == 0);
    sys_printf("selftest golib: defer in a loop of 10: 10 allocs per call\n");
}

typedef struct jmsg {
    gostring_t name;
    goslice_t tags;
} jmsg_t;
static const json_field_t jfields[] = {
    {"Name", offsetof(jmsg_t, name), JSON_STRING, NULL},
    {"Tags", offsetof(jmsg_t, tags), JSON_STRINGS, NULL},
};
static const json_struct_t jdesc = {"T", NULL, jfields, 2};

// A shorter array keeps the old elements in the backing array.
static void check_json(void) {
    jmsg_t m = {0};
    json_error_t e;
    static const char a[] = "{\"Name\":\"a\",\"Tags\":[\"a\",\"b\",\"c\",\"d\"]}";
    static const char b[] = "{\"Tags\":[\"z\"]}";
    static const char bad[] = "{\"Name\":\"b\",\"Tags\":[1,}";
    CHECK(json_decode(a, sizeof a - 1, &jdesc, &m, &e) == JSON_OK);
    CHECK(json_decode(b, sizeof b - 1, &jdesc, &m, &e) == JSON_OK);
    CHECK(m.tags.len == 1 && m.tags.cap == 4 && str_eq(m.name, STR("a")));
    CHECK(str_eq(((gostring_t *)m.tags.ptr)[1], STR("b")));
    CHECK(json_decode(bad, sizeof bad - 1, &jdesc, &m, &e) == JSON_ERR_SYNTAX && e.offset == 23);
    sys_printf("selftest golib: json reuse: tags len 1 cap 4, stale [1]=b; syntax error at 23\n");
}

// Allocates at a named site for the profile.
static void profile_site(void **keep) {
    PROF_SITE("golib.selftest.big");
    for (int i = 0; i < 4; i++)
        keep[i] = rt_mallocgc(256 << 10, NULL, false);
}

SELFTEST(golib, true) {
    st_ok = true;
    check_slices();
    check_boxing();
    check_map();
    check_buffer_fmt();
    check_defer();
    check_json();
    opcount_print_all();
    prof_reset(); // only the site below in the profile
    int64_t old = prof_set_rate(1);
    static void *keep[4];
    gc_add_root(keep, sizeof keep, NULL);
    profile_site(keep);
    pprof_print_top(5);
    pprof_write_console("golib");
    memset(keep, 0, sizeof keep);
    gc_remove_root(keep);
    prof_set_rate(old);
    return st_ok;
}
