// The runtime's life cycle: a fresh runtime (heap, collector, scheduler) for each
// scenario variant, and a teardown that releases every page the variant had, so one
// variant's leak never colours the next.
#ifndef SPANLAB_RT_RUNTIME_H
#define SPANLAB_RT_RUNTIME_H

#include <stddef.h>
#include "mm/gotype.h"

// Starts a fresh runtime: an empty heap, the collector's statistics and pacer back
// to their initial state (options re-read), no goroutines, no timers, no profile
// samples; then the fresh-runtime hooks.
void rt_fresh(void);

// Ends the runtime started by rt_fresh: drops goroutines, timers and pools, removes
// the roots added with rt_add_root, and returns every heap page to the page layer.
void rt_teardown(void);

// Registers a global of the running variant as a GC root (precise with t, else
// conservative); rt_teardown removes it.
void rt_add_root(void *addr, size_t bytes, const gotype_t *t);

// ---- fresh-runtime hooks ------------------------------------------------------
// A module above rt (a model of Go's library) that keeps runtime-lifetime state which
// may point into the heap (a pool, a cached printer) or statistics of the run
// registers a hook; rt_fresh runs every hook once the new heap is ready, so the next
// variant never sees a stale pointer. Registrations land in the "spanlab_rt_fresh"
// section (the kernel's linker script keeps it; GNU ld provides the bounds hosted).
//
//   RT_FRESH_HOOK(defer) { ... forget pools, zero counters ... }
typedef struct rt_fresh_hook {
    const char *name;
    void (*fn)(void);
} rt_fresh_hook_t;

#define RT_FRESH_HOOK(name_)                                                        \
    static void rt_fresh_fn_##name_(void);                                          \
    __attribute__((used, section("spanlab_rt_fresh"), aligned(8)))                  \
    static const rt_fresh_hook_t rt_fresh_entry_##name_ = {#name_, rt_fresh_fn_##name_}; \
    static void rt_fresh_fn_##name_(void)

// Runs every registered hook (rt_fresh does; tests that build a runtime by hand too).
void rt_run_fresh_hooks(void);

#endif
