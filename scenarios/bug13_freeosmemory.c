// Bug 13: expecting RSS to drop without a GC cycle (debug.FreeOSMemory).
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <stdint.h>
#include <string.h>
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/runtime.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define HUGE_BYTES_PER_SCALE (64ull << 20) // the original text's 500 MiB, scaled to fit TCG

static void *huge; // the original text's `huge`, a registered (precise) global root
static uint64_t released_before; // MemStats.HeapReleased before the release step

// Records how many bytes the release step released (HeapReleased, measured).
static void record_released(sc_run_t *r) {
    uint64_t now = sc_memstats()->HeapReleased;
    sc_key(r, "released_bytes", (int64_t)(now - released_before));
}

// huge := make([]byte, N) and touch every page, as the original text's program would when it
// fills the buffer; the pointer lives only in the global.
static __attribute__((noinline)) void allocate_huge(size_t bytes) {
    PROF_SITE("main.main"); // huge := make([]byte, 500<<20)
    huge = rt_newarray(&gotype_uint8, bytes);
    memset(huge, 0xab, bytes);
}

static size_t huge_bytes(void) { return (size_t)sc_scaled((int64_t)HUGE_BYTES_PER_SCALE); }

// The part every variant shares: allocate, touch, record "before", drop.
static void allocate_and_drop(sc_run_t *r) {
    rt_add_root(&huge, sizeof huge, &gotype_pointer);
    allocate_huge(huge_bytes());
    sc_phase(r, "allocated and touched");
    struct memstats m;
    heap_read_memstats(&m);
    sys_page_counts_t pc = {0};
    heap_page_counts(&pc);
    sc_key(r, "huge_bytes", (int64_t)huge_bytes());
    sc_key(r, "release_mode_free", sys_default_release_mode() == SYS_RELEASE_FREE);
    sc_key(r, "heap_inuse_before", (int64_t)m.HeapInuse);
    sc_key(r, "resident_before", (int64_t)pc.resident);
    sc_say(r, "allocated and touched %zu MiB: HeapInuse %llu MiB, %llu pages resident",
           huge_bytes() >> 20, (unsigned long long)(m.HeapInuse >> 20),
           (unsigned long long)pc.resident);
    released_before = m.HeapReleased;
    huge = NULL; // huge = nil
    sc_phase(r, "huge set to nil");
}

// The original text's mental model: release free pages now, no GC. The array is garbage,
// but its span is still in use, so there is nothing free to release.
static void release_only(sc_run_t *r, int mode) {
    allocate_and_drop(r);
    size_t released = heap_scavenge(SIZE_MAX);
    sc_phase(r, "released without a GC");
    record_released(r);
    sc_say(r, "heap_scavenge(all) without a GC released %zu bytes", released);
}

// What debug.FreeOSMemory really is: runtime.GC(), then release every free page.
// (Released in the madv= mode, dontneed by default as Go's on Linux since 1.16.)
static void freeosmemory(sc_run_t *r, int mode) {
    allocate_and_drop(r);
    sc_free_os_memory();
    sc_phase(r, "after FreeOSMemory");
    record_released(r);
    bool lazy = sys_default_release_mode() == SYS_RELEASE_FREE;
    sc_say(r, "debug.FreeOSMemory(): forced GC, then every free page released (%s)",
           lazy ? "madv=free" : "dontneed");
}

// The same with GODEBUG=madvdontneed=0 (MADV_FREE): the pages stop being committed at
// once, but stay resident until the kernel needs the memory.
static void madv_free(sc_run_t *r, int mode) {
    allocate_and_drop(r);
    sc_gc();
    sc_phase(r, "after runtime.GC()");
    size_t released = heap_scavenge_mode(SIZE_MAX, SYS_RELEASE_FREE);
    sc_phase(r, "released with MADV_FREE");
    record_released(r);
    sc_say(r, "runtime.GC(), then %zu bytes released with MADV_FREE semantics", released);
}

// n pages as a percentage of the huge array's 4 KiB pages.
static int64_t pct_of_huge(sc_results_t *res, int64_t n) {
    return sc_div(n * 100, sc_get(res, "freeosmemory", "huge_bytes") / 4096);
}

