// The runtime's life cycle: a fresh runtime (heap, collector, scheduler) for each
// scenario variant, and a teardown that releases every page the variant had, so one
// variant's leak never colours the next.
#ifndef SPANLAB_RT_RUNTIME_H
#define SPANLAB_RT_RUNTIME_H

#include <stddef.h>
#include "mm/gotype.h"

// Starts a fresh runtime: an empty heap, the collector's statistics and pacer back
// to their initial state (options re-read), no goroutines, no timers.
void rt_fresh(void);

// Ends the runtime started by rt_fresh: drops goroutines, timers and pools, removes
// the roots added with rt_add_root, and returns every heap page to the page layer.
void rt_teardown(void);

// Registers a global of the running variant as a GC root (precise with t, else
// conservative); rt_teardown removes it.
void rt_add_root(void *addr, size_t bytes, const gotype_t *t);

#endif
