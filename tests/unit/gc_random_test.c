// Randomized object graphs against a model of reachability (gc_graph_model.h), with
// gcverify on (and gcpoison in one run): after every forced collection exactly the
// reachable objects are allocated, with their contents intact.
#include "tests/unit/gc_test_util.h"
#include "tests/unit/gc_graph_model.h"

static void run_seeds(const char *opts, int seeds, long ops) {
    for (int seed = 1; seed <= seeds; seed++) {
        gc_test_setup(opts);
        gm_t g;
        gm_init(&g, NULL, 0, 0x9e3779b97f4a7c15ull * (uint64_t)seed);
        const char *err = gm_run(&g, ops);
        if (err)
            fail_msg("seed %d: %s", seed, err);
        assert_true(g.forced > 0);
        assert_true(g.checked_alive > 0);
        assert_true(g.checked_dead > 0);
        gm_fini(&g);
        gc_test_teardown(NULL);
    }
}

static void gc_random_graphs_match_reachability_model(void **state) {
    run_seeds("gcverify=1", 20, 20000);
}

static void gc_random_graphs_with_poison_and_stress(void **state) {
    run_seeds("gcverify=1 gcpoison=1 gcstress=97", 6, 8000);
}

static void gc_random_graphs_with_gogc_10(void **state) {
    run_seeds("gcverify=1 gogc=10", 6, 20000);
}

// gcmode=inc: cycles started by the pacer and by gcstress mark in slices (assists)
// between the model's allocations and pointer stores; the forced checks then find
// any reachable object an incremental cycle freed.
static void gc_random_graphs_incremental(void **state) {
    run_seeds("gcmode=inc gcverify=1", 12, 20000);
    run_seeds("gcmode=inc gcverify=1 gcstress=13", 6, 8000);
    run_seeds("gcmode=inc gcverify=1 gcpoison=1 gogc=10", 6, 20000);
}

RUN_TESTS(cmocka_unit_test(gc_random_graphs_match_reachability_model),
          cmocka_unit_test(gc_random_graphs_incremental),
          cmocka_unit_test(gc_random_graphs_with_poison_and_stress),
          cmocka_unit_test(gc_random_graphs_with_gogc_10))
