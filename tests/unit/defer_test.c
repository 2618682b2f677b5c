// defer against Go 1.19 (runtime/panic.go, cmd/compile open-coded defers). Reference,
// measured with Go 1.19's testing.AllocsPerRun: a function doing `l.Lock(); defer
// l.Unlock()` once: 0; the same in a loop of 10: 10 per call, of 100: 100 per call
// (one heap closure per iteration; the _defer records come from the pools); a loop
// of `defer noop()` (nothing captured): 0.
#include "tests/unit/golib_test_util.h"
#include "rt/sched.h"

typedef struct nolock {
    int64_t n;
} nolock_t;

// func() { l.Unlock() }: the closure Go builds for `defer l.Unlock()`.
typedef struct unlock_closure {
    defer_closure_t f;
    nolock_t *l;
} unlock_closure_t;
static GOTYPE_STRUCT(unlock_closure_type, unlock_closure_t, "main.deferLoop.func1",
                     offsetof(unlock_closure_t, l));

static void unlock_fn(defer_closure_t *c) { ((unlock_closure_t *)c)->l->n--; }
static void noop_fn(defer_closure_t *c) { (void)c; }
static defer_closure_t noop_closure = {noop_fn}; // static funcval: nothing captured

static uint64_t pending_at_return;

// for i := 0; i < n; i++ { l.Lock(); defer l.Unlock() }
static void defer_loop(nolock_t *l, int n) {
    DEFER_FRAME(f, NULL);
    for (int i = 0; i < n; i++) {
        l->n++;
        unlock_closure_t *c = (unlock_closure_t *)defer_closure_new(&unlock_closure_type, unlock_fn);
        c->l = l;
        defer_push(&f, &c->f);
    }
    pending_at_return = defer_pending(defer_chain_current());
}

// l.Lock(); defer l.Unlock() — open-coded.
static void defer_once(nolock_t *l) {
    DEFER_FRAME(f, NULL);
    l->n++;
    unlock_closure_t c = {{unlock_fn}, l};
    defer_open(&f, &c.f);
}

// for i := 0; i < n; i++ { defer noop() }
static void defer_loop_static(int n) {
    DEFER_FRAME(f, NULL);
    for (int i = 0; i < n; i++)
        defer_push(&f, &noop_closure);
}

static nolock_t *the_lock;
static void run_loop10(void *a) { (void)a; defer_loop(the_lock, 10); }
static void run_loop100(void *a) { (void)a; defer_loop(the_lock, 100); }
static void run_once(void *a) { (void)a; defer_once(the_lock); }
static void run_static10(void *a) { (void)a; defer_loop_static(10); }

static void defer_in_loop_allocates_one_closure_per_iteration_like_go119(void **state) {
    (void)state;
    the_lock = rt_new(&(gotype_t){"main.nolock", 8, 0, NULL, 8, GOKIND_STRUCT});
    assert_int_equal(opcount_allocs_per_run(100, run_loop10, NULL), 10);
    assert_int_equal(opcount_allocs_per_run(20, run_loop100, NULL), 100);
    assert_int_equal(the_lock->n, 0); // every deferred Unlock ran
    assert_int_equal(pending_at_return, 100);
    assert_int_equal(defer_pending(defer_chain_current()), 0);
}

static void open_coded_defer_does_not_allocate(void **state) {
    (void)state;
    nolock_t l = {0};
    the_lock = &l;
    assert_int_equal(opcount_allocs_per_run(100, run_once, NULL), 0);
    assert_int_equal(l.n, 0);
    assert_true(defer_stats.open_coded >= 100);
}

static void static_closure_in_loop_allocates_nothing_after_warmup(void **state) {
    (void)state;
    assert_int_equal(opcount_allocs_per_run(100, run_static10, NULL), 0);
}

static void records_are_new_on_first_call_then_pooled(void **state) {
    (void)state;
    nolock_t l = {0};
    defer_loop(&l, 10);
    assert_int_equal(defer_stats.records_new, 10); // empty pools: new(_defer) x10
    defer_loop(&l, 10);
    assert_int_equal(defer_stats.records_new, 10); // all from the per-P pool
    assert_int_equal(defer_stats.records_pooled, 10);
    assert_int_equal(defer_stats.push.mallocs, 10);
    assert_int_equal(defer_stats.closure.mallocs, 20);
}

static void full_local_pool_spills_half_to_central_and_gc_clears_central(void **state) {
    (void)state;
    nolock_t l = {0};
    defer_loop(&l, 100);
    // 100 records freed: the per-P pool (cap 32) moved 16 to the central pool each time
    // it filled.
    assert_true(defer_pool_local() <= 32);
    assert_int_equal(defer_pool_local() + defer_pool_central(), 100);
    defer_loop(&l, 100);
    assert_int_equal(defer_stats.records_new, 100); // second call: all pooled
    gc_test_collect(); // clearpools drops the central pool, keeps the per-P one
    assert_int_equal(defer_pool_central(), 0);
    uint64_t local = defer_pool_local();
    defer_loop(&l, 100);
    assert_int_equal(defer_stats.records_new, 100 + (100 - local));
}

static int order[8], norder;
typedef struct rec_closure {
    defer_closure_t f;
    int64_t id;
} rec_closure_t;
static GOTYPE_STRUCT(rec_type, rec_closure_t, "main.f.func1");
static void rec_fn(defer_closure_t *c) { order[norder++] = (int)((rec_closure_t *)c)->id; }

