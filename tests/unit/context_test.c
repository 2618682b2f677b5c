// context (golib/context.c, Go's context.Context): a cancelled parent cancels its
// child and shuts a fan-out of goroutines down cleanly; a timeout context's Done
// channel closes at its deadline; Background is never done.
#include "tests/unit/test.h"
#include "golib/context.h"
#include "rt/chan.h"
#include "rt/sched.h"
#include "rt/select.h"
#include "rt/sync.h"
#include "rt/timer.h"
#include "rt/types.h"

static void run(sched_fn_t fn, void *arg) {
    sched_reset();
    assert_int_equal(sched_run_main(fn, arg), SCHED_OK);
    sched_reset();
}

static sync_waitgroup_t wg;

typedef struct fan { goctx_t *ctx; chan_t *work; int *exited; } fan_t;

static void ctx_worker(void *arg) {
    fan_t *f = arg;
    int64_t v;
    for (;;) {
        sel_case_t cs[2] = {{.c = ctx_done(f->ctx)}, {.c = f->work, .elem = &v}};
        if (sel_select(cs, 2, true) == 0)
            break;
    }
    (*f->exited)++;
    sync_wg_done(&wg);
}

static void ctx_main(void *arg) {
    (void)arg;
    int exited = 0;
    wg = (sync_waitgroup_t){0};
    goctx_t *parent = ctx_with_cancel(ctx_background());
    goctx_t *child = ctx_with_cancel(parent);
    fan_t f = {child, chan_make(&gotype_int64, 0), &exited};
    for (int i = 0; i < 10; i++) {
        sync_wg_add(&wg, 1);
        sched_go(ctx_worker, &f, sizeof f);
    }
    for (int64_t i = 0; i < 100; i++)
        chan_send(f.work, &i);
    assert_null(ctx_err(child));
    ctx_cancel(parent); // cancels the child too
    sync_wg_wait(&wg);
    assert_int_equal(exited, 10);
    assert_string_equal(ctx_err(child), "context canceled");
    assert_int_equal(sched_num_goroutine(), 1);
    goctx_t *t = ctx_with_timeout(ctx_background(), TIMER_MS(2));
    chan_recv(ctx_done(t), NULL);
    assert_string_equal(ctx_err(t), "context deadline exceeded");
    assert_null(ctx_done(ctx_background()));
}

static void cancel_shuts_down_fan_out_cleanly(void **s) {
    (void)s;
    run(ctx_main, NULL);
}

RUN_TESTS(cmocka_unit_test(cancel_shuts_down_fan_out_cleanly))
