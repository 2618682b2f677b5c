// fmt.Sprintf over boxed arguments and strconv-style typed appends (fmt/print.go,
// fmt/format.go, strconv/ftoa.go behaviour; our own code). See fmt.h.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "golib/fmt.h"
#include "golib/iface.h"
#include "golib/slice.h"
#include "golib/str.h"
#include "golib/opcount.h"
#include "rt/runtime.h"

gofmt_stats_t gofmt_stats;

// Resets the counters.
void gofmt_stats_reset(void) { memset(&gofmt_stats, 0, sizeof gofmt_stats); }

// A fresh runtime (rt_fresh): the pooled printer is in the old heap, and the counters
// start again.
RT_FRESH_HOOK(fmt) {
    gofmt_reset();
    gofmt_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(sprintf, "fmt.sprintf", &gofmt_stats.sprintf);
OPCOUNT_REGISTER(append, "fmt.append", &gofmt_stats.append);

// ---- the printer buffer (Go's pooled pp.buf) ----------------------------------------

#define PP_STATIC 65536 // fmt/print.go: buffers above 64 KiB are not pooled
static uint8_t pp_static[PP_STATIC];
static bool pp_busy;

// Marks the pooled printer free.
void gofmt_reset(void) { pp_busy = false; }

typedef struct printer {
    uint8_t *p;
    int64_t len, cap;
    bool heap;
    // flags of the verb being formatted
    bool minus, plus, sharp, zero, space;
    int width, prec; // -1: absent
} printer_t;

// Appends n bytes, growing the buffer on the heap past the static one.
static void pr_write(printer_t *pr, const void *s, int64_t n) {
    if (n <= 0)
        return;
    if (pr->len + n > pr->cap) {
        int64_t nc = slice_nextcap(1, pr->cap, pr->len + n);
        uint8_t *np = rt_mallocgc((size_t)nc, &gotype_uint8, false);
        memcpy(np, pr->p, (size_t)pr->len);
        GC_STORE(pr->p, np);
        pr->cap = nc;
        pr->heap = true;
    }
    memcpy(pr->p + pr->len, s, (size_t)n);
    pr->len += n;
}

static void pr_cstr(printer_t *pr, const char *s) { pr_write(pr, s, (int64_t)strlen(s)); }
static void pr_byte(printer_t *pr, char c) { pr_write(pr, &c, 1); }

// Writes n copies of c.
static void pr_fill(printer_t *pr, char c, int n) {
    for (int i = 0; i < n; i++)
        pr_byte(pr, c);
}

// Writes s padded to the width (left or right; zeros only when asked and allowed).
static void pr_pad(printer_t *pr, const char *s, int64_t n, bool zeros_ok) {
    int w = pr->width > n ? pr->width - (int)n : 0;
    if (!pr->minus) {
        if (pr->zero && zeros_ok && w && n && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
            pr_byte(pr, s[0]); // sign before the zeros
            s++;
            n--;
            pr_fill(pr, '0', w);
        } else {
            pr_fill(pr, pr->zero && zeros_ok ? '0' : ' ', w);
        }
        pr_write(pr, s, n);
    } else {
        pr_write(pr, s, n);
        pr_fill(pr, ' ', w);
    }
}

// ---- value classification -----------------------------------------------------------

enum vkind { V_INT, V_UINT, V_FLOAT, V_STRING, V_BOOL, V_PTR, V_SLICE, V_OTHER };

// Returns how fmt treats a dynamic type.
static enum vkind classify(const gotype_t *t) {
    if (t == &gotype_bool || strcmp(t->name, "bool") == 0)
        return V_BOOL;
    if (t == &gotype_string || t->kind == GOKIND_STRING)
        return V_STRING;
    if (t == &gotype_float64 || strncmp(t->name, "float", 5) == 0)
        return V_FLOAT;
    if (strncmp(t->name, "uint", 4) == 0)
        return V_UINT;
    if (t->kind == GOKIND_INT || strncmp(t->name, "int", 3) == 0)
        return V_INT;
    if (t->kind == GOKIND_POINTER || t->kind == GOKIND_MAP || t->kind == GOKIND_CHAN ||
        t->kind == GOKIND_FUNC)
        return V_PTR;
    if (t->kind == GOKIND_SLICE)
        return V_SLICE;
    return V_OTHER;
}

// Returns the boxed integer, sign- or zero-extended by the type's size.
static uint64_t int_value(goiface_t a, bool sign) {
    switch (a.type->size) {
    case 1: return sign ? (uint64_t)(int64_t)*(const int8_t *)a.data : *(const uint8_t *)a.data;
    case 2: return sign ? (uint64_t)(int64_t)*(const int16_t *)a.data : *(const uint16_t *)a.data;
    case 4: return sign ? (uint64_t)(int64_t)*(const int32_t *)a.data : *(const uint32_t *)a.data;
    default: return *(const uint64_t *)a.data;
    }
}

// ---- numbers ----------------------------------------------------------------------

// Writes an integer in base with Go's flags (precision = minimum digits, # prefix).
static void gofmt_integer(printer_t *pr, uint64_t u, bool neg, int base, bool upper) {
    char buf[96];
    int i = sizeof buf;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (pr->prec == 0 && u == 0) {
        i = sizeof buf; // %.0d of 0 prints nothing
    } else {
        do {
            buf[--i] = digits[u % (unsigned)base];
            u /= (unsigned)base;
        } while (u);
    }
    int nd = (int)sizeof buf - i;
    for (; pr->prec > 0 && nd < pr->prec && i > 24; nd++)
        buf[--i] = '0';
    if (pr->sharp) {
        if (base == 16) {
            buf[--i] = upper ? 'X' : 'x';
            buf[--i] = '0';
        } else if (base == 8 && buf[i] != '0') {
            buf[--i] = '0';
        } else if (base == 2) {
            buf[--i] = 'b';
            buf[--i] = '0';
        }
    }
    if (neg)
        buf[--i] = '-';
    else if (pr->plus)
        buf[--i] = '+';
    else if (pr->space)
        buf[--i] = ' ';
    pr_pad(pr, buf + i, (int64_t)sizeof buf - i, pr->prec < 0);
}

// Returns 10^e as a long double (e may be negative).
static long double pow10l_(int e) {
    long double r = 1, b = 10;
    unsigned n = (unsigned)(e < 0 ? -e : e);
    while (n) {
        if (n & 1)
            r *= b;
        b *= b;
        n >>= 1;
    }
    return e < 0 ? 1 / r : r;
}

// Fills digs with the shortest decimal digits that read back as v (v > 0, finite)
// and returns the decimal exponent of the first digit (v = 0.d1d2... * 10^(exp+1)).
static int shortest_digits(double v, char *digs, int *nd) {
    char tmp[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        char *e = strchr(tmp, 'e');
        int exp = (int)strtol(e + 1, NULL, 10);
        uint64_t m = 0;
        int n = 0;
        for (char *c = tmp; c < e; c++)
            if (*c >= '0' && *c <= '9') {
                m = m * 10 + (uint64_t)(*c - '0');
                digs[n++] = *c;
            }
        long double back = (long double)m * pow10l_(exp - (n - 1));
        if ((double)back == v || p == 17) {
            while (n > 1 && digs[n - 1] == '0')
                n--;
            *nd = n;
            return exp;
        }
    }
    return 0; // not reached
}

// Formats v like strconv.FormatFloat(v, fmtc, prec, 64) into out.
static int format_float(char *out, size_t outlen, double v, char fmtc, int prec) {
    if (v != v)
        return snprintf(out, outlen, "NaN");
    if (v == __builtin_inf())
        return snprintf(out, outlen, "+Inf");
    if (v == -__builtin_inf())
        return snprintf(out, outlen, "-Inf");
    bool upper = fmtc == 'E' || fmtc == 'G';
    char lc = (char)(fmtc | 0x20);
    if (prec >= 0 || lc == 'f') {
        if (prec < 0 && lc == 'f') { // shortest %f: shortest digits placed at their exponent
            char d[24];
            int nd, exp;
            if (v == 0)
                return snprintf(out, outlen, "%s0", __builtin_signbit(v) ? "-" : "");
            exp = shortest_digits(v < 0 ? -v : v, d, &nd);
            int frac = nd - 1 - exp;
            return snprintf(out, outlen, "%.*f", frac > 0 ? frac : 0, v);
        }
        char f[8] = {'%', '.', '*', lc == 'e' ? (upper ? 'E' : 'e') : lc == 'g' ? (upper ? 'G' : 'g') : 'f', 0};
        return snprintf(out, outlen, f, prec, v);
    }
    // Shortest %e / %g (Go's %v): the fewest digits that round-trip.
    bool neg = __builtin_signbit(v);
    double a = neg ? -v : v;
    char d[24];
    int nd = 1, exp = 0;
    if (a == 0)
        d[0] = '0';
    else
        exp = shortest_digits(a, d, &nd);
    char *o = out;
    size_t left = outlen;
#define PUT(c) do { if (left > 1) { *o++ = (c); left--; } } while (0)
    if (neg)
        PUT('-');
    bool use_e = lc == 'e' || exp < -4 || exp >= 6; // strconv ftoa.go: eprec = 6 when shortest
    if (lc == 'g' && !use_e) {
        if (exp < 0) {
            PUT('0');
            PUT('.');
            for (int i = -1; i > exp; i--)
                PUT('0');
            for (int i = 0; i < nd; i++)
                PUT(d[i]);
        } else {
            for (int i = 0; i <= exp; i++)
                PUT(i < nd ? d[i] : '0');
            if (nd > exp + 1) {
                PUT('.');
                for (int i = exp + 1; i < nd; i++)
                    PUT(d[i]);
            }
        }
    } else {
        PUT(d[0]);
        if (nd > 1) {
            PUT('.');
            for (int i = 1; i < nd; i++)
                PUT(d[i]);
        }
        PUT(upper ? 'E' : 'e');
        PUT(exp < 0 ? '-' : '+');
        int ae = exp < 0 ? -exp : exp;
        if (ae >= 100)
            PUT((char)('0' + ae / 100));
        PUT((char)('0' + ae / 10 % 10));
        PUT((char)('0' + ae % 10));
    }
#undef PUT
    *o = 0;
    return (int)(o - out);
}

// Writes a float verb with Go's flags.
static void gofmt_float(printer_t *pr, double v, char verb) {
    char buf[512];
    int prec = pr->prec;
    char fc = verb;
    if (verb == 'v')
        fc = 'g';
    if (prec < 0 && (fc == 'f' || fc == 'F' || fc == 'e' || fc == 'E'))
        prec = 6;
    if (fc == 'F')
        fc = 'f';
    int n = format_float(buf + 1, sizeof buf - 1, v, fc, prec);
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    // fmt/format.go fmtFloat: always a signed number first, then the flags decide.
    char *num = buf + 1;
    if (num[0] != '-' && num[0] != '+') {
        *--num = '+';
        n++;
    }
    if (pr->space && num[0] == '+' && !pr->plus)
        num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') { // Inf and NaN: never zero padded
        if (num[1] == 'N' && !pr->space && !pr->plus) {
            num++;
            n--;
        }
        pr_pad(pr, num, n, false);
        return;
    }
    if (pr->plus || num[0] != '+')
        pr_pad(pr, num, n, true); // the sign goes before any zero padding
    else
        pr_pad(pr, num + 1, n - 1, true);
}

