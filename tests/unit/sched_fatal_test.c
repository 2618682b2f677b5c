// The fatal paths end with a readable message and a failure status, never a hang:
// all goroutines asleep is Go's deadlock error with the goroutine dump (also when a
// non-reentrant Mutex is locked twice); a goroutine's stack overflow hits its guard
// page and the fault report names the goroutine. Each runs in a forked child whose
// output and exit status the parent checks. A deadlock hook that returns makes
// sched_run_main return SCHED_DEADLOCK instead (how scenarios catch it).
#include "tests/unit/test.h"
#include "tests/unit/child.h"
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "rt/chan.h"
#include "rt/sched.h"
#include "rt/select.h"
#include "rt/sync.h"
#include "rt/timer.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/types.h"
#include "sys/sys.h"

// Every test runs in a forked child, so the parent never starts the runtime (cmocka
// swaps SIGSEGV handlers around each test, which would hide the runtime's fault
// handler from later children).
static sched_fn_t child_fn;
static void run_main_child(void) { sched_run_main(child_fn, NULL); }

static void reset_then_body(void);
static void (*child_body)(void);
static void reset_then_body(void) {
    sched_reset();
    child_body();
}

// Runs body() in a child; returns its output (stdout and stderr), sets *status.
static char *run_in_child(void (*body)(void), int *status) {
    static char buf[1 << 16];
    child_body = body;
    *status = child_run(reset_then_body, buf, sizeof buf);
    return buf;
}

// Runs fn(NULL) under sched_run_main in a child.
static char *run_child(sched_fn_t fn, int *status) {
    child_fn = fn;
    return run_in_child(run_main_child, status);
}

// The child's verdict for in-process checks: exit 0 only when all held.
#define CHILD_CHECK(cond)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("child check failed: %s (line %d)\n", #cond, __LINE__); \
            fflush(NULL);                                                  \
            _exit(3);                                                      \
        }                                                                  \
    } while (0)

static void expect_clean_exit(void (*body)(void)) {
    int status;
    char *out = run_in_child(body, &status);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "child status %#x output:\n%s\n", status, out);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void blocked_reader(void *arg) { chan_recv(*(chan_t **)arg, NULL); }

static void blocked_selector(void *arg) {
    chan_t **c = arg;
    sel_case_t cs[2] = {{.c = c[0]}, {.c = c[1]}};
    sel_select(cs, 2, true);
}

static void deadlock_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(NULL, 0);
    sched_go(blocked_reader, &c, sizeof c);
    chan_t *two[2] = {chan_make(NULL, 0), chan_make(NULL, 1)};
    sched_go(blocked_selector, two, sizeof two);
    chan_recv(c, NULL); // nobody will ever send
}

static void deadlock_is_reported_with_dump_and_fails(void **s) {
    (void)s;
    int status;
    char *out = run_child(deadlock_main, &status);
    assert_true(WIFEXITED(status));
    assert_int_not_equal(WEXITSTATUS(status), 0);
    if (getenv("SHOW_CHILD"))
        fprintf(stderr, "child output:\n%s\n", out);
    assert_non_null(strstr(out, "fatal error: all goroutines are asleep - deadlock!"));
    assert_non_null(strstr(out, "goroutine 1 [chan receive]:"));
    assert_non_null(strstr(out, "goroutine 2 [chan receive]:"));
    assert_non_null(strstr(out, "goroutine 3 [select]:\n\twaiting on 2 channels"));
}

static void lock_twice_main(void *arg) {
    (void)arg;
    static sync_mutex_t mu;
    sync_mutex_lock(&mu);
    sync_mutex_lock(&mu); // not reentrant: waits for itself
}

static void locking_a_mutex_twice_deadlocks(void **s) {
    (void)s;
    int status;
    char *out = run_child(lock_twice_main, &status);
    assert_true(WIFEXITED(status));
    assert_int_not_equal(WEXITSTATUS(status), 0);
    assert_non_null(strstr(out, "all goroutines are asleep - deadlock!"));
    assert_non_null(strstr(out, "goroutine 1 [semacquire]:"));
}

static volatile int limit = 1 << 30; // "unbounded", without telling the compiler

__attribute__((noinline)) static int recurse(int depth) {
    volatile char frame[512];
    frame[0] = (char)depth;
    return depth < limit ? recurse(depth + 1) + frame[0] : 0;
}

static void overflow(void *arg) {
    (void)arg;
    recurse(0);
}

static void overflow_main(void *arg) {
    (void)arg;
    sched_go(overflow, NULL, 0);
    timer_sleep(TIMER_SEC(5));
}

static void stack_overflow_names_the_goroutine(void **s) {
    (void)s;
    int status;
    char *out = run_child(overflow_main, &status);
    assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (getenv("SHOW_CHILD"))
        fprintf(stderr, "child status %#x output:\n%s\n", status, out);
    assert_non_null(strstr(out, "goroutine 2 stack overflow (guard page at 0x"));
}

static int hook_calls;
static void counting_hook(void) { hook_calls++; }

static void hook_body(void) {
    hook_calls = 0;
    sched_set_deadlock_hook(counting_hook);
    CHILD_CHECK(sched_run_main(deadlock_main, NULL) == SCHED_DEADLOCK);
    CHILD_CHECK(hook_calls == 1);
    CHILD_CHECK(sched_num_goroutine() == 3);
    sched_set_deadlock_hook(NULL);
    sched_reset();
    CHILD_CHECK(sched_num_goroutine() == 0);
}

