// Timers: the 4-ary heap yields deadlines in order; Stop removes a timer from the
// heap and a fired one-shot leaves it; an unstopped ticker stays and drops ticks its
// one-slot channel cannot hold; Reset, After, AfterFunc and Sleep; the idle loop
// sleeps until a timer is due.
#include "tests/unit/test.h"
#include "rt/chan.h"
#include "rt/sched.h"
#include "rt/sched_internal.h"
#include "rt/select.h"
#include "rt/timer.h"
#include "rt/types.h"

static void run(sched_fn_t fn, void *arg) {
    sched_reset();
    assert_int_equal(sched_run_main(fn, arg), SCHED_OK);
    sched_reset();
}

// ---- the heap itself ---------------------------------------------------------------

#define NHEAP 5000
static rtimer_t heap_timers[NHEAP];
static int64_t fired_when[NHEAP];
static int nfired;

static void record(void *arg, uint64_t seq, int64_t now) {
    (void)seq, (void)now;
    fired_when[nfired++] = ((rtimer_t *)arg)->when;
}

static void heap_order_main(void *arg) {
    (void)arg;
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < NHEAP; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        heap_timers[i] = (rtimer_t){.arg = &heap_timers[i], .f = record,
                                    .when = (int64_t)(x % 1000000) + 1};
        timer_add(&heap_timers[i]);
    }
    for (int i = 0; i < NHEAP; i += 3) // remove a third from the middle of the heap
        assert_true(timer_del(&heap_timers[i]));
    assert_int_equal(timer_count(), NHEAP - (NHEAP + 2) / 3);
    nfired = 0;
    timer_run_due(2000000); // all due (deadlines are tiny: the clock is far past them)
    assert_int_equal(nfired, NHEAP - (NHEAP + 2) / 3);
    for (int i = 1; i < nfired; i++)
        assert_true(fired_when[i - 1] <= fired_when[i]);
    assert_int_equal(timer_count(), 0);
}

static void timers_fire_in_deadline_order(void **s) {
    (void)s;
    run(heap_order_main, NULL);
}

// The heap's shape, not only its order: a 4-ary heap (parent (i-1)/4) sifting as Go's
// timer heap. Adding deadlines 5, 4, 3, 2, 1 moves each new earliest one to the root
// and its parent down into the new slot: the slots hold 1 5 4 3 2 (a binary heap
// holds 1 2 4 5 3, a sorted array 1 2 3 4 5). Deleting the root moves the last slot
// (2) there, earlier than its children 5 4 3, so it stays: 2 5 4 3.
static rtimer_t shape_timers[5];

static void expect_slots(const int64_t *want, size_t nwant) {
    assert_int_equal(timer_count(), nwant);
    for (size_t k = 0; k < 5; k++) {
        rtimer_t *t = &shape_timers[k];
        if (!t->hidx)
            continue;
        assert_in_range(t->hidx, 1, nwant);
        if (want[t->hidx - 1] != t->when)
            fail_msg("deadline %lld is in slot %u, want it in the slot of %lld",
                     (long long)t->when, t->hidx - 1, (long long)want[t->hidx - 1]);
    }
}

static void heap_shape_main(void *arg) {
    (void)arg;
    for (int k = 0; k < 5; k++) {
        shape_timers[k] = (rtimer_t){.arg = &shape_timers[k], .f = record, .when = 5 - k};
        timer_add(&shape_timers[k]);
    }
    static const int64_t after_adds[] = {1, 5, 4, 3, 2};
    expect_slots(after_adds, 5);
    assert_true(timer_del(&shape_timers[4])); // deadline 1, the root
    static const int64_t after_del[] = {2, 5, 4, 3};
    expect_slots(after_del, 4);
    for (int k = 0; k < 4; k++)
        assert_true(timer_del(&shape_timers[k]));
}

static void heap_is_four_ary_and_sifts_like_go(void **s) {
    (void)s;
    run(heap_shape_main, NULL);
}

// Random add / delete / modify against a model: at every step the heap holds exactly
// the model's pending timers, and running them fires each pending one once, in order.
#define NRAND 1500
static rtimer_t rt_timers[NRAND];
static int64_t model_when[NRAND]; // 0 = not pending
static int rand_fired[NRAND];
static int64_t last_fired_when;
static bool order_ok;

