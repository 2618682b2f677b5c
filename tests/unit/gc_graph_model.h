// A random object graph driven against a model of reachability, shared by the
// randomized host test (gc_random_test.c) and the libFuzzer target
// (tests/fuzz/gc_fuzz.c). Operations: allocate nodes and noscan byte arrays of
// many sizes (tiny to large), link, unlink, move a root down to a child, drop roots,
// collect (lazy or forced). After every forced collection every object the model
// says is reachable must be allocated with its id intact, and every other one must
// have been freed. When a new object lands at the address of an older one the
// model has not seen freed yet, the older one must be unreachable in the model (the
// collector freed it), and it is counted as freed. The model lives in libc memory, which the collector never scans;
// the real pointers live only in the heap and in the registered root array.
#ifndef SPANLAB_GC_GRAPH_MODEL_H
#define SPANLAB_GC_GRAPH_MODEL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/gc_barrier.h"
#include "rt/types.h"
#include "sys/sys.h"

#define GM_FIELDS 4
#define GM_ROOTS 32
#define GM_MAX_OBJS 60000
#define GM_MASK 0x3c3c3c3c3c3c3c3cull

typedef struct gm_node {
    int64_t id;
    struct gm_node *f[GM_FIELDS];
} gm_node_t;
static GOTYPE_STRUCT(gm_node_type, gm_node_t, "gm.Node", offsetof(gm_node_t, f[0]),
                     offsetof(gm_node_t, f[1]), offsetof(gm_node_t, f[2]),
                     offsetof(gm_node_t, f[3]));

typedef struct gm_obj {
    uintptr_t hidden;          // address ^ GM_MASK
    int32_t edge[GM_FIELDS];   // ids, -1 = nil (nodes only)
    uint32_t size;             // bytes (byte arrays), 0 for nodes
    uint8_t is_node, freed, mark, tiny;
} gm_obj_t;

typedef struct gm {
    gm_obj_t *obj; // model, indexed by id
    int32_t nobj;
    int32_t root[GM_ROOTS]; // ids, -1 = nil
    const uint8_t *in;      // operation bytes (fuzzer) or NULL (PRNG)
    size_t inlen, inpos;
    uint64_t rng;
    uint64_t forced, checked_alive, checked_dead, reused;
    uintptr_t *map_addr; // open addressing: address -> newest id at that address
    int32_t *map_id;
    int32_t *stack;     // model marking stack
} gm_t;

#define GM_MAP_SIZE (1u << 17)

// The real roots: registered with the collector as an array of pointers.
static void *gm_roots[GM_ROOTS];

static uint32_t gm_byte(gm_t *g) {
    if (g->in) {
        return g->inpos < g->inlen ? g->in[g->inpos++] : 0;
    }
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return (uint32_t)(g->rng >> 24) & 0xff;
}

static bool gm_done(const gm_t *g) { return g->in && g->inpos >= g->inlen; }

static void *gm_addr(const gm_t *g, int32_t id) { return (void *)(g->obj[id].hidden ^ GM_MASK); }

static void gm_init(gm_t *g, const uint8_t *in, size_t len, uint64_t seed) {
    memset(g, 0, sizeof *g);
    g->obj = calloc(GM_MAX_OBJS, sizeof *g->obj);
    g->map_addr = calloc(GM_MAP_SIZE, sizeof *g->map_addr);
    g->map_id = calloc(GM_MAP_SIZE, sizeof *g->map_id);
    g->stack = malloc(sizeof(int32_t) * (GM_MAX_OBJS * GM_FIELDS + 1));
    for (int i = 0; i < GM_ROOTS; i++)
        g->root[i] = -1;
    g->in = in;
    g->inlen = len;
    g->rng = seed | 1;
    memset(gm_roots, 0, sizeof gm_roots);
    gc_add_root(gm_roots, sizeof gm_roots, &gotype_pointer);
}

static void gm_fini(gm_t *g) {
    memset(gm_roots, 0, sizeof gm_roots);
    gc_remove_root(gm_roots);
    free(g->obj);
    free(g->map_addr);
    free(g->map_id);
    free(g->stack);
    g->obj = NULL;
}

