// pagealloc: the page allocator over 8 KiB runtime pages (Go's pageAlloc,
// mpagealloc.go, simplified for heaps of a few GiB).
//
// Every 4 MiB chunk has three 512-bit bitmaps (alloc, scav, uncommitted) and a
// summary of its free runs (start, max, end), as Go's pallocSum. Finding the
// lowest-addressed run of n free pages walks a region's chunks from its search
// hint (the lowest chunk that may have a free page, Go's searchAddr): a chunk is
// entered only when its summary says the run can start or fit there; runs longer
// than a chunk join chunk ends and starts. Regions are searched in address order
// from the lowest region that may have free pages (heap_g.search_region), so a full
// heap of many arenas costs one step per allocation, not one per region.
//
// Invariants (pages_verify): a chunk's summary matches its alloc bitmap;
// scav and uncommitted pages are free; uncommitted pages are scav; the free pages
// sum to HeapSys - HeapInuse (stacks excluded), the scav pages to HeapReleased.
#include <string.h>
#include "mm/heap_internal.h"

#define CHUNK_P HEAP_CHUNK_PAGES

// Sets (on) or clears bits [lo, lo+n) of a chunk bitmap.
static void bits_set(uint64_t *b, size_t lo, size_t n, bool on) {
    while (n) {
        size_t w = lo >> 6, sh = lo & 63, k = 64 - sh < n ? 64 - sh : n;
        uint64_t m = (k == 64 ? ~0ull : ((1ull << k) - 1)) << sh;
        b[w] = on ? b[w] | m : b[w] & ~m;
        lo += k;
        n -= k;
    }
}

// Number of set bits in [lo, lo+n).
static size_t bits_count(const uint64_t *b, size_t lo, size_t n) {
    size_t c = 0;
    while (n) {
        size_t w = lo >> 6, sh = lo & 63, k = 64 - sh < n ? 64 - sh : n;
        uint64_t m = (k == 64 ? ~0ull : ((1ull << k) - 1)) << sh;
        c += (size_t)__builtin_popcountll(b[w] & m);
        lo += k;
        n -= k;
    }
    return c;
}

// The number of consecutive one bits at the bottom of x, at most lim.
static inline size_t ones_at(uint64_t x, size_t lim) {
    size_t n = ~x ? (size_t)__builtin_ctzll(~x) : 64;
    return n < lim ? n : lim;
}

// Recomputes start/max/end/nfree of c from its alloc bitmap (free = 0 bits).
void chunk_summarize(chunk_t *c) {
    // LAB 2 BEGIN: a chunk's summary (start, max, end, nfree) from its alloc bitmap
    size_t pos = 0, run = 0, max = 0, start = CHUNK_P, nfree = 0;
    while (pos < CHUNK_P) {
        uint64_t w = c->alloc[pos >> 6] >> (pos & 63);
        size_t rem = 64 - (pos & 63);
        if (w == 0) {
            run += rem;
            pos += rem;
            continue;
        }
        size_t z = (size_t)__builtin_ctzll(w);
        run += z;
        if (start == CHUNK_P)
            start = pos + z;
        if (run > max)
            max = run;
        nfree += run;
        run = 0;
        pos += z;
        pos += ones_at(w >> z, rem - z); // skip the allocated bits
    }
    if (run > max)
        max = run;
    nfree += run;
    c->start = (uint16_t)start;
    c->max = (uint16_t)max;
    c->end = (uint16_t)run;
    c->nfree = (uint16_t)nfree;
    // LAB 2 STUB
    // c->nfree = (uint16_t)(CHUNK_P - bits_count(c->alloc, 0, CHUNK_P));
    // c->start = c->max = c->end = 0; // wrong: a search cannot use these
    // LAB 2 END
}

// LAB 2 BEGIN: first fit: the lowest run of n free pages, guided by the chunk summaries
// The lowest index of a run of n free pages inside c (c->max >= n).
static size_t chunk_find(const chunk_t *c, size_t n) {
    size_t pos = 0, run = 0, runstart = 0;
    while (pos < CHUNK_P) {
        uint64_t w = c->alloc[pos >> 6] >> (pos & 63);
        size_t rem = 64 - (pos & 63);
        size_t z = w == 0 ? rem : (size_t)__builtin_ctzll(w);
        if (run == 0)
            runstart = pos;
        run += z;
        if (run >= n)
            return runstart;
        if (w == 0) {
            pos += rem;
            continue;
        }
        run = 0;
        pos += z;
        pos += ones_at(w >> z, rem - z);
    }
    sys_panic("pagealloc: chunk summary says max %u but no run of %zu", c->max, n);
}

