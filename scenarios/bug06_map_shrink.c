// Bug 6: a map's buckets never shrink.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "golib/map.h"
#include "rt/gc_barrier.h"
#include "golib/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define ENTRIES_PER_SCALE 100000 // the original text's 1,000,000, scaled for TCG
#define VALUE_BYTES 256

static map_type_t map_int_bytes = MAP_TYPE("map[int][]uint8", &gotype_int64, &gotype_slice, MAP_KEY_MEM);

static int64_t entries(void) { return ENTRIES_PER_SCALE * sc_scale(); }

// m := make(map[int][]byte); for i := range N { m[i] = make([]byte, 256) }
static __attribute__((noinline)) map_t *fill(void) {
    PROF_SITE("main.main"); // the map's buckets and the values
    map_t *m = map_make(&map_int_bytes, 0);
    for (int64_t i = 0; i < entries(); i++) {
        goslice_t *v = map_assign_i64(m, i);
        GC_STORE(*v, slice_make(&gotype_uint8, VALUE_BYTES, VALUE_BYTES));
    }
    return m;
}

// The shared first half: fill, measure, delete everything, measure.
static map_t *fill_and_drain(sc_run_t *r) {
    map_t *m = fill();
    sc_phase(r, "filled");
    uint64_t full = sc_heap_alloc_after_gc();
    sc_phase(r, "full, after runtime.GC()");
    sc_key(r, "entries", entries());
    sc_key(r, "heap_alloc_full", (int64_t)full);
    sc_key(r, "bucket_bytes_full", (int64_t)map_bucket_bytes(m));
    map_clear(m); // for k := range m { delete(m, k) }
    sc_phase(r, "every key deleted");
    sc_say(r, "filled %lld entries: HeapAlloc %llu bytes, buckets %llu bytes (B=%u)",
           (long long)entries(), (unsigned long long)full,
           (unsigned long long)map_bucket_bytes(m), map_B(m));
    return m;
}

static void buggy(sc_run_t *r, int mode) {
    map_t *m = fill_and_drain(r);
    uint64_t after = sc_heap_alloc_after_gc();
    sc_phase(r, "after runtime.GC()");
    sc_key(r, "heap_alloc_after_delete", (int64_t)after);
    sc_key(r, "bucket_bytes", (int64_t)map_bucket_bytes(m));
    sc_key(r, "map_len", map_len(m));
    sc_say(r, "deleted all, runtime.GC(): len %lld, HeapAlloc %llu bytes, buckets %llu bytes",
           (long long)map_len(m), (unsigned long long)after,
           (unsigned long long)map_bucket_bytes(m));
}

static void fixed(sc_run_t *r, int mode) {
    map_t *m = fill_and_drain(r);
    m = map_make(&map_int_bytes, 0); // replace the drained map
    sc_phase(r, "map replaced");
    uint64_t after = sc_heap_alloc_after_gc();
    sc_phase(r, "after runtime.GC()");
    sc_key(r, "heap_alloc_after_delete", (int64_t)after);
    sc_key(r, "bucket_bytes", (int64_t)map_bucket_bytes(m));
    sc_key(r, "map_len", map_len(m));
    sc_say(r, "replaced the map, runtime.GC(): HeapAlloc %llu bytes", (unsigned long long)after);
}

static void checks(sc_results_t *res) {
    sc_check(res, "buggy_len_zero", sc_get(res, "buggy", "map_len"), "==", 0);
    // mapclear drops the overflow buckets allocated one by one but keeps the array
    // (with its preallocated overflow buckets): at least 80% of the bytes stay.
    sc_check(res, "buggy_bucket_array_kept_pct",
             sc_div(sc_get(res, "buggy", "bucket_bytes") * 100, sc_get(res, "buggy", "bucket_bytes_full")),
             ">=", 80);
    sc_check(res, "buggy_heap_holds_buckets", sc_get(res, "buggy", "heap_alloc_after_delete"), ">=",
             sc_get(res, "buggy", "bucket_bytes"));
    sc_check(res, "buggy_values_freed",
             sc_get(res, "buggy", "heap_alloc_full") - sc_get(res, "buggy", "heap_alloc_after_delete"),
             ">=", sc_get(res, "buggy", "entries") * VALUE_BYTES);
    sc_check(res, "fixed_heap_under_1MiB", sc_get(res, "fixed", "heap_alloc_after_delete"), "<", 1 << 20);
}

static const sc_scenario_t bug06 = {
    .number = 6,
    .slug = "map_shrink",
    .title = "Map's allocator footprint never shrinks",
    .family = "accounting and lifecycle",
    .go_versions = "all (maps have no shrink path)",
    .text =
        "  m := make(map[int][]byte)\n"
        "  for i := 0; i < 1_000_000; i++ { m[i] = make([]byte, 256) }\n"
        "  for k := range m { delete(m, k) }   // BUG: len 0, buckets stay\n"
        "runtime/map.go only grows the bucket array; delete clears a slot and keeps it.\n"
        "The 256-byte values are freed (nothing points at them any more); the buckets\n"
        "stay until the map is dropped. Go turns the range-delete loop into one\n"
        "runtime.mapclear call, which keeps the array too (only overflow buckets that\n"
        "were allocated one by one are dropped). Fix: replace the map.\n"
        "Look at: bucket_bytes vs heap_alloc_after_delete in both variants.",
    .variants = {
        {"buggy", "fill, delete every key, keep the map", buggy, 0, NULL},
        {"fixed", "fill, delete every key, replace the map", fixed, 0, NULL},
    },
    .ram_needed = (uint64_t)ENTRIES_PER_SCALE * 512 * 2,
    .checks = checks,
};
SC_REGISTER(bug06);
