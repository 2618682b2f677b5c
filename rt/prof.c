// The allocation profiler (runtime/mprof.go sampling and buckets; our own code); its
// records are written in pprof's format by golib/pprof.c. See prof.h.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/prof.h"
#include "rt/sched.h"
#include "sys/options.h"
#include "sys/sys.h"
#include "mm/heap.h"

#define MAX_FRAMES PROF_MAX_FRAMES
#define MAX_SITES PROF_MAX_SITES
#define SITE_DEPTH 32      // PROF_SITE nesting

typedef struct bucket {
    uint64_t hash;
    uint8_t nframes;
    uint16_t pcmask;               // bit i: frames[i] is a pc (else a token)
    uintptr_t frames[MAX_FRAMES];  // leaf first
    const char *leafname;
    uint64_t allocs, alloc_bytes, frees, free_bytes;
} bucket_t;

static bucket_t buckets[MAX_SITES];
static uint32_t nbuckets;
static uint32_t bindex[MAX_SITES * 2]; // open addressing: bucket number + 1, 0 = empty

// Live objects by address: the sampled ones, and the large ones tracked for
// prof_large_objects. Open addressing, in memory from sys (never from the GC'd
// heap: the profiler must not allocate through the hook it serves).
typedef struct objent {
    uintptr_t addr;         // 0 = empty
    uint64_t sizebkt;       // size << 16 | bucket
    const gotype_t *type;   // large objects: the allocation's type (NULL: bytes)
} objent_t;
typedef struct objtab {
    objent_t *e;
    size_t cap, len;
    const char *name; // for sys_reserve and the out-of-memory message
} objtab_t;
static objtab_t sampled = {.name = "prof sampled objects"};
static objtab_t large = {.name = "prof large objects"};
static size_t tinylive;
static size_t track_min; // prof_track_large: 0 = off

static bool inited;
static int64_t rate;
static int64_t next_sample;
static uint64_t rng = 0x9e3779b97f4a7c15ull;
// PROF_SITE stacks: one per goroutine that is inside a named site (by goroutine id,
// 0 = code outside goroutines); a stack of depth 0 is free for any goroutine.
#define SITE_STACKS 128
static struct site_stack {
    uint64_t goid;
    int n;
    const char *names[SITE_DEPTH];
} site_stacks[SITE_STACKS];
static prof_totals_t totals;
static char names[65536];
static size_t names_used;

// ---- counting ----------------------------------------------------------------------

// Returns the allocations seen by the hook (prof.h).
uint64_t prof_mallocs(void) {
    if (!inited)
        prof_init();
    return totals.mallocs;
}

// Returns the requested bytes seen by the hook (prof.h).
uint64_t prof_alloc_bytes(void) {
    if (!inited)
        prof_init();
    return totals.alloc_bytes;
}

// ---- small math (no libm in the kernel) ----------------------------------------------------

