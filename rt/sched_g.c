// Goroutine life: spawning (an argument block copied to the new stack, or a heap
// closure), the first frame and the exit, and the free Gs with Go's policy for their
// stacks (proc.go gfput/gfget, mgcmark.go markrootFreeGStacks). The switching and
// the idle loop are in rt/sched.c.
#include <string.h>
#include "rt/alloc.h"
#include "rt/panic.h"
#include "rt/gc.h"
#include "rt/gc_barrier.h"
#include "rt/sched_internal.h"
#include "rt/types.h"
#include "sys/sys.h"

#define S sched_S

static GOTYPE_STRUCT(g_type, g_t, "runtime.g", offsetof(g_t, schedlink),
                     offsetof(g_t, alllink), offsetof(g_t, closure), offsetof(g_t, param),
                     offsetof(g_t, waiting_on));

static void update_stack_bytes(void) {
    gc_set_stack_bytes((uint64_t)S.ngoroutines * SCHED_STACK_SIZE);
}

static void gfput(g_t *g);

// The G's exit: back to the free list with its stack; main's exit ends the run.
static _Noreturn void gexit(g_t *g) {
    g->status = G_DEAD;
    GC_STORE(g->closure, NULL);
    g->arg = NULL;
    GC_STORE(g->param, NULL);
    GC_STORE(g->waiting_on, NULL);
    gfput(g);
    S.ngoroutines--;
    update_stack_bytes();
    if (g == S.roots.main) {
        S.main_done = true;
        sched_gjump(&S.g0);
    }
    // No timers here: a timer function may start a goroutine, which could reuse
    // this very G and stack while we still run on it. The next scheduling point
    // (or g0) runs them.
    g_t *next = sched_runq_get();
    sched_gjump(next ? next : &S.g0);
}

// First code on a new stack (the return address of its initial frame).
static _Noreturn void gentry(void) {
#if SCHED_ASAN
    sched_asan_entered();
#endif
    g_t *g = S.cur;
    g->fn(g->arg);
    gexit(g);
}

// ---- free Gs (Go's gfput / gfget / markrootFreeGStacks) ------------------------------
// A dead G goes on the P's list with its stack. When that list reaches 64, all but
// 31 move to the global list; at the start of every GC the stacks of the global
// list's Gs are freed (they go to the no-stack list), so a burst of goroutines that
// exited does not keep its stacks (StackInuse) for ever, as in Go.
#define GFREE_LOCAL_MAX 64 // proc.go gfput: "if pp.gFree.n >= 64"
#define GFREE_LOCAL_KEEP 32 // ... "for pp.gFree.n >= 32": move to the global list

static void gpush(g_t **list, g_t *g) {
    GC_STORE(g->schedlink, *list);
    *list = g;
}

static g_t *gpop(g_t **list) {
    g_t *g = *list;
    if (g) {
        *list = g->schedlink;
        GC_STORE(g->schedlink, NULL);
    }
    return g;
}

static void gfput(g_t *g) {
    gpush(&S.roots.gfree, g);
    if (++S.ngfree >= GFREE_LOCAL_MAX) {
        while (S.ngfree >= GFREE_LOCAL_KEEP) {
            g_t *x = gpop(&S.roots.gfree);
            S.ngfree--;
            gpush(x->stack_lo ? &S.roots.gfree_stack : &S.roots.gfree_nostack, x);
        }
    }
}

void sched_gstack_release(g_t *g) {
#if SCHED_ASAN
    __asan_unpoison_memory_region((void *)g->stack_lo, g->stack_hi - g->stack_lo);
#endif
    sched_stack_free(g->stack_lo, g->stack_hi);
    g->stack_lo = g->stack_hi = 0;
    S.stats.stack_bytes -= SCHED_STACK_SIZE;
}

// GC cycle hook (markrootFreeGStacks): frees the stacks of the global free list.
void sched_free_global_stacks(void) {
    g_t *g;
    while ((g = gpop(&S.roots.gfree_stack))) {
        sched_gstack_release(g);
        gpush(&S.roots.gfree_nostack, g);
    }
}

// A G ready to be given a function: from the P's free list, the global ones, or new;
// with a stack.
g_t *sched_galloc(void) {
    g_t *g = gpop(&S.roots.gfree);
    if (g)
        S.ngfree--;
    else if (!(g = gpop(&S.roots.gfree_stack)))
        g = gpop(&S.roots.gfree_nostack);
    if (!g) {
        g = rt_new(&g_type);
        g->status = G_DEAD;
        GC_STORE(g->alllink, S.roots.allg);
        S.roots.allg = g;
    }
    if (g->stack_lo) {
#if SCHED_ASAN
        // Frames of the previous life left poisoned redzones behind.
        __asan_unpoison_memory_region((void *)g->stack_lo, g->stack_hi - g->stack_lo);
#endif
    } else {
        if (!sched_stack_alloc(&g->stack_lo, &g->stack_hi))
            sys_panic("sched: out of memory for a goroutine stack");
        S.stats.stack_bytes += SCHED_STACK_SIZE;
    }
    g->goid = ++S.goidgen;
    g->selectdone = false;
    g->waitreason = WAIT_NONE;
    return g;
}

// Starts g at fn(arg) from stack pointer top.
uint64_t sched_gstart(g_t *g, sched_fn_t fn, void *arg, uintptr_t top) {
    g->fn = fn;
    g->arg = arg;
    g->sp = ctxsw_frame((void *)top, (void (*)(void))gentry);
    g->status = G_RUNNABLE;
    sched_runq_put(g);
    S.ngoroutines++;
    S.stats.goroutines_created++;
    update_stack_bytes();
    return g->goid;
}

uint64_t sched_go(sched_fn_t fn, const void *args, size_t argsize) {
    if (!fn) // Go: "go of nil func value"
        rt_panic("go of nil func value");
    if (argsize > SCHED_MAX_ARGS)
        sys_panic("sched_go: argument block of %zu bytes (max %u)", argsize,
                  SCHED_MAX_ARGS);
    g_t *g = sched_galloc();
    uintptr_t top = g->stack_hi;
    void *arg = NULL;
    if (argsize) {
        top = (top - argsize) & ~(uintptr_t)15;
        memcpy((void *)top, args, argsize);
        arg = (void *)top;
    }
    return sched_gstart(g, fn, arg, top);
}

uint64_t sched_go_closure(sched_fn_t fn, void *closure) {
    if (!fn)
        rt_panic("go of nil func value");
    g_t *g = sched_galloc();
    GC_STORE(g->closure, closure);
    return sched_gstart(g, fn, closure, g->stack_hi);
}
