// selftest=sched: goroutines, channels, select, sync, pools, the GC's view of
// stacks, the deadlock hook, and timers driven by the real tick (the LAPIC timer
// interrupt in the kernel, SIGALRM hosted). Prints one line per check group and a
// summary of the tick and timer counters.
#include <stddef.h>
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/chan.h"
#include "rt/gc.h"
#include "rt/sched.h"
#include "rt/select.h"
#include "rt/sync.h"
#include "rt/timer.h"
#include "rt/types.h"
#include "sys/selftest.h"
#include "sys/sys.h"

static bool st_ok;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            sys_printf("selftest sched: check failed: %s (line %d)\n", #cond, __LINE__); \
            st_ok = false;                                                           \
        }                                                                            \
    } while (0)

// The verdict of a group of checks that started when st_ok was was_ok.
#define VERDICT(was_ok) ((was_ok) && st_ok ? "ok" : "FAILED")

typedef struct pp { chan_t *ping, *pong; int n; } pp_t;

static void ponger(void *arg) {
    pp_t *p = arg;
    int64_t v;
    for (int i = 0; i < p->n; i++) {
        chan_recv(p->ping, &v);
        v *= 2;
        chan_send(p->pong, &v);
    }
}

static void check_pingpong(void) {
    bool before = st_ok;
    pp_t p = {chan_make(&gotype_int64, 0), chan_make(&gotype_int64, 0), 1000};
    sched_go(ponger, &p, sizeof p);
    int64_t sum = 0, v;
    for (int64_t i = 0; i < p.n; i++) {
        chan_send(p.ping, &i);
        chan_recv(p.pong, &v);
        sum += v;
    }
    CHECK(sum == 999 * 1000);
    sys_printf("selftest sched: ping-pong 1000 round trips %s\n", VERDICT(before));
}

typedef struct fan { chan_t *jobs, *out; sync_waitgroup_t *wg; sync_mutex_t *mu; int64_t *total; } fan_t;

static void worker(void *arg) {
    fan_t *f = arg;
    int64_t j;
    CHAN_RANGE(f->jobs, &j) {
        sync_mutex_lock(f->mu);
        *f->total += j;
        sched_gosched();
        sync_mutex_unlock(f->mu);
    }
    sync_wg_done(f->wg);
}

static void check_fanout(void) {
    bool before = st_ok;
    sync_waitgroup_t wg = {0};
    sync_mutex_t mu = {0};
    int64_t total = 0;
    sched_gosched(); // let earlier goroutines finish
    int ngo = sched_num_goroutine();
    fan_t f = {chan_make(&gotype_int64, 8), NULL, &wg, &mu, &total};
    for (int i = 0; i < 16; i++) {
        sync_wg_add(&wg, 1);
        sched_go(worker, &f, sizeof f);
    }
    CHECK(sched_num_goroutine() == ngo + 16);
    for (int64_t j = 1; j <= 500; j++)
        chan_send(f.jobs, &j);
    chan_close(f.jobs);
    sync_wg_wait(&wg);
    CHECK(total == 500 * 501 / 2);
    sched_gosched();
    CHECK(sched_num_goroutine() == ngo);
    sys_printf("selftest sched: fan-out 16 workers, WaitGroup, Mutex %s\n", VERDICT(before));
}

static void check_select(void) {
    bool before = st_ok;
    chan_t *c[2] = {chan_make(&gotype_int64, 1), chan_make(&gotype_int64, 1)};
    int hits[2] = {0, 0};
    int64_t v;
    for (int r = 0; r < 2000; r++) {
        for (int i = 0; i < 2; i++)
            if (chan_len(c[i]) == 0)
                chan_send(c[i], &(int64_t){i});
        sel_case_t cs[2] = {{.c = c[0], .elem = &v}, {.c = c[1], .elem = &v}};
        hits[sel_select(cs, 2, true)]++;
    }
    CHECK(hits[0] > 800 && hits[1] > 800); // 1000 expected each, sigma ~22
    sel_case_t none[1] = {{.c = chan_make(&gotype_int64, 0), .elem = &v}};
    CHECK(sel_select(none, 1, false) == -1);
    sys_printf("selftest sched: select fair (%d/%d), default %s\n", hits[0], hits[1],
               VERDICT(before));
}

// ---- timers on the real tick ------------------------------------------------------

static int order[4], norder;
static void note(void *arg) { order[norder++] = (int)(intptr_t)arg; }

static void check_timers(void) {
    bool before = st_ok;
    sched_stats_t s0, s1;
    timer_stats_t t0, t1;
    sched_get_stats(&s0);
    timer_get_stats(&t0);
    int64_t start = timer_now();
    timer_sleep(TIMER_MS(20));
    int64_t slept = timer_now() - start;
    CHECK(slept >= TIMER_MS(20));
    sched_get_stats(&s1);
    CHECK(s1.ticks > s0.ticks);           // the interrupt drove it
    CHECK(s1.idle_waits > s0.idle_waits); // and the idle loop halted meanwhile

    norder = 0;
    int ms[4] = {12, 3, 9, 6};
    for (int i = 0; i < 4; i++)
        timer_after_func(TIMER_MS(ms[i]), note, (void *)(intptr_t)i);
    gotimer_t *stopped = timer_new(TIMER_MS(5));
    CHECK(timer_count() == 5);
    CHECK(timer_stop(stopped));
    CHECK(timer_count() == 4);
    timer_sleep(TIMER_MS(30));
    CHECK(norder == 4);
    CHECK(order[0] == 1 && order[1] == 3 && order[2] == 2 && order[3] == 0);
    CHECK(timer_count() == 0);
    CHECK(chan_len(stopped->C) == 0);

    gotimer_t *tk = timer_new_ticker(TIMER_MS(2));
    int64_t t_start = timer_now();
    do { // bounded: a busy host may deliver few ticks
        timer_sleep(TIMER_MS(10));
        timer_get_stats(&t1);
    } while (t1.ticks_dropped - t0.ticks_dropped < 5 && timer_now() - t_start < TIMER_SEC(2));
    CHECK(chan_len(tk->C) == 1); // full: the other ticks were dropped
    CHECK(timer_count() == 1);   // an unstopped ticker stays
    timer_stop(tk);
    CHECK(timer_count() == 0);
    timer_get_stats(&t1);
    CHECK(t1.ticks_dropped - t0.ticks_dropped >= 5);
    sys_printf("selftest sched: timers on the tick: slept %lld us for 20 ms, %llu ticks, "
               "%llu idle halts, %llu ticks dropped, deadline order %s\n",
               (long long)(slept / 1000), (unsigned long long)(s1.ticks - s0.ticks),
               (unsigned long long)(s1.idle_waits - s0.idle_waits),
               (unsigned long long)(t1.ticks_dropped - t0.ticks_dropped), VERDICT(before));
}

