// Go slices: a {ptr, len, cap} header (goslice_t, rt/types.h) over a heap backing
// array of a typed element. make, two- and three-index reslicing, copy and append
// with Go 1.19's growth rule (runtime/slice.go growslice):
//
//   needed > 2*cap           newcap = needed
//   cap < 256                newcap = 2*cap
//   otherwise                newcap += (newcap + 3*256)/4 until newcap >= needed
//   then the byte size is rounded up to its size class (msize.go roundupsize) and
//   newcap = rounded bytes / elem size.
//
// Every reallocation is counted (slice_stats): how many, bytes copied from the old
// array, bytes allocated, and the mallocs the allocator really saw.
#ifndef SPANLAB_RT_SLICE_H
#define SPANLAB_RT_SLICE_H

#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

typedef struct slice_stats {
    opcount_t make;  // slice_make calls and their mallocs
    opcount_t grow;  // growslice: every reallocation of append
    uint64_t reallocs;     // = grow.calls
    uint64_t bytes_copied; // old elements copied into new arrays by growslice
    uint64_t bytes_allocated; // capacity bytes of the arrays growslice allocated
} slice_stats_t;

extern slice_stats_t slice_stats;
void slice_stats_reset(void);

// make([]T, len, cap). Panics "makeslice: len out of range" / "cap out of range".
// A zero-byte array points at a static zero base (Go's zerobase), no allocation.
goslice_t slice_make(const gotype_t *elem, int64_t len, int64_t cap);

// s[lo:hi] (two-index: cap becomes cap-lo). Panics on 0 <= lo <= hi <= cap violated.
goslice_t slice_reslice(goslice_t s, size_t elemsize, int64_t lo, int64_t hi);

// s[lo:hi:max] (three-index: cap becomes max-lo). Panics unless lo <= hi <= max <= cap.
goslice_t slice_reslice3(goslice_t s, size_t elemsize, int64_t lo, int64_t hi, int64_t max);

// copy(dst, src): copies min(len) elements (overlap allowed); returns that count.
int64_t slice_copy(goslice_t dst, goslice_t src, size_t elemsize);

// growslice: a slice with the elements of old, length newlen (> old.cap), in a new
// array sized by Go's rule. Elements past old.len are zero.
goslice_t slice_grow(const gotype_t *elem, goslice_t old, int64_t newlen);

// append(s, vals[0..n)...): grows when len+n > cap; returns the new header.
goslice_t slice_append(const gotype_t *elem, goslice_t s, const void *vals, int64_t n);

// The capacity growslice would pick for an old capacity and a needed length, without
// allocating (the growth rule plus size-class rounding).
int64_t slice_nextcap(size_t elemsize, int64_t oldcap, int64_t needed);

// &s[i], bounds-checked: panics "index out of range [i] with length len".
void *slice_index(goslice_t s, size_t elemsize, int64_t i);

// append one value: SLICE_APPEND(&gotype_int64, s, int64_t, 42).
#define SLICE_APPEND(elem, s, ctype, v)                      \
    ({ ctype v_ = (v); slice_append((elem), (s), &v_, 1); })

// s[i] as ctype, bounds-checked.
#define SLICE_AT(s, ctype, i) (*(ctype *)slice_index((s), sizeof(ctype), (i)))

#endif