// Returns ln(x) for x > 0.
static double ln(double x) {
    uint64_t b;
    memcpy(&b, &x, 8);
    int e = (int)((b >> 52) & 0x7ff) - 1023;
    b = (b & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
    double m;
    memcpy(&m, &b, 8); // m in [1, 2)
    double z = (m - 1) / (m + 1), z2 = z * z, term = z, sum = 0;
    for (int k = 1; k < 40; k += 2) {
        sum += term / k;
        term *= z2;
    }
    return e * 0.69314718055994530942 + 2 * sum;
}

// Returns the next sampling distance (malloc.go nextSample: exponential, mean rate).
static int64_t next_distance(void) {
    if (rate <= 1)
        return 0;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    double u = ((double)(rng >> 11) + 1) / 9007199254740993.0; // (0, 1]
    return (int64_t)(-ln(u) * (double)rate) + 1;
}

// ---- set-up -----------------------------------------------------------------------

// Installs the hooks and reads memprofilerate (idempotent).
void prof_init(void) {
    if (inited)
        return;
    inited = true;
    rate = opt_int("memprofilerate");
    next_sample = next_distance();
    rt_alloc_hook = prof_on_alloc;
    rt_free_hook = prof_on_free;
    rt_alloc_refold();
}

// Sets the rate; returns the previous one.
int64_t prof_set_rate(int64_t r) {
    prof_init();
    int64_t old = rate;
    rate = r < 0 ? 0 : r;
    next_sample = next_distance();
    return old;
}

// Returns the rate.
int64_t prof_rate(void) {
    prof_init();
    return rate;
}

// Drops all samples, sites and live objects.
void prof_reset(void) {
    prof_init();
    rate = opt_int("memprofilerate"); // options may have been parsed after prof_init
    next_sample = next_distance();
    memset(buckets, 0, sizeof buckets);
    memset(bindex, 0, sizeof bindex);
    nbuckets = 0;
    for (objtab_t *tab = &sampled; tab; tab = tab == &sampled ? &large : NULL) {
        if (tab->e)
            memset(tab->e, 0, tab->cap * sizeof *tab->e);
        tab->len = 0;
    }
    tinylive = 0;
    memset(site_stacks, 0, sizeof site_stacks);
    names_used = 0;
    totals.samples = totals.sampled_live = 0;
}

// Returns the running goroutine's site stack; with create, takes a free one (panics
// when every stack is in use), else NULL when it has none.
static struct site_stack *site_stack(bool create) {
    uint64_t id = sched_in_goroutine() ? sched_goid() : 0;
    struct site_stack *free_one = NULL;
    for (int i = 0; i < SITE_STACKS; i++) {
        if (site_stacks[i].n && site_stacks[i].goid == id)
            return &site_stacks[i];
        if (!free_one && site_stacks[i].n == 0)
            free_one = &site_stacks[i];
    }
    if (!create)
        return NULL;
    if (!free_one)
        sys_panic("prof: more than %d goroutines inside PROF_SITE scopes", SITE_STACKS);
    free_one->goid = id;
    return free_one;
}

// Enters a named site; panics past SITE_DEPTH.
void prof_site_push(const char *name) {
    struct site_stack *st = site_stack(true);
    if (st->n >= SITE_DEPTH)
        sys_panic("prof: PROF_SITE nested deeper than %d", SITE_DEPTH);
    st->names[st->n++] = name;
}

// Leaves the innermost site; panics when there is none.
void prof_site_pop(void) {
    struct site_stack *st = site_stack(false);
    if (st == NULL)
        sys_panic("prof: prof_site_pop without a site");
    st->n--;
}

// ---- names ----------------------------------------------------------------------------

// Returns a stable copy of s in the name pool ("?" when the pool is full).
static const char *keep_name(const char *s) {
    size_t n = strlen(s) + 1;
    if (names_used + n > sizeof names)
        return "?";
    char *p = names + names_used;
    memcpy(p, s, n);
    names_used += n;
    return p;
}

// Writes the function name of pc into buf (sys's symbolizer, else "0x<pc>").
static void symbolize(uintptr_t pc, char *buf, size_t len) {
    if (!sys_symbolize(pc, buf, len))
        snprintf(buf, len, "0x%llx", (unsigned long long)pc);
}

// Returns the display name of frame i of b.
static const char *frame_name(const bucket_t *b, int i, char *buf, size_t len) {
    if (b->pcmask & (1u << i)) {
        symbolize(b->frames[i], buf, len);
        return buf;
    }
    return (const char *)b->frames[i];
}

// ---- buckets ---------------------------------------------------------------------------

// Returns the bucket for this stack, creating it (the last bucket absorbs overflow).
static bucket_t *find_bucket(const uintptr_t *frames, int n, uint16_t pcmask) {
    uint64_t h = 0xcbf29ce484222325ull ^ pcmask;
    for (int i = 0; i < n; i++)
        h = (h ^ frames[i]) * 0x100000001b3ull;
    size_t mask = MAX_SITES * 2 - 1;
    for (size_t k = h & mask;; k = (k + 1) & mask) {
        uint32_t bi = bindex[k];
        if (bi == 0)
            break;
        bucket_t *b = &buckets[bi - 1];
        if (b->hash == h && b->nframes == n && b->pcmask == pcmask &&
            memcmp(b->frames, frames, (size_t)n * sizeof *frames) == 0)
            return b;
    }
    if (nbuckets == MAX_SITES) {
        bucket_t *o = &buckets[MAX_SITES - 1];
        o->leafname = "(other)";
        return o;
    }
    bucket_t *b = &buckets[nbuckets++];
    b->hash = h;
    b->nframes = (uint8_t)n;
    b->pcmask = pcmask;
    memcpy(b->frames, frames, (size_t)n * sizeof *frames);
    char buf[256];
    b->leafname = keep_name(frame_name(b, 0, buf, sizeof buf));
    for (size_t k = h & mask;; k = (k + 1) & mask)
        if (bindex[k] == 0) {
            bindex[k] = nbuckets;
            break;
        }
    return b;
}

// Collects the sample's frames: the PROF_SITE tokens, else return addresses starting
// at rt_mallocgc's caller (hook frame -> rt_mallocgc frame -> its return address).
// Frame-pointer chain: this frame -> prof_on_alloc -> rt_mallocgc, whose saved
// return address is the allocating call site.
__attribute__((noinline)) static int collect_frames(uintptr_t *frames, uint16_t *pcmask) {
    int n = 0;
    *pcmask = 0;
    const struct site_stack *st = site_stack(false);
    if (st) {
        for (int i = st->n - 1; i >= 0 && n < MAX_FRAMES; i--)
            frames[n++] = (uintptr_t)st->names[i];
        return n;
    }
    uintptr_t *fp = __builtin_frame_address(0);
    fp = (uintptr_t *)fp[0]; // prof_on_alloc's frame
    fp = fp ? (uintptr_t *)fp[0] : NULL; // rt_mallocgc's frame
    uintptr_t top = (uintptr_t)gc_stack_top;
    while (fp && n < MAX_FRAMES) {
        uintptr_t pc = fp[1];
        if (pc == 0)
            break;
        frames[n] = pc;
        *pcmask |= (uint16_t)(1u << n);
        n++;
        uintptr_t *next = (uintptr_t *)fp[0];
        if (top == 0 || (uintptr_t)next <= (uintptr_t)fp || (uintptr_t)next + 16 > top ||
            ((uintptr_t)next & 7))
            break;
        fp = next;
    }
    if (n == 0) {
        frames[n++] = (uintptr_t)"(unknown)";
        *pcmask = 0;
    }
    return n;
}

// ---- live objects by address ----------------------------------------------------------------

static size_t slot_of(const objtab_t *tab, uintptr_t a) {
    return (size_t)((a >> 3) * 0x9e3779b97f4a7c15ull) & (tab->cap - 1);
}

// Moves the table to one twice as large (memory from sys, not the heap).
static void obj_grow(objtab_t *tab) {
    size_t ncap = tab->cap ? tab->cap * 2 : 65536;
    size_t bytes = ncap * sizeof(objent_t);
    objent_t *n = sys_reserve(bytes, SYS_PAGE_SIZE, tab->name);
    if (!n || sys_commit(n, bytes) != 0)
        sys_panic("prof: cannot map %zu bytes for the %s table", bytes, tab->name);
    objent_t *old = tab->e;
    size_t oldcap = tab->cap;
    tab->e = n;
    tab->cap = ncap;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].addr)
            continue;
        size_t k = slot_of(tab, old[i].addr);
        while (tab->e[k].addr)
            k = (k + 1) & (tab->cap - 1);
        tab->e[k] = old[i];
    }
    if (old)
        sys_unreserve(old, oldcap * sizeof(objent_t));
}

