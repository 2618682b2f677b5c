// Bug 15: a small struct stored by value in an interface.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "rt/gc_barrier.h"
#include "rt/alloc.h"
#include "golib/iface.h"
#include "golib/map.h"
#include "rt/runtime.h"
#include "golib/str.h"
#include "rt/sync.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define ADDS_PER_SCALE 20000
#define NAMES 16

typedef struct counter {
    uint64_t n;
} counter_t;
static GOTYPE_STRUCT(counter_type, counter_t, "main.Counter"); // value receiver: boxed
static GOTYPE_STRUCT(counter_ptr_type, counter_t *, "*main.Counter", 0);

static map_type_t map_str_metric = MAP_TYPE("map[string]main.Metric", &gotype_string, &gotype_iface, MAP_KEY_STRING);

// The Registry: a mutex and map[string]Metric.
typedef struct registry {
    sync_mutex_t mu;
    map_t *m;
} registry_t;
static registry_t reg;

// r.Add(name, c): r.mu.Lock(); defer r.mu.Unlock() (open-coded); r.m[name] = c.
static __attribute__((noinline)) void add_value(gostring_t name, counter_t c) {
    sync_mutex_lock(&reg.mu);
    // The compiler picks convT64 for any 8-byte, 8-aligned type without pointers
    // (walk/convert.go dataWordFuncName), so Counter boxes like a uint64.
    goiface_t *slot = map_assign_str(reg.m, name);
    GC_STORE(*slot, iface_box_u64(&counter_type, c.n));
    sync_mutex_unlock(&reg.mu);
}

// The fix: func (c *Counter) Value() and Add(name string, c *Counter).
static __attribute__((noinline)) void add_pointer(gostring_t name, counter_t *c) {
    sync_mutex_lock(&reg.mu);
    goiface_t *slot = map_assign_str(reg.m, name);
    GC_STORE(*slot, iface_box_ptr(&counter_ptr_type, c));
    sync_mutex_unlock(&reg.mu);
}

static const char *const names[NAMES] = {"rx", "tx", "drops", "errs", "a", "b", "c", "d",
                                         "e", "f", "g", "h", "i", "j", "k", "l"};

// Adds `adds` times with counter value n; returns the mallocs made.
static __attribute__((noinline)) uint64_t adds_with(int64_t adds, uint64_t n, counter_t *ptrs) {
    uint64_t m0 = sc_mallocs();
    for (int64_t i = 0; i < adds; i++) {
        gostring_t name = str_from_cstr(names[i % NAMES]);
        if (ptrs) {
            ptrs[i % NAMES].n = n;
            add_pointer(name, &ptrs[i % NAMES]);
        } else {
            add_value(name, (counter_t){n});
        }
    }
    return sc_mallocs() - m0;
}

// The variants' modes (sc_variant_t.mode).
enum store_mode { BY_VALUE, BY_POINTER };

static void run(sc_run_t *r, int mode) {
    bool pointers = mode == BY_POINTER;
    rt_add_root(&reg.m, sizeof reg.m, &gotype_pointer);
    reg.m = map_make(&map_str_metric, NAMES);
    counter_t *ptrs = NULL;
    if (pointers) // the counters live on the heap once, as &Counter{} would
        ptrs = rt_newarray(&counter_type, NAMES);
    int64_t adds = ADDS_PER_SCALE * sc_scale();
    adds_with(NAMES, 1000, ptrs); // warm-up: every name in the map
    sc_phase(r, "warm-up done");
    uint64_t small = adds_with(adds, 7, ptrs);
    sc_phase(r, "adds of 7");
    uint64_t large = adds_with(adds, 1000, ptrs);
    sc_phase(r, "adds of 1000");
    sc_key(r, "adds", adds);
    sc_key(r, "allocs_per_add_small", (int64_t)(small / (uint64_t)adds));
    sc_key(r, "allocs_per_add_large", (int64_t)(large / (uint64_t)adds));
    sc_say(r, "%lld Adds with n=7: %llu allocations; with n=1000: %llu", (long long)adds,
           (unsigned long long)small, (unsigned long long)large);
    reg.m = NULL;
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_small_values_not_boxed_on_heap", sc_get(res, "buggy", "allocs_per_add_small"), "==", 0);
    sc_check(res, "buggy_large_values_one_alloc", sc_get(res, "buggy", "allocs_per_add_large"), "==", 1);
    sc_check(res, "fixed_small", sc_get(res, "fixed", "allocs_per_add_small"), "==", 0);
    sc_check(res, "fixed_large", sc_get(res, "fixed", "allocs_per_add_large"), "==", 0);
}

static const sc_scenario_t bug15 = {
    .number = 15,
    .slug = "iface_boxing",
    .title = "Long-lived interface value boxing a small struct",
    .family = "escape and boxing",
    .go_versions = "all (the < 256 table since Go 1.9)",
    .text =
        "  func (c Counter) Value() float64 ...\n"
        "  r.m[name] = c   // Metric interface: boxes c\n"
        "Counter{n uint64} is uint64-shaped, so storing it in an interface calls\n"
        "convT64: an 8-byte allocation - but only when n >= 256; smaller values point\n"
        "into the static table staticuint64s (Go 1.19: 0 allocations for n=7, 1 for\n"
        "n=1000). Storing *Counter puts the pointer in the interface: none.\n"
        "Look at: allocs_per_add_small and allocs_per_add_large.",
    .variants = {
        {"buggy", "r.m[name] = c (Counter by value)", run, BY_VALUE, NULL},
        {"fixed", "r.m[name] = c (*Counter, pointer receiver)", run, BY_POINTER, NULL},
    },
    .ram_needed = 64ull << 20,
    .checks = checks,
};
SC_REGISTER(bug15);
