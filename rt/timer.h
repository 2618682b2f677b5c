// Timers: the runtime's timer heap (Go's runtime/time.go, a 4-ary min-heap ordered
// by deadline) and the time package on top of it (time/sleep.go, time/tick.go):
// NewTimer, NewTicker, Stop, Reset, After, AfterFunc, Sleep.
//
// Time is int64 nanoseconds of sys_nanotime() (the monotonic clock); durations are
// nanoseconds too (TIMER_MS(5) = 5 ms). Timers fire at the first scheduling point
// after the tick that made them due, or wake the idle loop. A one-shot timer leaves
// the heap when it fires or is stopped; a ticker stays in it until stopped (Go before
// 1.23: an unstopped ticker is never collected). A ticker's channel has one slot:
// when nobody took the last tick, the next one is dropped.
#ifndef SPANLAB_RT_TIMER_H
#define SPANLAB_RT_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include "rt/chan.h"
#include "rt/sched.h"

#define TIMER_US(n) ((int64_t)(n) * 1000)
#define TIMER_MS(n) ((int64_t)(n) * 1000000)
#define TIMER_SEC(n) ((int64_t)(n) * 1000000000)

// ---- the runtime timer (Go's runtime.timer) -----------------------------------------

typedef struct rtimer rtimer_t;
struct rtimer {
    void *arg;     // heap pointer passed to f (channel, G, time.Timer): word 0
    void (*f)(void *arg, uint64_t seq, int64_t now); // runs at a scheduling point
    int64_t when;  // deadline (sys_nanotime ns)
    int64_t period; // > 0: re-arm every period after firing (ticker)
    uint64_t seq;
    uint32_t hidx; // 1 + index in the heap; 0 = not in the heap
};

// Adds t (not in the heap) with its when/period/f/arg set. May allocate (heap growth).
void timer_add(rtimer_t *t);

// Removes t from the heap: returns true when it was pending (Go's deltimer).
bool timer_del(rtimer_t *t);

// Moves t to a new deadline and period, adding it if it is not pending. Returns
// whether it was pending (Go's modtimer/resettimer).
bool timer_mod(rtimer_t *t, int64_t when, int64_t period);

// ---- the time package ----------------------------------------------------------------

// time.Timer and time.Ticker: C carries the fire time (int64 ns); for AfterFunc, C
// is nil and fn(fnarg) runs in a new goroutine.
typedef struct gotimer {
    chan_t *C;
    void *fnarg;
    rtimer_t r;
    sched_fn_t fn;
} gotimer_t;

// time.NewTimer(d): fires once, d ns from now, sending the time on C (cap 1).
gotimer_t *timer_new(int64_t d);

// time.NewTicker(d): sends the time on C every d ns, dropping ticks nobody took.
// Panics when d <= 0 ("non-positive interval for NewTicker").
gotimer_t *timer_new_ticker(int64_t d);

// Timer.Stop / Ticker.Stop: returns true when the call stopped a pending timer.
// Does not drain C (as in Go).
bool timer_stop(gotimer_t *t);

// Timer.Reset(d): re-arms for d from now; returns whether it had been pending.
bool timer_reset(gotimer_t *t, int64_t d);

// Ticker.Reset(d): a new period d (> 0, else panics), next tick d from now.
void timer_ticker_reset(gotimer_t *t, int64_t d);

// time.After(d): NewTimer(d).C.
chan_t *timer_after(int64_t d);

// time.AfterFunc(d, f): after d, runs fn(arg) in its own goroutine (arg is kept
// alive like a closure). Stop and Reset work on the result.
gotimer_t *timer_after_func(int64_t d, sched_fn_t fn, void *arg);

// time.Sleep(d): parks the running goroutine for at least d (returns at once when
// d <= 0). On g0 (outside any goroutine) it idles instead.
void timer_sleep(int64_t d);

// time.Now() as this runtime sees it: sys_nanotime().
int64_t timer_now(void);

// ---- counters ------------------------------------------------------------------------

typedef struct timer_stats {
    uint64_t in_heap;        // timers in the heap now
    uint64_t max_in_heap;    // high-water mark since reset
    uint64_t runs;           // checks of the heap at ticks / scheduling points / idle
    uint64_t examined;       // timers looked at by those checks (heap tops)
    uint64_t examined_last;  // ... by the last check
    uint64_t fired;          // timer functions run
    uint64_t ticks_dropped;  // ticker sends dropped because the channel was full
} timer_stats_t;
void timer_get_stats(timer_stats_t *out);

// Timers in the heap now.
uint64_t timer_count(void);

#endif
