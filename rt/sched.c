// The scheduler: goroutines on one P, cooperative, modelled on Go's proc.go.
//
// Design. A G is a heap object holding a saved stack pointer; its stack (64 KiB,
// see SCHED_STACK_SIZE) comes from the heap's stack spans with a guard page below.
// There is one P and so one run queue, a FIFO linked through g.schedlink. A G runs
// until it parks (sched_park: a channel, select, mutex, sleep ...), yields
// (sched_gosched) or exits; the scheduler then switches DIRECTLY to the next
// runnable G (sys/ctxsw_x86_64.S: push callee-saved registers, swap rsp). Only when the
// run queue is empty does it switch to g0, the context that called sched_run_main,
// whose idle loop runs due timers, idles until the next tick (hlt in the kernel,
// sigsuspend hosted), and declares a deadlock when nothing is runnable, the main
// goroutine has not returned and no timer is pending (Go's checkdead).
// Go switches through g0 on every park (mcall + schedule); one switch instead of two
// is most of why spanlab's goroutine switch is cheaper. There is no runnext slot
// (Go runs a goroutine woken by a channel next): without preemption, a pair of
// goroutines ping-ponging through runnext would starve everyone else.
//
// Dead Gs keep their stacks on the P's free list (fewer than 64, Go's gfput); the
// others move to a global list whose stacks are freed at the next GC, so StackInuse
// falls after a burst of goroutines has exited, as in Go.
//
// Time. The tick handler (LAPIC interrupt, or SIGALRM hosted) only sets tick_pending;
// every scheduling point checks that flag and runs the due timers (rt/timer.c), so
// timers fire at the next scheduling point after their tick, or wake the idle loop.
//
// GC. Gs are reachable from the allg list (a registered root); the stack provider
// hands the collector [saved sp, stack top) of every G that is not running, and of
// g0 while a G runs; gc_stack_top follows every switch. A G blocked forever therefore
// keeps everything its stack references, as in Go.
//
// Files: this one switches, parks and runs g0's loop; rt/sched_g.c is a G's life
// (spawn, exit, free Gs); rt/sched_stack.c the stacks and the overflow report;
// rt/sched_dump.c the dump and the deadlock message.
//
// Invariants (checked where cheap): see sched_state_t in rt/sched_internal.h.
#include "rt/sched.h"

#include <string.h>
#include "mm/heap.h"
#include "rt/gc.h"
#include "rt/gc_barrier.h"
#include "rt/sched_internal.h"
#include "rt/types.h"
#include "sys/sys.h"

sched_state_t sched_S;
#define S sched_S

static void (*tick_hook)(void); // sched_set_tick_hook: a sampler's turn at each tick

// ---- run queue --------------------------------------------------------------------

#define runq_put sched_runq_put
#define runq_get sched_runq_get

// ---- switching ----------------------------------------------------------------------

#if SCHED_ASAN
// After a switch lands in a context: tell ASan, and learn g0's stack bounds the
// first time g0 is the context we came from.
SCHED_NO_ASAN static void asan_landed(void *fake, g_t *from) {
    const void *bottom = NULL;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(fake, &bottom, &size);
    if (from == &S.g0 && S.g0.stack_lo == 0) {
        S.g0.stack_lo = (uintptr_t)bottom;
        S.g0.stack_hi = (uintptr_t)bottom + size;
    }
}
static g_t *asan_from; // the context a switch left, for asan_landed

// First thing on a new stack (sched_g.c gentry): the switch that started it landed.
void sched_asan_entered(void) { asan_landed(NULL, asan_from); }
#endif

// Marks `to` as the running context (status, the GC's current stack top, the
// switch count): the first half of every switch.
static inline void become_current(g_t *to) {
    S.cur = to;
    if (to != &S.g0) {
        to->status = G_RUNNING;
        gc_stack_top = (const void *)to->stack_hi;
    } else {
        gc_stack_top = S.g0_top;
    }
    S.stats.switches++;
}

// Makes `to` the running context, then suspends `from` (saving its registers on its
// stack). Returns when something switches back to from. Not instrumented by ASan
// (nor is sched_run_main): frames that are suspended on g0 when a panic handler
// longjmps out of a goroutine must not leave poisoned redzones behind on g0's stack.
SCHED_NO_ASAN static void gswitch(g_t *from, g_t *to) {
    become_current(to);
#if SCHED_ASAN
    asan_from = from;
    __sanitizer_start_switch_fiber(&from->asan_fake, (const void *)to->stack_lo,
                                   to->stack_hi - to->stack_lo);
    ctxsw_switch(&from->sp, to->sp);
    asan_landed(from->asan_fake, asan_from);
#else
    ctxsw_switch(&from->sp, to->sp);
#endif
}

// Leaves an exiting G for good (its stack stays with the dead G).
_Noreturn void sched_gjump(g_t *to) {
    become_current(to);
#if SCHED_ASAN
    asan_from = NULL;
    __sanitizer_start_switch_fiber(NULL, (const void *)to->stack_lo,
                                   to->stack_hi - to->stack_lo);
#endif
    ctxsw_jump(to->sp);
}

