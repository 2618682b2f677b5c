// Goroutines and the scheduler: ids, NumGoroutine, Gosched order, argument blocks
// copied to the new stack versus shared heap closures, ping-pong and fan-out/fan-in
// over channels, and the state left when main returns.
#include "tests/unit/test.h"
#include "rt/chan.h"
#include "rt/alloc.h"
#include "rt/sched.h"
#include "rt/sync.h"
#include "rt/types.h"
#include "rt/gc.h"

// ---- ids and counts ---------------------------------------------------------------

static uint64_t seen_ids[4];
static void record_id(void *arg) { seen_ids[*(int *)arg] = sched_goid(); }

static void ids_main(void *arg) {
    (void)arg;
    seen_ids[0] = sched_goid();
    for (int i = 1; i < 4; i++)
        sched_go(record_id, &i, sizeof i);
    assert_int_equal(sched_num_goroutine(), 4);
    sched_gosched();
    assert_int_equal(sched_num_goroutine(), 1);
}

static void main_is_goroutine_1_and_ids_increase(void **state) {
    (void)state;
    assert_int_equal(sched_run_main(ids_main, NULL), SCHED_OK);
    assert_int_equal(seen_ids[0], 1);
    assert_int_equal(seen_ids[1], 2);
    assert_int_equal(seen_ids[2], 3);
    assert_int_equal(seen_ids[3], 4);
    assert_int_equal(sched_goid(), 0);
    sched_reset();
}

// ---- Gosched ---------------------------------------------------------------------

static char order[64];
static int norder;

static void yielder(void *arg) {
    char c = *(char *)arg;
    for (int i = 0; i < 3; i++) {
        order[norder++] = c;
        sched_gosched();
    }
}

static void gosched_main(void *arg) {
    (void)arg;
    sched_go(yielder, &(char){'a'}, 1);
    sched_go(yielder, &(char){'b'}, 1);
    sched_go(yielder, &(char){'c'}, 1);
    while (sched_num_goroutine() > 1)
        sched_gosched();
}

static void gosched_round_robins_in_fifo_order(void **state) {
    (void)state;
    norder = 0;
    sched_run_main(gosched_main, NULL);
    order[norder] = 0;
    assert_string_equal(order, "abcabcabc");
    sched_reset();
}

// ---- arguments copied, closures shared --------------------------------------------

typedef struct box { int64_t x; chan_t *done; } box_t;
static GOTYPE_STRUCT(box_type, box_t, "main.box", offsetof(box_t, done));
static int64_t got_copy, got_closure;

static void read_copy(void *arg) {
    box_t *b = arg; // the copy on this goroutine's stack
    got_copy = b->x;
    chan_send(b->done, NULL);
}

static void read_closure(void *arg) {
    box_t *b = arg; // the heap closure, shared with the spawner
    got_closure = b->x;
    chan_send(b->done, NULL);
}

static void args_main(void *arg) {
    (void)arg;
    chan_t *done = chan_make(NULL, 0);
    box_t local = {1, done};
    sched_go(read_copy, &local, sizeof local); // go f(x): x copied now
    box_t *heap = rt_new(&box_type);
    heap->x = 1;
    heap->done = done;
    sched_go_closure(read_closure, heap); // go func(){ ... x ... }(): x shared
    local.x = 2;
    heap->x = 2; // changed before either goroutine ran
    chan_recv(done, NULL);
    chan_recv(done, NULL);
}

static void go_args_are_copied_but_closures_are_shared(void **state) {
    (void)state;
    sched_run_main(args_main, NULL);
    assert_int_equal(got_copy, 1);
    assert_int_equal(got_closure, 2);
    sched_reset();
}

// ---- ping-pong -------------------------------------------------------------------

typedef struct pp { chan_t *ping, *pong; int n; } pp_t;

static void ponger(void *arg) {
    pp_t *p = arg;
    int64_t v;
    for (int i = 0; i < p->n; i++) {
        chan_recv(p->ping, &v);
        v++;
        chan_send(p->pong, &v);
    }
}

static void pingpong_main(void *arg) {
    (void)arg;
    pp_t p = {chan_make(&gotype_int64, 0), chan_make(&gotype_int64, 0), 10000};
    sched_go(ponger, &p, sizeof p);
    int64_t v = 0;
    for (int i = 0; i < p.n; i++) {
        chan_send(p.ping, &v);
        int64_t w;
        chan_recv(p.pong, &w);
        assert_int_equal(w, v + 1);
        v = w;
    }
    assert_int_equal(v, 10000);
}

static void ping_pong_over_unbuffered_channels(void **state) {
    (void)state;
    assert_int_equal(sched_run_main(pingpong_main, NULL), SCHED_OK);
    sched_reset();
}

