// vm_bench: first-touch fault cost and release cost per 4 KiB page, through sys.h
// only (see vm_bench.h for the ops and the line format). Each round starts from a
// range with every page reserved; counts are checked with sys_count after the
// touches and after each release, so a benchmark that measured the wrong thing
// (huge pages, a no-op release) fails instead of printing a fast number.
#include "bench/vm_bench.h"
#include "sys/selftest.h"
#include "sys/sys.h"

#ifdef SPANLAB_KERNEL
#define ENV "kernel"
#else
#define ENV "hosted"
#endif

#define PG ((size_t)SYS_PAGE_SIZE)

typedef struct sample {
    uint64_t cycles, ns;
} sample_t;

typedef struct bench {
    volatile uint8_t *base;
    size_t pages;
    bool ok;
} bench_t;

static sample_t now(void) {
    return (sample_t){sys_cycles(), sys_nanotime()};
}

static sample_t since(sample_t t0) {
    sample_t t = now();
    return (sample_t){t.cycles - t0.cycles, t.ns - t0.ns};
}

// Sorts v[0..n) (tiny n: insertion sort) and returns the median.
static uint64_t median(uint64_t *v, int n) {
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && v[k - 1] > v[k]; k--) {
            uint64_t t = v[k];
            v[k] = v[k - 1];
            v[k - 1] = t;
        }
    return v[n / 2];
}

static void print_line(const char *op, size_t pages, size_t chunk, sample_t *s, int rounds) {
    uint64_t cy[VM_BENCH_MAX_ROUNDS], ns[VM_BENCH_MAX_ROUNDS];
    for (int i = 0; i < rounds; i++) {
        cy[i] = s[i].cycles / pages;
        ns[i] = s[i].ns / pages;
    }
    sys_printf("FAULTBENCH env=%s op=%s pages=%lu chunk=%lu cycles_per_page=%lu "
               "ns_per_page=%lu\n",
               ENV, op, (unsigned long)pages, (unsigned long)chunk,
               (unsigned long)median(cy, rounds), (unsigned long)median(ns, rounds));
}

// Checks the range's counts; a mismatch is printed and fails the benchmark.
static void expect(bench_t *b, const char *when, uint64_t committed, uint64_t resident) {
    sys_page_counts_t c = {0};
    sys_count((const void *)b->base, b->pages * PG, &c);
    if (c.committed != committed || c.resident != resident) {
        sys_printf("faultbench: after %s: committed=%lu resident=%lu, want %lu and %lu\n",
                   when, (unsigned long)c.committed, (unsigned long)c.resident,
                   (unsigned long)committed, (unsigned long)resident);
        b->ok = false;
    }
}

static void commit_all(bench_t *b) {
    if (sys_commit((void *)b->base, b->pages * PG) != 0) {
        sys_printf("faultbench: commit failed\n");
        b->ok = false;
    }
}

static sample_t touch_all(bench_t *b) {
    sample_t t0 = now();
    for (size_t i = 0; i < b->pages; i++)
        b->base[i * PG] = 1;
    return since(t0);
}

static sample_t release_all(bench_t *b, size_t chunk, sys_release_mode_t mode) {
    sample_t t0 = now();
    for (size_t i = 0; i < b->pages; i += chunk) {
        size_t n = b->pages - i < chunk ? b->pages - i : chunk;
        sys_release((void *)(b->base + i * PG), n * PG, mode);
    }
    return since(t0);
}

// Back to all-reserved, no frames.
static void reset(bench_t *b) {
    sys_release((void *)b->base, b->pages * PG, SYS_RELEASE_DONTNEED);
}

static void bench_first_touch(bench_t *b, int rounds) {
    sample_t s[VM_BENCH_MAX_ROUNDS];
    for (int r = 0; r < rounds; r++) {
        commit_all(b);
        s[r] = touch_all(b);
        expect(b, "first touch", b->pages, b->pages);
        reset(b);
    }
    print_line("first_touch", b->pages, 1, s, rounds);
}

static void bench_release(bench_t *b, int rounds, sys_release_mode_t mode, size_t chunk) {
    sample_t s[VM_BENCH_MAX_ROUNDS];
    for (int r = 0; r < rounds; r++) {
        commit_all(b);
        touch_all(b);
        s[r] = release_all(b, chunk, mode);
        // FREE keeps the frames (unless reclaimed at once); DONTNEED drops them.
        if (mode == SYS_RELEASE_DONTNEED)
            expect(b, "release dontneed", 0, 0);
        else
            expect(b, "release free", 0, b->pages);
        reset(b);
    }
    print_line(mode == SYS_RELEASE_FREE ? "release_free" : "release_dontneed", b->pages,
               chunk, s, rounds);
}

// Commit + write after a release in mode: the cost of reusing released pages.
static void bench_reuse(bench_t *b, int rounds, sys_release_mode_t mode) {
    sample_t s[VM_BENCH_MAX_ROUNDS];
    for (int r = 0; r < rounds; r++) {
        commit_all(b);
        touch_all(b);
        release_all(b, b->pages, mode);
        sample_t t0 = now();
        commit_all(b);
        for (size_t i = 0; i < b->pages; i++)
            b->base[i * PG] = 2;
        s[r] = since(t0);
        expect(b, "reuse", b->pages, b->pages);
        reset(b);
    }
    print_line(mode == SYS_RELEASE_FREE ? "reuse_lazyfree" : "refault_dontneed", b->pages,
               b->pages, s, rounds);
}

bool vm_bench_run(size_t pages, int rounds) {
    if (rounds < 1)
        rounds = 1;
    if (rounds > VM_BENCH_MAX_ROUNDS)
        rounds = VM_BENCH_MAX_ROUNDS;
    bench_t b = {.pages = pages, .ok = true};
    b.base = sys_reserve(pages * PG, PG, "faultbench");
    if (!b.base) {
        sys_printf("faultbench: cannot reserve %lu pages\n", (unsigned long)pages);
        return false;
    }
    sample_t t0 = now();
    while (sys_nanotime() - t0.ns < 20000000) // 20 ms to measure the cycle clock
        ;
    sample_t d = since(t0);
    sys_printf("FAULTBENCH env=%s op=clock cycles_per_us=%lu\n", ENV,
               (unsigned long)(d.cycles * 1000 / (d.ns ? d.ns : 1)));
    bench_first_touch(&b, rounds);
    static const size_t chunks[] = {1, 16, 0}; // 0: the whole range in one call
    for (int m = 0; m < 2; m++)
        for (int c = 0; c < 3; c++)
            bench_release(&b, rounds, m ? SYS_RELEASE_FREE : SYS_RELEASE_DONTNEED,
                          chunks[c] ? chunks[c] : pages);
    bench_reuse(&b, rounds, SYS_RELEASE_DONTNEED);
    bench_reuse(&b, rounds, SYS_RELEASE_FREE);
    sys_unreserve((void *)b.base, pages * PG);
    sys_printf("FAULTBENCH env=%s done ok=%d\n", ENV, b.ok ? 1 : 0);
    return b.ok;
}

// selftest=faultbench (not in all: it measures, it does not test): 16 MiB, 5 rounds.
SELFTEST(faultbench, false) {
    return vm_bench_run(4096, 5);
}