// Finds the lowest run of n free pages in r; returns its page index or SIZE_MAX.
static size_t region_find(heap_region_t *r, size_t n) {
    size_t run = 0, runstart = 0;
    for (size_t ci = r->search; ci < r->ngrown; ci++) {
        chunk_t *c = &r->chunks[ci];
        if (c->nfree == 0) {
            run = 0;
            continue;
        }
        if (run && run + c->start >= n)
            return runstart;
        if (c->max >= n)
            return ci * CHUNK_P + chunk_find(c, n);
        if (c->start == CHUNK_P) {
            if (run == 0)
                runstart = ci * CHUNK_P;
            run += CHUNK_P;
        } else {
            run = c->end;
            runstart = (ci + 1) * CHUNK_P - c->end;
        }
    }
    return SIZE_MAX;
}
// LAB 2 STUB
// // Finds the lowest run of n free pages in r; returns its page index or SIZE_MAX.
// // The stub tests page after page from the region's first, ignoring the summaries.
// static size_t region_find(heap_region_t *r, size_t n) {
//     size_t run = 0, total = r->ngrown * CHUNK_P;
//     for (size_t i = 0; i < total; i++) {
//         const chunk_t *c = &r->chunks[i / CHUNK_P];
//         size_t bit = i % CHUNK_P;
//         run = (c->alloc[bit >> 6] >> (bit & 63)) & 1 ? 0 : run + 1;
//         if (run == n)
//             return i + 1 - n;
//     }
//     return SIZE_MAX;
// }
// LAB 2 END

// Free pages at the end of r's grown part: the run a growth would extend.
size_t pages_free_tail(const heap_region_t *r) {
    size_t tail = 0;
    for (size_t ci = r->ngrown; ci-- > 0;) {
        const chunk_t *c = &r->chunks[ci];
        tail += c->end;
        if (c->end != CHUNK_P)
            break;
    }
    return tail;
}

// Marks pages [idx, idx+n) of r allocated; re-commits pages the scavenger released
// and takes them out of HeapReleased.
static void region_take(heap_region_t *r, size_t idx, size_t n) {
    size_t end = idx + n;
    while (idx < end) {
        size_t ci = idx / CHUNK_P, lo = idx % CHUNK_P;
        size_t k = CHUNK_P - lo < end - idx ? CHUNK_P - lo : end - idx;
        chunk_t *c = &r->chunks[ci];
        heap_check(bits_count(c->alloc, lo, k) == 0, "pagealloc: taking in-use pages");
        size_t nscav = bits_count(c->scav, lo, k);
        if (nscav) {
            if (bits_count(c->uncommitted, lo, k)) {
                // Commit each maximal uncommitted sub-run.
                size_t i = lo;
                while (i < lo + k) {
                    if (!((c->uncommitted[i >> 6] >> (i & 63)) & 1)) {
                        i++;
                        continue;
                    }
                    size_t j = i;
                    while (j < lo + k && ((c->uncommitted[j >> 6] >> (j & 63)) & 1))
                        j++;
                    uintptr_t a = r->base + (ci * CHUNK_P + i) * HEAP_PAGE_SIZE;
                    heap_check(sys_commit((void *)a, (j - i) * HEAP_PAGE_SIZE) == 0,
                               "pagealloc: cannot re-commit %p", (void *)a);
                    i = j;
                }
                bits_set(c->uncommitted, lo, k, false);
            }
            bits_set(c->scav, lo, k, false);
            heap_g.released -= nscav * HEAP_PAGE_SIZE;
        }
        bits_set(c->alloc, lo, k, true);
        chunk_summarize(c);
        idx += k;
    }
    while (r->search < r->ngrown && r->chunks[r->search].nfree == 0)
        r->search++;
}

