// Bug 18: time.NewTicker never stopped.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "golib/context.h"
#include "rt/select.h"
#include "rt/timer.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define CALLS_PER_SCALE 200 // the original text's "thousands of calls"
#define TICK_MS 10          // the original text's time.Second, shortened to fire within the run
#define WATCH_MS 2          // dur: the deadline of each Watch

static int64_t polls;

// Watch(ctx, dur): select on ctx.Done(), the deadline and the ticker until one ends it.
static __attribute__((noinline)) void watch(goctx_t *ctx, int64_t dur, bool stop) {
    chan_t *deadline = timer_after(dur);
    gotimer_t *t = timer_new_ticker(TIMER_MS(TICK_MS));
    for (;;) {
        int64_t when;
        sel_case_t cs[3] = {{.c = ctx_done(ctx)}, {.c = deadline}, {.c = t->C, .elem = &when}};
        int i = sel_select(cs, 3, true);
        if (i == 0 || i == 1)
            break;
        polls++; // poll()
    }
    if (stop)
        timer_stop(t); // the fix: defer t.Stop()
}

// The variants' modes (sc_variant_t.mode).
enum ticker_mode { NO_STOP_TICKER, STOP_TICKER };

static void run(sc_run_t *r, int mode) {
    bool stop = mode == STOP_TICKER;
    polls = 0;
    goctx_t *ctx = ctx_background();
    int64_t calls = sc_scaled(CALLS_PER_SCALE);
    int goroutines_before = sched_num_goroutine();
    for (int64_t i = 0; i < calls; i++)
        watch(ctx, TIMER_MS(WATCH_MS), stop);
    sc_phase(r, "every Watch returned");
    // Let every ticker run for a while: the leaked ones keep firing.
    timer_stats_t a, b;
    timer_get_stats(&a);
    timer_sleep(TIMER_MS(5 * TICK_MS));
    sc_phase(r, "after the idle wait");
    timer_get_stats(&b);
    uint64_t runs = b.runs - a.runs, examined = b.examined - a.examined;
    sc_key(r, "calls", calls);
    sc_key(r, "timers_in_heap", (int64_t)timer_count());
    sc_key(r, "timers_examined_per_tick", runs ? (int64_t)(examined / runs) : 0);
    sc_key(r, "timers_fired_while_idle", (int64_t)(b.fired - a.fired));
    sc_key(r, "goroutines_added", sched_num_goroutine() - goroutines_before);
    sc_say(r, "%lld Watch calls; then %d ms idle: %llu timers in the heap, %llu fired, %llu examined over %llu checks",
           (long long)calls, 5 * TICK_MS, (unsigned long long)timer_count(),
           (unsigned long long)(b.fired - a.fired), (unsigned long long)examined,
           (unsigned long long)runs);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_tickers_stay_in_heap", sc_get(res, "buggy", "timers_in_heap"), "==",
             sc_get(res, "buggy", "calls"));
    sc_check(res, "buggy_leaked_tickers_keep_firing", sc_get(res, "buggy", "timers_fired_while_idle"),
             ">=", sc_get(res, "buggy", "calls"));
    sc_check(res, "buggy_no_goroutine_leak", sc_get(res, "buggy", "goroutines_added"), "==", 0);
    sc_check(res, "fixed_heap_empty", sc_get(res, "fixed", "timers_in_heap"), "==", 0);
    // Only the idle wait's own time.Sleep timer fires.
    sc_check(res, "fixed_only_the_sleep_fires", sc_get(res, "fixed", "timers_fired_while_idle"), "==", 1);
    sc_check(res, "buggy_examines_more_per_tick", sc_get(res, "buggy", "timers_examined_per_tick"), ">", sc_get(res, "fixed", "timers_examined_per_tick"));
}

static const sc_scenario_t bug18 = {
    .number = 18,
    .slug = "ticker_leak",
    .title = "time.NewTicker not stopped - ticker memory, not a goroutine leak",
    .family = "goroutines and timers",
    .go_versions = "< 1.23 (Go 1.23 collects unreferenced timers)",
    .text =
        "  deadline := time.After(dur); t := time.NewTicker(time.Second)  // BUG: no Stop\n"
        "  for { select { case <-ctx.Done(): return; case <-deadline: return; case <-t.C: poll() } }\n"
        "The ticker's runtime timer stays in the P's timer heap after Watch returns and\n"
        "fires forever: the heap entry, the Ticker and its channel leak, and every\n"
        "tick examines it. No goroutine leaks (a ticker has none; the original text says\n"
        "otherwise). time.After's timer leaves the heap when it fires.\n"
        "Fix: defer t.Stop(). Look at: timers_in_heap, timers_fired_while_idle,\n"
        "timers_examined_per_tick, goroutines_added.",
    .variants = {
        {"buggy", "Watch without t.Stop()", run, NO_STOP_TICKER, NULL},
        {"fixed", "Watch with defer t.Stop()", run, STOP_TICKER, NULL},
    },
    .ram_needed = 64ull << 20,
    .checks = checks,
};
SC_REGISTER(bug18);
