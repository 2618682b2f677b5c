// sync: a Mutex excludes across parks and hands over in FIFO order, TryLock fails
// while held, WaitGroup waits for every Done, Once runs once even when callers
// overlap.
#include "tests/unit/test.h"
#include "rt/chan.h"
#include "rt/sched.h"
#include "rt/sync.h"
#include "rt/types.h"

static void run(sched_fn_t fn, void *arg) {
    sched_reset();
    assert_int_equal(sched_run_main(fn, arg), SCHED_OK);
    sched_reset();
}

static sync_mutex_t mu;
static int inside, max_inside, order[8], norder;
static sync_waitgroup_t wg;

static void locker(void *arg) {
    int id = *(int *)arg;
    sync_mutex_lock(&mu);
    order[norder++] = id;
    inside++;
    if (inside > max_inside)
        max_inside = inside;
    sched_gosched(); // others run meanwhile and must wait on the lock
    inside--;
    sync_mutex_unlock(&mu);
    sync_wg_done(&wg);
}

static void mutex_main(void *arg) {
    (void)arg;
    mu = (sync_mutex_t){0};
    wg = (sync_waitgroup_t){0};
    inside = max_inside = norder = 0;
    for (int i = 0; i < 8; i++) {
        sync_wg_add(&wg, 1);
        sched_go(locker, &i, sizeof i);
    }
    sync_wg_wait(&wg);
    assert_int_equal(max_inside, 1);
    for (int i = 0; i < 8; i++)
        assert_int_equal(order[i], i);
    assert_true(sync_mutex_trylock(&mu));
    assert_false(sync_mutex_trylock(&mu)); // not reentrant
    sync_mutex_unlock(&mu);
}

static void mutex_excludes_and_waitgroup_waits_for_all(void **s) {
    (void)s;
    run(mutex_main, NULL);
}

static sync_once_t once;
static int once_runs;

static void once_body(void *arg) {
    (void)arg;
    once_runs++;
    sched_gosched(); // the other callers arrive while it runs
}

static void once_caller(void *arg) {
    (void)arg;
    sync_once_do(&once, once_body, NULL);
    assert_int_equal(once_runs, 1); // returns only after the body finished
    sync_wg_done(&wg);
}

static void once_main(void *arg) {
    (void)arg;
    once = (sync_once_t){0};
    once_runs = 0;
    wg = (sync_waitgroup_t){0};
    for (int i = 0; i < 5; i++) {
        sync_wg_add(&wg, 1);
        sched_go(once_caller, NULL, 0);
    }
    sync_wg_wait(&wg);
    assert_int_equal(once_runs, 1);
}

static void once_runs_exactly_once_under_contention(void **s) {
    (void)s;
    run(once_main, NULL);
}

RUN_TESTS(cmocka_unit_test(mutex_excludes_and_waitgroup_waits_for_all),
          cmocka_unit_test(once_runs_exactly_once_under_contention))
