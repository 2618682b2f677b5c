// The timer heap and the time package, after Go's runtime/time.go and time/sleep.go.
//
// Heap. A 4-ary min-heap ordered by deadline, as Go's (siftupTimer/siftdownTimer:
// parent (i-1)/4, children 4i+1..4i+4): shallower than a binary heap, and the four
// children sit in one or two cache lines. Each slot holds {when, timer} so that
// sifting compares deadlines without touching the timers themselves; slot.when
// always equals slot.t->when. t->hidx is 1 + the slot index (0: not in the heap),
// so Stop and Reset remove or move a timer in O(log4 n) at once — unlike Go 1.19,
// which marks it deleted and cleans up later; the heap count is exact at any time.
//
// The slot array is a heap object of {int64, pointer} elements reachable from a
// registered root, so every pending timer, its channel and its goroutine are kept
// alive by the collector: an unstopped ticker is never collected (Go < 1.23).
//
// Firing. timer_run_due(now) takes every timer whose deadline has passed, removes it
// (one-shot) or re-arms it at when + period * (1 + (now - when) / period) (ticker,
// as Go's runOneTimer), then calls its f, which may add or delete timers.
#include "rt/timer.h"
#include "rt/panic.h"

#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/gc_barrier.h"
#include "rt/sched_internal.h"
#include "rt/types.h"
#include "sys/sys.h"

typedef struct tslot {
    int64_t when;
    rtimer_t *t;
} tslot_t;

static GOTYPE_STRUCT(tslot_type, tslot_t, "runtime.timerSlot", offsetof(tslot_t, t));
static GOTYPE_STRUCT(gotimer_type, gotimer_t, "time.Timer", offsetof(gotimer_t, C),
                     offsetof(gotimer_t, fnarg), offsetof(gotimer_t, r.arg));

static struct {
    tslot_t *heap; // the root: slots [0, n)
} roots;
static size_t n, cap;
static timer_stats_t stats;

static void ensure_root(void) {
    static bool done;
    if (!done) {
        done = true;
        gc_init();
        gc_add_root(&roots, sizeof roots, &gotype_pointer);
    }
}

// ---- the 4-ary heap --------------------------------------------------------------------

// Stores slot s at i (a pointer store into the heap array: barriered).
static inline void slot_set(tslot_t *h, size_t i, tslot_t s) {
    h[i].when = s.when;
    GC_STORE(h[i].t, s.t);
}

static inline void place(size_t i, tslot_t s) {
    slot_set(roots.heap, i, s);
    s.t->hidx = (uint32_t)(i + 1);
}

// Moves the slot at i up while its deadline is earlier than its parent's.
static void siftup(size_t i) {
    // LAB 7 BEGIN: sift up: slot i rises while earlier than its parent, (i-1)/4
    tslot_t *h = roots.heap;
    tslot_t s = h[i];
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (s.when >= h[p].when)
            break;
        place(i, h[p]);
        i = p;
    }
    place(i, s);
    // LAB 7 STUB
    // // Stub: keeps the slots sorted (a sorted array is a heap of any arity), one
    // // neighbour at a time: O(n) moves where the heap needs O(log4 n).
    // while (i > 0 && roots.heap[i].when < roots.heap[i - 1].when) {
    //     tslot_t earlier = roots.heap[i];
    //     place(i, roots.heap[i - 1]);
    //     place(--i, earlier);
    // }
    // place(i, roots.heap[i]);
    // LAB 7 END
}

// Moves the slot at i down while a child's deadline is earlier.
static void siftdown(size_t i) {
    // LAB 7 BEGIN: sift down: slot i sinks below its earliest child (4i+1..4i+4)
    tslot_t *h = roots.heap;
    tslot_t s = h[i];
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n)
            break;
        size_t m = c;
        size_t end = c + 4 < n ? c + 4 : n;
        for (size_t k = c + 1; k < end; k++)
            if (h[k].when < h[m].when)
                m = k;
        if (h[m].when >= s.when)
            break;
        place(i, h[m]);
        i = m;
    }
    place(i, s);
    // LAB 7 STUB
    // // Stub: as siftup's, toward the end of the sorted slots.
    // while (i + 1 < n && roots.heap[i + 1].when < roots.heap[i].when) {
    //     tslot_t later = roots.heap[i];
    //     place(i, roots.heap[i + 1]);
    //     place(++i, later);
    // }
    // place(i, roots.heap[i]);
    // LAB 7 END
}

static void grow(void) {
    ensure_root();
    size_t ncap = cap ? cap * 2 : 64;
    tslot_t *nh = rt_newarray(&tslot_type, ncap);
    for (size_t i = 0; i < n; i++)
        slot_set(nh, i, roots.heap[i]);
    roots.heap = nh;
    cap = ncap;
}

void timer_add(rtimer_t *t) {
    if (t->hidx)
        sys_panic("timer_add: timer %p already in the heap", (void *)t);
    if (n == cap)
        grow();
    size_t i = n++;
    place(i, (tslot_t){t->when, t});
    siftup(i);
    stats.in_heap = n;
    if (n > stats.max_in_heap)
        stats.max_in_heap = n;
}

// Removes the slot at i, filling the hole with the last slot.
static void remove_at(size_t i) {
    rtimer_t *t = roots.heap[i].t;
    t->hidx = 0;
    size_t last = --n;
    if (i != last) {
        tslot_t s = roots.heap[last];
        slot_set(roots.heap, i, s);
        s.t->hidx = (uint32_t)(i + 1);
        if (i > 0 && s.when < roots.heap[(i - 1) / 4].when)
            siftup(i);
        else
            siftdown(i);
    }
    slot_set(roots.heap, last, (tslot_t){0, NULL}); // drop the reference for the GC
    stats.in_heap = n;
}

