// Page allocator: lowest-addressed runs against a bitmap model, no overlap,
// coalescing of freed runs, growth, and scavenged pages released in the page layer
// and committed again on reuse.
#include "tests/unit/test.h"
#include "mm/heap_internal.h"

#define MAXP (16 * HEAP_CHUNK_PAGES) // one arena

static uint8_t model[MAXP]; // 1 = allocated

// Lowest index of n free pages among the first total, or SIZE_MAX.
static size_t model_fit(size_t total, size_t n) {
    size_t run = 0;
    for (size_t i = 0; i < total; i++) {
        run = model[i] ? 0 : run + 1;
        if (run == n)
            return i + 1 - n;
    }
    return SIZE_MAX;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void pagealloc_finds_lowest_run_and_never_overlaps(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    heap_init();
    memset(model, 0, sizeof model);
    struct { uintptr_t base; size_t n; } live[256];
    int nlive = 0;
    size_t inuse = 0;
    uintptr_t base0 = 0;
    for (int step = 0; step < 4000; step++) {
        if (nlive < 256 && (nlive == 0 || rnd() % 100 < 55)) {
            size_t n = rnd() % 8 == 0 ? 1 + rnd() % 1100 : 1 + rnd() % 20;
            if (inuse + n > 6000)
                continue;
            inuse += n;
            pages_run_t run;
            assert_true(pages_alloc(n, &run));
            if (!base0)
                base0 = heap_g.regions->base;
            assert_ptr_equal(run.region, heap_g.regions); // stays in one arena
            size_t total = heap_g.regions->ngrown * HEAP_CHUNK_PAGES;
            size_t idx = (run.base - base0) / HEAP_PAGE_SIZE;
            assert_int_equal(idx, model_fit(total, n));
            for (size_t i = idx; i < idx + n; i++) {
                assert_int_equal(model[i], 0);
                model[i] = 1;
            }
            heap_g.inuse_heap += n * HEAP_PAGE_SIZE; // as span.c would
            live[nlive].base = run.base;
            live[nlive++].n = n;
        } else {
            int k = (int)(rnd() % (uint64_t)nlive);
            pages_free(live[k].base, live[k].n);
            heap_g.inuse_heap -= live[k].n * HEAP_PAGE_SIZE;
            size_t idx = (live[k].base - base0) / HEAP_PAGE_SIZE;
            for (size_t i = idx; i < idx + live[k].n; i++)
                model[i] = 0;
            inuse -= live[k].n;
            live[k] = live[--nlive];
        }
        if (step % 50 == 0)
            pages_verify();
    }
    while (nlive) {
        nlive--;
        pages_free(live[nlive].base, live[nlive].n);
        heap_g.inuse_heap -= live[nlive].n * HEAP_PAGE_SIZE;
    }
    pages_verify();
    // Everything coalesced: one run of the whole grown heap fits at the bottom.
    size_t total = heap_g.regions->ngrown * HEAP_CHUNK_PAGES;
    uint64_t grown = heap_g.grown;
    pages_run_t run;
    assert_true(pages_alloc(total, &run));
    assert_int_equal(run.base, base0);
    assert_int_equal(heap_g.grown, grown); // no growth was needed
    pages_free(run.base, total);
    heap_destroy();
}

static void pagealloc_scavenged_pages_are_released_and_recommitted(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    heap_init();
    pages_run_t a, b;
    assert_true(pages_alloc(64, &a));
    heap_g.inuse_heap += 64 * HEAP_PAGE_SIZE;
    memset((void *)a.base, 7, 64 * HEAP_PAGE_SIZE); // resident now
    sys_page_counts_t pc = {0};
    sys_count((void *)a.base, 64 * HEAP_PAGE_SIZE, &pc);
    assert_int_equal(pc.resident, 128);
    uint64_t released0 = heap_g.released;
    pages_free(a.base, 64);
    heap_g.inuse_heap -= 64 * HEAP_PAGE_SIZE;
    assert_int_equal(heap_g.released, released0); // freed, not yet released
    size_t got = pages_scavenge(SIZE_MAX, SYS_RELEASE_DONTNEED);
    assert_int_equal(got, 64 * HEAP_PAGE_SIZE);
    assert_int_equal(heap_g.released, released0 + got);
    memset(&pc, 0, sizeof pc);
    sys_count((void *)a.base, 64 * HEAP_PAGE_SIZE, &pc);
    assert_int_equal(pc.committed, 0);
    assert_int_equal(pc.resident, 0);
    assert_int_equal(sys_query((void *)a.base), SYS_PAGE_RESERVED);
    pages_verify();
    // Reuse: the lowest run is the released one; it is committed again.
    assert_true(pages_alloc(3, &b));
    heap_g.inuse_heap += 3 * HEAP_PAGE_SIZE;
    assert_int_equal(b.base, a.base);
    assert_true(b.needzero); // below zeroedbase: may be dirty (Go's rule)
    assert_int_equal(sys_query((void *)b.base), SYS_PAGE_COMMITTED);
    ((volatile char *)b.base)[0] = 1;
    assert_int_equal(sys_query((void *)b.base), SYS_PAGE_RESIDENT);
    assert_int_equal(heap_g.released, released0 + got - 3 * HEAP_PAGE_SIZE);
    // Partial scavenge takes the highest free pages first.
    pages_run_t c;
    assert_true(pages_alloc(HEAP_CHUNK_PAGES - 3, &c)); // rest of chunk 0
    heap_g.inuse_heap += (HEAP_CHUNK_PAGES - 3) * HEAP_PAGE_SIZE;
    pages_verify();
    heap_destroy();
}

static void pagealloc_large_runs_span_chunks_and_grow(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    heap_init();
    pages_run_t a, b, c;
    assert_true(pages_alloc(1, &a));
    assert_true(pages_alloc(2000, &b)); // crosses chunks, grows
    assert_int_equal(b.base, a.base + HEAP_PAGE_SIZE);
    assert_true(pages_alloc(HEAP_PAGES_PER_ARENA, &c)); // a whole arena: a new region
    assert_true(c.region != a.region);
    heap_g.inuse_heap += (1 + 2000 + HEAP_PAGES_PER_ARENA) * HEAP_PAGE_SIZE;
    pages_verify();
    assert_ptr_equal(region_of(c.base + 100), c.region);
    assert_null(region_of((uintptr_t)&a));
    heap_destroy();
}

// A chunk's summary (Go's pallocSum) against the definition, page by page: start is
// the free pages before the first allocated one, end those after the last, max the
// longest free run, nfree all free pages; on bitmaps all free, all allocated, runs
// across word boundaries and random ones of several densities.
static void check_summary(const chunk_t *c) {
    size_t start = 0, end = 0, max = 0, run = 0, nfree = 0;
    bool seen_alloc = false;
    for (size_t i = 0; i < HEAP_CHUNK_PAGES; i++) {
        bool used = (c->alloc[i / 64] >> (i % 64)) & 1;
        if (used) {
            seen_alloc = true;
            run = 0;
            continue;
        }
        nfree++;
        run++;
        if (!seen_alloc)
            start++;
        if (run > max)
            max = run;
    }
    end = run;
    chunk_t t = *c;
    chunk_summarize(&t);
    if (t.start != start || t.max != max || t.end != end || t.nfree != nfree)
        fail_msg("summary start %u max %u end %u nfree %u, want %zu %zu %zu %zu",
                 t.start, t.max, t.end, t.nfree, start, max, end, nfree);
}

static void pagealloc_chunk_summaries_describe_free_runs(void **state) {
    (void)state;
    chunk_t c;
    memset(&c, 0, sizeof c);
    check_summary(&c); // all free
    memset(c.alloc, 0xff, sizeof c.alloc);
    check_summary(&c); // all allocated
    memset(c.alloc, 0, sizeof c.alloc);
    c.alloc[1] = 1ull << 63; // one page at 127: runs of 127 and 384
    check_summary(&c);
    c.alloc[0] = 0xf0; // pages 4-7 too: start 4, max 384
    check_summary(&c);
    memset(c.alloc, 0, sizeof c.alloc);
    c.alloc[HEAP_CHUNK_WORDS - 1] = 1ull << 63; // the last page: end 0
    check_summary(&c);
    for (int density = 1; density < 64; density *= 2) {
        for (int k = 0; k < 200; k++) {
            for (int w = 0; w < HEAP_CHUNK_WORDS; w++) {
                uint64_t x = ~0ull;
                for (int d = 1; d < density; d *= 2) // 1/density of the pages allocated
                    x &= rnd();
                c.alloc[w] = density == 1 ? rnd() : x;
                if (rnd() % 4 == 0)
                    c.alloc[w] = 0; // long free runs across words
            }
            check_summary(&c);
        }
    }
}

RUN_TESTS(cmocka_unit_test(pagealloc_finds_lowest_run_and_never_overlaps),
          cmocka_unit_test(pagealloc_chunk_summaries_describe_free_runs),
          cmocka_unit_test(pagealloc_scavenged_pages_are_released_and_recommitted),
          cmocka_unit_test(pagealloc_large_runs_span_chunks_and_grow))