// ---- strings ----------------------------------------------------------------------

// Appends Go's double-quoted form of s (strconv.Quote, ASCII escapes).
static void quote_into(printer_t *pr, const uint8_t *s, int64_t n) {
    pr_byte(pr, '"');
    for (int64_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        char esc[8];
        switch (c) {
        case '\a': pr_cstr(pr, "\\a"); break;
        case '\b': pr_cstr(pr, "\\b"); break;
        case '\f': pr_cstr(pr, "\\f"); break;
        case '\n': pr_cstr(pr, "\\n"); break;
        case '\r': pr_cstr(pr, "\\r"); break;
        case '\t': pr_cstr(pr, "\\t"); break;
        case '\v': pr_cstr(pr, "\\v"); break;
        case '"': pr_cstr(pr, "\\\""); break;
        case '\\': pr_cstr(pr, "\\\\"); break;
        default:
            if (c < 0x20 || c == 0x7f || c >= 0x80) { // non-ASCII bytes as \x (no UTF-8 decoding)
                snprintf(esc, sizeof esc, "\\x%02x", c);
                pr_cstr(pr, esc);
            } else {
                pr_byte(pr, (char)c);
            }
        }
    }
    pr_byte(pr, '"');
}

// Writes a string verb (%s %v %q %x %X) with width and precision.
static void gofmt_string(printer_t *pr, const uint8_t *s, int64_t n, char verb) {
    if (pr->prec >= 0 && n > pr->prec && (verb == 's' || verb == 'v' || verb == 'q'))
        n = pr->prec;
    if (verb == 's' || verb == 'v') {
        pr_pad(pr, (const char *)s, n, false);
        return;
    }
    // Build into a side printer on the static scratch, then pad.
    printer_t tmp = {0};
    uint8_t local[256];
    tmp.p = local;
    tmp.cap = sizeof local;
    if (verb == 'q') {
        quote_into(&tmp, s, n);
    } else {
        const char *dg = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        for (int64_t i = 0; i < n; i++) {
            pr_byte(&tmp, dg[s[i] >> 4]);
            pr_byte(&tmp, dg[s[i] & 15]);
        }
    }
    pr_pad(pr, (const char *)tmp.p, tmp.len, false);
}

