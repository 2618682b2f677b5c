// Go 1.19 defer records: open-coded defers in a frame-local bitmask, heap _defer
// records from a per-P pool and a central pool (runtime/panic.go newdefer/freedefer,
// mgc.go clearpools). See defer.h for what allocates and why.
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "golib/defer.h"
#include "golib/opcount.h"
#include "rt/gc.h"
#include "rt/sched.h"
#include "rt/runtime.h"
#include "sys/sys.h"

#define POOL_CAP 32 // runtime2.go p.deferpoolbuf [32]*_defer
#define GCHAINS 256 // goroutines that may hold pending heap defers at once

static GOTYPE_STRUCT(defer_rec_type, defer_rec_t, "runtime._defer", offsetof(defer_rec_t, fn),
                     offsetof(defer_rec_t, panic_), offsetof(defer_rec_t, link),
                     offsetof(defer_rec_t, fd));

defer_stats_t defer_stats;
static defer_rec_t *pool[POOL_CAP]; // the per-P pool (one P)
static int npool;
static defer_rec_t *central;        // sched.deferpool
static uint64_t ncentral;
static defer_chain_t global_chain;  // code running outside goroutines
static struct gchain {              // Go's g._defer, per goroutine, by goroutine id
    uint64_t goid;
    defer_chain_t chain;
} gchains[GCHAINS];
static bool roots_registered;

// Resets the counters.
void defer_stats_reset(void) { memset(&defer_stats, 0, sizeof defer_stats); }

