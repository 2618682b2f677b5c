// select: fair random choice among ready cases (a statistical bound), default when
// nothing is ready, a blocked select woken by the first channel that becomes ready
// (and unlinked from the others), closed channels as ready receive cases.
#include "tests/unit/test.h"
#include "rt/chan.h"
#include "rt/sched.h"
#include "rt/select.h"
#include "rt/types.h"

static void run(sched_fn_t fn, void *arg) {
    sched_reset();
    assert_int_equal(sched_run_main(fn, arg), SCHED_OK);
    sched_reset();
}

#define ROUNDS 30000

static void fair_main(void *arg) {
    (void)arg;
    chan_t *c[3];
    for (int i = 0; i < 3; i++)
        c[i] = chan_make(&gotype_int64, 1);
    int hits[3] = {0};
    int64_t v;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < 3; i++)
            if (chan_len(c[i]) == 0)
                chan_send(c[i], &(int64_t){i});
        sel_case_t cs[3] = {{.c = c[0], .elem = &v}, {.c = c[1], .elem = &v},
                            {.c = c[2], .elem = &v}};
        int k = sel_select(cs, 3, true);
        assert_int_equal(v, k);
        hits[k]++;
    }
    // Each ready case should win 1/3 of the time; with 30000 rounds the standard
    // deviation is ~82, so +-600 (over 7 sigma) never fails by chance.
    for (int i = 0; i < 3; i++) {
        assert_true(hits[i] > ROUNDS / 3 - 600);
        assert_true(hits[i] < ROUNDS / 3 + 600);
    }
}

static void select_picks_fairly_among_ready_cases(void **s) {
    (void)s;
    run(fair_main, NULL);
}

static void default_main(void *arg) {
    (void)arg;
    chan_t *a = chan_make(&gotype_int64, 0), *b = chan_make(&gotype_int64, 1);
    int64_t v = 5;
    sel_case_t cs[3] = {{.c = a, .elem = &v}, {.c = NULL, .elem = &v}, {.c = a, .elem = &v, .send = true}};
    assert_int_equal(sel_select(cs, 3, false), -1); // nobody waits on a: default
    sel_case_t cs2[2] = {{.c = a, .elem = &v}, {.c = b, .elem = &v, .send = true}};
    assert_int_equal(sel_select(cs2, 2, false), 1); // b has room
    assert_int_equal(chan_len(b), 1);
}

static void select_with_default_takes_default_only_when_nothing_ready(void **s) {
    (void)s;
    run(default_main, NULL);
}

typedef struct two { chan_t *a, *b; int64_t got; int idx; } two_t;

static void selector(void *arg) {
    two_t *t = *(two_t **)arg;
    sel_case_t cs[2] = {{.c = t->a, .elem = &t->got}, {.c = t->b, .elem = &t->got}};
    t->idx = sel_select(cs, 2, true);
}

static void blocked_main(void *arg) {
    (void)arg;
    two_t t = {chan_make(&gotype_int64, 0), chan_make(&gotype_int64, 0), 0, -1};
    two_t *tp = &t;
    sched_go(selector, &tp, sizeof tp);
    sched_gosched(); // the selector blocks on both
    assert_int_equal(t.idx, -1);
    assert_true(chan_can_send(t.b));
    chan_send(t.b, &(int64_t){42});
    sched_gosched();
    assert_int_equal(t.idx, 1);
    assert_int_equal(t.got, 42);
    // its sudog on a is gone: nobody is waiting there any more
    assert_false(chan_can_send(t.a));
    assert_null(t.a->recvq.first);
}

static void blocked_select_is_woken_by_first_ready_channel(void **s) {
    (void)s;
    run(blocked_main, NULL);
}

static void closer_fn(void *arg) { chan_close(*(chan_t **)arg); }

static void closed_main(void *arg) {
    (void)arg;
    chan_t *a = chan_make(&gotype_int64, 0), *never = chan_make(&gotype_int64, 0);
    sched_go(closer_fn, &a, sizeof a);
    int64_t v = 3;
    sel_case_t cs[2] = {{.c = never, .elem = &v}, {.c = a, .elem = &v}};
    assert_int_equal(sel_select(cs, 2, true), 1); // woken by the close
    assert_false(cs[1].ok);
    assert_int_equal(v, 0);
}

static void select_receive_sees_close_as_not_ok(void **s) {
    (void)s;
    run(closed_main, NULL);
}

RUN_TESTS(cmocka_unit_test(select_picks_fairly_among_ready_cases),
          cmocka_unit_test(select_with_default_takes_default_only_when_nothing_ready),
          cmocka_unit_test(blocked_select_is_woken_by_first_ready_channel),
          cmocka_unit_test(select_receive_sees_close_as_not_ok))
