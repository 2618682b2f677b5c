// selftest_run: runs the self-tests registered with SELFTEST() (sys/selftest.h)
// that selftest= names: "all" (every one with in_all), one name, or a comma list.
// Prints one line per test with its time, then "selftests: N passed, N failed".
// Portable: the kernel (kmain) and spanlab-host both call it.
#include <stdbool.h>
#include <string.h>

#include "sys/selftest.h"
#include "sys/sys.h"

// True when name appears in the comma-separated list.
static bool listed(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len + (e ? 1 : 0);
    }
    return false;
}

// An empty registration, so that the table exists in a program without self-tests.
__attribute__((used, section("spanlab_selftests"), aligned(8))) static const selftest_t
    selftest_none[0];

static bool run_one(const selftest_t *t) {
    sys_printf("selftest %s: start\n", t->name);
    uint64_t t0 = sys_nanotime();
    bool ok = t->fn();
    uint64_t ms = (sys_nanotime() - t0) / 1000000;
    sys_printf("selftest %s: %s (%lu ms)\n", t->name, ok ? "PASS" : "FAIL", (unsigned long)ms);
    return ok;
}

// See selftest.h.
bool selftest_run(const char *which) {
    if (!which[0]) {
        sys_printf("selftest=: no self-test named (have:");
        SELFTEST_FOREACH(t) { sys_printf(" %s", t->name); }
        sys_printf(")\n");
        return false;
    }
    bool all = strcmp(which, "all") == 0;
    int passed = 0, failed = 0;
    SELFTEST_FOREACH(t) {
        if (all ? t->in_all : listed(which, t->name)) {
            if (run_one(t))
                passed++;
            else
                failed++;
        }
    }
    if (!all) { // every requested name must exist
        for (const char *p = which; *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            bool found = false;
            SELFTEST_FOREACH(t) {
                if (strlen(t->name) == len && strncmp(t->name, p, len) == 0)
                    found = true;
            }
            if (!found) {
                sys_printf("selftest %.*s: no such self-test (have:", (int)len, p);
                SELFTEST_FOREACH(t) { sys_printf(" %s", t->name); }
                sys_printf(")\n");
                failed++;
            }
            p += len + (e ? 1 : 0);
        }
    }
    sys_printf("selftests: %d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0;
}