static void deadlock_hook_may_return_to_the_caller(void **s) {
    (void)s;
    expect_clean_exit(hook_body);
}

static void pending_timer_is_not_a_deadlock_main(void *arg) {
    (void)arg;
    chan_t *c = timer_after(TIMER_MS(3));
    chan_recv(c, NULL); // only a timer can wake it: not a deadlock
}

static void pending_timer_body(void) {
    CHILD_CHECK(sched_run_main(pending_timer_is_not_a_deadlock_main, NULL) == SCHED_OK);
}

static void a_pending_timer_is_not_a_deadlock(void **s) {
    (void)s;
    expect_clean_exit(pending_timer_body);
}

// A recovered panic: longjmp from a goroutine's stack back to the caller of
// sched_run_main (what the scenario runner does), then reset and run again.
static jmp_buf escape;
static void escaping_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(NULL, 0);
    sched_go(blocked_reader, &c, sizeof c);
    sched_gosched();
    longjmp(escape, 1); // as a panic handler would
}

static void escape_body(void) {
    if (setjmp(escape) == 0)
        sched_run_main(escaping_main, NULL);
    CHILD_CHECK(sched_num_goroutine() == 2);
    sched_reset();
    CHILD_CHECK(sched_num_goroutine() == 0);
    CHILD_CHECK(sched_run_main(pending_timer_is_not_a_deadlock_main, NULL) == SCHED_OK);
    sched_reset();
}

static void longjmp_out_of_a_goroutine_then_reset_runs_again(void **s) {
    (void)s;
    expect_clean_exit(escape_body); // under ASan: no false reports on the caller's stack
}

// The scenario runner's pattern: a sys_panic on a goroutine, caught by a panic hook
// that longjmps back to the caller; the caller then allocates and collects (the GC
// must scan the caller's stack, not the abandoned goroutine's) before resetting.
static jmp_buf caught;
static void catch_hook(const char *msg) {
    (void)msg;
    longjmp(caught, 1);
}

static void panicking_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(NULL, 0);
    sched_go(blocked_reader, &c, sizeof c);
    sched_gosched();
    sys_panic("deliberate panic in goroutine %llu", (unsigned long long)sched_goid());
}

static void caught_body(void) {
    sys_set_panic_hook(catch_hook);
    if (setjmp(caught) == 0) {
        sched_run_main(panicking_main, NULL);
        CHILD_CHECK(!"the panic was not caught");
    }
    sys_set_panic_hook(NULL);
    CHILD_CHECK(sched_num_goroutine() == 2); // inspectable until the reset
    for (int i = 0; i < 1000; i++)
        (void)rt_new(&gotype_pointer);
    gc_collect(true); // on the caller's stack, before sched_reset
    sched_reset();
    CHILD_CHECK(sched_run_main(pending_timer_is_not_a_deadlock_main, NULL) == SCHED_OK);
}

static void panic_caught_by_a_hook_leaves_a_usable_runtime(void **s) {
    (void)s;
    expect_clean_exit(caught_body);
}

// Go's run-time panics on channels: each ends the child with "panic: <Go's text>".
static void send_closed_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(NULL, 1);
    chan_close(c);
    chan_send(c, NULL);
}

static void close_closed_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(NULL, 0);
    chan_close(c);
    chan_close(c);
}

static void blocked_sender(void *arg) { chan_send(*(chan_t **)arg, NULL); }

static void close_under_sender_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(NULL, 0);
    sched_go(blocked_sender, &c, sizeof c);
    sched_gosched(); // the sender blocks
    chan_close(c);   // and panics when it runs
    sched_gosched();
}

static void negative_wg_main(void *arg) {
    (void)arg;
    sync_waitgroup_t wg = {0};
    sync_wg_done(&wg);
}

static void expect_panic(sched_fn_t fn, const char *text) {
    int status;
    char *out = run_child(fn, &status);
    assert_true(WIFEXITED(status));
    assert_int_not_equal(WEXITSTATUS(status), 0);
    char want[128];
    snprintf(want, sizeof want, "panic: %s", text);
    if (!strstr(out, want))
        fprintf(stderr, "child output:\n%s\n", out);
    assert_non_null(strstr(out, want));
}

static void channel_misuse_panics_with_gos_messages(void **s) {
    (void)s;
    expect_panic(send_closed_main, "send on closed channel");
    expect_panic(close_closed_main, "close of closed channel");
    expect_panic(close_under_sender_main, "send on closed channel");
    expect_panic(negative_wg_main, "sync: negative WaitGroup counter");
}

RUN_TESTS(cmocka_unit_test(channel_misuse_panics_with_gos_messages),
          cmocka_unit_test(panic_caught_by_a_hook_leaves_a_usable_runtime),
          cmocka_unit_test(longjmp_out_of_a_goroutine_then_reset_runs_again),
          cmocka_unit_test(deadlock_is_reported_with_dump_and_fails),
          cmocka_unit_test(locking_a_mutex_twice_deadlocks),
          cmocka_unit_test(stack_overflow_names_the_goroutine),
          cmocka_unit_test(deadlock_hook_may_return_to_the_caller),
          cmocka_unit_test(a_pending_timer_is_not_a_deadlock))