// The running G has queued itself or parked: run the next G, or g0 when none.
// Returns when self runs again.
static void schedule(g_t *self) {
    if (S.tick_pending)
        sched_poll_timers();
    if (__builtin_expect(gc_marking, 0))
        gc_bg_mark_turn(false); // the background mark worker's turn
    g_t *next = runq_get();
    if (next == self) { // it was the only runnable one (Gosched, or readied by a timer)
        self->status = G_RUNNING;
        return;
    }
    gswitch(self, next ? next : &S.g0);
}

void sched_poll_timers(void) {
    S.tick_pending = 0;
    timer_run_due((int64_t)sys_nanotime());
    if (tick_hook)
        tick_hook();
}

void sched_set_tick_hook(void (*hook)(void)) { tick_hook = hook; }

void sched_gosched(void) {
    g_t *self = S.cur;
    if (self == &S.g0 || !self) {
        if (S.tick_pending)
            sched_poll_timers();
        return;
    }
    self->status = G_RUNNABLE;
    runq_put(self);
    schedule(self);
}

void sched_park(enum g_waitreason reason, const void *obj) {
    g_t *self = S.cur;
    if (!self || self == &S.g0)
        sys_panic("sched_park: blocking outside a goroutine (%s)",
                  sched_waitreason_name(reason));
    self->status = G_WAITING;
    self->waitreason = reason;
    GC_STORE(self->waiting_on, obj);
    schedule(self);
    self->waitreason = WAIT_NONE;
    GC_STORE(self->waiting_on, NULL);
    self->waitn = 0;
}

void sched_ready_fail(const g_t *g) {
    sys_panic("sched_ready: goroutine %llu is not waiting (status %u)",
              (unsigned long long)g->goid, g->status);
}

void sched_ready(g_t *g) { sched_wake(g); }

// ---- g0: the idle loop ------------------------------------------------------------

// The tick handler: interrupt context in the kernel, where SSE registers belong to
// the interrupted code.
SYS_INTERRUPT_CONTEXT static void on_tick(void) {
    S.tick_pending = 1;
    S.stats.ticks++;
}

// Visits the stacks of every context that is not running (gc_stack_provider_fn).
static void stack_provider(gc_range_fn visit, void *ctx) {
    for (g_t *g = S.roots.allg; g; g = g->alllink) {
        if ((g->status == G_RUNNABLE || g->status == G_WAITING) && g != S.cur)
            visit(g->sp, (const void *)g->stack_hi, ctx);
    }
    if (S.running && S.cur != &S.g0 && S.g0_top)
        visit(S.g0.sp, S.g0_top, ctx);
}

#if SCHED_ASAN
// GC cycle end hook (ASan build only): clears ASan's shadow for the dead part of the
// running stack, below this frame. Instrumented code inlined into the collector's
// uninstrumented scanners can leave use-after-scope marks there (GCC does not clear
// them without an instrumented epilogue), which a later deep frame on the same
// goroutine stack would trip over. Dead stack memory holds nothing, so this is what
// ASan itself does for a no-return call.
SCHED_NO_ASAN static void asan_clear_dead_stack(void) {
    const g_t *g = S.cur;
    if (!g || !g->stack_lo)
        return; // g0 before ASan told us its bounds
    uintptr_t here = sys_stack_pointer(); // everything below is dead
    if (here > g->stack_lo && here < g->stack_hi)
        __asan_unpoison_memory_region((void *)g->stack_lo, here - g->stack_lo);
}
#endif

static void register_with_gc(void) {
    static bool done;
    if (done)
        return;
    done = true;
    gc_init();
    gc_add_root(&S.roots, sizeof S.roots, &gotype_pointer);
    gc_set_stack_provider(stack_provider);
    gc_add_cycle_hook(sched_free_global_stacks);
#if SCHED_ASAN
    gc_add_cycle_end_hook(asan_clear_dead_stack);
#endif
    sched_install_fault_explainer();
}

// The panic hook while sched_run_main runs: a panic on a goroutine may be caught by
// an outer hook that longjmps back to our caller (the scenario runner does), so the
// caller's stack becomes the one the GC scans before that hook runs.
static sys_panic_hook_t outer_panic_hook;
static void on_panic(const char *msg) {
    if (S.running && S.cur != &S.g0)
        gc_stack_top = S.outer_top;
    if (outer_panic_hook)
        outer_panic_hook(msg);
}

static void deadlock(void) {
    if (S.deadlock_hook) {
        S.deadlock_hook();
        return;
    }
    sched_report_deadlock();
    sys_exit(false);
}

