// Goroutines and the scheduler: one P, cooperative, Go's proc.go in miniature.
//
// A goroutine (G) runs until it blocks (channel, select, mutex, sleep, WaitGroup) or
// yields (sched_gosched). Switching is direct, G to G, through sys/ctxsw_x86_64.S; the
// caller of sched_run_main (g0: the kernel's or the test's own stack) runs only the
// idle loop: due timers, sys_idle, and the deadlock check. See rt/sched.c for the
// design and its invariants.
//
//   static void worker(void *arg) { chan_send(*(chan_t **)arg, &(int64_t){42}); }
//   static void main_g(void *arg) {
//       chan_t *c = chan_make(&gotype_int64, 0);
//       sched_go(worker, &c, sizeof c);          // go worker(c): args copied
//       int64_t v; chan_recv(c, &v);
//   }
//   sched_run_main(main_g, NULL);
#ifndef SPANLAB_RT_SCHED_H
#define SPANLAB_RT_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Fixed goroutine stack size. Go starts a goroutine at 2 KiB and grows it by copying
// (runtime/stack.go _StackMin); C cannot move a stack (pointers into it are
// everywhere), so every goroutine gets one fixed stack: a 64 KiB stack span (8 heap
// pages, counted in StackInuse) whose lowest 4 KiB page is a guard that is never
// committed, leaving 60 KiB usable. That holds the deepest C paths the runtime and
// scenarios take (snprintf-style formatting with a few KiB of buffers, a GC cycle
// started by an allocation on a goroutine, ASan's larger frames in the test build)
// with room to spare, and costs only the pages a goroutine touches (the rest stays
// committed-not-resident). Overflow faults in the guard page and the fault report
// names the goroutine ("goroutine N stack overflow (guard page at 0x...)").
#define SCHED_STACK_SIZE (64u * 1024u)

// The largest argument block sched_go copies onto the new goroutine's stack.
#define SCHED_MAX_ARGS 1024u

typedef struct g g_t;
typedef void (*sched_fn_t)(void *arg);

// G status, as Go's runtime2.go _Grunnable ...
enum g_status {
    G_IDLE = 0, // allocated, not yet started
    G_RUNNABLE,
    G_RUNNING,
    G_WAITING,
    G_DEAD,     // exited; kept on the free list with its stack for reuse (gfput)
};

// Why a G waits: Go's waitReason strings (runtime2.go), printed by the dump.
enum g_waitreason {
    WAIT_NONE = 0,
    WAIT_CHAN_RECV,     // "chan receive"
    WAIT_CHAN_SEND,     // "chan send"
    WAIT_CHAN_RECV_NIL, // "chan receive (nil chan)"
    WAIT_CHAN_SEND_NIL, // "chan send (nil chan)"
    WAIT_SELECT,        // "select"
    WAIT_SELECT_NOCASE, // "select (no cases)"
    WAIT_SLEEP,         // "sleep"
    WAIT_SEMACQUIRE,    // "semacquire" (sync.Mutex.Lock, WaitGroup.Wait, Once: Go 1.19)
    WAIT_COUNT,
};

// ---- running goroutines -------------------------------------------------------

// How sched_run_main ended.
typedef enum sched_result {
    SCHED_OK = 0,       // the main goroutine returned
    SCHED_DEADLOCK = 1, // all goroutines asleep, no timer pending, and the deadlock
                        // hook returned instead of ending the run
} sched_result_t;

// Runs fn(arg) as goroutine 1 (Go's main.main) on a fresh scheduler and returns when
// it returns. As in Go, other goroutines still alive then never run again: they stay
// parked (counted by sched_num_goroutine, kept by the GC) until sched_reset. Installs
// the tick handler for its duration. Goroutines or timers a previous run left behind
// are dropped first (sched_reset). Must not be called from a goroutine. On a
// deadlock, calls the deadlock hook (default: report and sys_exit(false)); when the
// hook returns, returns SCHED_DEADLOCK (call sched_reset before running again).
// A sys_panic on a goroutine goes to the sys panic hook that was installed when
// sched_run_main started; if that hook longjmps out (the scenario runner's does), the
// caller's stack is already the one the GC scans. arg is kept alive by goroutine 1.
sched_result_t sched_run_main(sched_fn_t fn, void *arg);

