// The GC pacer: when to collect, from Go 1.19's runtime/mgcpacer.go.
//
// Design. After each cycle the collector knows H_m, the bytes it marked (the live
// heap), S, the stack bytes it scanned, and G, the bytes of globals (registered
// roots). Go's GOGC rule says the heap may grow by GOGC percent of the *scan work*
// the next cycle will have to do, which is the live heap plus stacks plus globals:
//
//     goal_gogc = H_m + (H_m + S + G) * GOGC / 100                       (commit)
//
// floored at the heap minimum, 4 MiB * GOGC/100, so that tiny heaps do not collect
// constantly (GOGC=100: 4 MiB; GOGC=50: 2 MiB; GOGC=0: 0, every allocation).
// GOGC < 0 ("off") makes goal_gogc infinite (~0).
//
// The soft memory limit L (GOMEMLIMIT) bounds the total memory the runtime keeps
// mapped and unreleased (M, "mappedReady"). Of M, the heap objects (A) and the free
// but unreleased heap pages (F) could hold heap objects; the rest N = M - F - A is
// overhead the heap cannot use (stacks, metadata, fragmentation of span tails). If M
// already exceeds L by O = max(M - L, 0), the goal is pushed down by O as well, and
// 1 MiB of headroom is kept for pacing errors:
//
//     goal_limit = L - (N + O) - 1 MiB        (never below 1 MiB, never below H_m)
//     goal_limit = H_m                        when N + O >= L (continuous GC)
//
// The heap goal is min(goal_gogc, goal_limit). When goal_gogc wins (not limited),
// two adjustments apply: the goal is at least the sweep distance trigger (the live
// heap + 1 MiB when the previous sweep is unfinished), and at least 64 KiB above the
// heap size at which the last cycle was triggered (minRunway).
//
// Trigger. Go marks concurrently, so it starts before the goal: it reserves a
// "runway" of allocation for the mark phase, runway = consMark * (1-u)/u * (expected
// scan work), with u = 0.25 the goal utilisation and consMark the measured ratio of
// allocation rate to scan rate. trigger = goal - runway, clamped to
//
//     H_m + (goal - H_m) * 45/64   <=   trigger   <=   H_m + (goal - H_m) * 61/64
//
// where the upper bound is raised to goal - 4 MiB for large goals, and the lower
// bound is raised to the sweep-distance trigger. pacer_trigger() computes exactly
// that. gcmode=inc starts its cycles there: consMark comes from each incremental
// cycle (pacer_end_cycle: Go's endCycle and PI controller), and the assist ratio
// (pacer_assist_ratio: Go's revise) makes the allocating goroutine pay for the mark
// work left, so a cycle ends near the goal and overshoots it as Go's may. gcmode=stw
// stops the world, so nothing is allocated while it marks: a cycle that starts at
// heap size X ends at X, and it starts at the goal (rt/gc.c).
//
// Worked example (tests/unit/pacer_test.c): H_m = 100 MiB, S = 1 MiB, G = 1 MiB,
// GOGC = 100: goal = 100 + 102 = 202 MiB. With GOGC = 50: 100 + 51 = 151 MiB. With
// L = 160 MiB, M = 130 MiB, F = 10 MiB, A = 110 MiB: N = 10 MiB, O = 0, goal_limit =
// 160 - 10 - 1 = 149 MiB < 202, so the goal is 149 MiB.
#include "rt/pacer.h"

// Resets p to the state Go's gcControllerState.init leaves.
void pacer_init(pacer_t *p, int32_t gc_percent, int64_t memory_limit) {
    *p = (pacer_t){0};
    p->heap_minimum = PACER_DEFAULT_HEAP_MINIMUM;
    p->triggered = ~0ull;
    p->memory_limit = PACER_NO_LIMIT;
    pacer_set_percent(p, gc_percent);
    pacer_set_memory_limit(p, memory_limit);
    pacer_commit(p, true, 0);
}

