// opcount_: per-operation allocation counts of the models of Go's library (slice.grow,
// iface.convT64, map.assign ...), what each kind of operation allocated so far.
//
// Counts are REAL: an operation is measured by taking the allocator's counters
// (prof_mallocs, prof_alloc_bytes: every object rt_mallocgc handed out, seen by the
// profiler's allocation hook) before and after it (opcount_begin / opcount_end), never
// computed from what the operation ought to allocate.
//
// Each module registers its own counters with OPCOUNT_REGISTER, into the
// "spanlab_opcounts" section (the kernel's linker script keeps it; GNU ld provides the
// bounds hosted); opcount_print_all walks the table. A module resets its counters in
// its own fresh-runtime hook (rt/runtime.h).
#ifndef SPANLAB_GOLIB_OPCOUNT_H
#define SPANLAB_GOLIB_OPCOUNT_H

#include <stdint.h>
#include "rt/prof.h"

// One kind of operation's totals: how often it ran and what it allocated doing so.
typedef struct opcount {
    uint64_t calls;
    uint64_t mallocs;
    uint64_t bytes;
} opcount_t;

typedef struct opcount_mark {
    uint64_t mallocs, bytes;
} opcount_mark_t;

// Starts measuring one operation: the allocator's counters now.
static inline opcount_mark_t opcount_begin(void) {
    opcount_mark_t m = {prof_mallocs(), prof_alloc_bytes()};
    return m;
}

// Ends it: adds one call and the allocations since m to *c (c may be NULL).
// Returns the mallocs the operation made.
uint64_t opcount_end(opcount_t *c, opcount_mark_t m);

// testing.AllocsPerRun: runs fn(arg) once to warm up, then runs times more and
// returns the average mallocs per run (integer division, as Go's).
uint64_t opcount_allocs_per_run(int runs, void (*fn)(void *), void *arg);

// Prints "name: calls=N mallocs=N bytes=N per_call=N" for a counter.
void opcount_print(const char *name, const opcount_t *c);

// ---- the table of every module's counters -------------------------------------------

typedef struct opcount_entry {
    const char *name; // "slice.grow"
    const opcount_t *counter;
} opcount_entry_t;

// Registers counter (an opcount_t of the module) under name; id_ is unique in the file.
#define OPCOUNT_REGISTER(id_, name_, counter_)                                        \
    __attribute__((used, section("spanlab_opcounts"), aligned(8)))                    \
    static const opcount_entry_t opcount_entry_##id_ = {name_, counter_}

// Prints every registered counter that saw a call, one line each.
void opcount_print_all(void);

#endif
