// make test's fuzzing step: every libFuzzer target (FUZZ_TARGETS, tests/fuzz.mk) runs
// for FUZZ_SMOKE_TIME seconds from its committed seeds through tests/fuzz/run.sh, one
// cmocka test per target, which fails on a finding or when nothing was executed.
// `make fuzz` runs the same targets for as long as FUZZ_TIME says.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#define MAX_TARGETS 16

// Runs the target named by *state and expects run.sh's "no finding".
static void fuzz_target_finds_nothing(void **state) {
    const char *name = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "tests/fuzz/run.sh --smoke %s %d", name, FUZZ_SMOKE_TIME);
    fflush(stdout); // the report lines stay in order with the child's in a log
    int status = system(cmd);
    assert_true(status != -1 && WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void) {
    static char names[MAX_TARGETS][32], titles[MAX_TARGETS][64];
    struct CMUnitTest tests[MAX_TARGETS];
    char list[] = FUZZ_TARGETS;
    size_t n = 0;
    for (char *t = strtok(list, " "); t && n < MAX_TARGETS; t = strtok(NULL, " "), n++) {
        snprintf(names[n], sizeof names[n], "%s", t);
        snprintf(titles[n], sizeof titles[n], "fuzz_%s_finds_nothing_in_%ds", t, FUZZ_SMOKE_TIME);
        struct CMUnitTest one = cmocka_unit_test_prestate(fuzz_target_finds_nothing, names[n]);
        one.name = titles[n];
        tests[n] = one;
    }
    return _cmocka_run_group_tests("fuzz_smoke", tests, n, NULL, NULL);
}