// ---- one argument ------------------------------------------------------------------

// Writes %!verb(type=value) for a verb that does not fit the type.
static void bad_verb(printer_t *pr, char verb, goiface_t a);

static void gofmt_value(printer_t *pr, goiface_t a, char verb);

// The element type of a slice type, from its Go name ("[]int64" -> int64), or NULL.
static const gotype_t *slice_elem(const gotype_t *t) {
    static const gotype_t *const known[] = {&gotype_int,    &gotype_int64, &gotype_uint64,
                                            &gotype_int32,  &gotype_uint8, &gotype_bool,
                                            &gotype_string, &gotype_float64};
    const char *n = t->name;
    if (strncmp(n, "[]", 2) != 0)
        return NULL;
    n += 2;
    if (strcmp(n, "byte") == 0)
        return &gotype_uint8;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(n, known[i]->name) == 0)
            return known[i];
    return NULL;
}

// Writes a slice as fmt does: []byte as text for %s %q %x %X, otherwise
// [e1 e2 ...] with the verb applied to each element. Slices of other element types
// print their type name and length (the descriptor does not describe the elements).
static void gofmt_slice(printer_t *pr, goiface_t a, char verb) {
    const goslice_t *s = a.data;
    const gotype_t *et = slice_elem(a.type);
    if (et == NULL) {
        char b[96];
        int n = snprintf(b, sizeof b, "%s{len=%lld}", a.type->name, (long long)s->len);
        pr_pad(pr, b, n, false);
        return;
    }
    if (et == &gotype_uint8 && strchr("sqxX", verb)) {
        gofmt_string(pr, s->ptr, s->len, verb);
        return;
    }
    pr_byte(pr, '[');
    for (int64_t i = 0; i < s->len; i++) {
        if (i)
            pr_byte(pr, ' ');
        goiface_t e = {et, (uint8_t *)s->ptr + (size_t)i * et->size};
        gofmt_value(pr, e, verb);
    }
    pr_byte(pr, ']');
}