// See heap_internal.h.
void pages_note_free_region(heap_region_t *r) {
    if (heap_g.search_region && r->base < heap_g.search_region->base)
        heap_g.search_region = r;
}

// Tries every region from the region hint once; no growth.
static bool pages_alloc_nogrow(size_t npages, pages_run_t *out) {
    if (!heap_g.search_region)
        heap_g.search_region = heap_g.regions;
    for (heap_region_t *r = heap_g.search_region; r; r = r->next) {
        if (r == heap_g.search_region && r->search >= r->ngrown) {
            heap_g.search_region = r->next; // full: later searches start above it
            continue;
        }
        size_t idx = region_find(r, npages);
        if (idx == SIZE_MAX)
            continue;
        region_take(r, idx, npages);
        uintptr_t base = r->base + idx * HEAP_PAGE_SIZE;
        uintptr_t end = base + npages * HEAP_PAGE_SIZE;
        out->base = base;
        out->region = r;
        out->needzero = base < r->zeroedbase; // Go's allocNeedsZero
        if (end > r->zeroedbase)
            r->zeroedbase = end;
        return true;
    }
    return false;
}

// See heap_internal.h.
bool pages_alloc(size_t npages, pages_run_t *out) {
    heap_check(npages > 0, "pages_alloc: zero pages");
    if (pages_alloc_nogrow(npages, out)) {
        if (heap_g.scav_memory_limit)
            scav_assist(0, 0);
        return true;
    }
    if (!heap_sweep_done()) { // sweeping may free whole spans: Go's reclaim
        heap_sweep_all();
        if (pages_alloc_nogrow(npages, out)) {
            if (heap_g.scav_memory_limit)
                scav_assist(0, 0);
            return true;
        }
    }
    uint64_t grown = heap_g.grown, retained = heap_retained();
    if (!arena_grow(npages))
        return false;
    if (!pages_alloc_nogrow(npages, out))
        return false;
    scav_assist(heap_g.grown - grown, retained);
    return true;
}

// See heap_internal.h.
void pages_free(uintptr_t base, size_t npages) {
    heap_region_t *r = region_of(base);
    heap_check(r != NULL && (base & (HEAP_PAGE_SIZE - 1)) == 0, "pages_free: bad base %p",
               (void *)base);
    size_t idx = (base - r->base) / HEAP_PAGE_SIZE, end = idx + npages;
    heap_check(end <= r->ngrown * CHUNK_P, "pages_free: run past the grown heap");
    if (idx / CHUNK_P < r->search)
        r->search = idx / CHUNK_P;
    pages_note_free_region(r);
    while (idx < end) {
        size_t ci = idx / CHUNK_P, lo = idx % CHUNK_P;
        size_t k = CHUNK_P - lo < end - idx ? CHUNK_P - lo : end - idx;
        chunk_t *c = &r->chunks[ci];
        heap_check(bits_count(c->alloc, lo, k) == k, "pages_free: double free at %p",
                   (void *)(r->base + idx * HEAP_PAGE_SIZE));
        bits_set(c->alloc, lo, k, false);
        chunk_summarize(c);
        idx += k;
    }
}

// Releases pages [lo, hi) of chunk ci of r (free, unreleased) to sys.
static void release_run(heap_region_t *r, size_t ci, size_t lo, size_t hi,
                        sys_release_mode_t mode) {
    chunk_t *c = &r->chunks[ci];
    uintptr_t a = r->base + (ci * CHUNK_P + lo) * HEAP_PAGE_SIZE;
    heap_check(sys_release((void *)a, (hi - lo) * HEAP_PAGE_SIZE, mode) == 0,
               "scavenge: sys_release %p failed", (void *)a);
    bits_set(c->scav, lo, hi - lo, true);
    bits_set(c->uncommitted, lo, hi - lo, true);
    heap_g.released += (hi - lo) * HEAP_PAGE_SIZE;
    heap_g.scav_released_total += (hi - lo) * HEAP_PAGE_SIZE;
}

