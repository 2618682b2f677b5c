// Goroutine stacks are GC roots: an object referenced only from a parked
// goroutine's frame, only from a not-yet-started goroutine's argument block, or only
// from a closure a goroutine holds survives collections; once the goroutine has
// exited, nothing keeps it. Addresses are kept XOR-ed so the test's own frames do
// not keep anything alive.
#include "tests/unit/test.h"
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/chan.h"
#include "rt/gc.h"
#include "rt/sched.h"
#include "rt/types.h"

typedef struct obj { uint64_t magic; void *p; } obj_t;
static GOTYPE_STRUCT(obj_type, obj_t, "main.obj", offsetof(obj_t, p));
#define MASK 0x3c3c3c3c3c3c3c3cull
#define MAGIC 0xabcdef0123ull

static uintptr_t hidden;
static chan_t *ready, *release;

static bool alive(void) {
    obj_t *o = (obj_t *)(hidden ^ MASK);
    return heap_usable_size(o) != 0 && o->magic == MAGIC;
}

// Allocates an object and keeps it only in this frame while parked.
__attribute__((noinline)) static void holder(void *arg) {
    (void)arg;
    obj_t *volatile o = rt_new(&obj_type);
    o->magic = MAGIC;
    hidden = (uintptr_t)o ^ MASK;
    chan_send(ready, NULL);
    chan_recv(release, NULL); // parked here: o lives only on this stack
    assert_int_equal(o->magic, MAGIC);
}

__attribute__((noinline)) static void churn(void) {
    for (int i = 0; i < 20000; i++)
        (void)rt_new(&obj_type); // reuse any freed slot
}

static void stack_root_main(void *arg) {
    (void)arg;
    ready = chan_make(NULL, 0);
    release = chan_make(NULL, 0);
    sched_go(holder, NULL, 0);
    chan_recv(ready, NULL);
    gc_collect(true);
    churn();
    gc_collect(true);
    assert_true(alive());
    chan_send(release, NULL);
}

static void object_on_parked_goroutine_stack_survives_gc(void **s) {
    (void)s;
    sched_reset();
    assert_int_equal(sched_run_main(stack_root_main, NULL), SCHED_OK);
    sched_reset();
}

static void take_arg(void *arg) {
    obj_t *o = *(obj_t **)arg;
    assert_int_equal(o->magic, MAGIC);
    chan_send(ready, NULL);
}

__attribute__((noinline)) static void spawn_with_object(void) {
    obj_t *o = rt_new(&obj_type);
    o->magic = MAGIC;
    hidden = (uintptr_t)o ^ MASK;
    sched_go(take_arg, &o, sizeof o); // copied onto the new (not yet started) stack
    o = NULL;
}

__attribute__((noinline)) static void scrub_stack(void) {
    volatile char buf[4096];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = 0;
}

static void args_root_main(void *arg) {
    (void)arg;
    ready = chan_make(NULL, 0);
    spawn_with_object();
    scrub_stack();
    gc_collect(true);
    churn();
    assert_true(alive());
    chan_recv(ready, NULL);
}

static void argument_block_of_runnable_goroutine_is_a_root(void **s) {
    (void)s;
    sched_reset();
    assert_int_equal(sched_run_main(args_root_main, NULL), SCHED_OK);
    sched_reset();
}

static void wait_closure(void *arg) {
    assert_int_equal(((obj_t *)arg)->magic, MAGIC);
    chan_recv(release, NULL);
}

__attribute__((noinline)) static void spawn_closure(void) {
    obj_t *o = rt_new(&obj_type);
    o->magic = MAGIC;
    hidden = (uintptr_t)o ^ MASK;
    sched_go_closure(wait_closure, o);
}

static void closure_main(void *arg) {
    (void)arg;
    release = chan_make(NULL, 0);
    spawn_closure();
    scrub_stack();
    sched_gosched();
    gc_collect(true);
    assert_true(alive()); // the G holds its closure
    chan_send(release, NULL);
    sched_gosched(); // it exits
    scrub_stack();
    gc_collect(true);
    assert_false(alive()); // a dead G keeps nothing
}

static void closure_lives_while_its_goroutine_runs(void **s) {
    (void)s;
    sched_reset();
    assert_int_equal(sched_run_main(closure_main, NULL), SCHED_OK);
    sched_reset();
}

RUN_TESTS(cmocka_unit_test(object_on_parked_goroutine_stack_survives_gc),
          cmocka_unit_test(argument_block_of_runnable_goroutine_is_a_root),
          cmocka_unit_test(closure_lives_while_its_goroutine_runs))
