// vsnprintf: the C11 7.21.6.1 formatting engine of the freestanding libc.
// Integers, characters, strings and pointers are formatted here, without SSE
// (interrupt handlers print); f/e/g go to format_float.c, which may use SSE.
// Conversions outside the standard set are copied out as written.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libc/format.h"

// Appends one byte (stored only while there is room for it and the NUL).
void fmt_putc(struct fmt_out *o, char c) {
    if (o->n + 1 < o->cap)
        o->buf[o->n] = c;
    o->n++;
}

// Appends n bytes of s.
void fmt_puts(struct fmt_out *o, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        fmt_putc(o, s[i]);
}

// Appends n copies of c.
void fmt_repeat(struct fmt_out *o, char c, size_t n) {
    while (n--)
        fmt_putc(o, c);
}

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

// Fetches the next integer argument of the given length, as signed or unsigned,
// widened to 64 bits.
static uint64_t fetch_int(va_list *ap, enum length len, bool is_signed) {
    if (is_signed) {
        switch (len) {
        case LEN_HH: return (uint64_t)(int64_t)(signed char)va_arg(*ap, int);
        case LEN_H: return (uint64_t)(int64_t)(short)va_arg(*ap, int);
        case LEN_L: return (uint64_t)(int64_t)va_arg(*ap, long);
        case LEN_LL: return (uint64_t)(int64_t)va_arg(*ap, long long);
        case LEN_Z: return (uint64_t)(int64_t)va_arg(*ap, long); // signed size_t
        case LEN_J: return (uint64_t)va_arg(*ap, intmax_t);
        case LEN_T: return (uint64_t)(int64_t)va_arg(*ap, ptrdiff_t);
        default: return (uint64_t)(int64_t)va_arg(*ap, int);
        }
    }
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_T: return (uint64_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

// Emits body (len bytes) after sign/prefix, padded to spec->width: spaces on the
// left or right, or zeros between the prefix and the body when zero_pad.
static void emit_padded(struct fmt_out *o, const struct fmt_spec *spec, const char *prefix,
                        size_t plen, size_t zeros, const char *body, size_t len, bool zero_pad) {
    size_t total = plen + zeros + len;
    size_t pad = spec->width > 0 && (size_t)spec->width > total ? (size_t)spec->width - total : 0;
    if (!spec->left && !zero_pad)
        fmt_repeat(o, ' ', pad);
    fmt_puts(o, prefix, plen);
    if (!spec->left && zero_pad)
        fmt_repeat(o, '0', pad);
    fmt_repeat(o, '0', zeros);
    fmt_puts(o, body, len);
    if (spec->left)
        fmt_repeat(o, ' ', pad);
}

// Formats one integer conversion (d i u o x X, and p as %#lx).
static void format_int(struct fmt_out *o, const struct fmt_spec *spec, uint64_t v,
                       bool is_signed) {
    char digits[24], prefix[3];
    size_t plen = 0, nd = 0;
    bool neg = is_signed && (int64_t)v < 0;
    uint64_t mag = neg ? 0 - v : v;
    unsigned base = 10;
    const char *set = "0123456789abcdef";
    char c = spec->conv;
    if (c == 'o')
        base = 8;
    else if (c == 'x' || c == 'p')
        base = 16;
    else if (c == 'X')
        base = 16, set = "0123456789ABCDEF";

    if (neg)
        prefix[plen++] = '-';
    else if (is_signed && spec->plus)
        prefix[plen++] = '+';
    else if (is_signed && spec->space)
        prefix[plen++] = ' ';
    if ((c == 'x' || c == 'X' || c == 'p') && spec->alt && mag != 0) {
        prefix[plen++] = '0';
        prefix[plen++] = c == 'X' ? 'X' : 'x';
    }
    while (mag) {
        digits[sizeof digits - 1 - nd++] = set[mag % base];
        mag /= base;
    }
    // Precision: the minimum number of digits; 0 with a zero value prints none.
    size_t prec = spec->prec < 0 ? 1 : (size_t)spec->prec;
    size_t zeros = prec > nd ? prec - nd : 0;
    if (c == 'o' && spec->alt && zeros == 0 && (nd == 0 || digits[sizeof digits - nd] != '0'))
        zeros = 1; // '#' with o: the first digit is a zero
    emit_padded(o, spec, prefix, plen, zeros, digits + sizeof digits - nd, nd,
                spec->zero && spec->prec < 0);
}

// Formats a %s (NULL prints "(null)", as glibc does when it fits the precision).
static void format_str(struct fmt_out *o, const struct fmt_spec *spec, const char *s) {
    if (!s)
        s = spec->prec < 0 || spec->prec >= 6 ? "(null)" : "";
    size_t len = spec->prec < 0 ? strlen(s) : strnlen(s, (size_t)spec->prec);
    emit_padded(o, spec, "", 0, 0, s, len, false);
}

// Reads a decimal number at *p (advancing it), saturating at INT32_MAX.
static int read_num(const char **p) {
    int v = 0;
    while (**p >= '0' && **p <= '9') {
        int d = *(*p)++ - '0';
        v = v > (INT32_MAX - d) / 10 ? INT32_MAX : v * 10 + d;
    }
    return v;
}

// Parses the flags, width, precision and length after a '%' at *p (advancing it).
static enum length parse_spec(const char **p, struct fmt_spec *spec, va_list *ap) {
    const char *f = *p;
    *spec = (struct fmt_spec){.prec = -1};
    for (;; f++) {
        if (*f == '-') spec->left = true;
        else if (*f == '+') spec->plus = true;
        else if (*f == ' ') spec->space = true;
        else if (*f == '#') spec->alt = true;
        else if (*f == '0') spec->zero = true;
        else break;
    }
    if (*f == '*') {
        int w = va_arg(*ap, int);
        f++;
        if (w < 0) {
            spec->left = true;
            w = w == INT32_MIN ? INT32_MAX : -w;
        }
        spec->width = w;
    } else {
        spec->width = read_num(&f);
    }
    if (*f == '.') {
        f++;
        if (*f == '*') {
            int pr = va_arg(*ap, int);
            f++;
            spec->prec = pr < 0 ? -1 : pr; // negative: as if omitted
        } else {
            spec->prec = read_num(&f);
        }
    }
    enum length len = LEN_NONE;
    switch (*f) {
    case 'h': len = f[1] == 'h' ? (f++, LEN_HH) : LEN_H; f++; break;
    case 'l': len = f[1] == 'l' ? (f++, LEN_LL) : LEN_L; f++; break;
    case 'z': len = LEN_Z; f++; break;
    case 'j': len = LEN_J; f++; break;
    case 't': len = LEN_T; f++; break;
    case 'L': f++; break; // long double is not supported: treated as double
    }
    spec->conv = *f;
    *p = f;
    return len;
}

// Returns the number of bytes the whole output needs (without the NUL); stores the
// first size-1 of them and a NUL in buf when size > 0.
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap) {
    struct fmt_out o = {buf, size, 0};
    struct fmt_spec spec;
    va_list aq;
    va_copy(aq, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            fmt_putc(&o, *p);
            continue;
        }
        const char *start = p++;
        enum length len = parse_spec(&p, &spec, &aq);
        switch (spec.conv) {
        case 'd':
        case 'i':
            format_int(&o, &spec, fetch_int(&aq, len, true), true);
            break;
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            format_int(&o, &spec, fetch_int(&aq, len, false), false);
            break;
        case 'p': {
            void *ptr = va_arg(aq, void *);
            if (!ptr) {
                spec.prec = -1;
                format_str(&o, &spec, "(nil)");
            } else {
                spec.alt = true;
                format_int(&o, &spec, (uintptr_t)ptr, false);
            }
            break;
        }
        case 'c': {
            char ch = (char)va_arg(aq, int);
            emit_padded(&o, &spec, "", 0, 0, &ch, 1, false);
            break;
        }
        case 's':
            format_str(&o, &spec, va_arg(aq, const char *));
            break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
            fmt_float(&o, &spec, &aq);
            break;
        case '%':
            fmt_putc(&o, '%');
            break;
        case '\0': // a lone '%' at the end
            fmt_puts(&o, start, (size_t)(p - start));
            p--;
            break;
        default: // unknown conversion: copy it out as written
            fmt_puts(&o, start, (size_t)(p - start) + 1);
            break;
        }
    }
    va_end(aq);
    if (size > 0)
        buf[o.n < size ? o.n : size - 1] = '\0';
    return o.n > INT32_MAX ? -1 : (int)o.n;
}
