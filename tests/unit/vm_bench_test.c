// Tests of the page layer's cost benchmark (bench/vm_bench.c) on the hosted sys: a
// small run must pass its own page-count checks, and selftest=faultbench must be
// registered outside selftest=all.
#include "bench/vm_bench.h"
#include "sys/selftest.h"
#include "tests/unit/test.h"

// The benchmark checks its own counts (all touched pages resident, dontneed drops
// them, free keeps them); a small run must pass them on the host, and the kernel's
// selftest=faultbench must be registered outside selftest=all.
static void bench_small_run_passes_its_page_checks(void **st) {
    assert_true(vm_bench_run(64, 1));
    const selftest_t *found = NULL;
    SELFTEST_FOREACH(t) {
        if (strcmp(t->name, "faultbench") == 0)
            found = t;
    }
    assert_non_null(found);
    assert_false(found->in_all);
}

RUN_TESTS(cmocka_unit_test(bench_small_run_passes_its_page_checks))
