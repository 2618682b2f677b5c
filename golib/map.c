// Go 1.19 hash maps (runtime/map.go, map_fast64.go, map_faststr.go): buckets of 8
// slots with tophash bytes, overflow chains, growth at load factor 6.5, delete that
// never frees a bucket, mapclear that keeps the array. See map.h for the design and
// the one simplification (growth re-hashes at once instead of incrementally).
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "golib/map.h"
#include "golib/slice.h"
#include "golib/str.h"
#include "golib/opcount.h"
#include "rt/runtime.h"
#include "sys/sys.h"
#include "rt/panic.h"
#include "mm/heap.h"

// runtime/map.go constants.
#define BUCKET_CNT 8        // slots per bucket
#define LOAD_NUM 13         // loadFactorNum: 6.5 entries per bucket on average
#define LOAD_DEN 2          // loadFactorDen
#define MAX_KEY_SIZE 128    // maxKeySize / maxElemSize
#define EMPTY_REST 0        // this slot and every later one (chain included) is empty
#define EMPTY_ONE 1         // this slot is empty
#define MIN_TOP_HASH 5      // smallest tophash of a full slot

// runtime.hmap, 48 bytes as Go's (so make(map) costs the same bytes). Two words
// Go uses for incremental evacuation (oldbuckets, nevacuate) hold the map type and
// the array's bucket count here, since spanlab re-hashes at once.
struct hmap {
    int64_t count;
    uint8_t flags;
    uint8_t B;
    uint16_t noverflow;     // overflow buckets in use (exact; growth caps it at 2^15)
    uint32_t hash0;
    uint8_t *buckets;       // 2^B buckets + preallocated overflow ones
    map_type_t *type;       // (Go: oldbuckets) static, not a heap pointer
    uint64_t nbuckets;      // (Go: nevacuate) buckets in the array
    struct mapextra *extra; // Go's mapextra, allocated when first needed
};
_Static_assert(sizeof(struct hmap) == 48, "runtime.hmap is 48 bytes");

// runtime.mapextra: the overflow-bucket list of a noscan map (as a *[]*bmap, so the
// GC keeps those buckets: their overflow words are not scanned) and the next
// preallocated overflow bucket.
struct mapextra {
    goslice_t *overflow;    // new([]*bmap) on the first overflow bucket of a noscan map
    goslice_t *oldoverflow; // unused: growth re-hashes at once (see map.h)
    uint8_t *nextoverflow;  // next free preallocated overflow bucket, or NULL
};

static GOTYPE_STRUCT(hmap_type, struct hmap, "runtime.hmap", offsetof(struct hmap, buckets),
                     offsetof(struct hmap, extra));
static GOTYPE_STRUCT(mapextra_type, struct mapextra, "runtime.mapextra",
                     offsetof(struct mapextra, overflow), offsetof(struct mapextra, oldoverflow),
                     offsetof(struct mapextra, nextoverflow));

// Returns m's mapextra, allocating it (new(mapextra)) on first use.
static struct mapextra *extra_of(map_t *m) {
    if (m->extra == NULL)
        GC_STORE(m->extra, rt_new(&mapextra_type));
    return m->extra;
}

map_stats_t map_stats;
static uint64_t rng_state = 0x853c49e6748fea9bull;

// Resets the counters.
void map_stats_reset(void) { memset(&map_stats, 0, sizeof map_stats); }

