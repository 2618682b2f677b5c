// frameset: a bitmap-tracked batch of untouched frames for self-tests (frameset.h).
#include "kernel/frameset.h"

#include <string.h>

#include "kernel/paging.h"
#include "kernel/frames.h"
#include "sys/sys.h"

bool frameset_init(frameset_t *s) {
    s->n = 0;
    s->bytes = ((pg_limit() + 7) / 8 + 4095) & ~4095ull;
    s->bits = sys_reserve(s->bytes, 4096, "selftest-frameset");
    if (!s->bits || sys_commit(s->bits, s->bytes) != 0)
        return false;
    memset(s->bits, 0, s->bytes); // fault it in now, not while frames run out
    return true;
}

uint64_t frameset_take(frameset_t *s, uint64_t max) {
    uint64_t took = 0, pa;
    while (s->n < max && (pa = pg_alloc()) != PG_NONE) {
        uint64_t f = pa / PG_FRAME_SIZE;
        if (s->bits[f / 64] & (1ull << (f % 64)))
            sys_panic("frameset: pg_alloc returned frame 0x%llx twice", (unsigned long long)pa);
        s->bits[f / 64] |= 1ull << (f % 64);
        s->n++;
        took++;
    }
    return took;
}

uint64_t frameset_probe(const frameset_t *s, uint64_t stride) {
    uint64_t seen = 0, checked = 0;
    for (uint64_t w = 0; w < s->bytes / 8; w++)
        for (uint64_t b = s->bits[w]; b; b &= b - 1) {
            uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(b);
            if (seen++ % stride)
                continue;
            volatile uint64_t *p = pt_phys_to_virt(f * PG_FRAME_SIZE);
            *p = f ^ 0x5a5a5a5a5a5a5a5aull;
            if (*p != (f ^ 0x5a5a5a5a5a5a5a5aull))
                return 0;
            checked++;
        }
    return checked;
}

void frameset_release(frameset_t *s) {
    for (uint64_t w = 0; w < s->bytes / 8; w++)
        for (uint64_t b = s->bits[w]; b; b &= b - 1)
            pg_free((w * 64 + (uint64_t)__builtin_ctzll(b)) * PG_FRAME_SIZE);
    s->n = 0;
    sys_unreserve(s->bits, s->bytes);
    s->bits = NULL;
}
