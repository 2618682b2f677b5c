// The one way a spanlab fuzz target reports a finding: FUZZ_CHECK(cond, "what", ...)
// prints the broken invariant and aborts, which libFuzzer records as a crash with
// the input that caused it (build/fuzz/findings/<target>-crash-...).
#ifndef SPANLAB_FUZZ_CHECK_H
#define SPANLAB_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                                        \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                            \
            fprintf(stderr, "\n");                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

#endif
