// Bug 8: a rarely-set pointer field still costs the GC a look.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <stdlib.h>
#include "rt/gc_barrier.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "golib/map.h"
#include "rt/runtime.h"
#include "golib/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define EVENTS_PER_SCALE 400000 // the original text's 50,000,000
#define COLLECTIONS 5
#define CONTEXT_EVERY 100       // ~1% of events carry a DebugContext

typedef struct debug_context {
    uintptr_t stack[128];
    void *tags; // map[string]string
} debug_context_t;
// Tags sits past the 512-byte reach of GOTYPE_STRUCT: built at run time, as Go's
// gcdata for it covers 129 words (ptrdata ends at Tags).
static const gotype_t *debug_context_type(void) {
    static const gotype_t *t;
    if (!t) {
        size_t off = offsetof(debug_context_t, tags);
        t = gotype_make("main.DebugContext", sizeof(debug_context_t), &off, 1, GOKIND_STRUCT);
    }
    return t;
}

typedef struct event {
    uint64_t id;
    int64_t timestamp;
    goslice_t payload;
    debug_context_t *context;
} event_t;
static GOTYPE_STRUCT(event_type, event_t, "main.Event", offsetof(event_t, payload),
                     offsetof(event_t, context));

typedef struct event_lean { // Event without Context (the sidecar fix)
    uint64_t id;
    int64_t timestamp;
    goslice_t payload;
} event_lean_t;
static GOTYPE_STRUCT(event_lean_type, event_lean_t, "main.Event", offsetof(event_lean_t, payload));

typedef struct event_flat { // no pointers: payload as an offset into one arena
    uint64_t id;
    int64_t timestamp;
    uint32_t payload_off, payload_len;
} event_flat_t;
static GOTYPE_STRUCT(event_flat_type, event_flat_t, "main.Event");

static map_type_t map_u64_ctx = MAP_TYPE("map[uint64]*main.DebugContext", &gotype_uint64, &gotype_pointer, MAP_KEY_MEM);

static goslice_t events;  // events := make([]Event, N)
static map_t *debug_by_id; // the sidecar

enum shape { WITH_CONTEXT, SIDECAR, NOSCAN };