static void rand_fire(void *arg, uint64_t seq, int64_t now) {
    (void)seq, (void)now;
    rtimer_t *t = arg;
    int i = (int)(t - rt_timers);
    rand_fired[i]++;
    if (t->when < last_fired_when)
        order_ok = false;
    last_fired_when = t->when;
}

static void random_main(void *arg) {
    (void)arg;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    memset(model_when, 0, sizeof model_when);
    memset(rand_fired, 0, sizeof rand_fired);
    for (int i = 0; i < NRAND; i++)
        rt_timers[i] = (rtimer_t){.arg = &rt_timers[i], .f = rand_fire};
    size_t pending = 0;
    for (int step = 0; step < 20000; step++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int i = (int)(x % NRAND);
        int64_t when = (int64_t)((x >> 20) % 1000000) + 1;
        switch ((x >> 50) % 3) {
        case 0: // add or modify
            assert_int_equal(timer_mod(&rt_timers[i], when, 0), model_when[i] != 0);
            pending += model_when[i] == 0;
            model_when[i] = when;
            break;
        case 1: // delete
            assert_int_equal(timer_del(&rt_timers[i]), model_when[i] != 0);
            pending -= model_when[i] != 0;
            model_when[i] = 0;
            break;
        default:
            assert_int_equal(rt_timers[i].hidx != 0, model_when[i] != 0);
        }
        assert_int_equal(timer_count(), pending);
    }
    order_ok = true;
    last_fired_when = 0;
    timer_run_due(2000000);
    assert_true(order_ok);
    for (int i = 0; i < NRAND; i++)
        assert_int_equal(rand_fired[i], model_when[i] != 0);
    assert_int_equal(timer_count(), 0);
}

static void random_add_delete_modify_matches_a_model(void **s) {
    (void)s;
    run(random_main, NULL);
}

// ---- through the time package, with the real clock ----------------------------------

static int fire_order[5], nfire;
static void note(void *arg) { fire_order[nfire++] = (int)(intptr_t)arg; }

static void afterfunc_main(void *arg) {
    (void)arg;
    int ms[5] = {10, 2, 8, 4, 6};
    nfire = 0;
    for (int i = 0; i < 5; i++)
        timer_after_func(TIMER_MS(ms[i]), note, (void *)(intptr_t)i);
    assert_int_equal(timer_count(), 5);
    timer_sleep(TIMER_MS(30));
    assert_int_equal(nfire, 5);
    int want[5] = {1, 3, 4, 2, 0};
    for (int i = 0; i < 5; i++)
        assert_int_equal(fire_order[i], want[i]);
    assert_int_equal(timer_count(), 0); // fired one-shots leave the heap
}

static void afterfunc_timers_run_in_deadline_order(void **s) {
    (void)s;
    run(afterfunc_main, NULL);
}

static void stop_main(void *arg) {
    (void)arg;
    gotimer_t *t = timer_new(TIMER_SEC(3600));
    gotimer_t *u = timer_new(TIMER_MS(1));
    assert_int_equal(timer_count(), 2);
    assert_true(timer_stop(t)); // pending: stopped
    assert_int_equal(timer_count(), 1);
    assert_false(timer_stop(t)); // already stopped
    int64_t when;
    chan_recv(u->C, &when); // fires
    assert_true(when > 0);
    assert_int_equal(timer_count(), 0);
    assert_false(timer_stop(u)); // already fired
    assert_false(timer_reset(t, TIMER_MS(1))); // was not pending
    assert_int_equal(timer_count(), 1);
    chan_recv(t->C, NULL);
    assert_int_equal(timer_count(), 0);
}

static void stop_removes_timer_from_heap_and_fired_timers_leave_it(void **s) {
    (void)s;
    run(stop_main, NULL);
}

