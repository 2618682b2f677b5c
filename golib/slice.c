// Go slices over the rt/ heap: make, reslice, copy, append and growslice with Go
// 1.19's growth rule and size-class rounding (runtime/slice.go growslice, msize.go).
// A new array is typed by the element (noscan when it holds no pointers) and only
// the part past the copied elements is zeroed, as growslice does for noscan memory.
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "golib/slice.h"
#include "golib/opcount.h"
#include "rt/runtime.h"
#include "rt/panic.h"
#include "mm/heap.h"

slice_stats_t slice_stats;

// Go's zerobase: the address every zero-byte allocation returns.
static uint64_t zerobase;

// Resets the counters.
void slice_stats_reset(void) { memset(&slice_stats, 0, sizeof slice_stats); }

// A fresh runtime (rt_fresh): the counters start again.
RT_FRESH_HOOK(slice) {
    slice_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(make, "slice.make", &slice_stats.make);
OPCOUNT_REGISTER(grow, "slice.grow", &slice_stats.grow);

// Returns make([]T, len, cap); panics on negative or oversized len/cap.
goslice_t slice_make(const gotype_t *elem, int64_t len, int64_t cap) {
    if (len < 0 || len > cap)
        rt_panic(len < 0 ? "makeslice: len out of range" : "makeslice: cap out of range");
    if (elem->size && (uint64_t)cap > ((uint64_t)1 << 40) / elem->size)
        rt_panic("makeslice: cap out of range");
    goslice_t s = {&zerobase, len, cap};
    if (elem->size == 0 || cap == 0)
        return s;
    opcount_mark_t m = opcount_begin();
    s.ptr = rt_mallocgc(elem->size * (size_t)cap, elem, true);
    opcount_end(&slice_stats.make, m);
    return s;
}

// Returns s[lo:hi]; panics with Go's message on a bad bound.
goslice_t slice_reslice(goslice_t s, size_t elemsize, int64_t lo, int64_t hi) {
    if (hi < 0 || hi > s.cap)
        rt_panic("slice bounds out of range [:%lld] with capacity %lld", (long long)hi,
                    (long long)s.cap);
    if (lo < 0 || lo > hi)
        rt_panic("slice bounds out of range [%lld:%lld]", (long long)lo, (long long)hi);
    goslice_t r = {(uint8_t *)s.ptr + (size_t)lo * elemsize, hi - lo, s.cap - lo};
    return r;
}

// Returns s[lo:hi:max]; panics with Go's message on a bad bound.
goslice_t slice_reslice3(goslice_t s, size_t elemsize, int64_t lo, int64_t hi, int64_t max) {
    if (max < 0 || max > s.cap)
        rt_panic("slice bounds out of range [::%lld] with capacity %lld", (long long)max,
                    (long long)s.cap);
    if (hi < 0 || hi > max)
        rt_panic("slice bounds out of range [:%lld:%lld]", (long long)hi, (long long)max);
    if (lo < 0 || lo > hi)
        rt_panic("slice bounds out of range [%lld:%lld:]", (long long)lo, (long long)hi);
    goslice_t r = {(uint8_t *)s.ptr + (size_t)lo * elemsize, hi - lo, max - lo};
    return r;
}

// Returns the number of elements copied (min of the lengths).
int64_t slice_copy(goslice_t dst, goslice_t src, size_t elemsize) {
    int64_t n = dst.len < src.len ? dst.len : src.len;
    if (n > 0 && dst.ptr != src.ptr)
        gc_memmove_ptrs(dst.ptr, src.ptr, (size_t)n * elemsize); // typedslicecopy
    return n;
}

// Returns the capacity growslice picks (slice.go: doubling below 256 elements, then
// a smooth 1.25x+192 step, then size-class rounding of the byte size).
int64_t slice_nextcap(size_t elemsize, int64_t oldcap, int64_t needed) {
    // LAB 3 BEGIN: growslice's new capacity: the growth rule, then size-class rounding
    int64_t newcap = oldcap;
    int64_t doublecap = newcap + newcap;
    if (needed > doublecap) {
        newcap = needed;
    } else {
        const int64_t threshold = 256; // runtime/slice.go growslice
        if (oldcap < threshold) {
            newcap = doublecap;
        } else {
            while (0 < newcap && newcap < needed)
                newcap += (newcap + 3 * threshold) / 4;
            if (newcap <= 0)
                newcap = needed;
        }
    }
    if (elemsize == 0)
        return newcap;
    size_t capmem = heap_roundupsize((size_t)newcap * elemsize);
    return (int64_t)(capmem / elemsize);
    // LAB 3 STUB
    // // Stub: 1.5 times what is needed, whatever the old capacity and the size classes.
    // (void)elemsize;
    // (void)oldcap;
    // return needed + needed / 2;
    // LAB 3 END
}

// Returns a grown copy of old with length newlen; the old array is left to the GC.
goslice_t slice_grow(const gotype_t *elem, goslice_t old, int64_t newlen) {
    if (newlen < old.len)
        rt_panic("growslice: len out of range");
    size_t es = elem->size;
    if (es == 0) {
        goslice_t z = {&zerobase, newlen, newlen};
        return z;
    }
    int64_t newcap = slice_nextcap(es, old.cap, newlen);
    if ((uint64_t)newcap > ((uint64_t)1 << 40) / es)
        rt_panic("growslice: len out of range");
    size_t capmem = (size_t)newcap * es, oldmem = (size_t)old.len * es;
    opcount_mark_t m = opcount_begin();
    // Noscan memory is not zeroed by mallocgc here; growslice clears only the tail.
    uint8_t *p = rt_mallocgc(capmem, elem, !gotype_noscan(elem));
    opcount_end(&slice_stats.grow, m);
    if (gotype_noscan(elem))
        memset(p + oldmem, 0, capmem - oldmem);
    if (oldmem)
        gc_memmove_ptrs(p, old.ptr, oldmem);
    slice_stats.reallocs++;
    slice_stats.bytes_copied += oldmem;
    slice_stats.bytes_allocated += capmem;
    goslice_t r = {p, newlen, newcap};
    return r;
}

// Returns append(s, vals[0..n)...).
goslice_t slice_append(const gotype_t *elem, goslice_t s, const void *vals, int64_t n) {
    if (n < 0)
        rt_panic("append: negative count");
    int64_t oldlen = s.len;
    if (s.len + n > s.cap)
        s = slice_grow(elem, s, s.len + n);
    else
        s.len += n;
    if (n)
        gc_memmove_ptrs((uint8_t *)s.ptr + (size_t)oldlen * elem->size, vals,
                        (size_t)n * elem->size);
    return s;
}

// Returns &s[i]; panics when i is out of range.
void *slice_index(goslice_t s, size_t elemsize, int64_t i) {
    if (i < 0 || i >= s.len)
        rt_panic("index out of range [%lld] with length %lld", (long long)i, (long long)s.len);
    return (uint8_t *)s.ptr + (size_t)i * elemsize;
}
