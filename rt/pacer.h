// The GC pacer: Go 1.19's heap-goal and trigger formulas (runtime/mgcpacer.go) as pure
// functions of a small state struct, so tests can feed worked examples. rt/gc.c owns
// one pacer_t, updates its inputs at each cycle and asks it when to collect.
// The formulas and their derivation are in the header comment of rt/pacer.c.
#ifndef SPANLAB_PACER_H
#define SPANLAB_PACER_H

#include <stdbool.h>
#include <stdint.h>

// mgcpacer.go defaultHeapMinimum: the heap goal never drops below 4 MiB * GOGC/100.
#define PACER_DEFAULT_HEAP_MINIMUM (4ull << 20)
// mgcpacer.go memoryLimitHeapGoalHeadroom: the memory-limit goal keeps 1 MiB spare.
#define PACER_MEMLIMIT_HEADROOM (1ull << 20)
// mgc.go sweepMinHeapDistance: runway kept for concurrent sweeping.
#define PACER_SWEEP_MIN_HEAP_DISTANCE (1ull << 20)
// mgcpacer.go trigger bounds: the trigger lies between 45/64 and 61/64 of the way
// from the marked heap to the goal (triggerRatioDen, min/maxTriggerRatioNum).
#define PACER_TRIGGER_RATIO_DEN 64
#define PACER_MIN_TRIGGER_RATIO_NUM 45
#define PACER_MAX_TRIGGER_RATIO_NUM 61
// mgcpacer.go heapGoalInternal minRunway: the goal stays 64 KiB above the heap size
// at which the last cycle was triggered.
#define PACER_MIN_RUNWAY (64ull << 10)
// mgcpacer.go gcGoalUtilization: 25% of the CPU for background marking.
#define PACER_GOAL_UTILIZATION 0.25
// math.MaxInt64: "no memory limit".
#define PACER_NO_LIMIT INT64_MAX

typedef struct pacer {
    // knobs
    int32_t gc_percent;     // GOGC; -1 = off
    int64_t memory_limit;   // GOMEMLIMIT bytes; PACER_NO_LIMIT = none
    uint64_t heap_minimum;  // 4 MiB * GOGC/100 (setGCPercent)
    // inputs from the last cycle
    uint64_t heap_marked;     // bytes marked live by the last cycle
    uint64_t last_heap_scan;  // heap bytes scanned (scannable prefix) last cycle
    uint64_t last_stack_scan; // stack bytes scanned last cycle
    uint64_t globals_scan;    // bytes of globals (registered roots)
    double cons_mark;         // allocation rate / mark rate (pacer_end_cycle; 0 for stw)
    double cons_mark_integral; // the cons/mark PI controller's integral term
    uint64_t triggered;       // heap_live at which the last cycle started; ~0 = none
    // inputs for the memory limit, current values (mgcpacer.go memoryLimitHeapGoal)
    uint64_t mapped_ready; // mapped and not released: committed runtime memory
    uint64_t heap_free;    // free heap pages not yet released (scavenged)
    uint64_t heap_alloc;   // bytes of allocated heap objects
    // outputs of pacer_commit
    uint64_t percent_goal;           // GOGC-based goal (>= heap_minimum); ~0 when off
    uint64_t sweep_dist_min_trigger; // 0 once sweeping is done
    uint64_t runway;                 // bytes of allocation the mark phase is given
} pacer_t;

// Resets p to Go's initial state for these knobs (gcControllerState.init):
// nothing marked yet, so the first goal is the heap minimum.
void pacer_init(pacer_t *p, int32_t gc_percent, int64_t memory_limit);

// setGCPercent: stores GOGC (negative = -1 = off) and the heap minimum scaled by it.
// Returns the previous value. Call pacer_commit afterwards.
int32_t pacer_set_percent(pacer_t *p, int32_t gc_percent);

// setMemoryLimit: a negative value only reads. Returns the previous value.
int64_t pacer_set_memory_limit(pacer_t *p, int64_t limit);

// commit: recomputes the GOGC goal and the runway from the inputs. heap_live is the
// current live heap (used for the sweep distance when sweep_done is false).
void pacer_commit(pacer_t *p, bool sweep_done, uint64_t heap_live);

// memoryLimitHeapGoal: the goal the memory limit allows; never below heap_marked.
uint64_t pacer_memlimit_goal(const pacer_t *p);

// heapGoal: min(GOGC goal, memory-limit goal), with the sweep-distance and minimum
// runway adjustments when not limited. *min_trigger (may be NULL) receives the
// lower bound for the trigger.
uint64_t pacer_heap_goal(const pacer_t *p, uint64_t *min_trigger);

// trigger: the heap size at which Go would start a concurrent cycle; always <= goal.
// *goal (may be NULL) receives the heap goal.
uint64_t pacer_trigger(const pacer_t *p, uint64_t *goal);

// endCycle: the cons/mark ratio of the incremental cycle just finished (heap_live
// at its termination, scan_work done, utilization = the mark's share of the CPU by
// assists and background turns, idle_utilization by idle turns), fed through Go's
// PI controller (kp 0.9, ti 4, tt 1000, output in [-1000, 1000]) into cons_mark,
// which sets the next runway (pacer_commit) and so the trigger. triggered must be
// the heap_live at which the cycle started. Call before pacer_commit.
void pacer_end_cycle(pacer_t *p, uint64_t heap_live, uint64_t scan_work, double utilization,
                     double idle_utilization);

// revise: the assist ratio, scan work per byte of allocation, so that the mark work
// left is done by the time heap_live reaches the goal. work is the scan work done
// so far this cycle, max_scan the worst case (every scannable byte live), triggered
// the heap_live at which the cycle started. Past the expected work the goal is
// extrapolated (at most (1 + GOGC/100) x goal); past the goal it gets 10% more.
double pacer_assist_ratio(const pacer_t *p, uint64_t goal, uint64_t triggered,
                          uint64_t heap_live, uint64_t work, uint64_t max_scan);

#endif
