// Number parsing (strtol family, C11 7.22.1.4), abs, and qsort for the freestanding
// libc. errno lives here too.
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

int errno;

// Value of an ASCII digit or letter in bases up to 36, or 99 for anything else.
static int digit_value(int c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

// Parses the common part of every strto*: spaces, a sign, the base prefix, digits.
// Returns the magnitude (saturated at ULLONG_MAX, *overflow set), *neg for '-',
// and *end past the last digit, or at s when there was no number (or bad base).
static unsigned long long parse_magnitude(const char *s, char **end, int base, bool *neg,
                                          bool *overflow) {
    const char *p = s;
    unsigned long long v = 0;
    bool any = false;
    *neg = false;
    *overflow = false;
    if (end)
        *end = (char *)s;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (;; p++) {
        int d = digit_value((unsigned char)*p);
        if (d >= base)
            break;
        any = true;
        if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            *overflow = true;
        else
            v = v * (unsigned)base + (unsigned)d;
    }
    if (!any)
        return 0;
    if (end)
        *end = (char *)p;
    return *overflow ? ULLONG_MAX : v;
}

// Returns the signed value clamped to [lo, hi], with errno = ERANGE when clamped.
static long long to_signed(unsigned long long mag, bool neg, bool overflow, long long lo,
                           long long hi) {
    if (!neg) {
        if (overflow || mag > (unsigned long long)hi) {
            errno = ERANGE;
            return hi;
        }
        return (long long)mag;
    }
    if (overflow || mag > (unsigned long long)hi + 1) {
        errno = ERANGE;
        return lo;
    }
    return mag == (unsigned long long)hi + 1 ? lo : -(long long)mag;
}

// Returns the unsigned value (negated modulo 2^N after '-', as the standard says),
// ULONG_MAX-style max with errno = ERANGE on overflow.
static unsigned long long to_unsigned(unsigned long long mag, bool neg, bool overflow,
                                      unsigned long long max) {
    if (overflow || mag > max) {
        errno = ERANGE;
        return max;
    }
    return neg ? (0 - mag) & max : mag;
}

// Each returns the number at the start of s in base (0 = from its prefix), sets
// *end past it (to s when there is none), and clamps with ERANGE on overflow.
long strtol(const char *restrict s, char **restrict end, int base) {
    bool neg, ovf;
    unsigned long long m = parse_magnitude(s, end, base, &neg, &ovf);
    return (long)to_signed(m, neg, ovf, LONG_MIN, LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base) {
    bool neg, ovf;
    unsigned long long m = parse_magnitude(s, end, base, &neg, &ovf);
    return to_signed(m, neg, ovf, LLONG_MIN, LLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base) {
    bool neg, ovf;
    unsigned long long m = parse_magnitude(s, end, base, &neg, &ovf);
    return (unsigned long)to_unsigned(m, neg, ovf, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base) {
    bool neg, ovf;
    unsigned long long m = parse_magnitude(s, end, base, &neg, &ovf);
    return to_unsigned(m, neg, ovf, ULLONG_MAX);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base) {
    return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base) {
    return strtoull(s, end, base);
}

// Return |x| (undefined for the most negative value, as the standard says).
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

// Swaps two elements of size bytes.
static void swap_bytes(unsigned char *a, unsigned char *b, size_t size) {
    for (size_t i = 0; i < size; i++) {
        unsigned char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

// Moves element i down the max-heap of n elements until both children are smaller.
static void sift_down(unsigned char *base, size_t i, size_t n, size_t size,
                      int (*cmp)(const void *, const void *)) {
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = l + 1;
        if (l < n && cmp(base + l * size, base + big * size) > 0)
            big = l;
        if (r < n && cmp(base + r * size, base + big * size) > 0)
            big = r;
        if (big == i)
            return;
        swap_bytes(base + i * size, base + big * size, size);
        i = big;
    }
}

// Sorts n elements of size bytes in ascending cmp order. Heapsort: O(n log n) in the
// worst case, no recursion and no allocation, which suits a kernel stack. Not stable.
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
    unsigned char *b = base;
    if (n < 2 || size == 0)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(b, i, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap_bytes(b, b + end * size, size);
        sift_down(b, 0, end, size, cmp);
    }
}