// Writes a with %v's default format.
static void gofmt_value(printer_t *pr, goiface_t a, char verb) {
    if (a.type == NULL) {
        if (verb == 'v' || verb == 's') {
            pr_pad(pr, "<nil>", 5, false);
        } else {
            bad_verb(pr, verb, a);
        }
        return;
    }
    enum vkind k = classify(a.type);
    switch (k) {
    case V_BOOL:
        if (verb == 'v' || verb == 't') {
            bool b = *(const uint8_t *)a.data != 0;
            pr_pad(pr, b ? "true" : "false", b ? 4 : 5, false);
        } else {
            bad_verb(pr, verb, a);
        }
        return;
    case V_INT:
    case V_UINT: {
        uint64_t u = int_value(a, k == V_INT);
        bool neg = k == V_INT && (int64_t)u < 0;
        uint64_t mag = neg ? (uint64_t)0 - u : u;
        switch (verb) {
        case 'v': case 'd': gofmt_integer(pr, mag, neg, 10, false); return;
        case 'x': gofmt_integer(pr, mag, neg, 16, false); return;
        case 'X': gofmt_integer(pr, mag, neg, 16, true); return;
        case 'o': gofmt_integer(pr, mag, neg, 8, false); return;
        case 'b': gofmt_integer(pr, mag, neg, 2, false); return;
        case 'c': {
            char c = (char)u;
            pr_pad(pr, &c, 1, false);
            return;
        }
        case 'q': {
            char q[4] = {'\'', (char)u, '\'', 0};
            pr_pad(pr, q, 3, false);
            return;
        }
        default: bad_verb(pr, verb, a); return;
        }
    }
    case V_FLOAT: {
        double d;
        if (a.type->size == 4) {
            float f;
            memcpy(&f, a.data, 4);
            d = f;
        } else {
            memcpy(&d, a.data, 8);
        }
        if (strchr("veEfFgG", verb))
            gofmt_float(pr, d, verb);
        else
            bad_verb(pr, verb, a);
        return;
    }
    case V_STRING: {
        gostring_t s = *(const gostring_t *)a.data;
        if (strchr("vsqxX", verb))
            gofmt_string(pr, s.ptr, s.len, verb);
        else
            bad_verb(pr, verb, a);
        return;
    }
    case V_PTR:
        if (verb == 'p' || verb == 'v') {
            if (a.data == NULL && verb == 'v') {
                pr_pad(pr, "<nil>", 5, false);
                return;
            }
            bool sharp = pr->sharp;
            pr->sharp = true;
            int prec = pr->prec;
            pr->prec = -1;
            gofmt_integer(pr, (uint64_t)(uintptr_t)a.data, false, 16, false);
            pr->sharp = sharp;
            pr->prec = prec;
        } else {
            bad_verb(pr, verb, a);
        }
        return;
    case V_SLICE:
        gofmt_slice(pr, a, verb);
        return;
    default:
        pr_pad(pr, a.type->name, (int64_t)strlen(a.type->name), false);
    }
}

