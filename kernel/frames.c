// pg_: the physical frame allocator (design and invariants in kernel/frames.h).
//
// Invariants, checked where cheap:
//   bit f of bits[] set   <=> frame f is free
//   bit w of summary[] set <=> bits[w] != 0
//   nfree == number of set bits in bits[] <= ntotal
// Allocation is next-fit from a cursor (the summary word of the last success), so
// a run of allocations walks memory upwards and never rescans the full prefix.
#include "kernel/frames.h"

#include <string.h>

#include "sys/sys.h"

static struct {
    uint64_t *bits;    // one bit per frame
    uint64_t *summary; // one bit per bits[] word
    uint64_t nframes;
    uint64_t nwords;   // bits[] words
    uint64_t nsum;     // summary[] words
    uint64_t cursor;   // summary word to start searching from
    uint64_t ntotal, nfree, nreserved;
} pg;

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

size_t pg_meta_bytes(uint64_t nframes) {
    uint64_t words = div_up(nframes, 64);
    return (size_t)((words + div_up(words, 64)) * sizeof(uint64_t));
}

void pg_init(void *meta, uint64_t nframes) {
    memset(&pg, 0, sizeof pg);
    pg.nframes = nframes;
    pg.nwords = div_up(nframes, 64);
    pg.nsum = div_up(pg.nwords, 64);
    pg.bits = meta;
    pg.summary = pg.bits + pg.nwords;
    memset(meta, 0, pg_meta_bytes(nframes));
}

void pg_move_meta(void *meta) {
    pg.bits = meta;
    pg.summary = pg.bits + pg.nwords;
}

uint64_t pg_add(uint64_t phys, uint64_t count) {
    if (phys % PG_FRAME_SIZE)
        sys_panic("pg_add: 0x%llx is not frame-aligned", (unsigned long long)phys);
    uint64_t f = phys / PG_FRAME_SIZE, dropped = 0;
    for (uint64_t i = 0; i < count; i++, f++) {
        if (f >= pg.nframes) {
            dropped += count - i;
            break;
        }
        uint64_t w = f / 64, bit = 1ull << (f % 64);
        if (pg.bits[w] & bit)
            sys_panic("pg_add: frame 0x%llx added twice", (unsigned long long)f * PG_FRAME_SIZE);
        pg.bits[w] |= bit;
        pg.summary[w / 64] |= 1ull << (w % 64);
        pg.ntotal++;
        pg.nfree++;
    }
    return dropped;
}

void pg_note_reserved(uint64_t count) { pg.nreserved += count; }

uint64_t pg_alloc(void) {
    if (pg.nfree == 0)
        return PG_NONE;
    for (uint64_t n = 0; n < pg.nsum; n++) {
        uint64_t s = (pg.cursor + n) % pg.nsum;
        if (pg.summary[s] == 0)
            continue;
        uint64_t w = s * 64 + (uint64_t)__builtin_ctzll(pg.summary[s]);
        uint64_t b = (uint64_t)__builtin_ctzll(pg.bits[w]);
        pg.bits[w] &= ~(1ull << b);
        if (pg.bits[w] == 0)
            pg.summary[s] &= ~(1ull << (w % 64));
        pg.nfree--;
        pg.cursor = s;
        return (w * 64 + b) * PG_FRAME_SIZE;
    }
    sys_panic("pg_alloc: %llu frames counted free but none found",
              (unsigned long long)pg.nfree);
}

void pg_free(uint64_t phys) {
    uint64_t f = phys / PG_FRAME_SIZE;
    if (phys % PG_FRAME_SIZE || f >= pg.nframes)
        sys_panic("pg_free: 0x%llx is not a frame of this allocator", (unsigned long long)phys);
    uint64_t w = f / 64, bit = 1ull << (f % 64);
    if (pg.bits[w] & bit)
        sys_panic("pg_free: frame 0x%llx freed twice", (unsigned long long)phys);
    pg.bits[w] |= bit;
    pg.summary[w / 64] |= 1ull << (w % 64);
    pg.nfree++;
    if (pg.nfree > pg.ntotal)
        sys_panic("pg_free: more frames free (%llu) than exist (%llu)",
                  (unsigned long long)pg.nfree, (unsigned long long)pg.ntotal);
}

bool pg_is_free(uint64_t phys) {
    uint64_t f = phys / PG_FRAME_SIZE;
    return f < pg.nframes && (pg.bits[f / 64] >> (f % 64)) & 1;
}

uint64_t pg_limit(void) { return pg.nframes; }
uint64_t pg_total(void) { return pg.ntotal; }
uint64_t pg_free_count(void) { return pg.nfree; }
uint64_t pg_used(void) { return pg.ntotal - pg.nfree; }
uint64_t pg_reserved(void) { return pg.nreserved; }
