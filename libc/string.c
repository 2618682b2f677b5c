// The mem* and str* functions of the freestanding libc. Built with
// -fno-tree-loop-distribute-patterns (libc.mk) so gcc never turns these loops back
// into calls to themselves, and without SSE because interrupt handlers call them.
// The bulk copies move 8 bytes at a time: fbcon scrolls megabytes with memmove.
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((may_alias, aligned(1))) word_t;

// Returns dst after copying n bytes from src; the ranges must not overlap.
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (; n >= 8; n -= 8, d += 8, s += 8)
        *(word_t *)d = *(const word_t *)s;
    while (n--)
        *d++ = *s++;
    return dst;
}

// Returns dst after copying n bytes from src; the ranges may overlap.
void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if ((uintptr_t)d - (uintptr_t)s >= n) { // d before s, or no overlap: copy forward
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(word_t *)d = *(const word_t *)s;
        while (n--)
            *d++ = *s++;
    } else { // d inside [s, s+n): copy backward
        d += n;
        s += n;
        for (; n >= 8; n -= 8) {
            d -= 8;
            s -= 8;
            *(word_t *)d = *(const word_t *)s;
        }
        while (n--)
            *--d = *--s;
    }
    return dst;
}

// Returns dst after setting n bytes to (unsigned char)c.
void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    uint64_t w = (unsigned char)c * 0x0101010101010101ull;
    for (; n >= 8; n -= 8, d += 8)
        *(word_t *)d = w;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

// Returns <0, 0 or >0 as the first differing byte of a is below, equal or above b's.
int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

// Returns the first of the n bytes of s equal to (unsigned char)c, or NULL.
void *memchr(const void *s, int c, size_t n) {
    const unsigned char *p = s;
    for (; n; n--, p++)
        if (*p == (unsigned char)c)
            return (void *)p;
    return NULL;
}

// Returns the number of bytes before the terminating NUL.
size_t strlen(const char *s) {
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

// Returns strlen(s), but looks at no more than maxlen bytes.
size_t strnlen(const char *s, size_t maxlen) {
    size_t n = 0;
    while (n < maxlen && s[n])
        n++;
    return n;
}

// Returns <0, 0 or >0 comparing the strings as unsigned bytes.
int strcmp(const char *a, const char *b) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y)
        x++, y++;
    return *x - *y;
}

// Like strcmp, over at most n bytes.
int strncmp(const char *a, const char *b, size_t n) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x - *y;
        if (!*x)
            return 0;
    }
    return 0;
}

// Returns the first occurrence of (char)c in s (the NUL counts), or NULL.
char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

// Returns the last occurrence of (char)c in s (the NUL counts), or NULL.
char *strrchr(const char *s, int c) {
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

// Returns the first occurrence of needle in haystack (haystack itself when needle
// is empty), or NULL.
char *strstr(const char *haystack, const char *needle) {
    size_t n = strlen(needle);
    if (n == 0)
        return (char *)haystack;
    for (; *haystack; haystack++)
        if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    return NULL;
}

// Returns dst after copying src and its NUL.
char *strcpy(char *restrict dst, const char *restrict src) {
    char *d = dst;
    while ((*d++ = *src++))
        ;
    return dst;
}

// Returns dst after copying at most n bytes of src and padding the rest of the n
// with NULs (as the standard says: no NUL when src is n bytes or longer).
char *strncpy(char *restrict dst, const char *restrict src, size_t n) {
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = 0;
    return dst;
}
