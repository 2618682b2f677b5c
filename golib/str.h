// Go strings: an immutable {ptr, len} (gostring_t, rt/types.h) and the two
// conversions with Go 1.19's allocation behaviour (runtime/string.go):
//
//   string(b)   slicebytetostring: "" for n == 0; n == 1 points into staticuint64s;
//               a result that does not escape and fits 32 bytes uses the caller's
//               stack buffer (tmpBuf); otherwise n fresh bytes          (1 alloc)
//   []byte(s)   stringtoslicebyte: the 32-byte stack buffer when it does not escape
//               and fits; otherwise rawbyteslice, capacity rounded up to the size
//               class                                                   (1 alloc)
//   m[string(b)] read-only lookups use slicebytetostringtmp: no copy, no alloc
//               (cmd/compile/internal/walk/order.go mapKeyReplaceStrConv, applied
//               only when the map index is !Assigned). Assignments, m[string(b)]++
//               included, convert with an allocation: see map.h map_*_bytes.
//
// In C there is no escape analysis: the caller passes a str_tmpbuf_t on its stack
// when Go's compiler would prove the result does not escape, NULL otherwise.
#ifndef SPANLAB_RT_STR_H
#define SPANLAB_RT_STR_H

#include <stdbool.h>
#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

// runtime/string.go tmpBufSize.
#define STR_TMPBUF_SIZE 32
typedef struct str_tmpbuf {
    uint8_t b[STR_TMPBUF_SIZE];
} str_tmpbuf_t;

typedef struct str_stats {
    opcount_t to_string; // string(b)
    opcount_t to_bytes;  // []byte(s)
    opcount_t concat;    // a + b
} str_stats_t;
extern str_stats_t str_stats;
void str_stats_reset(void);

// A Go string over a C literal or static bytes (no allocation, read-only).
#define STR(lit) ((gostring_t){(const uint8_t *)(lit), (int64_t)sizeof(lit) - 1})
gostring_t str_from_cstr(const char *s);

// string(b[0..n)) by slicebytetostring; buf may be NULL (the result escapes).
gostring_t str_from_bytes(const void *p, int64_t n, str_tmpbuf_t *buf);

// slicebytetostringtmp: a string view of the bytes, no copy (only for read-only map
// lookups and comparisons, where Go's compiler uses it).
static inline gostring_t str_view_bytes(const void *p, int64_t n) {
    gostring_t s = {(const uint8_t *)p, n};
    return s;
}

// []byte(s) by stringtoslicebyte; buf may be NULL (the result escapes).
goslice_t str_to_bytes(gostring_t s, str_tmpbuf_t *buf);

// a + b by concatstrings: a fresh string unless one side is empty (then the other
// side is returned as is, which Go does when it is not on the stack).
gostring_t str_concat(gostring_t a, gostring_t b);

// a + b whose result does not escape: concatstrings with the caller's 32-byte buffer
// (rawstringtmp): no allocation when the result fits in it.
gostring_t str_concat_tmp(gostring_t a, gostring_t b, str_tmpbuf_t *buf);

// a == b.
bool str_eq(gostring_t a, gostring_t b);
// <0, 0, >0 as bytes compare.
int str_cmp(gostring_t a, gostring_t b);

// s[lo:hi] (shares the bytes); panics on bad bounds.
gostring_t str_sub(gostring_t s, int64_t lo, int64_t hi);

#endif
