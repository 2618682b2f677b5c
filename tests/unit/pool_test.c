// sync.Pool and the GC: a pooled object left idle survives exactly one collection
// (moved to the victim cache) and is freed by the second; Get finds it in the
// victim; private slot first, then the shared list.
#include "tests/unit/test.h"
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/sched.h"
#include "rt/sync.h"
#include "rt/types.h"

typedef struct obj { uint64_t magic; void *p; } obj_t;
static GOTYPE_STRUCT(obj_type, obj_t, "main.obj", offsetof(obj_t, p));

static sync_pool_t pool;
static uintptr_t hidden; // the object's address, XOR-ed so no scan sees it
#define MASK 0x5a5a5a5a5a5a5a5aull

static void put_one(void) {
    obj_t *o = rt_new(&obj_type);
    o->magic = 0xfeedf00d;
    hidden = (uintptr_t)o ^ MASK;
    sync_pool_put(&pool, o);
}

// Clears the dead stack below the caller, where frames of put_one left the object's
// address (conservative stack scanning would see a stale copy there).
__attribute__((noinline)) static void scrub_stack(void) {
    volatile char buf[8192];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = 0;
}

static bool alive(void) {
    obj_t *o = (obj_t *)(hidden ^ MASK);
    return heap_usable_size(o) != 0;
}

static void victim_main(void *arg) {
    (void)arg;
    put_one();
    assert_int_equal(sync_pool_primary_len(&pool), 1);
    scrub_stack();
    gc_collect(true);
    assert_int_equal(sync_pool_primary_len(&pool), 0);
    assert_int_equal(sync_pool_victim_len(&pool), 1);
    assert_true(alive()); // survived one GC in the victim cache
    scrub_stack();
    gc_collect(true);
    assert_int_equal(sync_pool_victim_len(&pool), 0);
    assert_false(alive()); // dropped by the second
}

static void pooled_object_survives_exactly_one_gc(void **s) {
    (void)s;
    sched_reset();
    assert_int_equal(sched_run_main(victim_main, NULL), SCHED_OK);
    sched_reset();
}

static void get_main(void *arg) {
    (void)arg;
    put_one();
    gc_collect(true);
    obj_t *o = sync_pool_get(&pool); // from the victim
    assert_non_null(o);
    assert_int_equal(o->magic, 0xfeedf00d);
    assert_null(sync_pool_get(&pool)); // empty, no New
    obj_t *a = rt_new(&obj_type), *b = rt_new(&obj_type), *c = rt_new(&obj_type);
    sync_pool_put(&pool, a);
    sync_pool_put(&pool, b);
    sync_pool_put(&pool, c);
    assert_int_equal(sync_pool_primary_len(&pool), 3);
    assert_ptr_equal(sync_pool_get(&pool), a); // the private slot first
    assert_ptr_equal(sync_pool_get(&pool), c); // then the shared list's head
    assert_ptr_equal(sync_pool_get(&pool), b);
}

static void *make_obj(void) { return rt_new(&obj_type); }

static void get_takes_private_then_shared_then_victim(void **s) {
    (void)s;
    sched_reset();
    assert_int_equal(sched_run_main(get_main, NULL), SCHED_OK);
    sync_pool_t p2 = {.New = make_obj};
    assert_non_null(sync_pool_get(&p2)); // New when empty (also outside goroutines)
    sched_reset();
}

RUN_TESTS(cmocka_unit_test(pooled_object_survives_exactly_one_gc),
          cmocka_unit_test(get_takes_private_then_shared_then_victim))
