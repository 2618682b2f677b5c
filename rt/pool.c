// sync.Pool after Go's sync/pool.go, on one P: the P's private slot and shared list,
// and the victim cache. At the start of every GC (a gc cycle hook) poolCleanup drops
// each pool's victim cache and moves its primary cache there, so an object Put and
// then left idle survives exactly one GC (found in the victim) and is freed by the
// second. Get looks in Go's order: private, shared (head), victim private, victim
// shared, then New.
//
// Each pool's caches live in a heap object (pool_state_t) linked into a list that is
// a registered GC root, so the collector sees exactly what the pool holds, wherever
// the sync_pool_t itself lives. Pool states stay registered until sched_reset.
#include "rt/sync.h"

#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/gc_barrier.h"
#include "rt/sched_internal.h"
#include "rt/types.h"

struct pool_state {
    pool_state_t *next; // all pools (Go's allPools)
    void *primary_private;
    void **primary_shared;
    void *victim_private;
    void **victim_shared;
    size_t primary_len, primary_cap;
    size_t victim_len, victim_cap;
};

static GOTYPE_STRUCT(pool_state_type, pool_state_t, "sync.poolLocal",
                     offsetof(pool_state_t, next), offsetof(pool_state_t, primary_private),
                     offsetof(pool_state_t, primary_shared),
                     offsetof(pool_state_t, victim_private),
                     offsetof(pool_state_t, victim_shared));

static struct {
    pool_state_t *all;
} roots;
static uint64_t epoch = 1; // bumped by every reset: older states are gone

// poolCleanup (gc cycle hook, world stopped, must not allocate).
static void pool_cleanup(void) {
    for (pool_state_t *s = roots.all; s; s = s->next) {
        GC_STORE(s->victim_private, s->primary_private);
        GC_STORE(s->victim_shared, s->primary_shared);
        s->victim_len = s->primary_len;
        s->victim_cap = s->primary_cap;
        GC_STORE(s->primary_private, NULL);
        GC_STORE(s->primary_shared, NULL);
        s->primary_len = s->primary_cap = 0;
    }
}

static pool_state_t *state(sync_pool_t *p) {
    static bool registered;
    if (!registered) {
        registered = true;
        gc_init();
        gc_add_root(&roots, sizeof roots, &gotype_pointer);
        gc_add_cycle_hook(pool_cleanup);
    }
    if (!p->st || p->epoch != epoch) {
        pool_state_t *s = rt_new(&pool_state_type);
        GC_STORE(s->next, roots.all);
        roots.all = s;
        GC_STORE(p->st, s);
        p->epoch = epoch;
    }
    return p->st;
}

void sync_pool_put(sync_pool_t *p, void *x) {
    if (!x)
        return;
    pool_state_t *s = state(p);
    if (!s->primary_private) {
        GC_STORE(s->primary_private, x);
        return;
    }
    if (s->primary_len == s->primary_cap) {
        size_t ncap = s->primary_cap ? s->primary_cap * 2 : 8; // sync/poolqueue.go: a poolChain starts at 8
        void **na = rt_newarray(&gotype_pointer, ncap);
        for (size_t i = 0; i < s->primary_len; i++)
            GC_STORE(na[i], s->primary_shared[i]);
        GC_STORE(s->primary_shared, na); // a GC inside rt_newarray may have moved the old
        s->primary_cap = ncap;  // array to the victim (len 0 then): still right
    }
    GC_STORE(s->primary_shared[s->primary_len], x);
    s->primary_len++;
}

void *sync_pool_get(sync_pool_t *p) {
    pool_state_t *s = state(p);
    void *x = s->primary_private;
    if (x) {
        GC_STORE(s->primary_private, NULL);
        return x;
    }
    if (s->primary_len) {
        x = s->primary_shared[--s->primary_len];
        GC_STORE(s->primary_shared[s->primary_len], NULL);
        return x;
    }
    x = s->victim_private;
    if (x) {
        GC_STORE(s->victim_private, NULL);
        return x;
    }
    if (s->victim_len) {
        x = s->victim_shared[--s->victim_len];
        GC_STORE(s->victim_shared[s->victim_len], NULL);
        return x;
    }
    return p->New ? p->New() : NULL;
}

size_t sync_pool_primary_len(const sync_pool_t *p) {
    const pool_state_t *s = p->epoch == epoch ? p->st : NULL;
    return s ? s->primary_len + (s->primary_private != NULL) : 0;
}

size_t sync_pool_victim_len(const sync_pool_t *p) {
    const pool_state_t *s = p->epoch == epoch ? p->st : NULL;
    return s ? s->victim_len + (s->victim_private != NULL) : 0;
}

void pool_reset_all(void) {
    roots.all = NULL;
    epoch++;
}