// Writes %!verb(type=value).
static void bad_verb(printer_t *pr, char verb, goiface_t a) {
    pr_cstr(pr, "%!");
    pr_byte(pr, verb);
    pr_byte(pr, '(');
    if (a.type == NULL) {
        pr_cstr(pr, "<nil>");
    } else {
        pr_cstr(pr, a.type->name);
        pr_byte(pr, '=');
        printer_t save = *pr;
        pr->minus = pr->plus = pr->sharp = pr->zero = pr->space = false;
        pr->width = pr->prec = -1;
        gofmt_value(pr, a, 'v');
        save.p = pr->p;
        save.len = pr->len;
        save.cap = pr->cap;
        save.heap = pr->heap;
        *pr = save;
    }
    pr_byte(pr, ')');
}

// ---- the format loop ----------------------------------------------------------------

// Formats into pr (fmt/print.go doPrintf).
static void do_printf(printer_t *pr, const char *f, const goiface_t *args, int nargs) {
    int argi = 0;
    for (const char *c = f; *c;) {
        if (*c != '%') {
            const char *s = c;
            while (*c && *c != '%')
                c++;
            pr_write(pr, s, c - s);
            continue;
        }
        c++;
        pr->minus = pr->plus = pr->sharp = pr->zero = pr->space = false;
        pr->width = pr->prec = -1;
        for (;; c++) {
            if (*c == '-') pr->minus = true;
            else if (*c == '+') pr->plus = true;
            else if (*c == '#') pr->sharp = true;
            else if (*c == '0') pr->zero = !pr->minus;
            else if (*c == ' ') pr->space = true;
            else break;
        }
        if (*c == '*') {
            c++;
            if (argi < nargs && args[argi].type && classify(args[argi].type) == V_INT)
                pr->width = (int)int_value(args[argi], true);
            argi++;
            if (pr->width < 0) {
                pr->minus = true;
                pr->width = -pr->width;
            }
        } else {
            while (*c >= '0' && *c <= '9')
                pr->width = (pr->width < 0 ? 0 : pr->width) * 10 + (*c++ - '0');
        }
        if (*c == '.') {
            c++;
            pr->prec = 0;
            if (*c == '*') {
                c++;
                if (argi < nargs && args[argi].type && classify(args[argi].type) == V_INT)
                    pr->prec = (int)int_value(args[argi], true);
                argi++;
            } else {
                while (*c >= '0' && *c <= '9')
                    pr->prec = pr->prec * 10 + (*c++ - '0');
            }
        }
        if (pr->minus)
            pr->zero = false;
        char verb = *c;
        if (verb == 0) {
            pr_cstr(pr, "%!(NOVERB)");
            break;
        }
        c++;
        if (verb == '%') {
            pr_byte(pr, '%');
            continue;
        }
        if (argi >= nargs) {
            pr_cstr(pr, "%!");
            pr_byte(pr, verb);
            pr_cstr(pr, "(MISSING)");
            continue;
        }
        gofmt_value(pr, args[argi++], verb);
    }
    if (argi < nargs) {
        pr_cstr(pr, "%!(EXTRA ");
        for (int i = argi; i < nargs; i++) {
            if (i > argi)
                pr_cstr(pr, ", ");
            if (args[i].type == NULL) {
                pr_cstr(pr, "<nil>");
                continue;
            }
            pr_cstr(pr, args[i].type->name);
            pr_byte(pr, '=');
            pr->minus = pr->plus = pr->sharp = pr->zero = pr->space = false;
            pr->width = pr->prec = -1;
            gofmt_value(pr, args[i], 'v');
        }
        pr_byte(pr, ')');
    }
}

