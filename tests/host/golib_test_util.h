// Helpers shared by the Go-semantics host tests: a fresh runtime per test (heap,
// GC, defer pools, profiler samples), and catching a Go run-time panic
// (rt_panic) with setjmp so a test can assert on its message.
#ifndef SPANLAB_GOLIB_TEST_UTIL_H
#define SPANLAB_GOLIB_TEST_UTIL_H

#include "tests/host/gc_test_util.h"
#include "golib/buffer.h"
#include "golib/defer.h"
#include "golib/fmt.h"
#include "golib/iface.h"
#include "golib/json.h"
#include "golib/map.h"
#include "golib/slice.h"
#include "golib/str.h"
#include "golib/opcount.h"
#include "golib/pprof.h"
#include "rt/panic.h"
#include "rt/prof.h"
#include "rt/runtime.h"

static jmp_buf golib_test_jmp;

static _Noreturn void golib_test_on_panic(const char *msg) {
    (void)msg;
    longjmp(golib_test_jmp, 1);
}

// Runs stmt; true when it raised a Go run-time panic whose message contains want.
#define PANICS_WITH(stmt, want)                                                     \
    ({                                                                              \
        volatile bool panicked_ = false;                                                  \
        rt_panic_fn old_ = rt_set_panic_handler(golib_test_on_panic);         \
        if (setjmp(golib_test_jmp) == 0) {                                          \
            stmt;                                                                   \
        } else {                                                                    \
            panicked_ = strstr(rt_last_panic(), (want)) != NULL;                 \
            if (!panicked_)                                                         \
                fprintf(stderr, "panic message: %s\n", rt_last_panic());         \
        }                                                                           \
        rt_set_panic_handler(old_);                                              \
        panicked_;                                                                  \
    })

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// GC cycle end hook: clears ASan's shadow for the dead stack below this frame. The
// collector's uninstrumented scanners can leave use-after-scope marks there that a
// later deep frame trips over (rt/sched.c does the same for goroutine stacks; the
// hook it installs is only there once the scheduler registered with the GC).
__attribute__((no_sanitize_address, noinline)) static void golib_test_clear_dead_stack(void) {
    uintptr_t here;
    __asm__ volatile("mov %%rsp, %0" : "=r"(here));
    size_t len = 1 << 20; // well past the deepest test frame
    __asan_unpoison_memory_region((void *)(here - len), len);
}
#endif

static int golib_setup(void **state) {
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    static bool hooked;
    if (!hooked) {
        hooked = true;
        gc_add_cycle_end_hook(golib_test_clear_dead_stack);
    }
#endif
    // GOLIB_TEST_OPTS="gcstress=1 gcverify=1 gcpoison=1" reruns every test with a
    // collection at every allocation, heap verification and poisoned frees (a GC-safety
    // check; tests of defer-pool counts then differ, as Go's would: each GC clears the
    // central pool).
    const char *opts = getenv("GOLIB_TEST_OPTS");
    gc_test_setup(opts ? opts : "");
    rt_run_fresh_hooks(); // the profiler and every Go-semantics module
    return 0;
}

static int golib_teardown(void **state) {
    rt_run_fresh_hooks();
    return gc_test_teardown(state);
}

// Keeps the shared helpers referenced (each test uses a different subset).
__attribute__((unused)) static void golib_test_refs_(void) {
    (void)gc_test_collect;
    (void)gc_test_alive;
    (void)golib_test_on_panic;
}

#define GOLIB_TEST(f) cmocka_unit_test_setup_teardown(f, golib_setup, golib_teardown)


// Decodes hex text (up to a space, a newline or the end) into out; returns the byte
// count (the Go reference programs print their results in hex).
static inline size_t unhex(const char *h, char *out, size_t cap) {
    size_t n = 0;
    for (; h[0] && h[1] && h[0] != ' ' && h[0] != '\n' && n < cap; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (char)v;
    }
    return n;
}

#endif
