// gctrace=1: Go's one line per collection, character for character (the print in
// runtime/mgc.go gcMarkTermination, with its number helpers itoaDiv/fmtNSAsMS):
//   gc 1 @0.012s 2%: 0.010+0.52+0.003 ms clock, 0.010+0/0.52/0+0.003 ms cpu,
//   4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P (forced)
// (one line). Phases spanlab does not have (assists, idle marking) print 0.
#include "rt/gc_internal.h"

typedef struct out {
    char *buf;
    size_t len, pos;
} out_t;

static void put(out_t *o, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++, o->pos++)
        if (o->pos + 1 < o->len)
            o->buf[o->pos] = s[i];
}

static void puts_(out_t *o, const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    put(o, s, n);
}

// Writes val with dec decimal places (Go's itoaDiv) into the tail of tmp; returns
// the start of the digits.
static char *itoa_div(char *tmp, size_t cap, uint64_t val, int dec) {
    size_t i = cap - 1;
    size_t idec = i - (size_t)dec;
    while (val >= 10 || i >= idec) {
        tmp[i--] = (char)('0' + val % 10);
        if (i == idec)
            tmp[i--] = '.';
        val /= 10;
    }
    tmp[i] = (char)('0' + val);
    return tmp + i;
}

static void put_div(out_t *o, uint64_t val, int dec) {
    char tmp[32];
    char *s = itoa_div(tmp, sizeof tmp, val, dec);
    put(o, s, (size_t)(tmp + sizeof tmp - s));
}

// Plain decimal, as Go's print of an integer. (itoaDiv with dec 0 would print a
// single digit with a leading zero; Go only uses it for values >= 10.)
static void put_u(out_t *o, uint64_t v) {
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(o, tmp + i, sizeof tmp - i);
}

static void put_ms(out_t *o, uint64_t ns) {
    if (ns >= 10000000) {
        put_div(o, ns / 1000000, 0);
        return;
    }
    uint64_t x = ns / 1000;
    if (x == 0) {
        put(o, "0", 1);
        return;
    }
    int dec = 3;
    while (x >= 100) {
        x /= 10;
        dec--;
    }
    put_div(o, x, dec);
}

// Returns the length of ns formatted as Go's fmtNSAsMS.
size_t gctrace_fmt_ms(char *buf, size_t len, uint64_t ns) {
    out_t o = {buf, len, 0};
    put_ms(&o, ns);
    if (len)
        buf[o.pos < len ? o.pos : len - 1] = 0;
    return o.pos;
}

// Returns the length of the formatted line (snprintf-style).
size_t gctrace_format(char *buf, size_t len, const gctrace_rec_t *r) {
    out_t o = {buf, len, 0};
    puts_(&o, "gc ");
    put_u(&o, r->num);
    puts_(&o, " @");
    put_div(&o, r->start_ns / 1000000, 3);
    puts_(&o, "s ");
    put_u(&o, (uint64_t)(int)(r->cpu_fraction * 100));
    puts_(&o, "%: ");
    for (int i = 0; i < 3; i++) {
        if (i)
            puts_(&o, "+");
        put_ms(&o, r->clock_ns[i]);
    }
    puts_(&o, " ms clock, ");
    for (int i = 0; i < 5; i++) {
        if (i == 2 || i == 3)
            puts_(&o, "/");
        else if (i)
            puts_(&o, "+");
        put_ms(&o, r->cpu_ns[i]);
    }
    puts_(&o, " ms cpu, ");
    put_u(&o, r->heap0 >> 20);
    puts_(&o, "->");
    put_u(&o, r->heap1 >> 20);
    puts_(&o, "->");
    put_u(&o, r->heap2 >> 20);
    puts_(&o, " MB, ");
    put_u(&o, r->goal >> 20);
    puts_(&o, " MB goal, ");
    put_u(&o, r->stacks >> 20);
    puts_(&o, " MB stacks, ");
    put_u(&o, r->globals >> 20);
    puts_(&o, " MB globals, ");
    put_u(&o, (uint64_t)r->procs);
    puts_(&o, " P");
    if (r->forced)
        puts_(&o, " (forced)");
    puts_(&o, "\n");
    if (len)
        buf[o.pos < len ? o.pos : len - 1] = 0;
    return o.pos;
}
