// Bug 12: append without a capacity hint.
//
// Appending to a nil slice grows it through runtime.growslice (slice.go, Go 1.19):
// double the capacity below 256 elements, then grow by (newcap + 3*256)/4 until it
// fits, then round the byte size up to the malloc size class (msize.go
// roundupsize). Every growth allocates a new array and copies the old elements.
// The counts below come from rt/slice.c's counters of real reallocations, and the
// check recomputes the sequence from the growth rule independently of them.
#include "rt/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define ITEMS_PER_SCALE 1000000 // the seed's 10,000,000, scaled for TCG

static int64_t items_len(void) { return ITEMS_PER_SCALE * sc_scale(); }

// Collect(items, keep even): out grows from nil (buggy) or from a hint (fixed).
static __attribute__((noinline)) goslice_t collect(goslice_t items, bool hint) {
    PROF_SITE("main.Collect");
    goslice_t out = hint ? slice_make(&gotype_int64, 0, items.len) : (goslice_t){0};
    const int64_t *x = items.ptr;
    for (int64_t i = 0; i < items.len; i++)
        if (x[i] % 2 == 0)
            out = slice_append(&gotype_int64, out, &x[i], 1);
    return out;
}

static void run(sc_run_t *r, bool hint) {
    goslice_t items;
    {
        PROF_SITE("main.main"); // items := make([]int, N)
        items = slice_make(&gotype_int64, items_len(), items_len());
    }
    int64_t *x = items.ptr;
    for (int64_t i = 0; i < items.len; i++)
        x[i] = i;
    sc_phase(r, "items made");
    slice_stats_reset();
    uint64_t mallocs0 = sc_mallocs();
    goslice_t out = collect(items, hint);
    sc_phase(r, "Collect done");
    sc_key(r, "kept", out.len);
    sc_key(r, "reallocs", (int64_t)slice_stats.reallocs);
    sc_key(r, "bytes_copied", (int64_t)slice_stats.bytes_copied);
    sc_key(r, "final_cap", out.cap);
    sc_key(r, "bytes_allocated", (int64_t)(slice_stats.bytes_allocated + slice_stats.make.bytes));
    sc_key(r, "collect_mallocs", (int64_t)(sc_mallocs() - mallocs0));
    sc_say(r, "kept %lld of %lld: %llu reallocations, %llu bytes copied, final cap %lld",
           (long long)out.len, (long long)items.len, (unsigned long long)slice_stats.reallocs,
           (unsigned long long)slice_stats.bytes_copied, (long long)out.cap);
}

static void buggy(sc_run_t *r) { run(r, false); }
static void fixed(sc_run_t *r) { run(r, true); }

// Go 1.19's growth rule written out again, for the check: the number of
// reallocations appending one element at a time to reach n elements.
static int64_t expected_reallocs(int64_t n, int64_t *final_cap) {
    int64_t cap = 0, count = 0;
    while (cap < n) {
        int64_t newcap = cap, needed = cap + 1;
        if (needed > 2 * cap) {
            newcap = needed;
        } else if (cap < 256) {
            newcap = 2 * cap;
        } else {
            while (newcap < needed)
                newcap += (newcap + 3 * 256) / 4;
        }
        cap = (int64_t)(gosem_roundupsize((size_t)newcap * 8) / 8);
        count++;
    }
    *final_cap = cap;
    return count;
}

static void checks(sc_results_t *res) {
    int64_t kept = sc_get(res, "buggy", "kept");
    int64_t final_cap;
    int64_t want = expected_reallocs(kept, &final_cap);
    sc_check(res, "buggy_reallocs_follow_go119_rule", sc_get(res, "buggy", "reallocs"), "==", want);
    sc_check(res, "buggy_final_cap_follows_rule", sc_get(res, "buggy", "final_cap"), "==", final_cap);
    sc_check(res, "buggy_copies_more_than_result", sc_get(res, "buggy", "bytes_copied"), ">", kept * 8);
    sc_check(res, "fixed_reallocs", sc_get(res, "fixed", "reallocs"), "==", 0);
    sc_check(res, "fixed_bytes_copied", sc_get(res, "fixed", "bytes_copied"), "==", 0);
    sc_check(res, "fixed_one_malloc", sc_get(res, "fixed", "collect_mallocs"), "==", 1);
    sc_check(res, "buggy_mallocs_equal_reallocs", sc_get(res, "buggy", "collect_mallocs"), "==", want);
}

static const sc_scenario_t bug12 = {
    .number = 12,
    .slug = "append_growth",
    .title = "append without capacity hint",
    .family = "accounting and lifecycle",
    .go_versions = "1.18+ (the 256-element threshold; 1.17 and older used 1024 and x1.25)",
    .text =
        "  var out []int\n"
        "  for _, x := range items { if keep(x) { out = append(out, x) } }   // BUG\n"
        "growslice doubles below 256 elements, then grows by (newcap+3*256)/4 until it\n"
        "fits, then rounds the bytes up to the size class; each growth allocates and\n"
        "copies. Fix: out := make([]int, 0, len(items)) - one allocation, no copies.\n"
        "Look at: reallocs, bytes_copied, bytes_allocated and final_cap.",
    .variants = {
        {"buggy", "append to a nil slice", buggy, NULL},
        {"fixed", "append to make([]int, 0, len(items))", fixed, NULL},
    },
    .ram_needed = (uint64_t)ITEMS_PER_SCALE * 8 * 6,
    .checks = checks,
};
SC_REGISTER(bug12);
