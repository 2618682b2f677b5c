// The allocation entry points every rt/ module uses: Go's new(T), make's backing
// arrays and mallocgc. They allocate from the mm/ heap (typed: pointer-free types
// go to noscan spans), count the allocation for the GC pacer and the profiler, and
// may start a collection when the heap reaches its goal (as mallocgc does).
#ifndef SPANLAB_RT_ALLOC_H
#define SPANLAB_RT_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/gotype.h"

// new(T): one zeroed value of type t. Never returns NULL (out of memory is a report
// and the end of the run, or of the scenario variant).
void *rt_new(const gotype_t *t);

// The zeroed backing array of n values of type elem (make([]T, n)).
void *rt_newarray(const gotype_t *elem, size_t n);

// mallocgc: size bytes typed by t (NULL = noscan bytes); zeroed when needzero, and
// always when t has pointers (as Go: a pointer slot never holds a stale word).
void *rt_mallocgc(size_t size, const gotype_t *t, bool needzero);

// Profiler hooks (set by rt/'s allocation profiler; NULL = none). rt_alloc_hook is
// called after every allocation with the requested size; rt_free_hook for every
// object the sweeper (or heap_free) frees, with its slot size. The collector owns
// mm/'s single heap free hook and forwards to rt_free_hook: set this, not that.
extern void (*rt_alloc_hook)(void *p, size_t size, const gotype_t *t);
extern void (*rt_free_hook)(void *p, size_t size);

// An allocation watch, for samplers (rt/memtrace.c): after an allocation that leaves
// heapLive at or above `at`, fn runs once and the watch is off until fn (or anyone)
// sets it again. at = UINT64_MAX (the start) is off. fn must not allocate.
void rt_set_alloc_watch(uint64_t at, void (*fn)(void));
extern uint64_t rt_alloc_watch_at;

// The folded check (rt/alloc.c explains it): rt_mallocgc takes its fast path while
// heapLive < rt_alloc_slow_at. rt_alloc_slow_at is 0 while any RT_ALLOC_SLOW_* reason
// holds, else the lower of the pacer's gc_next_check and the allocation watch.
// rt_alloc_mark_at is that threshold when RT_ALLOC_SLOW_MARKING is the only reason
// (below it an allocation takes the heap's fast path, then allocate-black and the
// assist), else 0. Whoever changes one of those inputs calls rt_alloc_refold().
enum {
    RT_ALLOC_SLOW_NO_HEAP = 1 << 0, // the heap is not set up
    RT_ALLOC_SLOW_STRESS = 1 << 1,  // gcstress: count every allocation
    RT_ALLOC_SLOW_POISON = 1 << 2,  // gcpoison: check every reused slot
    RT_ALLOC_SLOW_HOOK = 1 << 3,    // rt_alloc_hook (the profiler) sees every allocation
    RT_ALLOC_SLOW_MARKING = 1 << 4, // an incremental cycle marks: allocate black, assist
};
extern uint64_t rt_alloc_slow_at;
extern uint64_t rt_alloc_mark_at;
extern unsigned rt_alloc_slow_reasons; // RT_ALLOC_SLOW_* as of the last refold
void rt_alloc_refold(void);

#endif
