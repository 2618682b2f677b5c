// The runtime core alone: this program links every object of libspanlab-core
// (--whole-archive, tests/tests.mk), sys + mm + rt, and nothing of golib/ or
// scenarios/, so any reference from the core to a layer above fails its link. Then it
// runs the core: a fresh runtime, a goroutine allocating live and dead objects, a
// collection that frees exactly the dead ones, and the runtime torn down.
#include "tests/unit/gc_test_util.h"
#include "rt/runtime.h"
#include "rt/sched.h"

#define LIVE 100
#define DEAD 1000

static void *live[LIVE];

// Allocates LIVE objects kept in a root and DEAD ones dropped at once.
__attribute__((noinline)) static void allocate(void *arg) {
    (void)arg;
    for (int i = 0; i < DEAD + LIVE; i++) {
        void *p = rt_mallocgc(64, NULL, false);
        if (i % ((DEAD + LIVE) / LIVE) == 0)
            live[i / ((DEAD + LIVE) / LIVE)] = p;
    }
}

static void the_core_runs_without_the_layers_above(void **state) {
    (void)state;
    rt_fresh();
    rt_add_root(live, sizeof live, NULL);
    assert_int_equal(sched_run_main(allocate, NULL), SCHED_OK);
    static struct memstats before, after;
    heap_read_memstats(&before);
    gc_test_collect();
    heap_read_memstats(&after);
    assert_int_equal(after.Frees - before.Frees, DEAD);
    for (int i = 0; i < LIVE; i++)
        assert_true(heap_usable_size(live[i]) >= 64);
    rt_teardown();
    assert_false(heap_ready());
}

RUN_TESTS(cmocka_unit_test(the_core_runs_without_the_layers_above))