// ---- GC roots and pools ----------------------------------------------------------

typedef struct obj { uint64_t magic; void *p; } obj_t;
static GOTYPE_STRUCT(obj_type, obj_t, "selftest.obj", offsetof(obj_t, p));
#define MASK 0x6b6b6b6b6b6b6b6bull
static uintptr_t hidden;
static chan_t *ready, *release;

__attribute__((noinline)) static void holder(void *arg) {
    (void)arg;
    obj_t *volatile o = rt_new(&obj_type);
    o->magic = 0x5ca1ab1e;
    hidden = (uintptr_t)o ^ MASK;
    chan_send(ready, NULL);
    chan_recv(release, NULL); // parked: o lives only in this frame
    CHECK(o->magic == 0x5ca1ab1e); // (a use after the park: o is live across it)
}

static bool hidden_alive(void) {
    obj_t *o = (obj_t *)(hidden ^ MASK);
    return heap_usable_size(o) != 0 && o->magic == 0x5ca1ab1e;
}

static void check_gc(void) {
    bool before = st_ok;
    ready = chan_make(NULL, 0);
    release = chan_make(NULL, 0);
    sched_go(holder, NULL, 0);
    chan_recv(ready, NULL);
    gc_collect(true);
    CHECK(hidden_alive()); // only the parked goroutine's stack refers to it
    chan_send(release, NULL);

    static sync_pool_t pool;
    obj_t *o = rt_new(&obj_type);
    o->magic = 0x5ca1ab1e;
    hidden = (uintptr_t)o ^ MASK;
    sync_pool_put(&pool, o);
    o = NULL;
    gc_collect(true);
    CHECK(sync_pool_victim_len(&pool) == 1);
    CHECK(hidden_alive()); // one GC: in the victim cache
    gc_collect(true);
    CHECK(sync_pool_victim_len(&pool) == 0);
    sys_printf("selftest sched: parked stack is a GC root, pool victim survives one GC %s\n",
               VERDICT(before));
}

static void sched_main(void *arg) {
    (void)arg;
    check_pingpong();
    check_fanout();
    check_select();
    check_timers();
    check_gc();
}

static void blocked(void *arg) { chan_recv(*(chan_t **)arg, NULL); }

static void deadlock_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(NULL, 0);
    sched_go(blocked, &c, sizeof c);
    chan_recv(c, NULL);
}

static int hook_calls;
static void hook(void) {
    hook_calls++;
    sched_report_deadlock();
}

SELFTEST(sched, true) {
    st_ok = true;
    sched_reset();
    CHECK(sched_run_main(sched_main, NULL) == SCHED_OK);
    sched_reset();
    sys_printf("selftest sched: deadlock detection (expected report follows)\n");
    hook_calls = 0;
    sched_set_deadlock_hook(hook);
    CHECK(sched_run_main(deadlock_main, NULL) == SCHED_DEADLOCK);
    CHECK(hook_calls == 1);
    sched_set_deadlock_hook(NULL);
    sched_reset();
    return st_ok;
}

// ---- selftest=sched_overflow (not in all): a deliberate stack overflow -------------

static volatile int depth_limit = 1 << 30; // "unbounded", without telling the compiler

__attribute__((noinline)) static int recurse(int depth) {
    volatile char frame[256];
    frame[0] = (char)depth;
    return depth < depth_limit ? recurse(depth + 1) + frame[0] : 0;
}

static void overflow(void *arg) {
    (void)arg;
    recurse(0);
}

static void overflow_main(void *arg) {
    (void)arg;
    sched_go(overflow, NULL, 0); // goroutine 2
    timer_sleep(TIMER_SEC(10));
}

// Expected to end the run with the fault report "goroutine 2 stack overflow ...".
SELFTEST(sched_overflow, false) {
    sched_reset();
    sys_printf("selftest sched_overflow: goroutine 2 recurses without bound: expect a "
               "fault report naming it\n");
    sched_run_main(overflow_main, NULL);
    sys_printf("selftest sched_overflow: the overflow was not caught\n");
    return false;
}

// ---- selftest=sched_deadlock (not in all): the default deadlock action ------------

// Expected to end the run as a failure with Go's message and the goroutine dump.
SELFTEST(sched_deadlock, false) {
    sched_reset();
    sched_set_deadlock_hook(NULL);
    sys_printf("selftest sched_deadlock: goroutines 1 and 2 wait on a channel nobody "
               "sends on: expect Go's deadlock report and a failed run\n");
    sched_run_main(deadlock_main, NULL);
    sys_printf("selftest sched_deadlock: the deadlock was not reported\n");
    return false;
}