// Returns Sprintf's result: the pooled buffer, then string(p.buf).
gostring_t gofmt_sprintf(const char *format, const goiface_t *args, int nargs) {
    opcount_mark_t m = opcount_begin();
    printer_t pr = {0};
    uint8_t local[256];
    if (pp_busy) { // re-entered (formatting inside formatting): a local buffer
        pr.p = local;
        pr.cap = sizeof local;
    } else {
        pp_busy = true;
        pr.p = pp_static;
        pr.cap = PP_STATIC;
    }
    bool owner = pr.p == pp_static;
    do_printf(&pr, format, args, nargs);
    gostring_t s = str_from_bytes(pr.p, pr.len, NULL);
    if (owner)
        pp_busy = false;
    opcount_end(&gofmt_stats.sprintf, m);
    return s;
}

// Formats into out (truncated, NUL-terminated); returns the full length.
int64_t gofmt_bprintf(char *out, int64_t outlen, const char *format, const goiface_t *args,
                    int nargs) {
    printer_t pr = {0};
    uint8_t local[1024];
    pr.p = local;
    pr.cap = sizeof local;
    do_printf(&pr, format, args, nargs);
    if (outlen > 0) {
        int64_t n = pr.len < outlen - 1 ? pr.len : outlen - 1;
        memcpy(out, pr.p, (size_t)n);
        out[n] = 0;
    }
    return pr.len;
}

// ---- typed appends ---------------------------------------------------------------------

// Returns dst with n bytes appended (growslice when needed, counted).
static goslice_t append_bytes(goslice_t dst, const void *p, int64_t n) {
    opcount_mark_t m = opcount_begin();
    dst = slice_append(&gotype_uint8, dst, p, n);
    opcount_end(&gofmt_stats.append, m);
    return dst;
}

// strconv.AppendInt.
goslice_t gofmt_append_int(goslice_t dst, int64_t v, int base) {
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char buf[72];
    int i = sizeof buf;
    do {
        buf[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (unsigned)base];
        u /= (unsigned)base;
    } while (u);
    if (v < 0)
        buf[--i] = '-';
    return append_bytes(dst, buf + i, (int64_t)sizeof buf - i);
}

// strconv.AppendUint.
goslice_t gofmt_append_uint(goslice_t dst, uint64_t v, int base) {
    char buf[72];
    int i = sizeof buf;
    do {
        buf[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    return append_bytes(dst, buf + i, (int64_t)sizeof buf - i);
}

// append(dst, s...).
goslice_t gofmt_append_str(goslice_t dst, gostring_t s) { return append_bytes(dst, s.ptr, s.len); }

// append(dst, "literal"...).
goslice_t gofmt_append_cstr(goslice_t dst, const char *s) {
    return append_bytes(dst, s, (int64_t)strlen(s));
}

// strconv.AppendQuote (ASCII escapes).
goslice_t gofmt_append_quote(goslice_t dst, gostring_t s) {
    printer_t pr = {0};
    uint8_t local[512];
    pr.p = local;
    pr.cap = sizeof local;
    quote_into(&pr, s.ptr, s.len);
    return append_bytes(dst, pr.p, pr.len);
}

// strconv.AppendBool.
goslice_t gofmt_append_bool(goslice_t dst, int v) { return gofmt_append_cstr(dst, v ? "true" : "false"); }

// strconv.AppendFloat(dst, v, fmtc, prec, 64).
goslice_t gofmt_append_float(goslice_t dst, double v, char fmtc, int prec) {
    char buf[512];
    int n = format_float(buf, sizeof buf, v, fmtc, prec);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    return append_bytes(dst, buf, n);
}