static void checks(sc_results_t *res) {
    sc_check(res, "release_only_resident_pct", pct_of_huge(res, sc_get(res, "release_only", "resident_pages")), ">=", 95);
    sc_check(res, "release_only_heap_inuse_kept", sc_get(res, "release_only", "heap_inuse") >= sc_get(res, "release_only", "huge_bytes"), "==", 1);
    // The madv= mode decides where the released pages go (mode_skips below).
    sc_check(res, "freeosmemory_lazyfree_pct", pct_of_huge(res, sc_get(res, "freeosmemory", "lazyfree_pages")), ">=", 95);
    sc_check(res, "freeosmemory_resident_pct", pct_of_huge(res, sc_get(res, "freeosmemory", "resident_pages")), "<=", 5);
    sc_check(res, "freeosmemory_committed_pct",
             pct_of_huge(res, sc_get(res, "freeosmemory", "committed_pages") - sc_get(res, "madv_free", "committed_pages")), "<=", 1);
    sc_check(res, "freeosmemory_heap_released_pct",
             sc_div(sc_get(res, "freeosmemory", "heap_released") * 100, sc_get(res, "freeosmemory", "huge_bytes")), ">=", 95);
    // Committed falls as with dontneed (what stays committed is the heap's other
    // chunk, the same in both variants) ...
    sc_check(res, "madv_free_committed_drop_pct",
             pct_of_huge(res, sc_get(res, "madv_free", "committed_pages") - sc_get(res, "freeosmemory", "committed_pages")), "<=", 1);
    // ... but the frames stay: resident, counted as lazily freed.
    sc_check(res, "madv_free_resident_pct", pct_of_huge(res, sc_get(res, "madv_free", "resident_pages")), ">=", 95);
    sc_check(res, "madv_free_lazyfree_pct", pct_of_huge(res, sc_get(res, "madv_free", "lazyfree_pages")), ">=", 95);
}

static const sc_scenario_t bug13 = {
    .number = 13,
    .slug = "freeosmemory",
    .title = "Expecting RSS drop without forcing a GC cycle",
    .family = "accounting and lifecycle",
    .go_versions = "all (FreeOSMemory has run a GC first since Go 1.1)",
    .text =
        "  huge := make([]byte, 500<<20); huge = nil\n"
        "  debug.FreeOSMemory()   // the original text: 'BUG: expects RSS to drop now'\n"
        "What Go really does: debug.FreeOSMemory is runtime.GC() followed by releasing\n"
        "every free page (mheap.go scavengeAll), so the original text's program DOES\n"
        "drop. Its picture is true of releasing without a collection (release_only):\n"
        "the array is unreachable, but until a GC marks and sweeps, its span is in use\n"
        "and nothing is free. With MADV_FREE (madv_free) the pages stop being committed,\n"
        "yet stay resident until the OS is short of memory: RSS does not fall at once.\n"
        "Look at: resident_pages and the arena map in each variant (R = resident,\n"
        "f = lazily freed, . = released).",
    .variants = {
        {"release_only", "drop the array, release free pages without a GC", release_only, 0, NULL},
        {"freeosmemory", "drop the array, debug.FreeOSMemory (GC, then release)", freeosmemory, 0, NULL},
        {"madv_free", "drop the array, GC, release with MADV_FREE", madv_free, 0, NULL},
    },
    .ram_needed = (HUGE_BYTES_PER_SCALE * 3) / 2,
    .checks = checks,
    .mode_skips = (const sc_mode_skip_t[]){
        {"madv=dontneed", "freeosmemory_lazyfree_pct",
         "MADV_DONTNEED drops each released page's frame at once: none is lazily freed "
         "(freeosmemory_resident_pct checks that they are gone)"},
        {"madv=free", "freeosmemory_resident_pct",
         "with madv=free the released pages keep their frames, lazily freed, so they stay "
         "resident (freeosmemory_lazyfree_pct checks them)"},
        {0}},
};
SC_REGISTER(bug13);
