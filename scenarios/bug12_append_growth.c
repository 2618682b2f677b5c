// Bug 12: append without a capacity hint.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "golib/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define ITEMS_PER_SCALE 1000000 // the original text's 10,000,000, scaled for TCG

static int64_t items_len(void) { return sc_scaled(ITEMS_PER_SCALE); }

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

// The variants' modes (sc_variant_t.mode).
enum append_mode { NIL_SLICE, CAP_HINT };

static void run(sc_run_t *r, int mode) {
    bool hint = mode == CAP_HINT;
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
    uint64_t mallocs0 = sc_mallocs(), bytes0 = sc_total_alloc();
    goslice_t out = collect(items, hint);
    sc_phase(r, "Collect done");
    sc_key(r, "kept", out.len);
    sc_key(r, "reallocs", (int64_t)slice_stats.reallocs);
    sc_key(r, "bytes_copied", (int64_t)slice_stats.bytes_copied);
    sc_key(r, "final_cap", out.cap);
    // What the heap handed out (MemStats.TotalAlloc): a large array counts its pages.
    sc_key(r, "bytes_allocated", (int64_t)(sc_total_alloc() - bytes0));
    sc_key(r, "collect_mallocs", (int64_t)(sc_mallocs() - mallocs0));
    sc_say(r, "kept %lld of %lld: %llu reallocations, %llu bytes copied, final cap %lld",
           (long long)out.len, (long long)items.len, (unsigned long long)slice_stats.reallocs,
           (unsigned long long)slice_stats.bytes_copied, (long long)out.cap);
}


// Go 1.19's size classes in bytes: class_to_size from runtime/sizeclasses.go,
// copied here rather than taken from the runtime, so that a wrong rounding in the
// runtime (mm/sizeclass.c) makes the check below disagree instead of agree.
static const uint16_t go119_class_to_size[68] = {
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144,
    160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
    448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408,
    1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144,
    6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384,
    18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
};

// Go 1.19's roundupsize (msize.go): the smallest size class holding size; from
// 32 KiB up, whole 8 KiB pages.
static uint64_t go119_roundupsize(uint64_t size) {
    if (size < 32768)
        for (int c = 0; c < 68; c++)
            if (go119_class_to_size[c] >= size)
                return go119_class_to_size[c];
    return (size + 8191) & ~(uint64_t)8191;
}

// Go 1.19's growth rule written out again, for the check: the number of
// reallocations appending one element at a time to reach n elements, and the
// final capacity (*final_cap).
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
        cap = (int64_t)(go119_roundupsize((uint64_t)newcap * 8) / 8);
        count++;
    }
    *final_cap = cap;
    return count;
}

// The rule's final capacity for n elements.
static int64_t expected_final_cap(int64_t n) {
    int64_t final_cap;
    expected_reallocs(n, &final_cap);
    return final_cap;
}

// The counts checked come from golib/slice.c's counters of real reallocations; the
// expected ones are recomputed above from the growth rule and a copy of Go's size
// classes, independently of the runtime.
static void checks(sc_results_t *res) {
    int64_t unused;
    sc_check(res, "buggy_reallocs_follow_go119_rule", sc_get(res, "buggy", "reallocs"), "==",
             expected_reallocs(sc_get(res, "buggy", "kept"), &unused));
    sc_check(res, "buggy_final_cap_follows_rule", sc_get(res, "buggy", "final_cap"), "==",
             expected_final_cap(sc_get(res, "buggy", "kept")));
    sc_check(res, "buggy_copies_more_than_result", sc_get(res, "buggy", "bytes_copied"), ">",
             sc_get(res, "buggy", "kept") * 8);
    sc_check(res, "fixed_reallocs", sc_get(res, "fixed", "reallocs"), "==", 0);
    sc_check(res, "fixed_bytes_copied", sc_get(res, "fixed", "bytes_copied"), "==", 0);
    sc_check(res, "fixed_one_malloc", sc_get(res, "fixed", "collect_mallocs"), "==", 1);
    sc_check(res, "buggy_mallocs_equal_reallocs", sc_get(res, "buggy", "collect_mallocs"), "==",
             expected_reallocs(sc_get(res, "buggy", "kept"), &unused));
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
        {"buggy", "append to a nil slice", run, NIL_SLICE, NULL},
        {"fixed", "append to make([]int, 0, len(items))", run, CAP_HINT, NULL},
    },
    .ram_needed = (uint64_t)ITEMS_PER_SCALE * 8 * 6,
    .checks = checks,
};
SC_REGISTER(bug12);