// Remembers object a (size bytes, bucket bi, type t), growing the table at 3/4 full.
static void obj_insert(objtab_t *tab, uintptr_t a, uint64_t size, uint32_t bi,
                       const gotype_t *t) {
    if ((tab->len + 1) * 4 > tab->cap * 3)
        obj_grow(tab);
    size_t k = slot_of(tab, a);
    while (tab->e[k].addr && tab->e[k].addr != a)
        k = (k + 1) & (tab->cap - 1);
    if (!tab->e[k].addr)
        tab->len++;
    tab->e[k] = (objent_t){a, size << 16 | bi, t};
}

// Removes a and returns its entry through *out; false when it is not in the table.
static bool obj_remove(objtab_t *tab, uintptr_t a, objent_t *out) {
    if (tab->len == 0)
        return false;
    size_t mask = tab->cap - 1, k = slot_of(tab, a);
    while (tab->e[k].addr != a) {
        if (!tab->e[k].addr)
            return false;
        k = (k + 1) & mask;
    }
    *out = tab->e[k];
    tab->e[k].addr = 0;
    tab->len--;
    // Backward-shift deletion keeps every probe chain unbroken.
    size_t hole = k;
    for (size_t j = (k + 1) & mask; tab->e[j].addr; j = (j + 1) & mask) {
        size_t home = slot_of(tab, tab->e[j].addr);
        bool between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!between) {
            tab->e[hole] = tab->e[j];
            tab->e[j].addr = 0;
            hole = j;
        }
    }
    return true;
}

// ---- the hooks -------------------------------------------------------------------------------

// rt_alloc_hook: counts every allocation, samples some.
__attribute__((noinline)) void prof_on_alloc(void *p, size_t size, const gotype_t *t) {
    if (!p || size == 0) // zero-sized: zerobase, not a malloc (Go counts none)
        return;
    totals.mallocs++;
    totals.alloc_bytes += size;
    bool tiny = size < 16 && (t == NULL || t->ptrdata == 0);
    uint64_t sz = tiny ? size : heap_roundupsize(size);
    bool track = track_min && sz >= track_min;
    bool sample = rate > 0;
    if (sample && rate != 1 && (int64_t)sz < next_sample) {
        next_sample -= (int64_t)sz;
        sample = false;
    } else if (sample) {
        next_sample = next_distance();
    }
    if (!sample && !track)
        return;
    uintptr_t frames[MAX_FRAMES];
    uint16_t pcmask;
    int n = collect_frames(frames, &pcmask);
    bucket_t *b = find_bucket(frames, n, pcmask);
    uint32_t bi = (uint32_t)(b - buckets);
    if (track) // the site of every large object, sampled or not (no counts)
        obj_insert(&large, (uintptr_t)p, sz, bi, t);
    if (!sample)
        return;
    b->allocs++;
    b->alloc_bytes += sz;
    totals.samples++;
    obj_insert(&sampled, (uintptr_t)p, sz, bi, NULL);
    if (tiny)
        tinylive++;
}

