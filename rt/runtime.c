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

void rt_fresh(void) {
    if (heap_ready())
        rt_teardown();
    heap_init();
    gc_init();
    gc_reset();
    prof_reset();
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