// Byte-array sizes from tiny to large (above 32 KiB: a dedicated span).
static const uint32_t gm_sizes[8] = {8, 24, 100, 512, 3000, 20000, 40000, 150000};

static void gm_mark_model(gm_t *g, int32_t id, int32_t *stack) {
    int32_t n = 0;
    stack[n++] = id;
    while (n) {
        int32_t x = stack[--n];
        if (x < 0 || g->obj[x].mark)
            continue;
        g->obj[x].mark = 1;
        if (g->obj[x].is_node)
            for (int k = 0; k < GM_FIELDS; k++)
                if (g->obj[x].edge[k] >= 0 && !g->obj[g->obj[x].edge[k]].mark)
                    stack[n++] = g->obj[x].edge[k];
    }
}

// Recomputes the model's reachability marks from the roots.
static void gm_model_reach(gm_t *g) {
    for (int32_t i = 0; i < g->nobj; i++)
        g->obj[i].mark = 0;
    for (int r = 0; r < GM_ROOTS; r++)
        if (g->root[r] >= 0)
            gm_mark_model(g, g->root[r], g->stack);
}

// Records that id now lives at p; an older unfreed object there was freed by the
// collector, so it must be unreachable. Returns NULL or the violation.
static const char *gm_map_put(gm_t *g, uintptr_t p, int32_t id) {
    size_t h = (size_t)((p >> 4) * 0x9e3779b97f4a7c15ull >> 47) & (GM_MAP_SIZE - 1);
    while (g->map_addr[h] && g->map_addr[h] != p)
        h = (h + 1) & (GM_MAP_SIZE - 1);
    if (g->map_addr[h] == p) {
        int32_t old = g->map_id[h];
        if (!g->obj[old].freed) {
            gm_model_reach(g);
            if (g->obj[old].mark) {
                static char msg[160];
                snprintf(msg, sizeof msg, "reachable object %d at %#lx was freed and its slot "
                         "reused by object %d", old, (unsigned long)p, id);
                return msg;
            }
            g->obj[old].freed = 1;
            g->reused++;
        }
    }
    g->map_addr[h] = p;
    g->map_id[h] = id;
    return NULL;
}

__attribute__((noinline)) static const char *gm_alloc(gm_t *g, int r, bool node,
                                                     uint32_t szsel) {
    if (g->nobj >= GM_MAX_OBJS)
        return NULL;
    int32_t id = g->nobj++;
    gm_obj_t *o = &g->obj[id];
    for (int k = 0; k < GM_FIELDS; k++)
        o->edge[k] = -1;
    void *p;
    if (node) {
        gm_node_t *n = rt_new(&gm_node_type);
        n->id = id;
        p = n;
        o->is_node = 1;
    } else {
        o->size = gm_sizes[szsel & 7];
        o->tiny = o->size < HEAP_TINY_SIZE; // shares a 16-byte block with its neighbours
        uint8_t *b = rt_newarray(&gotype_uint8, o->size);
        memcpy(b, &id, sizeof id); // the id in the first bytes (noscan: never followed)
        memset(b + 4, 0xAB, o->size - 4); // fill, so pointer-like garbage never matters
        p = b;
    }
    o->hidden = (uintptr_t)p ^ GM_MASK;
    gm_roots[r] = p;
    g->root[r] = id;
    return gm_map_put(g, (uintptr_t)p, id);
}

// root[r]->f[k] = root[s] (when root[r] is a node).
__attribute__((noinline)) static void gm_link(gm_t *g, int r, int k, int s) {
    int32_t a = g->root[r];
    if (a < 0 || !g->obj[a].is_node)
        return;
    GC_STORE(((gm_node_t *)gm_roots[r])->f[k], (gm_node_t *)gm_roots[s]);
    g->obj[a].edge[k] = g->root[s];
}

// root[r] = root[r]->f[k] (descend; the old root may become garbage).
__attribute__((noinline)) static void gm_descend(gm_t *g, int r, int k) {
    int32_t a = g->root[r];
    if (a < 0 || !g->obj[a].is_node)
        return;
    gm_roots[r] = ((gm_node_t *)gm_roots[r])->f[k];
    g->root[r] = g->obj[a].edge[k];
}

