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
        ok = selftest_run(opt_str("selftest")) && ok;
    if (opt_given("run"))
        ok = sc_run_selected(opt_str("run")) && ok;
    sys_exit(ok);
}