static void ticker_main(void *arg) {
    (void)arg;
    timer_stats_t before, after;
    timer_get_stats(&before);
    gotimer_t *tk = timer_new_ticker(TIMER_MS(1));
    int64_t start = timer_now();
    do { // nobody reads: one tick fits, the rest are dropped (bounded for slow hosts)
        timer_sleep(TIMER_MS(5));
        timer_get_stats(&after);
    } while (after.ticks_dropped - before.ticks_dropped < 10 &&
             timer_now() - start < TIMER_SEC(5));
    assert_int_equal(chan_len(tk->C), 1);
    assert_true(after.ticks_dropped - before.ticks_dropped >= 10);
    assert_int_equal(timer_count(), 1); // an unstopped ticker stays in the heap
    int64_t a, b;
    chan_recv(tk->C, &a);
    chan_recv(tk->C, &b); // the next tick is a fresh one
    assert_true(b > a);
    timer_stop(tk);
    assert_int_equal(timer_count(), 0);
}

static void ticker_drops_ticks_when_channel_is_full(void **s) {
    (void)s;
    run(ticker_main, NULL);
}

static void sleep_main(void *arg) {
    (void)arg;
    sched_stats_t st0, st1;
    sched_get_stats(&st0);
    int64_t t0 = timer_now();
    timer_sleep(TIMER_MS(5));
    int64_t slept = timer_now() - t0;
    assert_true(slept >= TIMER_MS(5));
    assert_true(slept < TIMER_SEC(5)); // generous: the host may be busy
    sched_get_stats(&st1);
    assert_true(st1.idle_waits > st0.idle_waits); // nothing else ran: the idle loop slept
    timer_sleep(0); // returns at once
    // time.After as a select timeout against a channel nobody sends on
    chan_t *never = chan_make(&gotype_int64, 0);
    sel_case_t cs[2] = {{.c = never}, {.c = timer_after(TIMER_MS(2))}};
    assert_int_equal(sel_select(cs, 2, true), 1);
}

static void sleep_and_after_wake_through_the_idle_loop(void **s) {
    (void)s;
    run(sleep_main, NULL);
}

static void counters_main(void *arg) {
    (void)arg;
    for (int i = 0; i < 100; i++)
        timer_new_ticker(TIMER_MS(2)); // leaked tickers, never stopped
    timer_stats_t st;
    int64_t start = timer_now();
    do { // until each has fired five times (bounded for slow hosts)
        timer_sleep(TIMER_MS(5));
        timer_get_stats(&st);
    } while (st.fired < 100 * 5 && timer_now() - start < TIMER_SEC(5));
    assert_int_equal(st.in_heap, 100);
    assert_true(st.max_in_heap >= 101); // + the sleep timer
    assert_true(st.fired >= 100 * 5);
    assert_true(st.examined >= st.fired);
    assert_true(st.runs > 0);
}

static void leaked_tickers_stay_in_heap_and_are_counted(void **s) {
    (void)s;
    run(counters_main, NULL);
}

static volatile bool stop_spinning;
static void spinner(void *arg) {
    (void)arg;
    while (!stop_spinning)
        sched_gosched();
}

static void busy_main(void *arg) {
    (void)arg;
    stop_spinning = false;
    sched_go(spinner, NULL, 0); // always something runnable: g0 never idles
    sched_stats_t st0, st1;
    sched_get_stats(&st0);
    gotimer_t *t = timer_new(TIMER_MS(3));
    int64_t start = timer_now();
    while (chan_len(t->C) == 0 && timer_now() - start < TIMER_SEC(2))
        sched_gosched(); // scheduling points only
    sched_get_stats(&st1);
    stop_spinning = true;
    assert_int_equal(chan_len(t->C), 1); // fired by the tick, at a scheduling point
    assert_int_equal(st1.idle_waits, st0.idle_waits);
    assert_true(st1.ticks > st0.ticks);
}

static void timers_fire_at_scheduling_points_while_busy(void **s) {
    (void)s;
    run(busy_main, NULL);
}

RUN_TESTS(cmocka_unit_test(random_add_delete_modify_matches_a_model),
          cmocka_unit_test(timers_fire_at_scheduling_points_while_busy),
          cmocka_unit_test(timers_fire_in_deadline_order),
          cmocka_unit_test(heap_is_four_ary_and_sifts_like_go),
          cmocka_unit_test(afterfunc_timers_run_in_deadline_order),
          cmocka_unit_test(stop_removes_timer_from_heap_and_fired_timers_leave_it),
          cmocka_unit_test(ticker_drops_ticks_when_channel_is_full),
          cmocka_unit_test(sleep_and_after_wake_through_the_idle_loop),
          cmocka_unit_test(leaked_tickers_stay_in_heap_and_are_counted))