// rt_free_hook: counts every free, retires sampled objects (whole 16-byte tiny
// blocks: every sampled object inside it).
void prof_on_free(void *p, size_t size) {
    totals.frees++;
    totals.free_bytes += size;
    objent_t e;
    if (large.len && size >= track_min)
        obj_remove(&large, (uintptr_t)p, &e);
    if (sampled.len == 0)
        return;
    size_t span = size == 16 && tinylive ? 16 : 1;
    for (size_t off = 0; off < span; off++) {
        if (!obj_remove(&sampled, (uintptr_t)p + off, &e))
            continue;
        bucket_t *b = &buckets[e.sizebkt & 0xffff];
        b->frees++;
        b->free_bytes += e.sizebkt >> 16;
        if ((e.sizebkt >> 16) < 16 && tinylive)
            tinylive--;
    }
}

// ---- reports ---------------------------------------------------------------------------------

// Copies the totals, with the number of sampled objects still live.
void prof_totals(prof_totals_t *out) {
    prof_init();
    *out = totals;
    out->sampled_live = sampled.len;
}

// ---- large objects ----------------------------------------------------------------------------

// Turns tracking on for allocations of at least min_bytes (0: off).
void prof_track_large(size_t min_bytes) {
    prof_init();
    track_min = min_bytes;
}

// Inserts e into out[0..*k) (capacity n) kept sorted by size, largest first.
static void insert_by_size(prof_object_t *out, size_t n, size_t *k, const objent_t *e) {
    uint64_t size = e->sizebkt >> 16;
    size_t i = *k < n ? (*k)++ : n;
    while (i > 0 && out[i - 1].size < size) {
        if (i < n)
            out[i] = out[i - 1];
        i--;
    }
    if (i >= n)
        return;
    const bucket_t *b = &buckets[e->sizebkt & 0xffff];
    out[i] = (prof_object_t){
        .addr = e->addr,
        .size = size,
        .site = b->leafname ? b->leafname : "?",
        .type = e->type ? e->type->name : NULL,
        .array = e->type && e->type->size && size >= 2 * e->type->size,
    };
}

// Fills out with the n largest live tracked objects, largest first; returns how many.
size_t prof_large_objects(prof_object_t *out, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < large.cap && n; i++)
        if (large.e[i].addr)
            insert_by_size(out, n, &k, &large.e[i]);
    return k;
}

// qsort order: in-use bytes, then allocated bytes (descending), then name.
static int cmp_sites(const void *a, const void *b) {
    const prof_site_stats_t *x = a, *y = b;
    if (x->inuse_space != y->inuse_space)
        return x->inuse_space < y->inuse_space ? 1 : -1;
    if (x->alloc_space != y->alloc_space)
        return x->alloc_space < y->alloc_space ? 1 : -1;
    return strcmp(x->name, y->name);
}

// Fills out with up to n sites, sorted; returns how many.
size_t prof_sites(prof_site_stats_t *out, size_t n) {
    size_t k = 0;
    for (uint32_t i = 0; i < nbuckets && k < n; i++) {
        const bucket_t *b = &buckets[i];
        if (b->allocs == 0) // a site known only from a tracked large object
            continue;
        out[k].name = b->leafname;
        out[k].alloc_objects = b->allocs;
        out[k].alloc_space = b->alloc_bytes;
        out[k].inuse_objects = b->allocs - b->frees;
        out[k].inuse_space = b->alloc_bytes - b->free_bytes;
        k++;
    }
    qsort(out, k, sizeof *out, cmp_sites);
    return k;
}

// ---- records ----------------------------------------------------------------------------------

// Returns how many buckets there are (prof_record's indexes).
size_t prof_record_count(void) { return nbuckets; }

// Copies bucket i (see prof.h).
void prof_record(size_t i, prof_record_t *out) {
    if (i >= nbuckets)
        sys_panic("prof_record: %zu is not below %u", i, nbuckets);
    const bucket_t *b = &buckets[i];
    out->alloc_objects = b->allocs;
    out->alloc_bytes = b->alloc_bytes;
    out->free_objects = b->frees;
    out->free_bytes = b->free_bytes;
    out->nframes = b->nframes;
    out->pcmask = b->pcmask;
    memcpy(out->frames, b->frames, sizeof out->frames);
}

// Writes the function name of pc (see prof.h).
void prof_frame_name(uintptr_t pc, char *buf, size_t len) { symbolize(pc, buf, len); }
