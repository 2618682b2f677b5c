// Self-tests any layer can register, run by the kernel with selftest=NAME|all (and
// callable from host tests). Each registration lands in the "spanlab_selftests"
// section; the kernel's linker script keeps it and GNU ld provides the start/stop
// symbols on the host.
//
//   SELFTEST(heap, true) { ... return true when every check held; }
//
// in_all: whether selftest=all runs it (the deliberate-fault tests are not).
#ifndef SPANLAB_SELFTEST_H
#define SPANLAB_SELFTEST_H

#include <stdbool.h>

typedef struct selftest {
    const char *name;
    bool (*fn)(void);
    bool in_all;
} selftest_t;

#define SELFTEST(name_, in_all_)                                                   \
    static bool selftest_fn_##name_(void);                                         \
    __attribute__((used, section("spanlab_selftests"), aligned(8)))                \
    static const selftest_t selftest_entry_##name_ = {#name_, selftest_fn_##name_, \
                                                      in_all_};                    \
    static bool selftest_fn_##name_(void)

extern const selftest_t __start_spanlab_selftests[];
extern const selftest_t __stop_spanlab_selftests[];

// Runs the self-tests `which` names ("all", or a comma list of names), one line
// each; returns true when every one passed and every name given exists.
bool selftest_run(const char *which);

#define SELFTEST_FOREACH(t_) \
    for (const selftest_t *t_ = __start_spanlab_selftests; t_ < __stop_spanlab_selftests; t_++)

#endif
