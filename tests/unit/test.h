// Common includes for the unit tests: cmocka (Debian libcmocka-dev) plus the
// standard headers every test uses. Each test program is tests/unit/NAME.c,
// registered in tests/tests.mk with the libraries it links, built with ASan and UBSan.
#ifndef SPANLAB_TEST_H
#define SPANLAB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

// SPANLAB_TEST_FILTER=NAME runs only the test case NAME (cmocka's filter, '*' and
// '?' as wildcards): tools/grade runs a case alone when another one crashed the
// program before it ran.
#define RUN_TESTS(...)                                              \
    int main(void) {                                                \
        const struct CMUnitTest tests_[] = {__VA_ARGS__};           \
        if (getenv("SPANLAB_TEST_FILTER"))                          \
            cmocka_set_test_filter(getenv("SPANLAB_TEST_FILTER"));  \
        return cmocka_run_group_tests(tests_, NULL, NULL);          \
    }

#endif
