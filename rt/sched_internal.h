// The scheduler's private structures, shared by rt/sched*.c only: the G, the one P's
// state (run queue, every G, the free list, g0) and the ASan fiber annotations the
// hosted test build needs around every stack switch.
#ifndef SPANLAB_RT_SCHED_INTERNAL_H
#define SPANLAB_RT_SCHED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rt/sched.h"
#include "rt/gc_barrier.h"

// A goroutine. A heap object (descriptor g_type in sched.c): the first five words
// are the pointers the collector traces; the rest are scalars or pointers outside
// the heap (the stack, code).
struct g {
    g_t *schedlink;         // next in the run queue or on the free list
    g_t *alllink;           // next in the list of every G (Go's allgs)
    void *closure;          // the heap closure of sched_go_closure, kept alive
    void *param;            // wake-up value: the sudog that completed (Go's g.param)
    const void *waiting_on; // what it waits for (chan, mutex ...), for the dump
    // ---- scalars and non-heap pointers ----
    void *sp;               // saved stack pointer while not running
    uintptr_t stack_lo;     // usable stack [stack_lo, stack_hi); guard page below
    uintptr_t stack_hi;
    sched_fn_t fn;          // entry function
    void *arg;              // its argument: the copied block (on this stack) or closure
    uint64_t goid;
    uint32_t status;        // enum g_status
    uint32_t waitreason;    // enum g_waitreason
    bool selectdone;        // a select case won (Go's g.selectDone)
    uint32_t waitn;         // channels a blocked select waits on (for the dump)
    void *asan_fake;        // ASan's fake-stack handle across a switch (test build)
};

// The state of the one P. Invariants:
//   - cur is the running context: &g0 or a G with status G_RUNNING; exactly one runs.
//   - a G is on the run queue iff its status is G_RUNNABLE;
//   - a G on a free list is G_DEAD; on gfree and gfree_stack it keeps its stack,
//     on gfree_nostack it has none (stack_lo == 0); every G is on allg;
//   - ngoroutines counts Gs that are runnable, running or waiting.
typedef struct sched_state {
    // Heap pointers, registered as one GC root (precise, words of pointers).
    struct {
        g_t *allg;     // every G made since the last reset
        g_t *runq_head;
        g_t *runq_tail;
        g_t *gfree;    // the P's dead Gs (Go's pp.gFree), with stacks
        g_t *gfree_stack;   // global dead Gs with stacks (freed at the next GC)
        g_t *gfree_nostack; // global dead Gs without stacks
        g_t *main;     // goroutine 1
    } roots;
    g_t g0;                  // the caller of sched_run_main (not a heap object)
    g_t *cur;                // the running context
    const void *g0_top;      // top of g0's stack, for the GC while a G runs
    const void *outer_top;   // gc_stack_top when sched_run_main was entered
    uint64_t goidgen;
    int ngoroutines;
    int ngfree;              // Gs on roots.gfree
    bool running;            // inside sched_run_main
    bool main_done;
    volatile int tick_pending; // set by the tick handler: timers may be due
    void (*deadlock_hook)(void);
    sched_stats_t stats;
    uint32_t rand_state[2];
} sched_state_t;

extern sched_state_t sched_S;

// ---- the hot paths, inline for chan.c, select.c and sync.c ---------------------------

// The run queue's tail gets g (FIFO).
static inline void sched_runq_put(g_t *g) {
    GC_STORE(g->schedlink, NULL);
    if (sched_S.roots.runq_tail)
        GC_STORE(sched_S.roots.runq_tail->schedlink, g);
    else
        sched_S.roots.runq_head = g;
    sched_S.roots.runq_tail = g;
}

// The run queue's head, unlinked (NULL when empty).
static inline g_t *sched_runq_get(void) {
    g_t *g = sched_S.roots.runq_head;
    if (g) {
        sched_S.roots.runq_head = g->schedlink;
        if (!sched_S.roots.runq_head)
            sched_S.roots.runq_tail = NULL;
        GC_STORE(g->schedlink, NULL);
    }
    return g;
}

// sched_current() inline: the running G, NULL on g0.
static inline g_t *sched_cur(void) {
    g_t *g = sched_S.cur;
    return g == &sched_S.g0 ? NULL : g;
}

// sched_ready() inline (panics when g is not waiting).
void sched_ready_fail(const g_t *g);
static inline void sched_wake(g_t *g) {
    if (__builtin_expect(g->status != G_WAITING, 0))
        sched_ready_fail(g);
    g->status = G_RUNNABLE;
    sched_runq_put(g);
}

// Switching (rt/sched.c): resumes `to` for good, abandoning the running context.
_Noreturn void sched_gjump(g_t *to);
#if defined(__SANITIZE_ADDRESS__)
void sched_asan_entered(void); // first thing on a new stack, for ASan's fibers
#endif

// Goroutine life (rt/sched_g.c): a dead G with a stack, ready for sched_gstart
// (allocates a G or a stack when no free one has one); starting it at fn(arg) from
// stack address top (returns its id); dropping a dead G's stack; the GC cycle hook
// that frees the stacks of the global free list.
g_t *sched_galloc(void);
uint64_t sched_gstart(g_t *g, sched_fn_t fn, void *arg, uintptr_t top);
void sched_gstack_release(g_t *g);
void sched_free_global_stacks(void);

// Stacks (rt/sched_stack.c): a SCHED_STACK_SIZE stack with an uncommitted guard page
// below it, from the heap's stack spans. Returns false when out of memory.
bool sched_stack_alloc(uintptr_t *lo, uintptr_t *hi);
void sched_stack_free(uintptr_t lo, uintptr_t hi);

// Installs the fault explainer that names the goroutine of a guard-page hit.
void sched_install_fault_explainer(void);

// The printable name of a wait reason (Go's strings).
const char *sched_waitreason_name(uint32_t reason);

// Timers (rt/timer.c): runs every timer due at now; true when any timer is pending.
void timer_run_due(int64_t now);
bool timer_pending(void);
void timer_reset_all(void);

// Pools and select (rt/pool.c): forget every pool at a runtime reset.
void pool_reset_all(void);

// ---- ASan fiber annotations (hosted test build) ------------------------------------
#if defined(__SANITIZE_ADDRESS__)
#define SCHED_ASAN 1
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define SCHED_NO_ASAN __attribute__((no_sanitize_address))
#else
#define SCHED_ASAN 0
#define SCHED_NO_ASAN
#endif

#endif
