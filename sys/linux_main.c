// spanlab as a Linux program (build/spanlab-host): the hosted platform's entry, as
// kernel/kmain.c is the kernel's. Parses argv as the kernel parses its command line,
// then runs the program (spanlab_main: the same self-tests and scenarios as the
// kernel, on the hosted page layer).
//   build/spanlab-host run=all          every scenario
//   build/spanlab-host run=1,13 gctrace=1
//   build/spanlab-host selftest=heap
// Exit status 0 when every check passed, 1 otherwise, 2 when nothing was asked.
#include "sys/linux_internal.h"
#include "sys/options.h"
#include "sys/sys.h"

int main(int argc, char **argv) {
    int stack_top_marker;
    lx_set_main_stack_top(&stack_top_marker + 1);
    opt_parse_argv(argc - 1, argv + 1);
    sys_run_result_t r = spanlab_main();
    if (r == SYS_RUN_NOTHING) {
        sys_printf("usage: spanlab-host run=all|N,M,... [gctrace=1 madv=free scale=N ...]\n"
                   "       spanlab-host selftest=NAME,...|all\nscenarios:\n");
        spanlab_list();
        return 2;
    }
    sys_exit(r == SYS_RUN_PASSED);
}