// Scavenges chunk ci of r from its top; returns pages released (<= budget).
static size_t chunk_scavenge(heap_region_t *r, size_t ci, size_t budget,
                             sys_release_mode_t mode) {
    // LAB 5 BEGIN: release a chunk's free, unreleased pages, highest first, at most budget
    chunk_t *c = &r->chunks[ci];
    size_t done = 0;
    for (int w = HEAP_CHUNK_WORDS - 1; w >= 0 && done < budget; w--) {
        uint64_t x = ~c->alloc[w] & ~c->scav[w];
        while (x && done < budget) {
            int hb = 63 - __builtin_clzll(x);
            uint64_t below = hb == 63 ? ~0ull : ((1ull << (hb + 1)) - 1);
            uint64_t gaps = ~x & below;
            int lb = gaps ? 64 - __builtin_clzll(gaps) : 0;
            if ((size_t)(hb - lb + 1) > budget - done)
                lb = hb + 1 - (int)(budget - done);
            release_run(r, ci, (size_t)w * 64 + (size_t)lb, (size_t)w * 64 + (size_t)hb + 1, mode);
            done += (size_t)(hb - lb + 1);
            x &= ~(below & ~((1ull << lb) - 1));
        }
    }
    return done;
    // LAB 5 STUB
    // // Stub: releases nothing.
    // (void)r;
    // (void)ci;
    // (void)budget;
    // (void)mode;
    // return 0;
    // LAB 5 END
}

// The region just below r in address order (heap_g.regions is sorted by base), or
// the highest region when r is NULL; NULL below the lowest.
static heap_region_t *region_below(const heap_region_t *r) {
    heap_region_t *below = NULL;
    for (heap_region_t *q = heap_g.regions; q != r; q = q->next)
        below = q;
    return below;
}

// See heap_internal.h: highest addresses first, as Go's scavenger, over every region.
size_t pages_scavenge(size_t bytes, sys_release_mode_t mode) {
    size_t budget = bytes == SIZE_MAX ? SIZE_MAX : (bytes + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE;
    size_t done = 0;
    for (heap_region_t *r = region_below(NULL); r && done < budget; r = region_below(r)) {
        for (size_t ci = r->ngrown; ci-- > 0 && done < budget;) {
            chunk_t *c = &r->chunks[ci];
            if (c->nfree == 0)
                continue;
            done += chunk_scavenge(r, ci, budget - done, mode);
        }
    }
    return done * HEAP_PAGE_SIZE;
}

// See heap_internal.h.
void pages_verify(void) {
    uint64_t free_pages = 0, scav_pages = 0, grown = 0;
    for (heap_region_t *r = heap_g.regions; r; r = r->next) {
        grown += r->ngrown * HEAP_CHUNK_BYTES;
        for (size_t ci = 0; ci < r->ngrown; ci++) {
            chunk_t *c = &r->chunks[ci], t = *c;
            chunk_summarize(&t);
            heap_check(t.start == c->start && t.max == c->max && t.end == c->end &&
                           t.nfree == c->nfree,
                       "pages_verify: chunk %zu of %p: stale summary", ci, (void *)r->base);
            heap_check(ci >= r->search || c->nfree == 0, "pages_verify: search hint too high");
            heap_check(!heap_g.search_region || r->base >= heap_g.search_region->base ||
                           c->nfree == 0,
                       "pages_verify: free pages below the region hint");
            for (int w = 0; w < HEAP_CHUNK_WORDS; w++) {
                heap_check(!(c->scav[w] & c->alloc[w]), "pages_verify: scavenged in-use page");
                heap_check(!(c->uncommitted[w] & ~c->scav[w]),
                           "pages_verify: uncommitted page not scavenged");
                scav_pages += (uint64_t)__builtin_popcountll(c->scav[w]);
            }
            free_pages += c->nfree;
        }
    }
    heap_check(grown == heap_g.grown, "pages_verify: grown %llu != %llu",
               (unsigned long long)grown, (unsigned long long)heap_g.grown);
    heap_check(free_pages * HEAP_PAGE_SIZE == heap_g.grown - heap_g.inuse_heap - heap_g.inuse_stack,
               "pages_verify: free pages %llu != grown - in use", (unsigned long long)free_pages);
    heap_check(scav_pages * HEAP_PAGE_SIZE == heap_g.released,
               "pages_verify: scavenged pages %llu != HeapReleased %llu",
               (unsigned long long)scav_pages, (unsigned long long)heap_g.released);
}
