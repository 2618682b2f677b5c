// Internal to libc: the pieces vsnprintf (format.c, no SSE) shares with the
// floating-point conversions (format_float.c, built with SSE so va_arg can fetch a
// double). Not an installed header.
#ifndef LIBC_FORMAT_H
#define LIBC_FORMAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

// Where formatted bytes go: the first cap-1 land in buf, all are counted in n.
struct fmt_out {
    char *buf;
    size_t cap;
    size_t n;
};

// One parsed conversion specification.
struct fmt_spec {
    bool left;   // '-'
    bool plus;   // '+'
    bool space;  // ' '
    bool alt;    // '#'
    bool zero;   // '0'
    int width;   // 0 when none
    int prec;    // -1 when none
    char conv;   // the conversion letter
};

void fmt_putc(struct fmt_out *o, char c);
void fmt_puts(struct fmt_out *o, const char *s, size_t n);
void fmt_repeat(struct fmt_out *o, char c, size_t n);

// Formats the double that *ap holds next under spec (conv one of f F e E g G).
void fmt_float(struct fmt_out *o, const struct fmt_spec *spec, va_list *ap);

#endif