SCHED_NO_ASAN sched_result_t sched_run_main(sched_fn_t fn, void *arg) {
    if (S.running)
        sys_panic("sched_run_main: already running (called from a goroutine?)");
    register_with_gc();
    if (S.ngoroutines > 0 || timer_pending())
        sched_reset(); // leftovers of a previous run never leak into this one
    S.running = true;
    S.main_done = false;
    S.g0_top = gc_running_stack_top();
    S.outer_top = gc_stack_top;
    S.g0.status = G_RUNNING;
    S.g0.stack_lo = S.g0.stack_hi = 0; // learned by ASan on the first switch
    S.cur = &S.g0;
    if (!S.rand_state[0]) {
        uint64_t t = sys_cycles() | 1;
        S.rand_state[0] = (uint32_t)t;
        S.rand_state[1] = (uint32_t)(t >> 32) | 1;
    }
    uint64_t period = 1000000; // 1 ms
    sys_set_tick_handler(on_tick, &period);
    outer_panic_hook = sys_set_panic_hook(on_panic);
    if (outer_panic_hook == on_panic) // left by a run abandoned without a reset
        outer_panic_hook = NULL;

    g_t *m = sched_galloc();
    S.roots.main = m;
    GC_STORE(m->closure, arg); // kept alive by the G, whatever it is
    sched_gstart(m, fn, arg, m->stack_hi);

    sched_result_t result = SCHED_OK;
    for (;;) {
        if (S.main_done)
            break;
        timer_run_due((int64_t)sys_nanotime());
        S.tick_pending = 0;
        if (tick_hook)
            tick_hook();
        g_t *g = runq_get();
        if (g) {
            gswitch(&S.g0, g);
            continue;
        }
        if (gc_marking) { // nothing runnable: an idle mark turn instead of sleeping
            gc_bg_mark_turn(true);
            continue;
        }
        if (timer_pending()) {
            S.stats.idle_waits++;
            heap_scavenge_tick(sys_nanotime()); // the background scavenger's turn
            sys_idle();
            continue;
        }
        deadlock();
        result = SCHED_DEADLOCK;
        break;
    }
    sys_set_tick_handler(NULL, NULL);
    sys_set_panic_hook(outer_panic_hook);
    S.cur = &S.g0;
    S.running = false;
    gc_stack_top = S.outer_top;
    return result;
}

// ---- reset, queries -----------------------------------------------------------------

void sched_reset(void) {
    sys_set_tick_handler(NULL, NULL);
    timer_reset_all();
    pool_reset_all();
    // (When the heap is already gone, so are the Gs and their stacks.)
    for (g_t *g = heap_ready() ? S.roots.allg : NULL; g; g = g->alllink) {
        if (g->stack_lo)
            sched_gstack_release(g);
        g->status = G_DEAD;
    }
    if (S.running) { // left by a longjmp out of a goroutine: the caller's stack again
        gc_stack_top = S.outer_top;
        sys_set_panic_hook(outer_panic_hook);
#if SCHED_ASAN
        if (S.cur != &S.g0 && S.g0.stack_lo) { // tell ASan we are on g0's stack
            void *fake = NULL;
            __sanitizer_start_switch_fiber(&fake, (const void *)S.g0.stack_lo,
                                           S.g0.stack_hi - S.g0.stack_lo);
            __sanitizer_finish_switch_fiber(fake, NULL, NULL);
            // what ASan's longjmp would have unpoisoned had it known the stack
            uintptr_t here = (uintptr_t)__builtin_frame_address(0);
            if (here > S.g0.stack_lo && here <= S.g0.stack_hi)
                __asan_unpoison_memory_region((void *)S.g0.stack_lo, here - S.g0.stack_lo);
        }
#endif
    }
    void (*hook)(void) = S.deadlock_hook;
    uint32_t r0 = S.rand_state[0], r1 = S.rand_state[1];
    memset(&S, 0, sizeof S);
    S.deadlock_hook = hook;
    S.rand_state[0] = r0;
    S.rand_state[1] = r1;
    S.cur = &S.g0;
    gc_set_stack_bytes(0);
}

g_t *sched_current(void) { return S.cur == &S.g0 ? NULL : S.cur; }
bool sched_in_goroutine(void) { return S.cur && S.cur != &S.g0; }
uint64_t sched_goid(void) { return sched_in_goroutine() ? S.cur->goid : 0; }
int sched_num_goroutine(void) { return S.ngoroutines; }
void *sched_g_param(g_t *g) { return g->param; }
void sched_g_set_param(g_t *g, void *param) { GC_STORE(g->param, param); }
bool *sched_g_selectdone(g_t *g) { return &g->selectdone; }
void sched_set_deadlock_hook(void (*hook)(void)) { S.deadlock_hook = hook; }

void sched_get_stats(sched_stats_t *out) { *out = S.stats; }

// xorshift64-style generator on two 32-bit halves (Go's fastrand is wyrand; any
// cheap uniform generator serves select's shuffle).
uint32_t sched_fastrand(void) {
    uint32_t s1 = S.rand_state[0], s0 = S.rand_state[1];
    if (!s1 && !s0)
        s1 = 0x9e3779b9u, s0 = 0x7f4a7c15u;
    s1 ^= s1 << 17;
    s1 = s1 ^ s0 ^ s1 >> 7 ^ s0 >> 16;
    S.rand_state[0] = s0;
    S.rand_state[1] = s1;
    return s0 + s1;
}
