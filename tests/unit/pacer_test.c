// The pacer's heap goals and triggers against Go 1.19's formulas (runtime/mgcpacer.go),
// on worked examples computed by hand in the comments.
#include "tests/unit/test.h"
#include "rt/pacer.h"

#define MiB (1ull << 20)

// A fresh runtime with GOGC=100: nothing marked, so the goal is the 4 MiB minimum and
// Go's trigger is 61/64 of it.
static void pacer_first_goal_is_heap_minimum(void **state) {
    pacer_t p;
    pacer_init(&p, 100, PACER_NO_LIMIT);
    uint64_t goal;
    uint64_t trig = pacer_trigger(&p, &goal);
    assert_int_equal(goal, 4 * MiB);
    assert_int_equal(trig, 4 * MiB / 64 * 61); // 3997696
    pacer_set_percent(&p, 50);
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_heap_goal(&p, NULL), 2 * MiB); // 4 MiB * 50/100
}

// goal = H_m + (H_m + stacks + globals) * GOGC/100.
static void pacer_gogc_goal_counts_stacks_and_globals(void **state) {
    pacer_t p;
    pacer_init(&p, 100, PACER_NO_LIMIT);
    p.heap_marked = 100 * MiB;
    p.last_stack_scan = 1 * MiB;
    p.globals_scan = 1 * MiB;
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_heap_goal(&p, NULL), 202 * MiB);
    // Large goal: Go's trigger is at most goal - 4 MiB (the 61/64 point is lower).
    assert_int_equal(pacer_trigger(&p, NULL), 198 * MiB);
    pacer_set_percent(&p, 50);
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_heap_goal(&p, NULL), 151 * MiB);
    pacer_set_percent(&p, 200);
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_heap_goal(&p, NULL), 304 * MiB);
}

// GOGC=off without a limit: the GOGC goal is infinite, so the "no limit" limit
// (MaxInt64) minus its 1 MiB headroom is the goal, as in Go. GOGC=0: the goal is the
// live heap.
static void pacer_gogc_off_and_zero(void **state) {
    pacer_t p;
    pacer_init(&p, -1, PACER_NO_LIMIT);
    p.heap_marked = 10 * MiB;
    pacer_commit(&p, true, 0);
    assert_int_equal(p.percent_goal, ~0ull);
    assert_int_equal(pacer_heap_goal(&p, NULL), (uint64_t)INT64_MAX - 1 * MiB);
    assert_int_equal(pacer_trigger(&p, NULL), (uint64_t)INT64_MAX - 5 * MiB);
    assert_int_equal(pacer_set_percent(&p, 0), -1);
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_heap_goal(&p, NULL), 10 * MiB);
    assert_int_equal(pacer_trigger(&p, NULL), 10 * MiB);
}

// L = 160 MiB, mapped 130 MiB of which 10 MiB free pages and 110 MiB objects:
// non-heap 10 MiB, no overage: goal = 160 - 10 - 1 (headroom) = 149 MiB < 202 MiB.
static void pacer_memory_limit_lowers_goal(void **state) {
    pacer_t p;
    pacer_init(&p, 100, 160 * MiB);
    p.heap_marked = 100 * MiB;
    p.last_stack_scan = 1 * MiB;
    p.globals_scan = 1 * MiB;
    p.mapped_ready = 130 * MiB;
    p.heap_free = 10 * MiB;
    p.heap_alloc = 110 * MiB;
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_memlimit_goal(&p), 149 * MiB);
    assert_int_equal(pacer_heap_goal(&p, NULL), 149 * MiB);
    // Go's trigger: 61/64 of the way from 100 to 149 MiB (goal - 4 MiB is lower).
    assert_int_equal(pacer_trigger(&p, NULL), 49 * MiB / 64 * 61 + 100 * MiB);
}

// Over the limit: the overage is subtracted too; never below the marked heap;
// non-heap memory alone over the limit gives the marked heap (continuous GC).
static void pacer_memory_limit_overage_and_floors(void **state) {
    pacer_t p;
    pacer_init(&p, 100, 100 * MiB);
    p.heap_marked = 50 * MiB;
    p.mapped_ready = 120 * MiB;
    p.heap_free = 0;
    p.heap_alloc = 100 * MiB;
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_memlimit_goal(&p), 59 * MiB); // 100 - (20 + 20) - 1
    p.heap_marked = 70 * MiB;
    assert_int_equal(pacer_memlimit_goal(&p), 70 * MiB);
    p.mapped_ready = 300 * MiB; // non-heap 200 MiB + overage 200 MiB >= 100 MiB
    assert_int_equal(pacer_memlimit_goal(&p), 70 * MiB);
    // Tiny limits: the goal keeps 1 MiB at least.
    pacer_init(&p, 100, 3 * MiB / 2);
    assert_int_equal(pacer_memlimit_goal(&p), 1 * MiB);
    pacer_set_memory_limit(&p, 3 * MiB);
    assert_int_equal(pacer_memlimit_goal(&p), 2 * MiB);
    assert_int_equal(pacer_set_memory_limit(&p, -1), 3 * MiB); // negative only reads
}

// The goal stays 64 KiB above the last trigger point and above the sweep distance.
static void pacer_min_runway_and_sweep_distance(void **state) {
    pacer_t p;
    pacer_init(&p, 100, PACER_NO_LIMIT);
    p.heap_marked = 1 * MiB;
    p.triggered = 10 * MiB;
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_heap_goal(&p, NULL), 10 * MiB + 64 * 1024);
    p.triggered = ~0ull;
    pacer_commit(&p, false, 8 * MiB); // sweep unfinished at 8 MiB live
    uint64_t mint;
    assert_int_equal(pacer_heap_goal(&p, &mint), 9 * MiB);
    assert_int_equal(mint, 9 * MiB);
}

