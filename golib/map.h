// Go maps: Go 1.19's hash table (runtime/map.go) over the rt/ heap.
//
// Design (as Go): an hmap points at an array of 2^B buckets; a bucket holds 8 slots:
// 8 tophash bytes (the hash's top byte, or an empty/evacuated marker), 8 keys, 8
// values, then an overflow pointer to a chained bucket. The table grows by doubling
// when count > 6.5 * 2^B (loadFactorNum/Den = 13/2), or re-hashes at the same size
// when overflow buckets are too many (noverflow >= 2^min(B,15)). For B >= 4 the
// array is allocated with 2^(B-4) extra buckets (more if the size class has room),
// handed out as overflow buckets before any new one is allocated. When neither keys
// nor values hold pointers the bucket type is noscan and the overflow buckets are
// kept alive by a list in the hmap (Go's mapextra.overflow).
//
// delete clears the slot (tophash emptyOne / emptyRest, key and value zeroed) and
// NEVER frees a bucket; map_clear (Go's `for k := range m { delete(m, k) }` idiom,
// runtime.mapclear) zeroes the same array and keeps it. So a map's bucket bytes only
// ever grow: map_bucket_bytes() reports them.
//
// Simplification (documented): Go evacuates the old array incrementally, two old
// buckets per assignment or delete while growing, so for a while both arrays are
// live. spanlab re-hashes every entry at once when the table grows and drops the old
// array to the GC at that moment (an open iterator keeps it: it goes on walking it and
// looks each key up in the new table, as Go does for evacuated buckets). Bucket
// memory otherwise behaves as Go's.
// The overflow count is exact (Go approximates it above B = 16).
//
// Keys: MAP_KEY_MEM (any pointer-free key compared by its bytes: int64, uint64, small
// structs) and MAP_KEY_STRING (gostring_t). Keys and values at most 128 bytes
// (Go's maxKeySize/maxElemSize: larger ones are stored indirectly there).
#ifndef SPANLAB_RT_MAP_H
#define SPANLAB_RT_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

enum map_keykind { MAP_KEY_MEM = 0, MAP_KEY_STRING = 1 };

// A map type: map[key]elem. Declare one static per Go map type; the bucket
// descriptor is built on first use.
typedef struct map_type {
    const char *name;       // "map[string]int"
    const gotype_t *key;
    const gotype_t *elem;
    int keykind;            // MAP_KEY_*
    // filled on first use:
    const gotype_t *bucket; // the bucket type (8 keys, 8 elems, tophash, overflow)
    uint32_t bucketsize, keysize, elemsize, keyoff, elemoff;
} map_type_t;

#define MAP_TYPE(name_, keytype_, elemtype_, keykind_) \
    {.name = (name_), .key = (keytype_), .elem = (elemtype_), .keykind = (keykind_)}

typedef struct hmap map_t;

typedef struct map_stats {
    opcount_t make, assign, access, remove, clear; // allocations per operation
    uint64_t grows, same_size_grows, overflow_new, overflow_prealloc;
} map_stats_t;
extern map_stats_t map_stats;
void map_stats_reset(void);

// make(map[K]V, hint): the hmap, and the bucket array when hint > 8.
map_t *map_make(map_type_t *t, int64_t hint);

// v, ok := m[key]: the value's address, or NULL when absent (m may be NULL).
void *map_access(map_t *m, const void *key);

// m[key] = ...: the address of key's value slot, inserted zeroed when absent.
// Panics "assignment to entry in nil map" on NULL.
void *map_assign(map_t *m, const void *key);

// delete(m, key): clears the slot; buckets stay.
void map_delete(map_t *m, const void *key);

// for k := range m { delete(m, k) } (runtime.mapclear): count 0, same array.
void map_clear(map_t *m);

// len(m).
int64_t map_len(const map_t *m);

// Bytes of bucket memory the map holds: the array (size-class rounded) plus every
// overflow bucket allocated on its own (all of it stays until the map is dropped).
uint64_t map_bucket_bytes(const map_t *m);

// log2 of the number of buckets (Go's B) and the overflow count.
unsigned map_B(const map_t *m);
uint64_t map_noverflow(const map_t *m);

// Byte-slice keys on a map[string]V (string(b) as the key):
// read-only lookup, no allocation (slicebytetostringtmp);
void *map_access_bytes(map_t *m, const void *p, int64_t n);
// assignment m[string(b)] (op)= v: Go 1.19 converts with an allocation (n > 1).
void *map_assign_bytes(map_t *m, const void *p, int64_t n);

// Iteration: for k, v := range m, from a random bucket and slot as Go's.
typedef struct map_iter {
    map_t *m;
    uint8_t *buckets;    // the array the iteration started on (kept alive by this)
    goslice_t *overflow; // its overflow-bucket list (noscan maps), kept alive too
    uint64_t nbuckets;   // 2^B
    uint64_t start;      // starting bucket
    uint8_t offset;      // starting slot within each bucket
    uint64_t i;          // buckets visited
    uint8_t *b;          // current bucket in the chain (NULL = take the next)
    int slot;            // slots visited in b
    bool wrapped;
} map_iter_t;
void map_iter_init(map_iter_t *it, map_t *m);
// Returns true with *key and *val set to the next entry's addresses; false at end.
bool map_iter_next(map_iter_t *it, void **key, void **val);

// Convenience for map[int64]V and map[string]V.
static inline void *map_access_i64(map_t *m, int64_t k) { return map_access(m, &k); }
static inline void *map_assign_i64(map_t *m, int64_t k) { return map_assign(m, &k); }
static inline void map_delete_i64(map_t *m, int64_t k) { map_delete(m, &k); }
static inline void *map_access_str(map_t *m, gostring_t k) { return map_access(m, &k); }
static inline void *map_assign_str(map_t *m, gostring_t k) { return map_assign(m, &k); }
static inline void map_delete_str(map_t *m, gostring_t k) { map_delete(m, &k); }

#endif