static __attribute__((noinline)) void build(enum shape shape, int64_t n) {
    PROF_SITE("main.main"); // events := make([]Event, N) and the contexts
    const gotype_t *t = shape == WITH_CONTEXT ? &event_type : shape == SIDECAR ? &event_lean_type : &event_flat_type;
    events = slice_make(t, n, n);
    if (shape == SIDECAR)
        debug_by_id = map_make(&map_u64_ctx, n / CONTEXT_EVERY);
    for (int64_t i = 0; i < n; i++) {
        bool rare = i % CONTEXT_EVERY == 0;
        if (shape == WITH_CONTEXT) {
            event_t *e = (event_t *)events.ptr + i;
            e->id = (uint64_t)i;
            e->timestamp = i;
            if (rare)
                GC_STORE(e->context, rt_new(debug_context_type()));
        } else if (shape == SIDECAR) {
            event_lean_t *e = (event_lean_t *)events.ptr + i;
            e->id = (uint64_t)i;
            e->timestamp = i;
            if (rare) {
                void **slot = map_assign(debug_by_id, &e->id);
                GC_STORE(*slot, rt_new(debug_context_type()));
            }
        } else {
            event_flat_t *e = (event_flat_t *)events.ptr + i;
            e->id = (uint64_t)i;
            e->timestamp = i;
        }
    }
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void run(sc_run_t *r, int shape) {
    rt_add_root(&events, sizeof events, &gotype_slice);
    rt_add_root(&debug_by_id, sizeof debug_by_id, &gotype_pointer);
    events = (goslice_t){0};
    debug_by_id = NULL;
    int64_t n = EVENTS_PER_SCALE * sc_scale();
    build(shape, n);
    sc_phase(r, "events built");
    uint64_t pause[COLLECTIONS];
    const gc_cycle_stats_t *c = NULL;
    for (int i = 0; i < COLLECTIONS; i++) {
        sc_gc();
        c = gc_last_cycle();
        pause[i] = c->mark_ns;
    }
    qsort(pause, COLLECTIONS, sizeof pause[0], cmp_u64);
    sc_phase(r, "after the collections");
    sc_key(r, "events", n);
    sc_key(r, "pointer_slots_examined", (int64_t)c->pointer_slots_examined);
    sc_key(r, "nonnil_pointers", (int64_t)c->nonnil_pointers);
    sc_key(r, "words_scanned", (int64_t)c->words_scanned);
    sc_key(r, "gc_ns", (int64_t)pause[COLLECTIONS / 2]);
    sc_say(r, "%lld events: a GC examines %llu pointer slots (%llu non-nil), walks %llu words;",
           (long long)n, (unsigned long long)c->pointer_slots_examined,
           (unsigned long long)c->nonnil_pointers, (unsigned long long)c->words_scanned);
    sc_say(r, "median mark time of %d forced collections: %llu us", COLLECTIONS,
           (unsigned long long)(pause[COLLECTIONS / 2] / 1000));
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_two_slots_per_event", sc_get(res, "buggy", "pointer_slots_examined"), ">=",
             2 * sc_get(res, "buggy", "events"));
    sc_check(res, "buggy_six_words_per_event", sc_get(res, "buggy", "words_scanned"), ">=",
             6 * sc_get(res, "buggy", "events"));
    sc_check(res, "sidecar_about_one_slot_per_event", sc_get(res, "sidecar", "pointer_slots_examined"),
             "<", sc_get(res, "buggy", "events") + sc_get(res, "buggy", "events") / 10);
    // The array's walk: 5 words per element instead of 6 (plus the contexts' own).
    sc_check(res, "sidecar_walks_fewer_words", sc_get(res, "sidecar", "words_scanned"), "<", sc_get(res, "buggy", "words_scanned"));
    sc_check(res, "sidecar_still_walks_every_element", sc_get(res, "sidecar", "words_scanned"), ">=",
             5 * sc_get(res, "buggy", "events"));
    sc_check(res, "noscan_array_never_scanned", sc_get(res, "noscan", "words_scanned"), "<",
             sc_get(res, "buggy", "events") / 10);
    sc_check(res, "noscan_marks_faster_than_buggy", sc_get(res, "noscan", "gc_ns"), "<", sc_get(res, "buggy", "gc_ns"));
}

static const sc_scenario_t bug08 = {
    .number = 8,
    .slug = "scan_cost",
    .title = "Struct with rarely-nil pointer field paying scan cost",
    .family = "goroutines and timers",
    .go_versions = "all",
    .text =
        "  type Event struct { ID uint64; Timestamp int64; Payload []byte; Context *DebugContext }\n"
        "  events := make([]Event, 50_000_000)   // Context set for ~1%\n"
        "The GC walks the events array's pointer bitmap up to its last pointer word and\n"
        "loads every pointer slot, nil or not: 2 slots and 6 words per event. A side\n"
        "map for the rare Context leaves 1 slot per event, but the walk still crosses\n"
        "every 5-word element (sidecar); an Event with no pointers lives in a noscan\n"
        "span and is skipped whole (noscan).\n"
        "Look at: pointer_slots_examined, words_scanned, gc_ns (median mark time).",
    .variants = {
        {"buggy", "[]Event with Payload and a rarely set Context", run, WITH_CONTEXT, NULL},
        {"sidecar", "Context moved to map[uint64]*DebugContext", run, SIDECAR, NULL},
        {"noscan", "Event without pointer fields", run, NOSCAN, NULL},
    },
    .ram_needed = (uint64_t)EVENTS_PER_SCALE * 64 * 3,
    .checks = checks,
};
SC_REGISTER(bug08);
