// Bug 7: sync.Pool keeps whatever its objects still point at.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "rt/gc_barrier.h"
#include "rt/alloc.h"
#include "golib/buffer.h"
#include "golib/slice.h"
#include "rt/sync.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define TRACE_BYTES_PER_SCALE (8u << 20) // the original text's 100 MiB diagnostic dump
#define IN_FLIGHT 8                      // requests handled at the same time
#define ROUNDS 20
#define TRACE_EVERY 37                   // a rare request sets a Trace

typedef struct request {
    buf_t *body;
    goslice_t trace; // []byte
} request_t;
static GOTYPE_STRUCT(request_type, request_t, "main.Request", offsetof(request_t, body),
                     offsetof(request_t, trace));
static GOTYPE_STRUCT(buffer_type, buf_t, "bytes.Buffer", offsetof(buf_t, buf));

static void *new_request(void) {
    request_t *r = rt_new(&request_type);
    GC_STORE(r->body, (buf_t *)rt_new(&buffer_type));
    return r;
}
static sync_pool_t req_pool = {.New = new_request};
static int64_t traces_set;

// Handle: Get, Reset the body, fill it, maybe set a Trace; the caller Puts.
static request_t *handle_begin(int64_t n, bool may_trace) {
    PROF_SITE("main.Handle");
    request_t *r = sync_pool_get(&req_pool);
    buf_reset(r->body);
    buf_write(r->body, "GET /index.html HTTP/1.1\r\n\r\n", 28);
    if (may_trace && n % TRACE_EVERY == 0) {
        size_t bytes = (size_t)TRACE_BYTES_PER_SCALE * (size_t)sc_scale();
        GC_STORE(r->trace, slice_make(&gotype_uint8, (int64_t)bytes, (int64_t)bytes));
        traces_set++;
    }
    return r;
}

static void handle_end(request_t *r, bool clear) {
    if (clear) {
        buf_reset(r->body);                 // r.Body.Reset(): empties it, keeps its buffer
        GC_STORE(r->trace, (goslice_t){0}); // r.Trace = nil: the fix
    }
    sync_pool_put(&req_pool, r);
}

// ROUNDS rounds of IN_FLIGHT concurrent requests.
static __attribute__((noinline)) void serve(bool may_trace, bool clear, int64_t *n) {
    request_t *inflight[IN_FLIGHT];
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < IN_FLIGHT; i++)
            inflight[i] = handle_begin((*n)++, may_trace);
        for (int i = 0; i < IN_FLIGHT; i++)
            handle_end(inflight[i], clear);
        for (int i = 0; i < IN_FLIGHT; i++)
            inflight[i] = NULL;
    }
}

// The variants' modes (sc_variant_t.mode).
enum put_mode { PUT_WITH_TRACE, CLEAR_TRACE };

static void run(sc_run_t *r, int mode) {
    bool clear = mode == CLEAR_TRACE;
    req_pool = (sync_pool_t){.New = new_request};
    traces_set = 0;
    int64_t n = 0;
    serve(true, clear, &n);          // traffic, a few requests with traces
    sc_phase(r, "traffic with traces");
    serve(false, clear, &n);         // more traffic: the pooled requests are reused
    uint64_t reuse = sc_heap_alloc_after_gc(); // a GC while the pool is in use
    sc_phase(r, "GC while in use");
    serve(false, clear, &n);         // still in use after that GC: Get takes from the victim
    sc_phase(r, "traffic after that GC");
    uint64_t idle1 = sc_heap_alloc_after_gc(); // then idle: the first GC, primary -> victim
    sc_phase(r, "idle, GC 1");
    uint64_t idle2 = sc_heap_alloc_after_gc(); // the second GC drops the victim
    sc_phase(r, "idle, GC 2");
    sc_key(r, "requests", n);
    sc_key(r, "traces_set", traces_set);
    sc_key(r, "trace_bytes", (int64_t)TRACE_BYTES_PER_SCALE * sc_scale());
    sc_key(r, "retained_after_reuse", (int64_t)reuse);
    sc_key(r, "retained_after_idle_gc1", (int64_t)idle1);
    sc_key(r, "retained_after_idle_gc2", (int64_t)idle2);
    sc_say(r, "%lld requests, %lld with a %u MiB trace; HeapAlloc after a GC in use: %llu",
           (long long)n, (long long)traces_set, TRACE_BYTES_PER_SCALE >> 20,
           (unsigned long long)reuse);
    sc_say(r, "idle pool: after 1 GC %llu bytes (victim cache), after 2 GCs %llu bytes",
           (unsigned long long)idle1, (unsigned long long)idle2);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_traces_kept_while_in_use", sc_get(res, "buggy", "retained_after_reuse"),
             ">=", sc_get(res, "buggy", "traces_set") * sc_get(res, "buggy", "trace_bytes"));
    sc_check(res, "buggy_traces_kept_one_idle_gc", sc_get(res, "buggy", "retained_after_idle_gc1"),
             ">=", sc_get(res, "buggy", "traces_set") * sc_get(res, "buggy", "trace_bytes"));
    sc_check(res, "buggy_dropped_after_two_idle_gcs", sc_get(res, "buggy", "retained_after_idle_gc2"),
             "<", sc_get(res, "buggy", "trace_bytes"));
    sc_check(res, "fixed_no_trace_kept", sc_get(res, "fixed", "retained_after_reuse"), "<",
             sc_get(res, "buggy", "trace_bytes"));
}

static const sc_scenario_t bug07 = {
    .number = 7,
    .slug = "pool_trace",
    .title = "sync.Pool extending lifetimes of large structures",
    .family = "pinning",
    .go_versions = "1.13+ (victim cache; before, pools were emptied at every GC)",
    .text =
        "  r := reqPool.Get().(*Request); defer reqPool.Put(r)   // BUG: with its Trace\n"
        "Put keeps the Request as it is. At each GC the pool's primary cache becomes\n"
        "the victim cache and the old victim is dropped (poolCleanup), and Get takes\n"
        "from the victim: while the pool is in use, a pooled Request and its big Trace\n"
        "survive every GC; an idle pool lets them go after the second GC.\n"
        "Fix: r.Trace = nil before Put. Look at: retained_after_reuse,\n"
        "retained_after_idle_gc1, retained_after_idle_gc2.",
    .variants = {
        {"buggy", "Put the Request with its Trace", run, PUT_WITH_TRACE, NULL},
        {"fixed", "clear Trace before Put", run, CLEAR_TRACE, NULL},
    },
    .ram_needed = (uint64_t)TRACE_BYTES_PER_SCALE * 16,
    .checks = checks,
    .mode_skips = (const sc_mode_skip_t[]){
        {"gcstress", "buggy_traces_kept_while_in_use",
         "gcstress collects every N allocations: a pooled Request that waits through two of "
         "those cycles leaves the victim cache, as in Go, so fewer traces stay than between "
         "the pacer's rare cycles"},
        {"gcstress", "buggy_traces_kept_one_idle_gc",
         "gcstress's extra cycles already dropped some pooled traces before the idle GCs"},
        {0}},
};
SC_REGISTER(bug07);