// Returns the previous GOGC. Negative means off (-1), as setGCPercent.
int32_t pacer_set_percent(pacer_t *p, int32_t gc_percent) {
    int32_t old = p->gc_percent;
    if (gc_percent < 0)
        gc_percent = -1;
    // mgcpacer.go setGCPercent: heapMinimum = defaultHeapMinimum * GOGC / 100. With
    // GOGC off Go computes this in uint64 and wraps; the value is then unused since
    // the GOGC goal is infinite, so spanlab stores "infinite" directly.
    p->heap_minimum = gc_percent < 0 ? ~0ull
                                     : PACER_DEFAULT_HEAP_MINIMUM * (uint64_t)gc_percent / 100;
    p->gc_percent = gc_percent;
    return old;
}

// Returns the previous limit; a negative argument only reads.
int64_t pacer_set_memory_limit(pacer_t *p, int64_t limit) {
    int64_t old = p->memory_limit;
    if (limit >= 0)
        p->memory_limit = limit;
    return old;
}

// Recomputes the GOGC goal, the sweep-distance trigger and the runway.
void pacer_commit(pacer_t *p, bool sweep_done, uint64_t heap_live) {
    p->sweep_dist_min_trigger = sweep_done ? 0 : heap_live + PACER_SWEEP_MIN_HEAP_DISTANCE;
    // LAB 6 BEGIN: the GOGC goal: live heap plus GOGC percent of the scan work, floored
    uint64_t goal = ~0ull;
    if (p->gc_percent >= 0)
        goal = p->heap_marked + (p->heap_marked + p->last_stack_scan + p->globals_scan) *
                                    (uint64_t)p->gc_percent / 100;
    if (goal < p->heap_minimum)
        goal = p->heap_minimum;
    // LAB 6 STUB
    // uint64_t goal = p->heap_minimum; // stub: the floor (4 MiB at GOGC=100), always
    // LAB 6 END
    p->percent_goal = goal;
    double work = (double)(p->last_heap_scan + p->last_stack_scan + p->globals_scan);
    double cm = p->cons_mark > 0 ? p->cons_mark : 0;
    p->runway = (uint64_t)(cm * (1 - PACER_GOAL_UTILIZATION) / PACER_GOAL_UTILIZATION * work);
}

// Returns the heap goal the memory limit allows (mgcpacer.go memoryLimitHeapGoal).
uint64_t pacer_memlimit_goal(const pacer_t *p) {
    // LAB 6 BEGIN: the limit's goal: limit - what the heap cannot use - overage - headroom
    uint64_t limit = (uint64_t)p->memory_limit;
    uint64_t mapped = p->mapped_ready;
    uint64_t heapish = p->heap_free + p->heap_alloc;
    uint64_t nonheap = mapped > heapish ? mapped - heapish : 0; // Go spins until consistent
    uint64_t overage = mapped > limit ? mapped - limit : 0;
    if (nonheap + overage >= limit)
        return p->heap_marked;
    uint64_t goal = limit - (nonheap + overage);
    if (goal < PACER_MEMLIMIT_HEADROOM || goal - PACER_MEMLIMIT_HEADROOM < PACER_MEMLIMIT_HEADROOM)
        goal = PACER_MEMLIMIT_HEADROOM;
    else
        goal -= PACER_MEMLIMIT_HEADROOM;
    if (goal < p->heap_marked)
        goal = p->heap_marked;
    return goal;
    // LAB 6 STUB
    // (void)p;
    // return ~0ull; // stub: the limit never lowers the goal
    // LAB 6 END
}

// Returns the heap goal (mgcpacer.go heapGoalInternal).
uint64_t pacer_heap_goal(const pacer_t *p, uint64_t *min_trigger) {
    // LAB 6 BEGIN: the lower goal; when GOGC's wins, sweep distance and minimum runway
    uint64_t goal = p->percent_goal, mint = 0;
    uint64_t lgoal = pacer_memlimit_goal(p);
    if (lgoal < goal) {
        goal = lgoal;
    } else {
        if (p->sweep_dist_min_trigger > goal)
            goal = p->sweep_dist_min_trigger;
        mint = p->sweep_dist_min_trigger;
        if (p->triggered != ~0ull && goal < p->triggered + PACER_MIN_RUNWAY)
            goal = p->triggered + PACER_MIN_RUNWAY;
    }
    if (min_trigger)
        *min_trigger = mint;
    return goal;
    // LAB 6 STUB
    // // Stub: the GOGC goal, whatever the limit says.
    // if (min_trigger)
    //     *min_trigger = 0;
    // return p->percent_goal;
    // LAB 6 END
}