// ---- fan-out / fan-in ------------------------------------------------------------

typedef struct fan { chan_t *jobs, *results; sync_waitgroup_t *wg; } fan_t;

static void fan_worker(void *arg) {
    fan_t *f = arg;
    int64_t j;
    CHAN_RANGE(f->jobs, &j) {
        int64_t r = j * j;
        if (j % 3 == 0)
            sched_gosched();
        chan_send(f->results, &r);
    }
    sync_wg_done(f->wg);
}

static void closer(void *arg) {
    fan_t *f = arg;
    sync_wg_wait(f->wg);
    chan_close(f->results);
}

static void feeder(void *arg) {
    fan_t *f = arg;
    for (int64_t j = 1; j <= 1000; j++)
        chan_send(f->jobs, &j);
    chan_close(f->jobs);
}

static void fan_main(void *arg) {
    (void)arg;
    sync_waitgroup_t wg = {0};
    fan_t f = {chan_make(&gotype_int64, 4), chan_make(&gotype_int64, 0), &wg};
    for (int i = 0; i < 8; i++) {
        sync_wg_add(&wg, 1);
        sched_go(fan_worker, &f, sizeof f);
    }
    sched_go(closer, &f, sizeof f);
    sched_go(feeder, &f, sizeof f);
    int64_t sum = 0, v, count = 0;
    CHAN_RANGE(f.results, &v) {
        sum += v;
        count++;
    }
    assert_int_equal(count, 1000);
    assert_int_equal(sum, 1000LL * 1001 * 2001 / 6);
    assert_int_equal(sched_num_goroutine(), 1);
}

static void fan_out_fan_in_collects_every_result(void **state) {
    (void)state;
    assert_int_equal(sched_run_main(fan_main, NULL), SCHED_OK);
    sched_reset();
}

// ---- leftovers when main returns ---------------------------------------------------

static void block_forever(void *arg) { chan_recv(*(chan_t **)arg, NULL); }

static void leak_main(void *arg) {
    chan_t *c = chan_make(NULL, 0);
    for (int i = 0; i < 10; i++)
        sched_go(block_forever, &c, sizeof c);
    sched_gosched();
    *(int *)arg = sched_num_goroutine();
}

static void goroutines_blocked_at_main_return_stay_until_reset(void **state) {
    (void)state;
    int n = 0;
    assert_int_equal(sched_run_main(leak_main, &n), SCHED_OK);
    assert_int_equal(n, 11);
    assert_int_equal(sched_num_goroutine(), 10); // main is gone, the leak is not
    sched_reset();
    assert_int_equal(sched_num_goroutine(), 0);
    // a fresh runtime starts at goroutine 1 again
    assert_int_equal(sched_run_main(ids_main, NULL), SCHED_OK);
    assert_int_equal(seen_ids[0], 1);
    sched_reset();
}

// ---- stacks of exited goroutines (Go's gfput / markrootFreeGStacks) --------------------

static void quick(void *arg) { (void)arg; }

static void burst_main(void *arg) {
    (void)arg;
    sched_stats_t st;
    for (int i = 0; i < 200; i++)
        sched_go(quick, NULL, 0);
    sched_gosched(); // all 200 run and exit
    assert_int_equal(sched_num_goroutine(), 1);
    sched_get_stats(&st);
    assert_true(st.stack_bytes >= 200 * (uint64_t)SCHED_STACK_SIZE); // still cached
    gc_collect(true);
    sched_get_stats(&st);
    // the P keeps fewer than 64 dead Gs with stacks; the rest lost theirs at the GC
    assert_true(st.stack_bytes <= (1 + 64) * (uint64_t)SCHED_STACK_SIZE);
    for (int i = 0; i < 100; i++) // Gs without stacks get new ones
        sched_go(quick, NULL, 0);
    sched_gosched();
    assert_int_equal(sched_num_goroutine(), 1);
}

static void exited_goroutines_stacks_are_freed_at_gc_beyond_the_p_cache(void **state) {
    (void)state;
    sched_reset();
    assert_int_equal(sched_run_main(burst_main, NULL), SCHED_OK);
    sched_reset();
}

RUN_TESTS(cmocka_unit_test(exited_goroutines_stacks_are_freed_at_gc_beyond_the_p_cache),
          cmocka_unit_test(main_is_goroutine_1_and_ids_increase),
          cmocka_unit_test(gosched_round_robins_in_fifo_order),
          cmocka_unit_test(go_args_are_copied_but_closures_are_shared),
          cmocka_unit_test(ping_pong_over_unbuffered_channels),
          cmocka_unit_test(fan_out_fan_in_collects_every_result),
          cmocka_unit_test(goroutines_blocked_at_main_return_stay_until_reset))
