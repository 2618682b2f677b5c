// Bug 14: goroutines blocked on a channel nobody closes.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "rt/gc_barrier.h"
#include "rt/alloc.h"
#include "rt/chan.h"
#include "rt/runtime.h"
#include "rt/sched.h"
#include "rt/types.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define BATCHES_PER_SCALE 100 // the original text's 1000
#define READERS 4
#define SENDS 10

typedef struct reader_closure {
    void (*fn)(void *);
    chan_t *ch;
} reader_closure_t;
static GOTYPE_STRUCT(reader_closure_type, reader_closure_t, "main.FanOut.func1",
                     offsetof(reader_closure_t, ch));

static void reader(void *arg) {
    reader_closure_t *cl = arg;
    int64_t v;
    while (chan_recv2(cl->ch, &v)) // for v := range ch
        (void)v;
}

// FanOut(nShards): a buffered channel and nShards readers ranging over it.
static __attribute__((noinline)) chan_t *fan_out(int n) {
    chan_t *ch = chan_make(&gotype_int64, 64);
    for (int i = 0; i < n; i++) {
        reader_closure_t *cl = rt_new(&reader_closure_type);
        GC_STORE(*cl, ((reader_closure_t){reader, ch}));
        sched_go_closure(reader, cl);
    }
    return ch;
}

static __attribute__((noinline)) void batch(bool close_it) {
    chan_t *ch = fan_out(READERS);
    for (int64_t j = 0; j < SENDS; j++)
        chan_send(ch, &j);
    if (close_it)
        chan_close(ch); // the fix: the owner closes when done
}

// The variants' modes (sc_variant_t.mode).
enum chan_mode { LEAVE_CHAN_OPEN, CLOSE_CHAN };

static void run(sc_run_t *r, int mode) {
    bool close_it = mode == CLOSE_CHAN;
    int64_t batches = BATCHES_PER_SCALE * sc_scale();
    for (int64_t i = 0; i < batches; i++) {
        batch(close_it);
        if (i + 1 == batches / 2)
            sc_phase(r, "half the batches");
    }
    sc_phase(r, "every batch sent");
    sched_gosched(); // let every runnable reader see the close
    uint64_t heap = sc_heap_alloc_after_gc();
    sc_phase(r, "after runtime.GC()");
    sc_key(r, "batches", batches);
    sc_key(r, "readers_per_batch", READERS);
    sc_key(r, "heap_after_gc", (int64_t)heap);
    sc_say(r, "%lld batches of %d readers: NumGoroutine() = %d after runtime.GC(), HeapAlloc %llu",
           (long long)batches, READERS, sched_num_goroutine(), (unsigned long long)heap);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_goroutines_leak", sc_get(res, "buggy", "goroutines"), "==",
             1 + READERS * sc_get(res, "buggy", "batches"));
    sc_check(res, "buggy_stacks_held", sc_get(res, "buggy", "stack_inuse"), ">=",
             READERS * sc_get(res, "buggy", "batches") * 64 * 1024);
    sc_check(res, "buggy_hchans_held", sc_get(res, "buggy", "heap_after_gc"), ">=",
             sc_get(res, "buggy", "batches") * (64 * 8));
    sc_check(res, "fixed_goroutines", sc_get(res, "fixed", "goroutines"), "==", 1);
    // Closed: the channels, their buffers and the closures are freed (the dead
    // goroutines' G structs stay cached for reuse, as Go's gFree list keeps them).
    sc_check(res, "fixed_frees_the_channels",
             sc_get(res, "buggy", "heap_after_gc") - sc_get(res, "fixed", "heap_after_gc"), ">=",
             sc_get(res, "buggy", "batches") * (64 * 8));
}

static const sc_scenario_t bug14 = {
    .number = 14,
    .slug = "chan_readers",
    .title = "Heap-allocated channel leaking with its readers",
    .family = "goroutines and timers",
    .go_versions = "all (goroutines are never collected)",
    .text =
        "  ch := make(chan int, 64)\n"
        "  for i := 0; i < nShards; i++ { go func() { for v := range ch { _ = v } }() }\n"
        "  ... send 10 values, drop ch   // BUG: never closed\n"
        "Each reader parks in chanrecv; a blocked goroutine is never collected, and it\n"
        "keeps its stack, its closure and the hchan with its 64-slot buffer. Dropping\n"
        "ch in the caller changes nothing. NumGoroutine() = 1 + readers x batches.\n"
        "Fix: close(ch) when the sender is done (or cancel a context the readers\n"
        "select on). Look at: goroutines, stack_inuse, heap_after_gc. (A spanlab stack is\n"
        "a 64 KiB span of which only touched pages are resident; Go's start at 2 KiB.)",
    .variants = {
        {"buggy", "drop the channel without closing it", run, LEAVE_CHAN_OPEN, NULL},
        {"fixed", "close(ch) after the last send", run, CLOSE_CHAN, NULL},
    },
    .ram_needed = (uint64_t)BATCHES_PER_SCALE * READERS * 64 * 1024 * 2,
    .checks = checks,
};
SC_REGISTER(bug14);
