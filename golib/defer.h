// defer, as Go 1.19 compiles and runs it (cmd/compile/internal/ssagen/ssa.go
// open-coded defers, runtime/panic.go deferproc/deferreturn/newdefer/freedefer).
//
// Which form a defer gets, and what allocates:
//  - Open-coded (DEFER_OPEN): a function with at most 8 defers, none in a loop, and
//    returns*defers <= 15. The deferred calls are recorded in a frame-local bitmask
//    and run inline at each return. Nothing allocates; the deferred closure lives in
//    the frame too. (When open-coding is ruled out only by the return count, Go uses
//    deferprocStack: a _defer record on the stack, also no allocation.)
//  - Heap (defer_push): any defer inside a loop. deferproc takes a _defer record
//    (72 bytes, size class 80) from the per-P pool (cap 32) — refilled from the
//    central pool sched.deferpool — and only when both are empty allocates a new one
//    (new(_defer)). deferreturn runs and frees them; freedefer puts records back in
//    the per-P pool, moving half of it to the central pool when it is full. The
//    central pool is dropped at every GC (mgc.go clearpools); the per-P pool is not.
//    So records are amortized: a function deferring N times in a loop allocates N
//    records on its first call and none on the next ones, until a GC clears the
//    central pool.
//    The deferred function is a closure (Go 1.17+ wraps every deferred call into a
//    func()): when it captures variables (defer mu.Unlock() captures mu) it escapes
//    and is heap-allocated, one object per loop iteration (16 bytes for one captured
//    pointer); a call with no captured state uses a static closure, no allocation.
//    Measured with Go 1.19's testing.AllocsPerRun: a loop of N `defer l.Unlock()`
//    costs N allocations per call; `defer noop()` in a loop costs 0.
//
// The chain of heap records belongs to a goroutine (Go's g._defer): a frame takes a
// defer_chain_t* or NULL for defer_chain_current(), which keeps one chain per running
// goroutine (by goroutine id) and a global one for code outside goroutines. Records
// hold heap pointers: the pools and these chains are GC roots; a caller-owned chain
// must live where the GC scans it.
// Not modelled: panics running defers (recover).
#ifndef SPANLAB_RT_DEFER_H
#define SPANLAB_RT_DEFER_H

#include <stdbool.h>
#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

// A Go func value (funcval): the code pointer, then the captured variables. Declare
// closures as structs whose first member is a defer_closure_t.
typedef struct defer_closure defer_closure_t;
struct defer_closure {
    void (*fn)(defer_closure_t *self);
};

// runtime2.go _defer (same fields and size: 72 bytes).
typedef struct defer_rec defer_rec_t;
struct defer_rec {
    uint8_t started, heap, open_defer, pad_[5];
    uintptr_t sp;           // the frame it belongs to (a defer_frame_t address)
    uintptr_t pc;
    defer_closure_t *fn;    // the deferred closure
    void *panic_;           // unused (no panics through defers)
    defer_rec_t *link;      // next record on the goroutine's chain
    void *fd;
    uintptr_t varp, framepc;
};

// A goroutine's chain of heap records.
typedef struct defer_chain {
    defer_rec_t *head;
    uint64_t pending; // records on the chain
} defer_chain_t;

// The frame-local state of one function call: the open-coded bitmask and closures.
#define DEFER_OPEN_MAX 8
typedef struct defer_frame {
    uint8_t bits;                          // deferBits: which open-coded defers are armed
    uint8_t n;
    defer_closure_t *open[DEFER_OPEN_MAX]; // their closures (frame-local)
    defer_chain_t *chain;                  // chain used by defer_push from this frame
} defer_frame_t;

typedef struct defer_stats {
    opcount_t push;     // deferproc (record from pool or new) — mallocs per defer
    opcount_t closure;  // heap closures allocated for deferred calls
    uint64_t records_new;     // new(_defer)
    uint64_t records_pooled;  // records taken from the pools
    uint64_t open_coded;      // open-coded defers armed
    uint64_t run;             // deferred calls run
    uint64_t central_cleared; // records dropped from the central pool by GCs
} defer_stats_t;
extern defer_stats_t defer_stats;
void defer_stats_reset(void);

// The running goroutine's chain, or a global chain for code outside goroutines.
defer_chain_t *defer_chain_current(void);

// Starts a frame (zeroes it). Use DEFER_FRAME(f) to also run the defers automatically
// when the C scope ends (deferreturn, via __attribute__((cleanup))).
void defer_frame_init(defer_frame_t *f, defer_chain_t *chain);
void defer_frame_cleanup(defer_frame_t *f);
#define DEFER_FRAME(f, chain)                                               \
    defer_frame_t f __attribute__((cleanup(defer_frame_cleanup)));          \
    defer_frame_init(&f, (chain))

// An open-coded defer: arms closure c (frame-local) in f. No allocation. Panics past
// 8 defers in one frame (Go would not open-code that function).
void defer_open(defer_frame_t *f, defer_closure_t *c);

// A heap defer (deferproc): pushes a record for closure c onto f's chain. c should be
// from defer_closure_new when it captures variables (Go heap-allocates it), or a
// static closure when it captures nothing.
void defer_push(defer_frame_t *f, defer_closure_t *c);

// Allocates a closure of type t (size >= sizeof(defer_closure_t), first word fn) on
// the heap, with fn set, as Go does for a capturing closure deferred in a loop.
defer_closure_t *defer_closure_new(const gotype_t *t, void (*fn)(defer_closure_t *));

// deferreturn: runs f's heap records (newest first) and its open-coded defers (last
// armed first), then frees the records to the pool. Idempotent.
void defer_return(defer_frame_t *f);

// Records pending on a chain (scenario 16: pending_defers_at_return).
uint64_t defer_pending(const defer_chain_t *c);

// Pool sizes: the per-P pool and the central pool.
uint64_t defer_pool_local(void);
uint64_t defer_pool_central(void);

// clearpools: drops the central pool (the GC calls this at each cycle start;
// defer.c registers it as a cycle hook on first use).
void defer_clear_central_pool(void);

// A fresh runtime: empties both pools and the global chain (records are garbage).
void defer_reset(void);

#endif
