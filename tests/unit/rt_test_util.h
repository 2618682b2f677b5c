// Helpers shared by the unit tests that run the runtime core: a fresh runtime per
// test (heap, GC, profiler samples, every fresh-runtime hook), and catching a Go
// run-time panic (rt_panic) with setjmp so a test can assert on its message.
#ifndef SPANLAB_RT_TEST_UTIL_H
#define SPANLAB_RT_TEST_UTIL_H

#include "tests/unit/gc_test_util.h"
#include "rt/panic.h"
#include "rt/prof.h"
#include "rt/runtime.h"

static jmp_buf rt_test_jmp;

static _Noreturn void rt_test_on_panic(const char *msg) {
    (void)msg;
    longjmp(rt_test_jmp, 1);
}

// Runs stmt; true when it raised a Go run-time panic whose message contains want.
#define PANICS_WITH(stmt, want)                                                     \
    ({                                                                              \
        volatile bool panicked_ = false;                                            \
        rt_panic_fn old_ = rt_set_panic_handler(rt_test_on_panic);                  \
        if (setjmp(rt_test_jmp) == 0) {                                             \
            stmt;                                                                   \
        } else {                                                                    \
            panicked_ = strstr(rt_last_panic(), (want)) != NULL;                    \
            if (!panicked_)                                                         \
                fprintf(stderr, "panic message: %s\n", rt_last_panic());            \
        }                                                                           \
        rt_set_panic_handler(old_);                                                 \
        panicked_;                                                                  \
    })

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// GC cycle end hook: clears ASan's shadow for the dead stack below this frame. The
// collector's uninstrumented scanners can leave use-after-scope marks there that a
// later deep frame trips over (rt/sched.c does the same for goroutine stacks; the
// hook it installs is only there once the scheduler registered with the GC).
__attribute__((no_sanitize_address, noinline)) static void rt_test_clear_dead_stack(void) {
    uintptr_t here = sys_stack_pointer();
    size_t len = 1 << 20; // well past the deepest test frame
    __asan_unpoison_memory_region((void *)(here - len), len);
}
#endif

static int rt_test_setup(void **state) {
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    static bool hooked;
    if (!hooked) {
        hooked = true;
        gc_add_cycle_end_hook(rt_test_clear_dead_stack);
    }
#endif
    // RT_TEST_OPTS="gcstress=1 gcverify=1 gcpoison=1" reruns every test with a
    // collection at every allocation, heap verification and poisoned frees (a GC-safety
    // check; tests of defer-pool counts then differ, as Go's would: each GC clears the
    // central pool).
    const char *opts = getenv("RT_TEST_OPTS");
    gc_test_setup(opts ? opts : "");
    rt_run_fresh_hooks(); // the profiler and every module above rt that is linked
    return 0;
}

static int rt_test_teardown(void **state) {
    rt_run_fresh_hooks();
    return gc_test_teardown(state);
}

// Allocates n objects of size bytes at the named profiler site (PROF_SITE); keeps
// them in keep[] (a GC root) when given, else drops them.
__attribute__((noinline, unused)) static void rt_test_alloc_at(const char *site, int n,
                                                              size_t size, void **keep) {
    PROF_SITE(site);
    for (int i = 0; i < n; i++) {
        void *p = rt_mallocgc(size, NULL, false);
        if (keep)
            keep[i] = p;
    }
}

// Keeps the shared helpers referenced (each test uses a different subset).
__attribute__((unused)) static void rt_test_refs_(void) {
    (void)gc_test_collect;
    (void)gc_test_alive;
    (void)rt_test_on_panic;
}

#define RT_TEST(f) cmocka_unit_test_setup_teardown(f, rt_test_setup, rt_test_teardown)

#endif
