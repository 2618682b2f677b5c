// The write barrier: every store of a pointer into heap memory goes through
// GC_STORE (one slot) or gc_memmove_ptrs / gc_memclr_ptrs (a block that may hold
// pointers), so an incremental cycle (gcmode=inc) stays sound while the mutator
// runs between its mark slices. Outside a cycle the barrier is one load and a
// not-taken branch; during one, a store over a nil word is one more load and no
// call (nothing to shade).
//
// Which barrier. Go 1.19's hybrid barrier shades the pointer being overwritten
// (Yuasa's deletion barrier) and, while the writing goroutine's stack is still
// grey, the pointer being written (Dijkstra's insertion barrier). spanlab scans
// every stack, the running one included, in the pause that starts the cycle, so
// no stack is ever grey while the mutator runs and the second half never fires:
// what is built is the deletion (snapshot-at-the-beginning) barrier. Every object
// reachable when the cycle started is marked, because a pointer can leave an
// unscanned heap slot only through a store that shades it first; every object
// allocated during the cycle is allocated black (rt/gc_assist.c). Stores into
// stacks and registered roots need no barrier (both were scanned at the start);
// the macro may still be used on them (shading a snapshot-reachable object again
// is harmless).
//
//   GC_STORE(n->left, child);               // n->left = child, with the barrier
//   gc_memmove_ptrs(dst, src, bytes);       // typedmemmove / bulkBarrierPreWrite
#ifndef SPANLAB_GC_BARRIER_H
#define SPANLAB_GC_BARRIER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdbool.h>

// True from the start of an incremental cycle's marking to its termination
// (Go's writeBarrier.enabled and gcBlackenEnabled, which are one on one CPU).
extern bool gc_marking;

// Shades the object v points into (grey, unless already marked). Only while
// gc_marking. Non-heap values and NULL are ignored.
void gc_barrier_shade(const void *v);

// The slow path of GC_STORE: a word-sized slot's old value is shaded (if it is not
// a pointer into the heap nothing happens); a larger one goes through
// gc_barrier_bulk. Only while gc_marking.
void gc_barrier_store_pre(const void *slot, size_t bytes);

// Shades every pointer the block [dst, dst+bytes) holds before it is overwritten:
// by the heap's pointer bitmap when dst is inside a heap object, every aligned
// word otherwise. Only while gc_marking.
void gc_barrier_bulk(const void *dst, size_t bytes);

// The barriered store lvalue = val of a pointer, or of a value holding pointers
// (a slice, string or interface header, a struct). val is evaluated first
// (it may allocate, and so start or advance a cycle), then the old value is shaded
// and the slot written with nothing in between. lvalue is evaluated twice (read,
// then store), so it must have no side effects.
#define GC_STORE(lvalue, val)                                                              \
    do {                                                                                   \
        __typeof__(lvalue) gc_store_val_ = (val);                                          \
        if (__builtin_expect(gc_marking, 0) && gc_store_needs_pre(&(lvalue), sizeof(lvalue))) \
            gc_barrier_store_pre(&(lvalue), sizeof(lvalue));                               \
        (lvalue) = gc_store_val_;                                                          \
    } while (0)

// Whether a store into slot (bytes long) needs gc_barrier_store_pre while marking: a
// word-sized slot holding nil has nothing to shade (a new object's fields, a list's
// tail), and gcverify's barrier checker records only slots that were non-nil when
// scanned (rt/gc_shadow.c), so it needs no flag for it. Larger slots always do.
static inline bool gc_store_needs_pre(const void *slot, size_t bytes) {
    if (bytes != sizeof(uintptr_t))
        return true;
    uintptr_t old;
    memcpy(&old, slot, sizeof old);
    return old != 0;
}

// memmove / memset(0) over memory that may hold heap pointers (Go's typedmemmove,
// typedslicecopy, memclrHasPointers): the overwritten pointers are shaded first.
static inline void *gc_memmove_ptrs(void *dst, const void *src, size_t bytes) {
    if (__builtin_expect(gc_marking, 0))
        gc_barrier_bulk(dst, bytes);
    return memmove(dst, src, bytes);
}

static inline void *gc_memclr_ptrs(void *dst, size_t bytes) {
    if (__builtin_expect(gc_marking, 0))
        gc_barrier_bulk(dst, bytes);
    return memset(dst, 0, bytes);
}

#endif