// A fresh runtime (rt_fresh): the pools and the chain point into the old heap, and
// the counters start again.
RT_FRESH_HOOK(defer) {
    defer_reset();
    defer_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(push, "defer.push", &defer_stats.push);
OPCOUNT_REGISTER(closure, "defer.closure", &defer_stats.closure);

// Registers the pools and the global chain as GC roots, and clearpools as a cycle hook.
static void register_roots(void) {
    if (roots_registered)
        return;
    roots_registered = true;
    gc_add_root(pool, sizeof pool, NULL);
    gc_add_root(&central, sizeof central, &gotype_pointer);
    gc_add_root(&global_chain, sizeof global_chain, NULL);
    gc_add_root(gchains, sizeof gchains, NULL);
    gc_add_cycle_hook(defer_clear_central_pool);
}

// Returns the running goroutine's chain (a slot keyed by its id; a slot whose chain
// is empty is free for any goroutine), or the global one outside goroutines. Panics
// when more than GCHAINS goroutines hold pending heap defers.
defer_chain_t *defer_chain_current(void) {
    register_roots();
    if (!sched_in_goroutine())
        return &global_chain;
    uint64_t id = sched_goid();
    struct gchain *free_slot = NULL;
    for (int i = 0; i < GCHAINS; i++) {
        if (gchains[i].goid == id)
            return &gchains[i].chain;
        if (free_slot == NULL && gchains[i].chain.head == NULL)
            free_slot = &gchains[i];
    }
    if (free_slot == NULL)
        sys_panic("defer: more than %d goroutines with pending heap defers", GCHAINS);
    free_slot->goid = id;
    memset(&free_slot->chain, 0, sizeof free_slot->chain);
    return &free_slot->chain;
}

// Zeroes f and binds it to chain (NULL: the current chain, looked up on first push).
void defer_frame_init(defer_frame_t *f, defer_chain_t *chain) {
    memset(f, 0, sizeof *f);
    f->chain = chain;
}

// cleanup attribute target: deferreturn at the end of the scope.
void defer_frame_cleanup(defer_frame_t *f) { defer_return(f); }

// Arms an open-coded defer (no allocation).
void defer_open(defer_frame_t *f, defer_closure_t *c) {
    if (f->n >= DEFER_OPEN_MAX)
        sys_panic("defer_open: more than %d defers in one frame (Go would not open-code)",
                  DEFER_OPEN_MAX);
    f->open[f->n] = c;
    f->bits |= (uint8_t)(1u << f->n);
    f->n++;
    defer_stats.open_coded++;
}

// Returns a record: per-P pool, refilled from the central pool, else new(_defer).
static defer_rec_t *newdefer(void) {
    register_roots();
    if (npool == 0 && central) {
        while (npool < POOL_CAP / 2 && central) {
            defer_rec_t *d = central;
            central = d->link;
            GC_STORE(d->link, NULL);
            ncentral--;
            pool[npool++] = d;
        }
    }
    defer_rec_t *d;
    if (npool > 0) {
        d = pool[--npool];
        pool[npool] = NULL;
        defer_stats.records_pooled++;
    } else {
        d = rt_new(&defer_rec_type);
        defer_stats.records_new++;
    }
    d->heap = 1;
    return d;
}

// Returns a record to the per-P pool, spilling half to the central pool when full.
static void freedefer(defer_rec_t *d) {
    GC_STORE(d->link, NULL);
    if (npool == POOL_CAP) {
        defer_rec_t *first = NULL, *last = NULL;
        while (npool > POOL_CAP / 2) {
            defer_rec_t *x = pool[--npool];
            pool[npool] = NULL;
            if (first == NULL)
                first = x;
            else
                GC_STORE(last->link, x);
            last = x;
            ncentral++;
        }
        GC_STORE(last->link, central);
        central = first;
    }
    gc_memclr_ptrs(d, sizeof *d);
    pool[npool++] = d;
}

// Pushes a heap record for c on f's chain (deferproc).
void defer_push(defer_frame_t *f, defer_closure_t *c) {
    if (f->chain == NULL)
        f->chain = defer_chain_current();
    opcount_mark_t m = opcount_begin();
    defer_rec_t *d = newdefer();
    opcount_end(&defer_stats.push, m);
    GC_STORE(d->fn, c);
    d->sp = (uintptr_t)f;
    d->pc = (uintptr_t)__builtin_return_address(0);
    GC_STORE(d->link, f->chain->head);
    GC_STORE(f->chain->head, d);
    f->chain->pending++;
}

// Returns a heap closure of type t with code fn.
defer_closure_t *defer_closure_new(const gotype_t *t, void (*fn)(defer_closure_t *)) {
    if (t->size < sizeof(defer_closure_t))
        sys_panic("defer_closure_new: type %s smaller than a func value", t->name);
    opcount_mark_t m = opcount_begin();
    defer_closure_t *c = rt_new(t);
    opcount_end(&defer_stats.closure, m);
    c->fn = fn;
    return c;
}

// Runs f's heap records, newest first, then its open-coded defers in reverse.
void defer_return(defer_frame_t *f) {
    defer_chain_t *ch = f->chain;
    while (ch && ch->head && ch->head->sp == (uintptr_t)f) {
        defer_rec_t *d = ch->head;
        defer_closure_t *c = d->fn;
        GC_STORE(ch->head, d->link);
        ch->pending--;
        GC_STORE(d->fn, NULL);
        freedefer(d);
        defer_stats.run++;
        if (c && c->fn)
            c->fn(c);
    }
    while (f->bits) {
        int i = 31 - __builtin_clz(f->bits);
        f->bits &= (uint8_t)~(1u << i);
        defer_stats.run++;
        if (f->open[i] && f->open[i]->fn)
            f->open[i]->fn(f->open[i]);
    }
}

// Returns the records pending on c.
uint64_t defer_pending(const defer_chain_t *c) { return c ? c->pending : 0; }

// Returns the per-P pool size.
uint64_t defer_pool_local(void) { return (uint64_t)npool; }

// Returns the central pool size.
uint64_t defer_pool_central(void) { return ncentral; }

// Drops the central pool, unlinking it so one stray reference pins nothing.
void defer_clear_central_pool(void) {
    defer_rec_t *d = central, *next;
    for (; d; d = next) {
        next = d->link;
        GC_STORE(d->link, NULL);
    }
    defer_stats.central_cleared += ncentral;
    central = NULL;
    ncentral = 0;
}

// Empties the pools and the global chain for a fresh runtime.
void defer_reset(void) {
    memset(pool, 0, sizeof pool);
    npool = 0;
    central = NULL;
    ncentral = 0;
    memset(&global_chain, 0, sizeof global_chain);
    memset(gchains, 0, sizeof gchains);
}
