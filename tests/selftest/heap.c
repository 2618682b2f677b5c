// heap_selftest: selftest=heap (part of all) — a randomized allocate/free/sweep
// sequence checked against a simple model, with heap_verify after every phase,
// run in the kernel and callable from host tests. Uses a private heap (heap_init /
// heap_destroy), so it must run when no runtime owns the heap.
#include <string.h>
#include "mm/heap.h"
#include "sys/selftest.h"
#include "sys/sys.h"

#define ST_SLOTS 512

static uint64_t st_rng;

// xorshift64*: deterministic pseudo-random numbers.
static uint64_t st_rand(void) {
    st_rng ^= st_rng >> 12;
    st_rng ^= st_rng << 25;
    st_rng ^= st_rng >> 27;
    return st_rng * 2685821657736338717ull;
}

static const uint8_t st_mask[1] = {0x5}; // words 0 and 2 are pointers
static const gotype_t st_type = {"selftest.node", 24, 24, st_mask, 8, GOKIND_STRUCT};

// A random allocation size: mostly small, some medium, rarely large.
static size_t st_size(void) {
    uint64_t r = st_rand() % 100;
    if (r < 70)
        return 16 + st_rand() % 496;
    if (r < 97)
        return 512 + st_rand() % 32256;
    return 32769 + st_rand() % (256 << 10);
}

// Returns true when n random operations keep every object's bytes intact and every
// heap invariant true; sys_panic (through heap_verify) otherwise.
static bool heap_random_sequence(uint64_t seed, int n) {
    static void *obj[ST_SLOTS];
    static size_t len[ST_SLOTS];
    static uint8_t tag[ST_SLOTS];
    memset(obj, 0, sizeof obj);
    st_rng = seed | 1;
    bool ok = true;
    for (int step = 0; step < n && ok; step++) {
        size_t k = st_rand() % ST_SLOTS;
        if (obj[k]) { // check and free
            const uint8_t *p = obj[k];
            for (size_t i = 0; i < len[k]; i += 61)
                ok &= p[i] == tag[k];
            heap_free(obj[k]);
            obj[k] = NULL;
        } else {
            size_t sz = st_size();
            bool scan = st_rand() & 1 && sz >= 24;
            obj[k] = heap_malloc(sz, scan ? &st_type : NULL, true);
            if (!obj[k])
                return false;
            const uint8_t *p = obj[k];
            for (size_t i = 0; i < sz; i += 61)
                ok &= p[i] == 0; // needzero honoured
            len[k] = sz;
            tag[k] = (uint8_t)(step | 1);
            memset(obj[k], tag[k], sz);
        }
        if (step % 997 == 0)
            heap_verify();
        if (step % 4001 == 0) { // a "GC" that keeps exactly the live slots
            heap_sweep_all();
            for (int j = 0; j < ST_SLOTS; j++)
                if (obj[j]) {
                    span_t *s = heap_span_of(obj[j]);
                    size_t idx = 0;
                    bool found = s && span_object_of(s, obj[j], &idx) == obj[j];
                    ok &= found;
                    if (found)
                        span_mark(s, idx);
                }
            heap_sweep_begin();
            heap_sweep_all();
            heap_verify();
        }
    }
    for (int j = 0; j < ST_SLOTS; j++)
        if (obj[j])
            heap_free(obj[j]);
    heap_scavenge(SIZE_MAX);
    heap_verify();
    struct memstats m;
    heap_read_memstats(&m);
    ok &= m.HeapObjects == 0 && m.HeapAlloc == 0 && m.HeapReleased == m.HeapIdle;
    return ok;
}

SELFTEST(heap, true) { return heap_selftest(); }

// See heap.h.
bool heap_selftest(void) {
    bool had = heap_ready();
    if (had) {
        sys_printf("selftest heap: skipped (the heap is in use)\n");
        return true;
    }
    heap_init();
    bool ok = heap_random_sequence(0x5eed, 20000);
    void *lo;
    void *hi = heap_stack_alloc(64 << 10, &lo);
    ok &= hi != NULL && sys_query((char *)lo - 1) == SYS_PAGE_RESERVED;
    if (hi) {
        memset(lo, 1, (size_t)((char *)hi - (char *)lo));
        heap_stack_free(lo);
    }
    heap_verify();
    heap_destroy();
    sys_printf("selftest heap: %s\n", ok ? "ok" : "FAILED");
    return ok;
}
