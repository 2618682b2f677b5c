// Go strings and the string/[]byte conversions with Go 1.19's allocation behaviour
// (runtime/string.go slicebytetostring, stringtoslicebyte, rawbyteslice,
// concatstrings). Byte arrays are noscan (typed uint8).
#include <string.h>
#include "rt/alloc.h"
#include "golib/iface.h"
#include "golib/str.h"
#include "golib/opcount.h"
#include "rt/runtime.h"
#include "rt/panic.h"
#include "mm/heap.h"

str_stats_t str_stats;

// Resets the counters.
void str_stats_reset(void) { memset(&str_stats, 0, sizeof str_stats); }

// A fresh runtime (rt_fresh): the counters start again.
RT_FRESH_HOOK(str) {
    str_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(to_string, "str.to_string", &str_stats.to_string);
OPCOUNT_REGISTER(to_bytes, "str.to_bytes", &str_stats.to_bytes);
OPCOUNT_REGISTER(concat, "str.concat", &str_stats.concat);

// Returns a view of the NUL-terminated s (no copy).
gostring_t str_from_cstr(const char *s) {
    gostring_t r = {(const uint8_t *)s, (int64_t)strlen(s)};
    return r;
}

// Returns string(p[0..n)): no allocation for n <= 1 or a fitting tmp buffer.
gostring_t str_from_bytes(const void *p, int64_t n, str_tmpbuf_t *buf) {
    gostring_t s = {NULL, 0};
    if (n < 0)
        rt_panic("slicebytetostring: negative length");
    if (n == 0)
        return s;
    opcount_mark_t m = opcount_begin();
    uint8_t *d;
    if (n == 1) {
        s.ptr = (const uint8_t *)&iface_staticuint64s[*(const uint8_t *)p];
        s.len = 1;
        opcount_end(&str_stats.to_string, m);
        return s;
    }
    if (buf != NULL && n <= STR_TMPBUF_SIZE)
        d = buf->b;
    else
        d = rt_mallocgc((size_t)n, &gotype_uint8, false);
    memmove(d, p, (size_t)n);
    s.ptr = d;
    s.len = n;
    opcount_end(&str_stats.to_string, m);
    return s;
}

// Returns []byte(s): the tmp buffer when it fits, else a size-class-rounded array.
goslice_t str_to_bytes(gostring_t s, str_tmpbuf_t *buf) {
    opcount_mark_t m = opcount_begin();
    goslice_t b;
    if (buf != NULL && s.len <= STR_TMPBUF_SIZE) {
        memset(buf->b, 0, sizeof buf->b); // *buf = tmpBuf{}; b = buf[:len(s)]: cap 32
        b.ptr = buf->b;
        b.len = s.len;
        b.cap = STR_TMPBUF_SIZE;
    } else {
        size_t cap = heap_roundupsize((size_t)s.len);
        uint8_t *p = rt_mallocgc(cap, &gotype_uint8, false);
        memset(p + s.len, 0, cap - (size_t)s.len);
        b.ptr = p;
        b.len = s.len;
        b.cap = (int64_t)cap;
    }
    if (s.len)
        memmove(b.ptr, s.ptr, (size_t)s.len);
    opcount_end(&str_stats.to_bytes, m);
    return b;
}

// Returns a + b (one allocation unless a side is empty).
gostring_t str_concat(gostring_t a, gostring_t b) { return str_concat_tmp(a, b, NULL); }

// Returns a + b in buf when given and the result fits (rawstringtmp), else in a new
// string; a side that is empty yields the other side as is.
gostring_t str_concat_tmp(gostring_t a, gostring_t b, str_tmpbuf_t *buf) {
    if (a.len == 0)
        return b;
    if (b.len == 0)
        return a;
    opcount_mark_t m = opcount_begin();
    uint8_t *p = buf != NULL && a.len + b.len <= STR_TMPBUF_SIZE
                     ? buf->b
                     : rt_mallocgc((size_t)(a.len + b.len), &gotype_uint8, false);
    memcpy(p, a.ptr, (size_t)a.len);
    memcpy(p + a.len, b.ptr, (size_t)b.len);
    opcount_end(&str_stats.concat, m);
    gostring_t s = {p, a.len + b.len};
    return s;
}

// Returns true when the bytes are equal.
bool str_eq(gostring_t a, gostring_t b) {
    return a.len == b.len && (a.ptr == b.ptr || memcmp(a.ptr, b.ptr, (size_t)a.len) == 0);
}

// Returns the byte-wise comparison of a and b.
int str_cmp(gostring_t a, gostring_t b) {
    int64_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, (size_t)n) : 0;
    if (c)
        return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

// Returns s[lo:hi]; panics with Go's message on bad bounds.
gostring_t str_sub(gostring_t s, int64_t lo, int64_t hi) {
    if (hi < 0 || hi > s.len)
        rt_panic("slice bounds out of range [:%lld] with length %lld", (long long)hi,
                    (long long)s.len);
    if (lo < 0 || lo > hi)
        rt_panic("slice bounds out of range [%lld:%lld]", (long long)lo, (long long)hi);
    gostring_t r = {s.ptr + lo, hi - lo};
    return r;
}
