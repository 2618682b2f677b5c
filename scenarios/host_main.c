// spanlab as a Linux program: the same scenarios and self-tests as the kernel, on
// the hosted page layer (mmap/madvise/mincore).
//   build/spanlab-host run=all          every scenario
//   build/spanlab-host run=1,13 gctrace=1
//   build/spanlab-host selftest=heap
// Exit status 0 when every check passed, 1 otherwise.
#include <stdio.h>
#include <string.h>
#include "rt/gc.h"
#include "scenarios/scenario.h"
#include "sys/options.h"
#include "sys/selftest.h"
#include "sys/sys.h"

// Runs the self-tests named by selftest= ("all" or a comma list); true when all passed.
static bool run_selftests(const char *which) {
    int passed = 0, failed = 0;
    // Every name asked for must exist (the kernel-only ones are not in this program).
    for (const char *p = which; strcmp(which, "all") != 0 && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        bool known = false;
        SELFTEST_FOREACH(t) known = known || (strlen(t->name) == len && strncmp(p, t->name, len) == 0);
        if (!known) {
            sys_printf("selftest %.*s: no such self-test in spanlab-host (have:", (int)len, p);
            SELFTEST_FOREACH(t) sys_printf(" %s", t->name);
            sys_printf("; the kernel has more)\n");
            failed++;
        }
        p += len + (comma ? 1 : 0);
    }
    SELFTEST_FOREACH(t) {
        bool want = strcmp(which, "all") == 0 ? t->in_all : false;
        size_t n = strlen(t->name);
        for (const char *p = which; !want && *p;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            want = len == n && strncmp(p, t->name, n) == 0;
            p += len + (comma ? 1 : 0);
        }
        if (!want)
            continue;
        sys_printf("selftest %s: running\n", t->name);
        bool ok = t->fn();
        sys_printf("selftest %s: %s\n", t->name, ok ? "PASS" : "FAIL");
        ok ? passed++ : failed++;
    }
    sys_printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0;
}

int main(int argc, char **argv) {
    int stack_top_marker;
    gc_set_stack_top(&stack_top_marker + 1);
    opt_parse_argv(argc - 1, argv + 1);
    if (!opt_given("run") && !opt_given("selftest")) {
        sys_printf("usage: spanlab-host run=all|N,M,... [gctrace=1 madv=free scale=N ...]\n"
                   "       spanlab-host selftest=NAME,...|all\nscenarios:\n");
        sc_list();
        return 2;
    }
    bool ok = true;
    if (opt_given("selftest"))
        ok = run_selftests(opt_str("selftest")) && ok;
    if (opt_given("run"))
        ok = sc_run_selected(opt_str("run")) && ok;
    sys_exit(ok);
}
