// Bug 5: returning a pointer to a local.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "rt/alloc.h"
#include "rt/types.h"
#include "rt/runtime.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define ITERATIONS_PER_SCALE 1000000 // the original text's 10,000,000, scaled for TCG

typedef struct point {
    double x, y;
} point_t;
static GOTYPE_STRUCT(point_type, point_t, "main.Point"); // no pointers: noscan

static point_t *sink; // a package-level *Point the result is stored into

static int64_t iterations(void) { return ITERATIONS_PER_SCALE * sc_scale(); }

// NewPoint when &p escapes: moved to heap (new(Point)).
static __attribute__((noinline)) point_t *new_point_heap(double x, double y) {
    point_t *p = rt_new(&point_type);
    p->x = x;
    p->y = y;
    return p;
}

// NewPoint inlined into a caller that drops the result: p stays on the stack.
static inline double new_point_inlined(double x, double y) {
    point_t p = {x, y};
    return p.x; // `_ = NewPoint(...)`: nothing outlives the iteration
}

// NewPoint returning by value: the fix.
static __attribute__((noinline)) point_t new_point_value(double x, double y) {
    return (point_t){x, y};
}

static void finish(sc_run_t *r, uint64_t mallocs0, uint64_t gc0, double checksum) {
    sc_phase(r, "loop done");
    sc_key(r, "iterations", iterations());
    sc_key(r, "loop_mallocs", (int64_t)(sc_mallocs() - mallocs0));
    sc_key(r, "allocs_per_call", (int64_t)((sc_mallocs() - mallocs0) / (uint64_t)iterations()));
    sc_key(r, "loop_gcs", (int64_t)(sc_memstats()->NumGC - gc0));
    sc_say(r, "%lld calls: %llu heap allocations, %llu GC cycles (checksum %.0f)",
           (long long)iterations(), (unsigned long long)(sc_mallocs() - mallocs0),
           (unsigned long long)(sc_memstats()->NumGC - gc0), checksum);
}

// C has no escape analysis: each variant says where the Point lives, as Go decides.

// The original text's main: `_ = NewPoint(float64(i), 0)`, inlined by Go: no allocation.
static void seed(sc_run_t *r, int mode) {
    uint64_t m0 = sc_mallocs(), g0 = sc_memstats()->NumGC;
    double sum = 0;
    for (int64_t i = 0; i < iterations(); i++)
        sum += new_point_inlined((double)i, 0);
    finish(r, m0, g0, sum);
}

// The pointer outlives the call: sink = NewPoint(...). One allocation each.
static void buggy(sc_run_t *r, int mode) {
    rt_add_root(&sink, sizeof sink, &gotype_pointer);
    uint64_t m0 = sc_mallocs(), g0 = sc_memstats()->NumGC;
    double sum = 0;
    for (int64_t i = 0; i < iterations(); i++) {
        sink = new_point_heap((double)i, 0);
        sum += sink->x;
    }
    finish(r, m0, g0, sum);
}

// Return by value: the Point is copied into the caller's frame.
static void fixed(sc_run_t *r, int mode) {
    uint64_t m0 = sc_mallocs(), g0 = sc_memstats()->NumGC;
    double sum = 0;
    for (int64_t i = 0; i < iterations(); i++)
        sum += new_point_value((double)i, 0).x;
    finish(r, m0, g0, sum);
}

static void checks(sc_results_t *res) {
    sc_check(res, "seed_inlined_allocs_nothing", sc_get(res, "seed", "loop_mallocs"), "==", 0);
    sc_check(res, "buggy_one_alloc_per_call", sc_get(res, "buggy", "loop_mallocs"), "==",
             sc_get(res, "buggy", "iterations"));
    sc_check(res, "buggy_runs_the_gc", sc_get(res, "buggy", "loop_gcs"), ">=", 1);
    sc_check(res, "fixed_allocs_nothing", sc_get(res, "fixed", "loop_mallocs"), "==", 0);
    sc_check(res, "fixed_no_gc", sc_get(res, "fixed", "loop_gcs"), "==", 0);
}

static const sc_scenario_t bug05 = {
    .number = 5,
    .slug = "escape_local",
    .title = "Returning pointer to a local - looks stack-friendly, isn't",
    .family = "escape and boxing",
    .go_versions = "all (inlining of NewPoint since Go 1.12's mid-stack inlining)",
    .text =
        "  func NewPoint(x, y float64) *Point { p := Point{X: x, Y: y}; return &p }\n"
        "  for i := 0; i < 10_000_000; i++ { _ = NewPoint(float64(i), 0) }\n"
        "What Go really does with the original text's loop (variant seed): NewPoint\n"
        "inlines, &p goes nowhere, and p stays on the stack - 0 allocations. The cost\n"
        "appears when the pointer outlives the call, e.g. stored in a package variable:\n"
        "one 16-byte allocation per call and GC cycles (variant buggy). Returning the\n"
        "Point by value allocates nothing (variant fixed).\n"
        "Look at: loop_mallocs and loop_gcs.",
    .variants = {
        {"seed", "the original text's loop: NewPoint inlined, result dropped", seed, 0, NULL},
        {"buggy", "sink = NewPoint(...): p moved to the heap", buggy, 0, NULL},
        {"fixed", "NewPoint returns Point by value", fixed, 0, NULL},
    },
    .ram_needed = 64ull << 20,
    .checks = checks,
};
SC_REGISTER(bug05);
