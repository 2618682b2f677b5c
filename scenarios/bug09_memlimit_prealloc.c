// Bug 9: a huge pre-allocation against GOMEMLIMIT.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <string.h>
#include "rt/gc_barrier.h"
#include "rt/gc.h"
#include "rt/runtime.h"
#include "golib/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"
#include "sys/sys.h"

#define MIB (1ull << 20)
#define SCRATCH_PER_SCALE (96 * MIB) // the original text's 1 GiB scratch
#define LIMIT_PER_SCALE (160 * MIB)  // the original text's 2 GiB GOMEMLIMIT
#define LIVE_PER_SCALE (32 * MIB)    // the original text's ~500 MiB of real work, the live part
#define CHURN_PER_SCALE (256 * MIB)  // bytes allocated by the work in all
#define CHUNK (64 * 1024)
#define TOUCHED (1 * MIB)            // "only the first MiB is ever touched"

static goslice_t scratch; // var scratch = make([]byte, ...)
static goslice_t live;    // the work's live set: a ring of chunks ([][]byte)

// The real work: allocate CHURN bytes in 64 KiB chunks, keeping the last LIVE bytes.
static __attribute__((noinline)) void work(void) {
    PROF_SITE("main.work");
    int64_t slots = (int64_t)((uint64_t)sc_scaled(LIVE_PER_SCALE) / CHUNK);
    int64_t chunks = (int64_t)((uint64_t)sc_scaled(CHURN_PER_SCALE) / CHUNK);
    live = slice_make(&gotype_slice, slots, slots);
    goslice_t *ring = live.ptr;
    for (int64_t i = 0; i < chunks; i++) {
        goslice_t c = slice_make(&gotype_uint8, CHUNK, CHUNK);
        ((uint8_t *)c.ptr)[0] = (uint8_t)i;
        GC_STORE(ring[i % slots], c);
    }
}

// The variants' modes (sc_variant_t.mode).
enum scratch_mode { LAZY_SCRATCH, PREALLOC };

static void run(sc_run_t *r, int mode) {
    bool prealloc = mode == PREALLOC;
    rt_add_root(&scratch, sizeof scratch, &gotype_slice);
    rt_add_root(&live, sizeof live, &gotype_slice);
    uint64_t limit = (uint64_t)sc_scaled(LIMIT_PER_SCALE);
    uint64_t size = prealloc ? (uint64_t)sc_scaled(SCRATCH_PER_SCALE) : TOUCHED;
    int old_gogc = gc_set_percent(-1);    // GOGC=off ...
    gc_set_memory_limit((int64_t)limit);  // ... and debug.SetMemoryLimit
    {
        PROF_SITE("main.main"); // var scratch = make([]byte, ...)
        scratch = slice_make(&gotype_uint8, (int64_t)size, (int64_t)size);
    }
    memset(scratch.ptr, 1, TOUCHED);      // only the first MiB is used
    sc_phase(r, "scratch made, 1 MiB used");
    uint64_t gc0 = sc_memstats()->NumGC;
    work();
    uint64_t gcs = sc_memstats()->NumGC - gc0;
    sc_phase(r, "work done");
    uint64_t reachable = sc_heap_alloc_after_gc() - size; // the scratch aside
    sc_phase(r, "after runtime.GC()");
    sys_page_counts_t pc = {0};
    sys_count(scratch.ptr, (size_t)size, &pc);
    sc_key(r, "scratch_bytes", (int64_t)size);
    sc_key(r, "limit_bytes", (int64_t)limit);
    sc_key(r, "live_bytes", (int64_t)reachable);
    sc_key(r, "scratch_resident_pages", (int64_t)pc.resident);
    sc_key(r, "scratch_committed_pages", (int64_t)pc.committed);
    sc_key(r, "work_gcs", (int64_t)gcs);
    sc_say(r, "scratch %llu MiB: %llu pages committed, %llu resident; limit %llu MiB",
           (unsigned long long)(size >> 20), (unsigned long long)pc.committed,
           (unsigned long long)pc.resident, (unsigned long long)(limit >> 20));
    sc_say(r, "the work (%llu MiB allocated, %llu MiB live after it) ran %llu GC cycles; NextGC %llu MiB",
           (unsigned long long)((uint64_t)sc_scaled(CHURN_PER_SCALE) >> 20),
           (unsigned long long)(reachable >> 20),
           (unsigned long long)gcs, (unsigned long long)(sc_memstats()->NextGC >> 20));
    gc_set_memory_limit(INT64_MAX);
    gc_set_percent(old_gogc);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_scratch_committed", sc_get(res, "buggy", "scratch_committed_pages"), ">=",
             sc_get(res, "buggy", "scratch_bytes") / 4096);
    sc_check(res, "buggy_scratch_mostly_not_resident", sc_get(res, "buggy", "scratch_resident_pages"), "<=", (int64_t)(TOUCHED / 4096) + 16);
    sc_check(res, "buggy_heap_counts_scratch", sc_get(res, "buggy", "heap_alloc"), ">=", sc_get(res, "buggy", "scratch_bytes"));
    sc_check(res, "buggy_more_gcs_x2", sc_get(res, "buggy", "work_gcs"), ">=", 2 * sc_get(res, "fixed", "work_gcs"));
    sc_check(res, "fixed_still_collects", sc_get(res, "fixed", "work_gcs"), ">=", 1);
}

static const sc_scenario_t bug09 = {
    .number = 9,
    .slug = "memlimit_prealloc",
    .title = "Pre-allocating a huge buffer against GOMEMLIMIT",
    .family = "accounting and lifecycle",
    .go_versions = "1.19+ (GOMEMLIMIT)",
    .text =
        "  var scratch = make([]byte, 1<<30)   // only the first MiB is ever touched\n"
        "  debug.SetMemoryLimit(2 << 30)   // with GOGC=off, as the limit is meant to be used\n"
        "The scratch is one large object: all of it counts in HeapAlloc and in what\n"
        "the memory limit is measured against, while the OS sees only the touched\n"
        "pages resident (the arena map shows it committed, 'c', not resident). Near\n"
        "the limit the pacer has little room left and collects far more often.\n"
        "(With GOGC=100 on, the scratch doubles the GOGC goal too and, in the original\n"
        "text's numbers, both programs keep ~0.5 GiB of headroom: no difference.)\n"
        "Fix: allocate the scratch lazily, as much as is used.\n"
        "Look at: scratch_committed_pages vs scratch_resident_pages, work_gcs, num_gc.",
    .variants = {
        {"buggy", "a 1 GiB-style scratch up front, then the work", run, PREALLOC, NULL},
        {"fixed", "scratch only as large as used, then the work", run, LAZY_SCRATCH, NULL},
    },
    .ram_needed = (SCRATCH_PER_SCALE + LIMIT_PER_SCALE),
    .checks = checks,
    .mode_skips = (const sc_mode_skip_t[]){
        {"gcstress", "buggy_more_gcs_x2",
         "gcstress collects every N allocations in both variants, so work_gcs counts those "
         "cycles, not the ones the memory limit forces"},
        {0}},
};
SC_REGISTER(bug09);
