// The runtime's life cycle for scenario variants (see runtime.h): the order of the
// steps matters — goroutines go before the heap that holds their stacks, and the
// collector restarts only on a fresh heap.
#include "rt/runtime.h"
#include "mm/heap.h"
#include "rt/gc.h"
#include "rt/prof.h"
#include "rt/sched.h"
#include "sys/sys.h"

#define RT_MAX_VARIANT_ROOTS 32

static void *variant_roots[RT_MAX_VARIANT_ROOTS];
static int nvariant_roots;

extern const rt_fresh_hook_t __start_spanlab_rt_fresh[];
extern const rt_fresh_hook_t __stop_spanlab_rt_fresh[];

// The profiler's samples and sites go with their heap. (Registered here, so the
// table exists in every program that has a runtime.)
RT_FRESH_HOOK(prof) { prof_reset(); }

void rt_run_fresh_hooks(void) {
    for (const rt_fresh_hook_t *h = __start_spanlab_rt_fresh; h < __stop_spanlab_rt_fresh; h++)
        h->fn();
}

void rt_fresh(void) {
    if (heap_ready())
        rt_teardown();
    heap_init();
    gc_init();
    gc_reset();
    rt_run_fresh_hooks();
}

void rt_teardown(void) {
    sched_reset();
    while (nvariant_roots > 0)
        gc_remove_root(variant_roots[--nvariant_roots]);
    if (heap_ready())
        heap_destroy();
}

void rt_add_root(void *addr, size_t bytes, const gotype_t *t) {
    if (nvariant_roots == RT_MAX_VARIANT_ROOTS)
        sys_panic("rt_add_root: more than %d variant roots", RT_MAX_VARIANT_ROOTS);
    gc_add_root(addr, bytes, t);
    variant_roots[nvariant_roots++] = addr;
}
