// Shared pieces of the Go-semantics modules (slice, str, iface, map, buf, defer, fmt,
// json, prof): the runtime panic path they raise bounds errors through, Go's size-class
// rounding, and per-operation allocation counts measured at the allocator.
//
// Counts are REAL: gosem_mallocs() is the number of objects the allocator handed out
// (seen by prof.c's allocation hook on rt/alloc.c), never a number computed from what
// an operation ought to allocate. An operation is measured by taking the counter
// before and after it (gosem_op_begin / gosem_op_end).
#ifndef SPANLAB_RT_GOSEM_H
#define SPANLAB_RT_GOSEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rt/panic.h"

// ---- size classes ---------------------------------------------------------------

// runtime/msize.go roundupsize: the bytes mallocgc really hands out for a request of
// size bytes (the size class, or whole 8 KiB pages above 32 KiB).
size_t gosem_roundupsize(size_t size);

// ---- allocation counting ----------------------------------------------------------

// Objects and bytes allocated through rt/alloc.c so far (all sites, every allocation,
// independent of the profiler's sampling rate). Bytes are the requested sizes.
uint64_t gosem_mallocs(void);
uint64_t gosem_alloc_bytes(void);

// One kind of operation's totals: how often it ran and what it allocated doing so.
typedef struct gosem_opcount {
    uint64_t calls;
    uint64_t mallocs;
    uint64_t bytes;
} gosem_opcount_t;

typedef struct gosem_mark {
    uint64_t mallocs, bytes;
} gosem_mark_t;

// Starts measuring one operation: the allocator's counters now.
static inline gosem_mark_t gosem_op_begin(void) {
    gosem_mark_t m = {gosem_mallocs(), gosem_alloc_bytes()};
    return m;
}

// Ends it: adds one call and the allocations since m to *c (c may be NULL).
// Returns the mallocs the operation made.
uint64_t gosem_op_end(gosem_opcount_t *c, gosem_mark_t m);

// testing.AllocsPerRun: runs fn(arg) once to warm up, then runs times more and
// returns the average mallocs per run (integer division, as Go's).
uint64_t gosem_allocs_per_run(int runs, void (*fn)(void *), void *arg);

// Prints "name: calls=N mallocs=N bytes=N per_call=N" for a counter.
void gosem_print_opcount(const char *name, const gosem_opcount_t *c);

// Prints every module's counters that saw a call (slice.grow, iface.convT64, ...),
// one line each: what each kind of operation allocated so far.
void gosem_print_stats(void);

#endif
