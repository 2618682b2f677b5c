// Goroutine stacks and their guard pages: stacks come from the heap's stack spans
// (mm/heap.h heap_stack_alloc, accounted as StackInuse/StackSys), each with an
// uncommitted 4 KiB guard page at its bottom. A fault in a guard page is explained
// by naming the goroutine whose stack overflowed.
#include <stddef.h>
#include "mm/heap.h"
#include "rt/sched_internal.h"
#include "sys/sys.h"

// The usable bytes of a stack: the span is SCHED_STACK_SIZE with the guard inside.
#define STACK_USABLE (SCHED_STACK_SIZE - HEAP_STACK_GUARD)

// Returns true with [*lo, *hi) a fresh stack; false when the heap cannot grow.
bool sched_stack_alloc(uintptr_t *lo, uintptr_t *hi) {
    if (!heap_ready())
        heap_init();
    void *l = NULL;
    void *top = heap_stack_alloc(STACK_USABLE, &l);
    if (!top)
        return false;
    *lo = (uintptr_t)l;
    *hi = (uintptr_t)top;
    return true;
}

// Gives a stack back to the heap (nothing to do when the heap is already gone).
void sched_stack_free(uintptr_t lo, uintptr_t hi) {
    (void)hi;
    if (heap_ready())
        heap_stack_free((void *)lo);
}

// Appends s to buf at *n (bounded), async-signal-safe.
static void put_str(char *buf, size_t cap, size_t *n, const char *s) {
    while (*s && *n + 1 < cap)
        buf[(*n)++] = *s++;
    buf[*n] = 0;
}

static void put_num(char *buf, size_t cap, size_t *n, uint64_t v, unsigned base) {
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    char out[26];
    int j = 0;
    if (base == 16)
        out[j++] = '0', out[j++] = 'x';
    while (i)
        out[j++] = tmp[--i];
    out[j] = 0;
    put_str(buf, cap, n, out);
}

// sys_fault_explainer_t: "goroutine N stack overflow (guard page at 0x...)" when addr
// is in a goroutine's guard page, else the heap's description of addr (or NULL).
// Runs in the fault handler: no allocation, no locks.
static const char *explain_fault(uintptr_t addr) {
    static char msg[160];
    for (g_t *g = sched_S.roots.allg; g; g = g->alllink) {
        uintptr_t guard = g->stack_lo - HEAP_STACK_GUARD;
        if (g->stack_lo && addr >= guard && addr < g->stack_lo + 64) {
            size_t n = 0;
            put_str(msg, sizeof msg, &n, "goroutine ");
            put_num(msg, sizeof msg, &n, g->goid, 10);
            put_str(msg, sizeof msg, &n, " stack overflow (guard page at ");
            put_num(msg, sizeof msg, &n, guard, 16);
            put_str(msg, sizeof msg, &n, ", stack [");
            put_num(msg, sizeof msg, &n, g->stack_lo, 16);
            put_str(msg, sizeof msg, &n, ", ");
            put_num(msg, sizeof msg, &n, g->stack_hi, 16);
            put_str(msg, sizeof msg, &n, "))");
            return msg;
        }
    }
    return heap_ready() ? heap_describe_addr(addr) : NULL;
}

void sched_install_fault_explainer(void) { sys_set_fault_explainer(explain_fault); }