// Returns Go's trigger point (mgcpacer.go trigger); never above the goal.
uint64_t pacer_trigger(const pacer_t *p, uint64_t *goalp) {
    uint64_t mint;
    uint64_t goal = pacer_heap_goal(p, &mint);
    if (goalp)
        *goalp = goal;
    uint64_t hm = p->heap_marked;
    if (hm >= goal)
        return goal;
    if (mint < hm)
        mint = hm;
    uint64_t lower = (goal - hm) / PACER_TRIGGER_RATIO_DEN * PACER_MIN_TRIGGER_RATIO_NUM + hm;
    if (mint < lower)
        mint = lower;
    uint64_t maxt = (goal - hm) / PACER_TRIGGER_RATIO_DEN * PACER_MAX_TRIGGER_RATIO_NUM + hm;
    if (goal > PACER_DEFAULT_HEAP_MINIMUM && goal - PACER_DEFAULT_HEAP_MINIMUM > maxt)
        maxt = goal - PACER_DEFAULT_HEAP_MINIMUM;
    if (maxt < mint)
        maxt = mint;
    uint64_t trig = p->runway > goal ? mint : goal - p->runway;
    if (trig < mint)
        trig = mint;
    if (trig > maxt)
        trig = maxt;
    return trig;
}

// mgcpacer.go endCycle and piController.next, with its consMarkController's tuning.
void pacer_end_cycle(pacer_t *p, uint64_t heap_live, uint64_t scan_work, double utilization,
                     double idle_utilization) {
    if (p->triggered == ~0ull || heap_live <= p->triggered || scan_work == 0 ||
        utilization >= 1)
        return; // a cycle too short to say anything (Go ignores it too)
    double cur = (double)(heap_live - p->triggered) * (utilization + idle_utilization) /
                 ((double)scan_work * (1 - utilization));
    const double kp = 0.9, ti = 4.0, tt = 1000, lo = -1000, hi = 1000;
    double raw = kp * (cur - p->cons_mark) + p->cons_mark_integral;
    if (raw != raw || raw > 1e300 || raw < -1e300) { // overflow: reset, as Go's
        p->cons_mark_integral = 0;
        p->cons_mark = 0;
        return;
    }
    double out = raw < lo ? lo : raw > hi ? hi : raw;
    p->cons_mark_integral += kp / ti * (cur - p->cons_mark) + (out - raw) / tt;
    p->cons_mark = out;
}

// Returns assistWorkPerByte (mgcpacer.go revise).
double pacer_assist_ratio(const pacer_t *p, uint64_t goal, uint64_t triggered,
                          uint64_t heap_live, uint64_t work, uint64_t max_scan) {
    double expected = (double)(p->last_heap_scan + p->last_stack_scan + p->globals_scan);
    double g = (double)goal;
    if ((double)work > expected) {
        double ext = expected > 0 ? (g - (double)triggered) / expected * (double)max_scan +
                                        (double)triggered
                                  : g;
        double pct = p->gc_percent < 0 ? 100 : p->gc_percent;
        double hard = (1.0 + pct / 100.0) * g;
        if (ext > hard)
            ext = hard;
        g = ext;
        expected = (double)max_scan;
    }
    if ((double)heap_live > g) {
        g *= 1.1; // maxOvershoot
        expected = (double)max_scan;
    }
    double remaining = expected - (double)work;
    if (remaining < 1000)
        remaining = 1000;
    double heap_left = g - (double)heap_live;
    if (heap_left <= 0)
        heap_left = 1;
    return remaining / heap_left;
}