// runway = consMark * (1-0.25)/0.25 * scan work; the trigger is goal - runway, but
// not below 45/64 of the way from the marked heap to the goal.
static void pacer_runway_bounds_trigger(void **state) {
    pacer_t p;
    pacer_init(&p, 100, PACER_NO_LIMIT);
    p.heap_marked = 50 * MiB;
    p.last_heap_scan = 10 * MiB;
    p.cons_mark = 1.0;
    pacer_commit(&p, true, 0);
    assert_int_equal(p.runway, 30 * MiB);
    assert_int_equal(pacer_heap_goal(&p, NULL), 100 * MiB);
    assert_int_equal(pacer_trigger(&p, NULL), 50 * MiB / 64 * 45 + 50 * MiB); // 89292800
    // consMark 0.1: runway 3 MiB, trigger 97 MiB, inside [85.2, 97.7] MiB.
    p.cons_mark = 0.1;
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_trigger(&p, NULL), 97 * MiB);
    // consMark 0: no runway, the trigger is the max bound, the 61/64 point here.
    p.cons_mark = 0;
    pacer_commit(&p, true, 0);
    assert_int_equal(pacer_trigger(&p, NULL), 50 * MiB / 64 * 61 + 50 * MiB);
}

// Equal within floating-point rounding (1e-9 relative).
static bool near(double x, double y) { return x - y < 1e-9 * y && y - x < 1e-9 * y; }

// revise (assistWorkPerByte) on hand-computed cases: H = last heap scan 100 MiB (no
// stacks or globals), goal 200 MiB, triggered at 190 MiB, worst case 150 MiB.
static void pacer_assist_ratio_as_revise(void **state) {
    pacer_t p;
    pacer_init(&p, 100, PACER_NO_LIMIT);
    p.last_heap_scan = 100 * MiB;
    const uint64_t goal = 200 * MiB, trig = 190 * MiB, maxs = 150 * MiB;
    // nothing done yet: 100 MiB of work over the 10 MiB left
    assert_true(near(pacer_assist_ratio(&p, goal, trig, 190 * MiB, 0, maxs), 10.0));
    // 60 MiB done at 195 MiB: 40 MiB over 5 MiB
    assert_true(near(pacer_assist_ratio(&p, goal, trig, 195 * MiB, 60 * MiB, maxs), 8.0));
    // 120 MiB done, more than expected: the goal extrapolates to 190 + 10/100 * 150 =
    // 205 MiB and the work to the worst case: 30 MiB over 10 MiB
    assert_true(near(pacer_assist_ratio(&p, goal, trig, 195 * MiB, 120 * MiB, maxs), 3.0));
    // past the goal: 10% more heap (220 MiB), the worst-case work: 100 MiB over 10 MiB
    assert_true(near(pacer_assist_ratio(&p, goal, trig, 210 * MiB, 50 * MiB, maxs), 10.0));
    // past that too: one byte of heap left, so the next assist finishes the cycle
    assert_true(near(pacer_assist_ratio(&p, goal, trig, 230 * MiB, 50 * MiB, maxs), (double)(100 * MiB)));
}

// endCycle: triggered at 100 MiB, terminated at 110 MiB after 40 MiB of scan work
// with the mark at 25% of the CPU: currentConsMark = 10 * 0.25 / (40 * 0.75) = 1/12;
// the PI controller's first step from 0 gives 0.9/12 = 0.075, and the runway for 40
// MiB of work is 0.075 * 3 * 40 MiB = 9 MiB, so the trigger is the goal - 9 MiB.
static void pacer_end_cycle_sets_runway_and_trigger(void **state) {
    pacer_t p;
    pacer_init(&p, 100, PACER_NO_LIMIT);
    p.triggered = 100 * MiB;
    pacer_end_cycle(&p, 110 * MiB, 40 * MiB, 0.25, 0);
    assert_true(p.cons_mark > 0.0749999 && p.cons_mark < 0.0750001);
    p.triggered = ~0ull;
    p.heap_marked = 100 * MiB;
    p.last_heap_scan = 40 * MiB;
    pacer_commit(&p, true, 0);
    assert_true(p.runway > 9 * MiB - 2 && p.runway <= 9 * MiB);
    uint64_t goal, trig = pacer_trigger(&p, &goal);
    assert_int_equal(goal, 200 * MiB);
    assert_true(trig >= 191 * MiB && trig < 191 * MiB + 2);
    // a cycle with no allocation while it marked says nothing: unchanged
    p.triggered = 100 * MiB;
    pacer_end_cycle(&p, 100 * MiB, 40 * MiB, 0.25, 0);
    assert_true(p.cons_mark > 0.0749999 && p.cons_mark < 0.0750001);
}

RUN_TESTS(cmocka_unit_test(pacer_first_goal_is_heap_minimum),
          cmocka_unit_test(pacer_assist_ratio_as_revise),
          cmocka_unit_test(pacer_end_cycle_sets_runway_and_trigger),
          cmocka_unit_test(pacer_gogc_goal_counts_stacks_and_globals),
          cmocka_unit_test(pacer_gogc_off_and_zero),
          cmocka_unit_test(pacer_memory_limit_lowers_goal),
          cmocka_unit_test(pacer_memory_limit_overage_and_floors),
          cmocka_unit_test(pacer_min_runway_and_sweep_distance),
          cmocka_unit_test(pacer_runway_bounds_trigger))