bool timer_del(rtimer_t *t) {
    if (!t->hidx)
        return false;
    size_t i = t->hidx - 1;
    if (i >= n || roots.heap[i].t != t)
        sys_panic("timer_del: corrupt heap index for timer %p", (void *)t);
    remove_at(i);
    return true;
}

bool timer_mod(rtimer_t *t, int64_t when, int64_t period) {
    bool pending = t->hidx != 0;
    t->period = period;
    t->seq++;
    if (!pending) {
        t->when = when;
        timer_add(t);
        return false;
    }
    size_t i = t->hidx - 1;
    int64_t old = t->when;
    t->when = when;
    roots.heap[i].when = when;
    if (when < old)
        siftup(i);
    else
        siftdown(i);
    return true;
}

// ---- running due timers ----------------------------------------------------------------

void timer_run_due(int64_t now) {
    if (n == 0)
        return;
    uint64_t examined = 0;
    while (n > 0) {
        examined++;
        rtimer_t *t = roots.heap[0].t;
        if (t->when > now)
            break;
        if (t->period > 0) {
            t->when += t->period * (1 + (now - t->when) / t->period);
            if (t->when < 0) // overflow
                t->when = INT64_MAX;
            roots.heap[0].when = t->when;
            siftdown(0);
        } else {
            remove_at(0);
        }
        stats.fired++;
        t->f(t->arg, t->seq, now);
    }
    stats.runs++;
    stats.examined += examined;
    stats.examined_last = examined;
}

bool timer_pending(void) { return n > 0; }
uint64_t timer_count(void) { return n; }
void timer_get_stats(timer_stats_t *out) { *out = stats; }

void timer_reset_all(void) {
    if (heap_ready()) // else the slots (and the timers) are gone with the heap
        for (size_t i = 0; i < n; i++)
            roots.heap[i].t->hidx = 0;
    roots.heap = NULL;
    n = cap = 0;
    stats = (timer_stats_t){0};
}

// ---- the time package ----------------------------------------------------------------

int64_t timer_now(void) { return (int64_t)sys_nanotime(); }

// when(d) in time/sleep.go: now + d, saturating; d <= 0 means now.
static int64_t deadline(int64_t d) {
    int64_t now = timer_now();
    if (d <= 0)
        return now;
    int64_t w = now + d;
    return w < now ? INT64_MAX : w;
}

// sendTime: a non-blocking send of now on the timer's one-slot channel.
static void send_time(void *arg, uint64_t seq, int64_t now) {
    (void)seq;
    if (!chan_trysend(arg, &now))
        stats.ticks_dropped++;
}

// goFunc: AfterFunc's function in its own goroutine.
static void go_func(void *arg, uint64_t seq, int64_t now) {
    (void)seq, (void)now;
    gotimer_t *t = arg;
    sched_go_closure(t->fn, t->fnarg);
}

static gotimer_t *start(int64_t d, int64_t period) {
    gotimer_t *t = rt_new(&gotimer_type);
    GC_STORE(t->C, chan_make(&gotype_int64, 1));
    GC_STORE(t->r.arg, (void *)t->C);
    t->r.f = send_time;
    t->r.when = deadline(d);
    t->r.period = period;
    timer_add(&t->r);
    return t;
}

gotimer_t *timer_new(int64_t d) { return start(d, 0); }

gotimer_t *timer_new_ticker(int64_t d) {
    if (d <= 0)
        rt_panic("non-positive interval for NewTicker");
    return start(d, d);
}

bool timer_stop(gotimer_t *t) {
    if (!t->r.f)
        rt_panic("time: Stop called on uninitialized Timer");
    return timer_del(&t->r);
}

bool timer_reset(gotimer_t *t, int64_t d) {
    if (!t->r.f)
        rt_panic("time: Reset called on uninitialized Timer");
    return timer_mod(&t->r, deadline(d), t->r.period);
}

void timer_ticker_reset(gotimer_t *t, int64_t d) {
    if (d <= 0)
        rt_panic("non-positive interval for Ticker.Reset");
    timer_mod(&t->r, deadline(d), d);
}

chan_t *timer_after(int64_t d) { return timer_new(d)->C; }

gotimer_t *timer_after_func(int64_t d, sched_fn_t fn, void *arg) {
    gotimer_t *t = rt_new(&gotimer_type);
    t->fn = fn;
    GC_STORE(t->fnarg, arg);
    GC_STORE(t->r.arg, (void *)t);
    t->r.f = go_func;
    t->r.when = deadline(d);
    timer_add(&t->r);
    return t;
}

// Sleep's timer function: the sleeping G is runnable again.
static void wake_sleeper(void *arg, uint64_t seq, int64_t now) {
    (void)seq, (void)now;
    sched_ready(arg);
}

void timer_sleep(int64_t d) {
    if (d <= 0)
        return;
    g_t *self = sched_current();
    if (!self) { // g0: nothing else can run from here, so just wait
        int64_t until = deadline(d);
        while (timer_now() < until)
            sys_idle();
        return;
    }
    rtimer_t t = {.arg = self, .f = wake_sleeper, .when = deadline(d)};
    timer_add(&t); // a pointer to this frame: the G is parked until t fires
    sched_park(WAIT_SLEEP, NULL);
}