// no_sanitize_address: no redzones, so the array reaches up to the saved registers.
__attribute__((noinline, no_sanitize_address)) static void gm_clear_stack(void) {
    volatile char buf[64 * 1024];
    for (size_t i = 0; i < sizeof buf; i += 8)
        *(volatile uint64_t *)&buf[i] = 0;
}

// Whether object id is still allocated where the model put it: an allocated slot
// starting at its address, and no newer object recorded at that address. (Freed
// memory is often reused by objects that start elsewhere: a large span over old
// small slots and so on.)
static bool gm_alive(gm_t *g, int32_t id) {
    uintptr_t p = (uintptr_t)gm_addr(g, id);
    span_t *sp = heap_span_of((void *)p);
    size_t idx;
    uintptr_t base = g->obj[id].tiny ? p & ~(uintptr_t)(HEAP_TINY_SIZE - 1) : p;
    if (!sp || span_object_of(sp, (void *)p, &idx) != (void *)base ||
        !span_is_allocated(sp, idx))
        return false;
    size_t h = (size_t)((p >> 4) * 0x9e3779b97f4a7c15ull >> 47) & (GM_MAP_SIZE - 1);
    while (g->map_addr[h] && g->map_addr[h] != p)
        h = (h + 1) & (GM_MAP_SIZE - 1);
    return g->map_addr[h] == p && g->map_id[h] == id;
}

extern bool gc_test_skip_running_stack; // rt/gc_internal.h

// A forced collection, then the model check. Returns NULL or what went wrong. The
// check needs exact freeing, so this collection skips the running stack (every live
// object is in gm_roots here): a stale word left on the stack by the allocator (an
// arena base is also the address of the arena's first object) would otherwise keep
// an unreachable object. Every other collection of the run scans the stack as usual.
__attribute__((noinline)) static const char *gm_collect_and_check(gm_t *g) {
    gm_clear_stack();
    gc_test_skip_running_stack = true;
    gc_collect(true);
    gc_test_skip_running_stack = false;
    g->forced++;
    gm_model_reach(g);
    static char msg[160];
    for (int32_t i = 0; i < g->nobj; i++) {
        gm_obj_t *o = &g->obj[i];
        if (o->freed)
            continue;
        void *p = gm_addr(g, i);
        bool alive = gm_alive(g, i);
        if (o->mark) {
            int32_t id;
            memcpy(&id, p, sizeof id);
            if (!alive || id != i) {
                snprintf(msg, sizeof msg, "reachable object %d at %p was freed (id %d)", i, p,
                         alive ? id : -1);
                return msg;
            }
            g->checked_alive++;
        } else {
            if (alive && o->tiny)
                continue; // its block is kept by a live neighbour (Go's tiny allocator)
            if (alive) {
                snprintf(msg, sizeof msg, "unreachable object %d at %p was not freed", i, p);
                return msg;
            }
            o->freed = 1;
            g->checked_dead++;
        }
    }
    return NULL;
}

// Runs operations until nops are done (PRNG) or the input ends (fuzzer); returns
// NULL or the first model mismatch.
static const char *gm_run(gm_t *g, long nops) {
    for (long i = 0; (g->in ? !gm_done(g) : i < nops); i++) {
        uint32_t op = gm_byte(g) % 16;
        int r = (int)(gm_byte(g) % GM_ROOTS);
        int s = (int)(gm_byte(g) % GM_ROOTS);
        int k = (int)(gm_byte(g) % GM_FIELDS);
        const char *err = NULL;
        if (op < 5)
            err = gm_alloc(g, r, true, 0);
        else if (op < 6)
            err = gm_alloc(g, r, false, (uint32_t)s);
        if (err)
            return err;
        if (op < 6)
            ;
        else if (op < 10)
            gm_link(g, r, k, s);
        else if (op < 12)
            gm_descend(g, r, k);
        else if (op < 13) {
            gm_roots[r] = NULL;
            g->root[r] = -1;
        } else if (op < 14) {
            gc_collect(false);
        } else if (op < 15 && (gm_byte(g) & 7) == 0) {
            gm_clear_stack(); // stale frames of gm_alloc where the checker's frame goes
            err = gm_collect_and_check(g);
            if (err)
                return err;
        }
    }
    gm_clear_stack();
    return gm_collect_and_check(g);
}

#endif
