// The scenario contract: one Go allocator pitfall, told once in its .text (the buggy
// code, the fix, what to look at, why) and run in variants (at least buggy and fixed).
//
// Each variant runs in a fresh runtime (fresh heap arenas, goroutines, timers; the
// previous runtime's memory fully released) on a main goroutine. A panic, deadlock or
// out-of-memory inside a variant ends that variant and is its outcome; the run goes
// on. After the variant the runner prints a human report and one RESULT line with the
// common keys (MemStats, page counts, goroutines, timers) followed by the keys the
// variant recorded with sc_key(). When every variant has run, the scenario's checks
// compare them and print one CHECK line each.
#ifndef SPANLAB_SCENARIO_H
#define SPANLAB_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_MAX_KEYS 24
#define SC_MAX_VARIANTS 4

typedef struct sc_run sc_run_t;
typedef struct sc_results sc_results_t;

typedef struct sc_variant {
    const char *name;                   // "buggy", "fixed", ...
    const char *what;                   // one line: what this variant does
    void (*run)(sc_run_t *r, int mode); // runs on the main goroutine of a fresh runtime
    int mode;                           // passed to run: which form of the code it runs
    const char *expected_outcome;       // NULL: completes; "deadlock", "oom" or "panic"
} sc_variant_t;

// A check that cannot hold under a mode of the run, and why: a debug mode changes
// what the check compares (gcstress=N adds a collection every N allocations, so a
// count of GC cycles counts those too). Under that mode the check prints a SKIP
// line with the reason instead of a verdict; in every other run it is checked.
typedef struct sc_mode_skip {
    const char *mode;  // "gcverify", "gcpoison", "gcstress" (active when not 0), or "madv=free"
    const char *check; // the check's name, as given to sc_check
    const char *why;   // one line: why the check cannot hold under the mode
} sc_mode_skip_t;

typedef struct sc_scenario {
    int number;              // 1..18, the original text's bug number
    const char *slug;        // "slice_pin"
    const char *title;       // the original text's title
    const char *family;      // pinning | escape and boxing | accounting and lifecycle | goroutines and timers
    const char *go_versions; // which Go versions behave so ("1.19", "all", "< 1.23")
    const char *text;        // the page: code, fix, what to look at, what Go 1.19 really does
    sc_variant_t variants[SC_MAX_VARIANTS];
    uint64_t ram_needed;                // bytes of guest RAM needed at scale=1
    void (*checks)(sc_results_t *res);  // prints CHECK lines via sc_check
    const sc_mode_skip_t *mode_skips;   // NULL, or checks skipped under a mode, ended by {0}
} sc_scenario_t;

// Registers a scenario (a static sc_scenario_t) in the "spanlab_scenarios" section.
#define SC_REGISTER(sym)                                                   \
    __attribute__((used, section("spanlab_scenarios"), aligned(8)))       \
    static const sc_scenario_t *const sc_entry_##sym = &(sym)

// ---- inside a variant ----------------------------------------------------

// Records a scenario key for the RESULT line and the checks (integers only).
void sc_key(sc_run_t *r, const char *name, int64_t value);

// The size scale from scale= (>= 1); scenarios multiply their sizes by it.
int64_t sc_scale(void);
// per_scale * scale=, times 1 + k/64 with k in [1, 32] picked by labseed=N (N > 0),
// so that each student of a lab (docs/labs/README.md) gets sizes of their own; exactly
// per_scale * scale= without labseed. Multiples of 64 stay multiples of the unit.
int64_t sc_scaled(int64_t per_scale);

// Names the moment the variant has reached ("after runtime.GC()", "after delete"):
// with trace=1 a TRACE sample of the heap, pages counted, that plots mark with
// the name (rt/memtrace.h); nothing otherwise.
void sc_phase(sc_run_t *r, const char *name);

// Prints a line of the human report, indented under the variant.
void sc_say(sc_run_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// ---- checks, after every variant has run ---------------------------------

// A key of a variant ("buggy", "retained_bytes"), common keys included
// (heap_alloc, mallocs, num_gc, resident_pages, goroutines ...). A missing key or
// variant reads as 0 and fails the next sc_check, which names it: fetch the keys a
// check uses in its own arguments, so that the check that asks is the one failing.
int64_t sc_get(sc_results_t *res, const char *variant, const char *key);

// a / b for a check's value; b < 1 counts as 1 (a missing key reads 0, and its
// check fails anyway).
int64_t sc_div(int64_t a, int64_t b);

// The outcome of a variant: "ok", "deadlock", "oom" or "panic".
const char *sc_outcome(const sc_results_t *res, const char *variant);

// Prints `CHECK bug=NN name=NAME value=V expect=OPX PASS|FAIL` and counts it.
// op is one of ">=", "<=", "==", ">", "<", "!=". A key sc_get missed since the last
// check makes it FAIL whatever the value, with ` missing=VARIANT.KEY,...` appended.
// A check the scenario's mode_skips names for an active mode prints
// `SKIP bug=NN name=NAME value=V expect=OPX under=MODE: WHY` instead and counts as
// skipped. Returns whether it passed (a skip returns true).
bool sc_check(sc_results_t *res, const char *name, int64_t value, const char *op, int64_t expect);

// ---- the runner ------------------------------------------------------------

// Runs the scenarios selected by run= ("all" or "N,M,..."), prints every report,
// the summary table and "N passed, N failed". Returns true when every check passed.
bool sc_run_selected(const char *selection);

// Prints the list of scenarios (number, title) for menus and help.
void sc_list(void);

#endif