// Drops every goroutine (stacks back to the heap), the run queue, every timer and
// pool, and restarts goroutine ids at 1: a fresh runtime for the next variant. Also
// safe after a longjmp out of a goroutine (a recovered panic or deadlock hook).
// Call it before the heap itself is reset.
void sched_reset(void);

// go fn(args): starts a goroutine running fn(p) where p points to a copy of the
// argsize bytes at args placed on the new goroutine's own stack (Go copies a go
// statement's arguments to the new stack: no heap allocation). args may be NULL
// when argsize is 0 (fn then gets NULL). Returns the new goroutine's id.
// Panics when argsize > SCHED_MAX_ARGS.
uint64_t sched_go(sched_fn_t fn, const void *args, size_t argsize);

// go func(){...}(): starts a goroutine running fn(closure) where closure is a heap
// object (the captured variables, as Go's escape analysis moves them to the heap);
// the G keeps it alive until it exits. Returns the new goroutine's id.
uint64_t sched_go_closure(sched_fn_t fn, void *closure);

// runtime.Gosched: lets every other runnable goroutine run, then returns.
void sched_gosched(void);

// runtime.NumGoroutine: goroutines that exist now (running, runnable, waiting).
int sched_num_goroutine(void);

// The running goroutine's id (0 on g0, outside any goroutine).
uint64_t sched_goid(void);

// True while a goroutine (not g0) is running.
bool sched_in_goroutine(void);

// Prints every live goroutine in id order, headed as Go's traceback does, then what
// it waits on and where it started (there are no frames: no goroutine unwinder):
//   goroutine 7 [chan receive]:
//   	waiting on chan 0x... (len 0, cap 0)
//   	started at fn 0x... (arg 0x...), stack [0x..., 0x...)
void sched_dump(void);

// Prints Go's fatal deadlock message followed by the goroutine dump.
void sched_report_deadlock(void);

// Sets what happens on a deadlock (NULL restores the default, which calls
// sched_report_deadlock and sys_exit(false)). The hook runs on g0; it may longjmp
// out (then call sched_reset) or return (then sched_run_main returns SCHED_DEADLOCK).
void sched_set_deadlock_hook(void (*hook)(void));

// Sets a function called at every scheduling point that ran due timers (each 1 ms
// tick) and at every turn of the idle loop, for samplers (rt/memtrace.c); NULL = none.
// It runs on g0 or a goroutine and must not block, switch or allocate.
void sched_set_tick_hook(void (*hook)(void));

// Counters for reports and benchmarks.
typedef struct sched_stats {
    uint64_t goroutines_created; // since the last reset
    uint64_t switches;           // G-to-G and G-to-g0 switches
    uint64_t idle_waits;         // sys_idle calls in the idle loop
    uint64_t ticks;              // tick interrupts seen
    uint64_t stack_bytes;        // stack bytes held (live and cached dead Gs)
} sched_stats_t;
void sched_get_stats(sched_stats_t *out);

// ---- for chan, select, timer, sync (the runtime's own use) -----------------------

// The running G (NULL on g0).
g_t *sched_current(void);

// gopark: the running goroutine stops, waiting for reason on obj (printed by the
// dump), until someone calls sched_ready on it. Returns after that. Must run on a
// goroutine; the caller has linked it where a waker will find it.
void sched_park(enum g_waitreason reason, const void *obj);

// goready: makes a waiting g runnable (it runs after the goroutines already queued).
void sched_ready(g_t *g);

// Per-G words the channel code uses while a G waits (Go's g.param, g.selectDone).
void *sched_g_param(g_t *g);
void sched_g_set_param(g_t *g, void *param);
bool *sched_g_selectdone(g_t *g);

// Runs due timers if the tick said some may be due: called at scheduling points.
void sched_poll_timers(void);

// Go's fastrand: a cheap pseudo-random 32-bit number (select order, pools).
uint32_t sched_fastrand(void);

#endif
