// The scenario runner: picks the scenarios run= names, runs every variant in a
// fresh runtime on a main goroutine, turns a panic, an out-of-memory or a deadlock
// inside a variant into that variant's outcome (the run goes on), prints the
// reports, the checks, the summary table and the closing "N passed, N failed".
//
// Ending a variant early: the panic hook (sys_set_panic_hook) and the scheduler's
// deadlock hook longjmp back here, to the runner's own stack (g0); sched_reset and
// heap_destroy then drop the goroutines and every page the variant had.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm/heap.h"
#include "rt/gc.h"
#include "rt/runtime.h"
#include "rt/sched.h"
#include "scenarios/runner_internal.h"
#include "scenarios/trace.h"
#include "sys/options.h"
#include "sys/sys.h"

extern const sc_scenario_t *const __start_spanlab_scenarios[];
extern const sc_scenario_t *const __stop_spanlab_scenarios[];

#define SC_MAX_SCENARIOS 32

static jmp_buf variant_abort;
static sc_run_t *current_run;

// ---- selection ----------------------------------------------------------------

static int by_number(const void *a, const void *b) {
    const sc_scenario_t *x = *(const sc_scenario_t *const *)a;
    const sc_scenario_t *y = *(const sc_scenario_t *const *)b;
    return x->number - y->number;
}

// Fills list with every registered scenario sorted by number; returns the count.
static int registered(const sc_scenario_t **list) {
    int n = 0;
    for (const sc_scenario_t *const *p = __start_spanlab_scenarios; p < __stop_spanlab_scenarios;
         p++)
        if (n < SC_MAX_SCENARIOS)
            list[n++] = *p;
    qsort(list, (size_t)n, sizeof list[0], by_number);
    return n;
}

// Marks want[number] for each number in "all" or "N,M,..."; reports bad words by
// name. Returns how many were selected (none for an empty run=).
static int parse_selection(const char *sel, const sc_scenario_t **list, int n, bool *want) {
    int count = 0;
    if (!sel || !*sel) {
        sys_printf("spanlab: run= is empty: it selects no scenario (want all or N,M,...)\n");
        return 0;
    }
    if (strcmp(sel, "all") == 0) {
        for (int i = 0; i < n; i++)
            want[i] = true;
        return n;
    }
    const char *p = sel;
    while (*p) {
        char *end;
        long num = strtol(p, &end, 10);
        bool found = false;
        if (end != p && (*end == ',' || *end == 0)) {
            for (int i = 0; i < n; i++) {
                if (list[i]->number == num) {
                    if (!want[i])
                        count++;
                    want[i] = true;
                    found = true;
                }
            }
        }
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (!found)
            sys_printf("spanlab: run=: no scenario '%.*s' (there are %d; see the list) ignored\n",
                       (int)len, p, n);
        p += len;
        if (*p == ',')
            p++;
    }
    return count;
}

// ---- one variant ---------------------------------------------------------------

static void on_panic(const char *msg) {
    sc_run_t *r = current_run;
    if (!r)
        return; // not inside a variant: the panic ends the run as usual
    strncpy(r->message, msg, sizeof r->message - 1);
    r->outcome = strncmp(msg, "out of memory", 13) == 0 ? "oom" : "panic";
    longjmp(variant_abort, 1);
}

static void on_deadlock(void) {
    sc_run_t *r = current_run;
    sched_report_deadlock();
    if (!r)
        sys_exit(false);
    strncpy(r->message, "all goroutines are asleep - deadlock!", sizeof r->message - 1);
    r->outcome = "deadlock";
    longjmp(variant_abort, 1);
}

// The variant's main goroutine: runs it, then measures (from main, as a Go program's
// runtime.NumGoroutine() counts main itself).
static void variant_main(void *arg) {
    sc_run_t *r = arg;
    r->variant->run(r, r->variant->mode);
    sc_record_common(r);
}

// Runs one variant in a fresh runtime and reports it. The background scavenger is
// paced by allocation meanwhile (mm/scavenge.c), and the incremental collector's
// decisions by its work clock (rt/gc.h gc_pace_by_work), so that what they do, and
// every figure after it, is the same on every run, however loaded the machine.
static void run_variant(sc_run_t *r) {
    heap_scavenge_pace(HEAP_SCAV_PACE_ALLOC);
    gc_pace_by_work(true);
    rt_fresh();
    r->outcome = "ok";
    r->message[0] = 0;
    current_run = r;
    sys_panic_hook_t old_panic = sys_set_panic_hook(on_panic);
    sched_set_deadlock_hook(on_deadlock);
    sc_watch_begin(r); // trace=1 series, large objects' sites for the maps
    uint64_t t0 = sys_nanotime();
    if (setjmp(variant_abort) == 0)
        sched_run_main(variant_main, r);
    r->wall_ns = sys_nanotime() - t0;
    sc_watch_end(r);
    sched_set_deadlock_hook(NULL);
    sys_set_panic_hook(old_panic);
    heap_scavenge_pace(HEAP_SCAV_PACE_WALL);
    gc_pace_by_work(false);
    current_run = NULL;
    if (r->ncommon == 0) // ended early: measure what it left
        sc_record_common(r);
    sc_report_variant(r);
    rt_teardown();
}

