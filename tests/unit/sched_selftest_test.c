// The kernel's selftest=sched, run on the host (SIGALRM ticks instead of the LAPIC):
// the same checks must pass in both places. The self-test's object
// (tests/selftest/sched.c) is linked into this program (tests/tests.mk), so its
// registration is in the table.
#include "tests/unit/test.h"
#include "sys/selftest.h"

static void sched_selftest_passes_on_the_host(void **s) {
    (void)s;
    const selftest_t *found = NULL;
    SELFTEST_FOREACH(t) {
        if (strcmp(t->name, "sched") == 0)
            found = t;
    }
    assert_non_null(found);
    assert_true(found->in_all);
    assert_true(found->fn());
}

RUN_TESTS(cmocka_unit_test(sched_selftest_passes_on_the_host))
