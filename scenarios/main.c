// The program (sys/sys.h spanlab_main and spanlab_list), the same in the kernel and
// in spanlab-host: the self-tests selftest= names, then the scenarios run= names.
#include "rt/gc.h"
#include "scenarios/scenario.h"
#include "sys/options.h"
#include "sys/selftest.h"
#include "sys/sys.h"

// See sys.h.
sys_run_result_t spanlab_main(void) {
    gc_set_stack_top(sys_stack_top()); // the collector scans the program's whole stack
    bool selftests = opt_given("selftest"), scenarios = opt_given("run");
    if (!selftests && !scenarios)
        return SYS_RUN_NOTHING;
    bool ok = true;
    if (selftests)
        ok = selftest_run(opt_str("selftest")) && ok;
    if (scenarios)
        ok = sc_run_selected(opt_str("run")) && ok;
    return ok ? SYS_RUN_PASSED : SYS_RUN_FAILED;
}

// See sys.h.
void spanlab_list(void) { sc_list(); }