static void defers_run_last_in_first_out(void **state) {
    (void)state;
    norder = 0;
    {
        DEFER_FRAME(f, NULL);
        rec_closure_t a = {{rec_fn}, 1}, b = {{rec_fn}, 2}, c = {{rec_fn}, 3};
        defer_open(&f, &a.f);
        defer_open(&f, &b.f);
        defer_open(&f, &c.f);
    }
    assert_int_equal(norder, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[2], 1);
    norder = 0;
    {
        DEFER_FRAME(f, NULL);
        for (int i = 1; i <= 4; i++) {
            rec_closure_t *r = (rec_closure_t *)defer_closure_new(&rec_type, rec_fn);
            r->id = i;
            defer_push(&f, &r->f);
        }
    }
    assert_int_equal(norder, 4);
    assert_int_equal(order[0], 4);
    assert_int_equal(order[3], 1);
}

static void pending_records_and_closures_survive_gc(void **state) {
    (void)state;
    nolock_t *l = rt_new(&(gotype_t){"main.nolock", 8, 0, NULL, 8, GOKIND_STRUCT});
    {
        DEFER_FRAME(f, NULL);
        for (int i = 0; i < 50; i++) {
            l->n++;
            unlock_closure_t *c = (unlock_closure_t *)defer_closure_new(&unlock_closure_type, unlock_fn);
            c->l = l;
            defer_push(&f, &c->f);
            c = NULL;
        }
        gc_test_collect(); // records reachable only through the chain root
        assert_int_equal(defer_pending(defer_chain_current()), 50);
    }
    assert_int_equal(l->n, 0);
}

// Runs tests/gocompare/defer_go119_cases.go with Go 1.19: single calls of a function
// deferring n times in a loop, with runtime.GC() in between, and the mallocs of each
// call. Replayed here, every call must allocate exactly as Go's (closures, plus the
// _defer records the per-P and central pools could not supply).
static void defer_pool_behaviour_agrees_with_go119_call_by_call(void **state) {
    (void)state;
    FILE *p = popen("cd tests/gocompare && HOME=${HOME:-/tmp} GOCACHE=${GOCACHE:-/tmp/spanlab-gocache} "
                    "GOFLAGS= /usr/lib/go-1.19/bin/go run defer_go119_cases.go", "r");
    assert_non_null(p);
    char line[128];
    int n, cases = 0, bad = 0;
    unsigned long long want;
    nolock_t l = {0};
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, "gc", 2) == 0) {
            gc_test_collect();
            continue;
        }
        if (sscanf(line, "call %d %llu", &n, &want) != 2)
            continue;
        opcount_mark_t m = opcount_begin();
        defer_loop(&l, n);
        uint64_t got = opcount_end(NULL, m);
        cases++;
        if (got != want && bad++ < 10)
            fprintf(stderr, "call %d (step %d): got %llu allocs, Go 1.19 %llu\n", n, cases,
                    (unsigned long long)got, want);
    }
    assert_int_equal(pclose(p), 0);
    fprintf(stderr, "%d calls from Go 1.19, %d differ\n", cases, bad);
    assert_int_equal(cases, 14);
    assert_int_equal(bad, 0);
    assert_int_equal(l.n, 0);
}

// Two goroutines defer in loops and yield between defers: each goroutine's records
// go on its own chain (Go's g._defer), so each frame's return runs exactly its own.
typedef struct gdefer_arg {
    nolock_t *l;
    int n;
    int *done;
} gdefer_arg_t;

static uint64_t max_pending_seen;

static void yielding_loop(gdefer_arg_t *a) {
    DEFER_FRAME(f, NULL);
    for (int i = 0; i < a->n; i++) {
        a->l->n++;
        unlock_closure_t *c = (unlock_closure_t *)defer_closure_new(&unlock_closure_type, unlock_fn);
        c->l = a->l;
        defer_push(&f, &c->f);
        sched_gosched(); // the other goroutine pushes its own records meanwhile
    }
    uint64_t pend = defer_pending(defer_chain_current());
    if (pend > max_pending_seen)
        max_pending_seen = pend;
}

static void gdefer_body(void *p) {
    gdefer_arg_t *a = p;
    yielding_loop(a);
    (*a->done)++;
}

static void gdefer_main(void *p) {
    (void)p;
    static nolock_t l1, l2;
    static int done;
    gdefer_arg_t a1 = {&l1, 7, &done}, a2 = {&l2, 11, &done};
    sched_go(gdefer_body, &a1, sizeof a1);
    sched_go(gdefer_body, &a2, sizeof a2);
    while (done < 2)
        sched_gosched();
    assert_int_equal(l1.n, 0);
    assert_int_equal(l2.n, 0);
}

static void each_goroutine_has_its_own_defer_chain(void **state) {
    (void)state;
    max_pending_seen = 0;
    assert_int_equal(sched_run_main(gdefer_main, NULL), SCHED_OK);
    assert_int_equal(max_pending_seen, 11); // never the other goroutine's records
    sched_reset();
}

RUN_TESTS(GOLIB_TEST(each_goroutine_has_its_own_defer_chain),
          GOLIB_TEST(defer_pool_behaviour_agrees_with_go119_call_by_call),
          GOLIB_TEST(defer_in_loop_allocates_one_closure_per_iteration_like_go119),
          GOLIB_TEST(open_coded_defer_does_not_allocate),
          GOLIB_TEST(static_closure_in_loop_allocates_nothing_after_warmup),
          GOLIB_TEST(records_are_new_on_first_call_then_pooled),
          GOLIB_TEST(full_local_pool_spills_half_to_central_and_gc_clears_central),
          GOLIB_TEST(defers_run_last_in_first_out),
          GOLIB_TEST(pending_records_and_closures_survive_gc))