// Checks that each variant ended as it was expected to (an expected deadlock is a
// pass), printing one CHECK line per variant.
static void check_outcomes(sc_results_t *res) {
    for (int i = 0; i < res->nruns; i++) {
        const sc_variant_t *v = res->runs[i].variant;
        const char *want = v->expected_outcome ? v->expected_outcome : "ok";
        char name[64];
        snprintf(name, sizeof name, "outcome_%s_is_%s", v->name, want);
        sc_check(res, name, strcmp(res->runs[i].outcome, want) == 0, "==", 1);
    }
}

// Runs every variant of s, then its checks.
static void run_scenario(const sc_scenario_t *s, sc_results_t *res) {
    memset(res, 0, sizeof *res);
    res->scenario = s;
    sys_printf("\n==== bug %02d: %s ====\n", s->number, s->title);
    sys_printf("family: %s; Go versions: %s\n\n%s\n", s->family, s->go_versions, s->text);
    uint64_t need = sc_ram_needed(s);
    uint64_t have = sys_ram_bytes();
    if (need > have) {
        sys_printf("SKIP bug=%02d: needs %llu MiB at scale=%lld%s%s, this machine has %llu MiB\n",
                   s->number, (unsigned long long)(need >> 20), (long long)sc_scale(),
                   opt_int("labseed") > 0 ? " labseed=" : "",
                   opt_int("labseed") > 0 ? opt_str("labseed") : "",
                   (unsigned long long)(have >> 20));
        res->skipped = true;
        return;
    }
    for (int i = 0; i < SC_MAX_VARIANTS && s->variants[i].name; i++) {
        sc_run_t *r = &res->runs[res->nruns++];
        memset(r, 0, sizeof *r);
        r->scenario = s;
        r->variant = &s->variants[i];
        sys_printf("\n---- bug %02d variant %s: %s\n", s->number, r->variant->name,
                   r->variant->what);
        run_variant(r);
    }
    sc_report_table(res);
    check_outcomes(res);
    int before = res->passed + res->failed + res->checks_skipped;
    if (s->checks)
        s->checks(res);
    if (res->passed + res->failed + res->checks_skipped == before) // it compared nothing
        sc_check(res, "scenario_has_checks_of_its_own", 0, "==", 1);
    if (res->missing[0]) // read after the last check: fail here, naming them
        sc_check(res, "keys_read_after_the_last_check", 0, "==", 0);
}

// ---- the run -------------------------------------------------------------------

void sc_list(void) {
    const sc_scenario_t *list[SC_MAX_SCENARIOS];
    int n = registered(list);
    for (int i = 0; i < n; i++)
        sys_printf("  %2d  %-22s %s\n", list[i]->number, list[i]->slug, list[i]->title);
}

bool sc_run_selected(const char *selection) {
    static sc_results_t results[SC_MAX_SCENARIOS];
    const sc_scenario_t *list[SC_MAX_SCENARIOS];
    bool want[SC_MAX_SCENARIOS] = {false};
    int n = registered(list);
    if (parse_selection(selection, list, n, want) == 0) {
        sys_printf("spanlab: run=%s selects no scenario; these exist:\n", selection);
        sc_list();
        sys_printf("0 passed, 1 failed\n");
        return false;
    }
    sys_printf("SCENARIOS");
    for (int i = 0, first = 1; i < n; i++)
        if (want[i]) {
            sys_printf("%s%d", first ? " " : ",", list[i]->number);
            first = 0;
        }
    sys_printf("\n");
    sc_print_modes();
    int passed = 0, failed = 0, ran = 0, executed = 0, skipped = 0;
    for (int i = 0; i < n; i++) {
        if (!want[i])
            continue;
        run_scenario(list[i], &results[ran]);
        passed += results[ran].passed;
        failed += results[ran].failed;
        executed += !results[ran].skipped;
        skipped += results[ran].checks_skipped;
        ran++;
    }
    sys_printf("\n==== summary ====\n%-4s %-20s %-48s %6s %6s %7s\n", "bug", "slug", "variants",
               "passed", "failed", "skipped");
    for (int i = 0; i < ran; i++) {
        const sc_results_t *res = &results[i];
        char variants[160] = "";
        size_t used = 0;
        for (int v = 0; v < res->nruns && used < sizeof variants; v++)
            used += (size_t)snprintf(variants + used, sizeof variants - used, "%s%s:%s",
                                     v ? " " : "", res->runs[v].variant->name,
                                     res->runs[v].outcome);
        sys_printf("%02d   %-20s %-48s %6d %6d %7d%s\n", res->scenario->number,
                   res->scenario->slug, res->skipped ? "(skipped: not enough RAM)" : variants,
                   res->passed, res->failed, res->checks_skipped,
                   res->failed ? "  <-- FAIL" : "");
    }
    if (skipped)
        sys_printf("checks skipped: %d (they cannot hold under a mode of this run; see their "
                   "SKIP lines)\n", skipped);
    if (executed == 0) { // every selected scenario was skipped: nothing was checked
        sys_printf("spanlab: no scenario ran (all %d selected were skipped), so nothing was "
                   "checked: the run fails\n", ran);
        failed++;
    }
    sys_printf("%d passed, %d failed\n", passed, failed);
    return failed == 0;
}