// A fresh runtime (rt_fresh): the counters start again.
RT_FRESH_HOOK(map) {
    map_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(make, "map.make", &map_stats.make);
OPCOUNT_REGISTER(assign, "map.assign", &map_stats.assign);
OPCOUNT_REGISTER(access, "map.access", &map_stats.access);
OPCOUNT_REGISTER(remove, "map.delete", &map_stats.remove);
OPCOUNT_REGISTER(clear, "map.clear", &map_stats.clear);

// Returns the next value of a deterministic xorshift generator (Go: fastrand).
static uint64_t fastrand(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

// Returns a 64-bit finalizer mix of h (murmur3 fmix64).
static uint64_t mix64(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

// Returns the seeded hash of n bytes at p (Go uses AES hashing; any good hash will do).
static uint64_t memhash(const uint8_t *p, size_t n, uint64_t seed) {
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix64(h ^ w) + 0x9e3779b97f4a7c15ull;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return mix64(h ^ w ^ ((uint64_t)n << 59));
}

// Returns the hash of key for m.
static uint64_t keyhash(const map_t *m, const void *key) {
    if (m->type->keykind == MAP_KEY_STRING) {
        const gostring_t *s = key;
        return memhash(s->ptr, (size_t)s->len, m->hash0);
    }
    return memhash(key, m->type->keysize, m->hash0);
}

// Returns true when the two keys are equal.
static bool keyeq(const map_type_t *t, const void *a, const void *b) {
    if (t->keykind == MAP_KEY_STRING)
        return str_eq(*(const gostring_t *)a, *(const gostring_t *)b);
    return memcmp(a, b, t->keysize) == 0;
}

// Returns the tophash byte of a hash (never one of the empty markers).
static uint8_t tophash(uint64_t h) {
    uint8_t top = (uint8_t)(h >> 56);
    return top < MIN_TOP_HASH ? top + MIN_TOP_HASH : top;
}

// ---- bucket layout ----------------------------------------------------------------

static uint8_t *bkey(const map_type_t *t, uint8_t *b, int i) { return b + t->keyoff + (size_t)i * t->keysize; }
static uint8_t *belem(const map_type_t *t, uint8_t *b, int i) { return b + t->elemoff + (size_t)i * t->elemsize; }
static uint8_t **bovf(const map_type_t *t, uint8_t *b) { return (uint8_t **)(b + t->bucketsize - 8); }
static uint8_t *bucket_at(const map_t *m, uint64_t i) { return m->buckets + i * m->type->bucketsize; }

static char bucket_names[4096];
static size_t bucket_names_used;

// Returns a static copy of "map.bucket[...]" for the map type's name.
static const char *bucket_name(const char *mapname) {
    size_t n = strlen(mapname) + 8;
    if (bucket_names_used + n > sizeof bucket_names)
        return "map.bucket";
    char *p = bucket_names + bucket_names_used;
    const char *rest = mapname + (strncmp(mapname, "map", 3) == 0 ? 3 : 0);
    memcpy(p, "map.bucket", 10);
    memcpy(p + 10, rest, strlen(rest) + 1);
    bucket_names_used += strlen(p) + 1;
    return p;
}

// Builds t's bucket descriptor on first use; panics on unsupported key/value types.
static void type_init(map_type_t *t) {
    if (t->bucket)
        return;
    if (t->key->size > MAX_KEY_SIZE || t->elem->size > MAX_KEY_SIZE)
        sys_panic("map %s: key or value above %d bytes (Go stores those indirectly)", t->name,
                  MAX_KEY_SIZE);
    if (t->keykind == MAP_KEY_STRING && t->key->size != sizeof(gostring_t))
        sys_panic("map %s: string key type is not a string header", t->name);
    if (t->keykind == MAP_KEY_MEM && t->key->ptrdata)
        sys_panic("map %s: MAP_KEY_MEM keys must hold no pointers", t->name);
    t->keysize = (uint32_t)t->key->size; // keys [8]K: 8*size keeps the values 8-aligned
    t->elemsize = (uint32_t)t->elem->size;
    t->keyoff = BUCKET_CNT;
    t->elemoff = t->keyoff + BUCKET_CNT * t->keysize;
    t->bucketsize = (uint32_t)((t->elemoff + BUCKET_CNT * t->elemsize + 7) & ~(size_t)7) + 8;
    size_t offs[BUCKET_CNT * 2 * (MAX_KEY_SIZE / 8) + 1], n = 0;
    for (int i = 0; i < BUCKET_CNT; i++) {
        for (size_t w = 0; w < t->key->ptrdata / 8; w++)
            if (gotype_is_ptr_word(t->key, w))
                offs[n++] = t->keyoff + (size_t)i * t->keysize + w * 8;
    }
    for (int i = 0; i < BUCKET_CNT; i++) {
        for (size_t w = 0; w < t->elem->ptrdata / 8; w++)
            if (gotype_is_ptr_word(t->elem, w)) {
                size_t off = t->elemoff + (size_t)i * t->elemsize + w * 8;
                if (off % 8)
                    sys_panic("map %s: misaligned pointer in value", t->name);
                offs[n++] = off;
            }
    }
    if (n)
        offs[n++] = t->bucketsize - 8; // the overflow pointer is a pointer only then
    t->bucket = gotype_make(bucket_name(t->name), t->bucketsize, offs, n, GOKIND_STRUCT);
}

// ---- allocation of buckets --------------------------------------------------------

// Allocates the array for 2^b buckets (runtime.makeBucketArray, extra overflow
// buckets for b >= 4), or zeroes m's array for reuse (dirty). Sets m's array fields.
static void make_bucket_array(map_t *m, uint8_t b, bool dirty) {
    const map_type_t *t = m->type;
    uint64_t base = (uint64_t)1 << b, nb = base;
    if (b >= 4) {
        nb += (uint64_t)1 << (b - 4);
        size_t sz = t->bucketsize * nb, up = heap_roundupsize(sz);
        if (up != sz)
            nb = up / t->bucketsize;
    }
    if (dirty) {
        gc_memclr_ptrs(m->buckets, t->bucketsize * m->nbuckets);
    } else {
        GC_STORE(m->buckets, rt_newarray(t->bucket, nb));
        m->nbuckets = nb;
    }
    if (m->extra)
        GC_STORE(m->extra->nextoverflow, NULL);
    if (base != nb) {
        struct mapextra *x = extra_of(m);
        GC_STORE(x->nextoverflow, bucket_at(m, base));
        GC_STORE(*bovf(t, bucket_at(m, nb - 1)), m->buckets); // sentinel: the last preallocated one
    }
}

// Returns a fresh overflow bucket chained after b (runtime.newoverflow).
static uint8_t *new_overflow(map_t *m, uint8_t *b) {
    const map_type_t *t = m->type;
    uint8_t *ovf;
    if (m->extra && m->extra->nextoverflow) {
        ovf = m->extra->nextoverflow;
        if (*bovf(t, ovf) == NULL) {
            GC_STORE(m->extra->nextoverflow, ovf + t->bucketsize);
        } else {
            GC_STORE(*bovf(t, ovf), NULL);
            GC_STORE(m->extra->nextoverflow, NULL);
        }
        map_stats.overflow_prealloc++;
    } else {
        ovf = rt_new(t->bucket);
        map_stats.overflow_new++;
    }
    if (m->noverflow < UINT16_MAX) // saturates (Go: approximate above B = 16)
        m->noverflow++;
    if (t->bucket->ptrdata == 0) { // keep it alive: the bucket's overflow word is not scanned
        struct mapextra *x = extra_of(m); // createOverflow
        if (x->overflow == NULL)
            GC_STORE(x->overflow, (goslice_t *)rt_new(&gotype_slice));
        goslice_t *l = x->overflow;
        if (l->len == l->cap) { // append: growslice of a []*bmap
            int64_t nc = slice_nextcap(8, l->cap, l->len + 1);
            void **arr = rt_newarray(&gotype_pointer, (size_t)nc);
            if (l->len)
                gc_memmove_ptrs(arr, l->ptr, (size_t)l->len * 8);
            GC_STORE(l->ptr, (void *)arr);
            l->cap = nc;
        }
        GC_STORE(((void **)l->ptr)[l->len], (void *)ovf);
        l->len++;
    }
    GC_STORE(*bovf(t, b), ovf);
    return ovf;
}

// ---- growth -----------------------------------------------------------------------

// runtime.overLoadFactor: count items in 2^B buckets exceed the load factor.
static bool over_load(int64_t count, uint8_t B) {
    return count > BUCKET_CNT && (uint64_t)count > LOAD_NUM * (((uint64_t)1 << B) / LOAD_DEN);
}

// runtime.tooManyOverflowBuckets.
static bool too_many_overflow(uint64_t noverflow, uint8_t B) {
    if (B > 15)
        B = 15;
    return noverflow >= ((uint64_t)1 << (B & 15));
}

// Places a key known to be absent into m's current array (used by re-hashing).
static void place(map_t *m, const void *key, const void *elem, uint64_t h) {
    const map_type_t *t = m->type;
    uint8_t *b = bucket_at(m, h & (((uint64_t)1 << m->B) - 1));
    for (;;) {
        for (int i = 0; i < BUCKET_CNT; i++) {
            if (b[i] <= EMPTY_ONE) {
                b[i] = tophash(h);
                gc_memmove_ptrs(bkey(t, b, i), key, t->key->size);
                gc_memmove_ptrs(belem(t, b, i), elem, t->elemsize);
                return;
            }
        }
        uint8_t *next = *bovf(t, b);
        b = next ? next : new_overflow(m, b);
    }
}

// Grows m (hashGrow): doubles when over the load factor, else re-hashes at the same
// size to shed overflow buckets. All entries move now (see map.h); the old array
// and overflow buckets become garbage for the GC.
static void grow(map_t *m) {
    const map_type_t *t = m->type;
    bool bigger = over_load(m->count + 1, m->B);
    uint8_t *old = m->buckets;
    uint64_t oldbase = (uint64_t)1 << m->B;
    goslice_t *oldovf = m->extra ? m->extra->overflow : NULL;
    m->B += bigger;
    m->noverflow = 0;
    if (m->extra)
        GC_STORE(m->extra->overflow, NULL);
    make_bucket_array(m, m->B, false);
    for (uint64_t i = 0; i < oldbase; i++) {
        for (uint8_t *b = old + i * t->bucketsize; b; b = *bovf(t, b)) {
            for (int s = 0; s < BUCKET_CNT; s++) {
                if (b[s] < MIN_TOP_HASH)
                    continue;
                place(m, bkey(t, b, s), belem(t, b, s), keyhash(m, bkey(t, b, s)));
            }
        }
    }
    __asm__ volatile("" : : "r"(oldovf), "r"(old) : "memory"); // keep both alive to here
    if (bigger)
        map_stats.grows++;
    else
        map_stats.same_size_grows++;
}

// ---- operations -------------------------------------------------------------------

// Returns a new map with room for hint entries without growing (runtime.makemap).
map_t *map_make(map_type_t *t, int64_t hint) {
    type_init(t);
    opcount_mark_t mk = opcount_begin();
    if (hint < 0)
        hint = 0;
    map_t *m = rt_new(&hmap_type);
    m->type = t;
    m->hash0 = (uint32_t)fastrand();
    uint8_t B = 0;
    while (over_load(hint, B))
        B++;
    m->B = B;
    if (B != 0)
        make_bucket_array(m, B, false);
    opcount_end(&map_stats.make, mk);
    return m;
}

// Returns the bucket and slot holding key, or NULL.
static uint8_t *find(const map_t *m, const void *key, uint64_t h, int *slot) {
    const map_type_t *t = m->type;
    if (m->buckets == NULL || m->count == 0)
        return NULL;
    uint8_t top = tophash(h);
    for (uint8_t *b = bucket_at(m, h & (((uint64_t)1 << m->B) - 1)); b; b = *bovf(t, b)) {
        for (int i = 0; i < BUCKET_CNT; i++) {
            if (b[i] != top) {
                if (b[i] == EMPTY_REST)
                    return NULL;
                continue;
            }
            if (keyeq(t, key, bkey(t, b, i))) {
                *slot = i;
                return b;
            }
        }
    }
    return NULL;
}

// Returns key's value address or NULL.
void *map_access(map_t *m, const void *key) {
    if (m == NULL)
        return NULL;
    opcount_mark_t mk = opcount_begin();
    int i;
    uint8_t *b = find(m, key, keyhash(m, key), &i);
    opcount_end(&map_stats.access, mk);
    return b ? belem(m->type, b, i) : NULL;
}

// Returns key's value slot, inserting a zero value when absent (runtime.mapassign).
void *map_assign(map_t *m, const void *key) {
    if (m == NULL)
        rt_panic("assignment to entry in nil map");
    const map_type_t *t = m->type;
    opcount_mark_t mk = opcount_begin();
    if (m->buckets == NULL) { // makemap_small: the first bucket on first assignment
        GC_STORE(m->buckets, (uint8_t *)rt_new(t->bucket));
        m->nbuckets = 1;
    }
    uint64_t h = keyhash(m, key);
    uint8_t top = tophash(h);
again:;
    uint8_t *insb = NULL, *last = NULL;
    int insi = 0;
    for (uint8_t *b = bucket_at(m, h & (((uint64_t)1 << m->B) - 1)); b; b = *bovf(t, b)) {
        last = b;
        for (int i = 0; i < BUCKET_CNT; i++) {
            if (b[i] != top) {
                if (b[i] <= EMPTY_ONE && insb == NULL) {
                    insb = b;
                    insi = i;
                }
                if (b[i] == EMPTY_REST)
                    goto notfound;
                continue;
            }
            if (!keyeq(t, key, bkey(t, b, i)))
                continue;
            if (t->keykind == MAP_KEY_STRING) // needkeyupdate: the new key replaces the old
                gc_memmove_ptrs(bkey(t, b, i), key, sizeof(gostring_t));
            opcount_end(&map_stats.assign, mk);
            return belem(t, b, i);
        }
    }
notfound:
    if (over_load(m->count + 1, m->B) || too_many_overflow(m->noverflow, m->B)) {
        grow(m);
        goto again;
    }
    if (insb == NULL) {
        insb = new_overflow(m, last);
        insi = 0;
    }
    insb[insi] = top;
    gc_memmove_ptrs(bkey(t, insb, insi), key, t->key->size);
    gc_memclr_ptrs(belem(t, insb, insi), t->elemsize);
    m->count++;
    opcount_end(&map_stats.assign, mk);
    return belem(t, insb, insi);
}

// Removes key (runtime.mapdelete): clears the slot, marks trailing empties emptyRest.
void map_delete(map_t *m, const void *key) {
    if (m == NULL || m->count == 0)
        return;
    const map_type_t *t = m->type;
    opcount_mark_t mk = opcount_begin();
    uint64_t h = keyhash(m, key);
    int i;
    uint8_t *b = find(m, key, h, &i);
    if (b == NULL) {
        opcount_end(&map_stats.remove, mk);
        return;
    }
    gc_memclr_ptrs(bkey(t, b, i), t->keysize);
    gc_memclr_ptrs(belem(t, b, i), t->elemsize);
    b[i] = EMPTY_ONE;
    // If the rest of the chain is empty, turn this run of emptyOne into emptyRest.
    bool last_in_chain = (i == BUCKET_CNT - 1) ? (*bovf(t, b) == NULL || (*bovf(t, b))[0] == EMPTY_REST)
                                              : b[i + 1] == EMPTY_REST;
    if (last_in_chain) {
        uint8_t *first = bucket_at(m, h & (((uint64_t)1 << m->B) - 1));
        for (;;) {
            b[i] = EMPTY_REST;
            if (i == 0) {
                if (b == first)
                    break;
                uint8_t *c = first;
                while (*bovf(t, c) != b)
                    c = *bovf(t, c);
                b = c;
                i = BUCKET_CNT - 1;
            } else {
                i--;
            }
            if (b[i] != EMPTY_ONE)
                break;
        }
    }
    m->count--;
    if (m->count == 0)
        m->hash0 = (uint32_t)fastrand(); // as Go: reseed once empty
    opcount_end(&map_stats.remove, mk);
}

// Empties m, keeping its bucket array (runtime.mapclear).
void map_clear(map_t *m) {
    if (m == NULL || m->count == 0)
        return;
    opcount_mark_t mk = opcount_begin();
    m->count = 0;
    m->noverflow = 0;
    m->hash0 = (uint32_t)fastrand();
    if (m->extra) // *h.extra = mapextra{}: separately allocated overflow buckets become garbage
        gc_memclr_ptrs(m->extra, sizeof *m->extra);
    make_bucket_array(m, m->B, true);
    opcount_end(&map_stats.clear, mk);
}

// Returns len(m).
int64_t map_len(const map_t *m) { return m ? m->count : 0; }

// Returns the bucket bytes held (array + separately allocated overflow buckets).
// Returns the bucket bytes held: the array (its size class) plus every overflow bucket
// in a chain that lies outside the array (one object each), found by walking.
uint64_t map_bucket_bytes(const map_t *m) {
    if (m == NULL || m->buckets == NULL)
        return 0;
    const map_type_t *t = m->type;
    uint64_t bytes = heap_roundupsize(t->bucketsize * m->nbuckets), one = heap_roundupsize(t->bucketsize);
    uint8_t *lo = m->buckets, *hi = m->buckets + t->bucketsize * m->nbuckets;
    for (uint64_t i = 0; i < ((uint64_t)1 << m->B); i++) {
        for (uint8_t *b = *bovf(t, bucket_at(m, i)); b; b = *bovf(t, b))
            if (b < lo || b >= hi)
                bytes += one;
    }
    return bytes;
}

// Returns Go's B.
unsigned map_B(const map_t *m) { return m ? m->B : 0; }

// Returns the overflow buckets in use.
uint64_t map_noverflow(const map_t *m) { return m ? m->noverflow : 0; }

// Returns m[string(b)]'s value address without allocating (read-only lookup).
void *map_access_bytes(map_t *m, const void *p, int64_t n) {
    gostring_t k = str_view_bytes(p, n);
    return map_access(m, &k);
}

// Returns m[string(b)]'s slot; the key is converted with an allocation as Go 1.19 does
// for assignments (order.go applies mapKeyReplaceStrConv only when !Assigned).
void *map_assign_bytes(map_t *m, const void *p, int64_t n) {
    gostring_t k = str_from_bytes(p, n, NULL);
    return map_assign(m, &k);
}

// ---- iteration --------------------------------------------------------------------

// Starts an iteration at a random bucket and slot (runtime.mapiterinit).
void map_iter_init(map_iter_t *it, map_t *m) {
    memset(it, 0, sizeof *it);
    it->m = m;
    if (m == NULL || m->buckets == NULL)
        return;
    uint64_t r = fastrand();
    it->buckets = m->buckets;
    it->overflow = m->extra ? m->extra->overflow : NULL; // keeps noscan overflow buckets
    it->nbuckets = (uint64_t)1 << m->B;
    it->start = r & (it->nbuckets - 1);
    it->offset = (uint8_t)((r >> m->B) & (BUCKET_CNT - 1));
}

// Returns the next live entry's key and value addresses; false when done. When the
// map grew since the iteration started, the walk goes on over the array it started
// on (the iterator keeps it alive) and each key found there is looked up in the
// current table: deleted ones are skipped and the current value is returned, as Go's
// mapiternext does for evacuated buckets. Entries added meanwhile may not be seen.
bool map_iter_next(map_iter_t *it, void **key, void **val) {
    map_t *m = it->m;
    if (m == NULL || it->buckets == NULL)
        return false;
    const map_type_t *t = m->type;
    for (;;) {
        if (it->b == NULL) {
            if (it->i == it->nbuckets)
                return false;
            it->b = it->buckets + ((it->start + it->i) & (it->nbuckets - 1)) * t->bucketsize;
            it->i++;
            it->slot = 0;
        }
        while (it->slot < BUCKET_CNT) {
            int s = (it->slot + it->offset) & (BUCKET_CNT - 1);
            it->slot++;
            if (it->b[s] < MIN_TOP_HASH)
                continue;
            if (m->buckets == it->buckets) {
                *key = bkey(t, it->b, s);
                *val = belem(t, it->b, s);
                return true;
            }
            int ns; // grown: the entry's current home, if it is still there
            uint8_t *nb = find(m, bkey(t, it->b, s), keyhash(m, bkey(t, it->b, s)), &ns);
            if (nb == NULL)
                continue;
            *key = bkey(t, nb, ns);
            *val = belem(t, nb, ns);
            return true;
        }
        it->b = *bovf(t, it->b);
        it->slot = 0;
    }
}
