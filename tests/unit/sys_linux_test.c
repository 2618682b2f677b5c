// Tests of the hosted page layer (sys/linux_pages.c) against the kernel's own word:
// every count is checked with an independent mincore call or /proc/self/smaps, never
// with the implementation's counters alone. Also the fault diagnostic, panic, clock
// and tick.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/options.h"
#include "sys/sys.h"
#include "tests/unit/test.h"
#include "tests/unit/child.h"

#define PG ((size_t)SYS_PAGE_SIZE)

// Resident pages of [p, p+npages) by mincore, independently of sys.
static size_t mincore_resident(const void *p, size_t npages) {
    unsigned char *vec = malloc(npages);
    assert_non_null(vec);
    assert_int_equal(mincore((void *)p, npages * PG, vec), 0);
    size_t n = 0;
    for (size_t i = 0; i < npages; i++)
        n += vec[i] & 1;
    free(vec);
    return n;
}

// Linux moves MADV_FREE pages to the lazyfree LRU in per-CPU batches, and smaps
// counts a page as LazyFree only once its batch is drained. mlock drains every
// CPU's batches (lru_add_drain_all in do_mlock), so the test mlocks one page first.
static void drain_lru_batches(void) {
    static char page[4096] __attribute__((aligned(4096)));
    if (syscall(SYS_mlock, page, sizeof page) == 0) // ASan's mlock is a no-op
        syscall(SYS_munlock, page, sizeof page);
}

// Sum of smaps "LazyFree:" (kB) over the VMAs inside [p, p+bytes), in pages.
static size_t smaps_lazyfree_pages(const void *p, size_t bytes) {
    drain_lru_batches();
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    char line[512];
    uintptr_t lo = (uintptr_t)p, hi = lo + bytes;
    int inside = 0;
    size_t kb = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b, v;
        if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' '))
            inside = a >= lo && b <= hi;
        else if (inside && sscanf(line, "LazyFree: %lu kB", &v) == 1)
            kb += v;
    }
    fclose(f);
    return kb * 1024 / PG;
}

static sys_page_counts_t counts(const void *p, size_t bytes) {
    sys_page_counts_t c = {0};
    sys_count(p, bytes, &c);
    return c;
}

static void touch(uint8_t *p, size_t npages, size_t stride) {
    for (size_t i = 0; i < npages; i += stride)
        p[i * PG] = (uint8_t)(i | 1);
}

static void sys_verbs_move_pages_between_states(void **st) {
    uint8_t *p = sys_reserve(64 * PG, PG, "verbs");
    assert_non_null(p);
    assert_int_equal(sys_query(p), SYS_PAGE_RESERVED);
    assert_int_equal(sys_query(p + 64 * PG), SYS_PAGE_UNMAPPED);
    assert_int_equal(sys_commit(p, 16 * PG), 0);
    assert_int_equal(sys_query(p), SYS_PAGE_COMMITTED);
    assert_int_equal(sys_query(p + 16 * PG), SYS_PAGE_RESERVED);
    touch(p, 8, 1);
    assert_int_equal(sys_query(p + 7 * PG), SYS_PAGE_RESIDENT);
    assert_int_equal(sys_query(p + 8 * PG), SYS_PAGE_COMMITTED);
    assert_int_equal(sys_release(p, 2 * PG, SYS_RELEASE_DONTNEED), 0);
    assert_int_equal(sys_query(p), SYS_PAGE_RESERVED);
    assert_int_equal(sys_release(p + 2 * PG, 2 * PG, SYS_RELEASE_FREE), 0);
    assert_int_equal(sys_query(p + 2 * PG), SYS_PAGE_LAZYFREE);

    uint8_t st8[64];
    sys_query_range(p, 64, st8);
    assert_int_equal(st8[1], SYS_PAGE_RESERVED);
    assert_int_equal(st8[3], SYS_PAGE_LAZYFREE);
    assert_int_equal(st8[4], SYS_PAGE_RESIDENT);
    assert_int_equal(st8[8], SYS_PAGE_COMMITTED);
    assert_int_equal(st8[63], SYS_PAGE_RESERVED);

    sys_page_counts_t c = counts(p, 64 * PG);
    assert_int_equal(c.reserved, 64);
    assert_int_equal(c.committed, 12); // 4..15
    assert_int_equal(c.resident, 6);   // 2,3 lazy + 4..7
    assert_int_equal(c.lazyfree, 2);
    assert_int_equal(c.resident, mincore_resident(p, 64));
    sys_unreserve(p, 64 * PG);
    assert_int_equal(sys_query(p), SYS_PAGE_UNMAPPED);
}

static void sys_commit_and_release_refuse_unreserved_memory(void **st) {
    uint8_t *p = sys_reserve(4 * PG, PG, "edge");
    assert_int_equal(sys_commit(p + 2 * PG, 4 * PG), -1); // runs past the end
    assert_int_equal(sys_release(p + 4 * PG, PG, SYS_RELEASE_DONTNEED), -1);
    static char not_ours[PG];
    assert_int_equal(sys_commit(not_ours, 1), -1);
    assert_int_equal(sys_query(p + 2 * PG), SYS_PAGE_RESERVED);
    sys_unreserve(p, 4 * PG);
}

static void sys_reserve_honours_alignment(void **st) {
    size_t align = 64u << 20;
    void *p = sys_reserve(3 * PG, align, "aligned");
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % align, 0);
    void *q = sys_reserve(5 * PG, align, "aligned2");
    assert_int_equal((uintptr_t)q % align, 0);
    sys_unreserve(p, 3 * PG);
    sys_unreserve(q, 5 * PG);
}

static void sys_counts_agree_with_mincore_after_random_touches(void **st) {
    size_t n = 4096;
    uint8_t *p = sys_reserve(n * PG, PG, "random");
    assert_int_equal(sys_commit(p, n * PG), 0);
    srand(7);
    size_t touched = 0;
    for (size_t i = 0; i < n; i++)
        if (rand() % 5 == 0) {
            p[i * PG + 100] = 1;
            touched++;
        }
    sys_page_counts_t c = counts(p, n * PG);
    assert_int_equal(c.resident, mincore_resident(p, n));
    assert_int_equal(c.resident, touched);
    assert_int_equal(c.committed, n);
    sys_page_counts_t all = {0};
    sys_count_all(&all);
    assert_true(all.resident >= touched);
    sys_unreserve(p, n * PG);
}

static void sys_release_dontneed_drops_resident_at_once(void **st) {
    size_t n = 256;
    uint8_t *p = sys_reserve(n * PG, PG, "dontneed");
    sys_commit(p, n * PG);
    touch(p, n, 1);
    assert_int_equal(mincore_resident(p, n), n);
    assert_int_equal(sys_release(p, n * PG, SYS_RELEASE_DONTNEED), 0);
    assert_int_equal(mincore_resident(p, n), 0);
    sys_page_counts_t c = counts(p, n * PG);
    assert_int_equal(c.resident, 0);
    assert_int_equal(c.committed, 0);
    assert_int_equal(c.lazyfree, 0);
    // Committing again gives zeroed pages.
    sys_commit(p, n * PG);
    assert_int_equal(p[5 * PG], 0);
    sys_unreserve(p, n * PG);
}

static void sys_release_free_keeps_frames_as_lazyfree_like_smaps(void **st) {
    size_t n = 256;
    uint8_t *p = sys_reserve(n * PG, PG, "free");
    sys_commit(p, n * PG);
    touch(p, n, 2); // 128 resident
    assert_int_equal(smaps_lazyfree_pages(p, n * PG), 0);
    assert_int_equal(sys_release(p, n * PG, SYS_RELEASE_FREE), 0);
    size_t res = mincore_resident(p, n);
    sys_page_counts_t c = counts(p, n * PG);
    assert_int_equal(c.committed, 0);
    assert_int_equal(c.resident, res);
    assert_int_equal(c.lazyfree, res);
    assert_int_equal(c.lazyfree, smaps_lazyfree_pages(p, n * PG));
    assert_int_equal(res, 128); // no pressure on the test machine: nothing reclaimed
    sys_unreserve(p, n * PG);
}

static void sys_recommit_of_lazyfree_page_keeps_its_frame(void **st) {
    uint8_t *p = sys_reserve(4 * PG, PG, "recommit");
    sys_commit(p, 4 * PG);
    p[0] = 42;
    sys_release(p, 4 * PG, SYS_RELEASE_FREE);
    assert_int_equal(sys_query(p), SYS_PAGE_LAZYFREE);
    assert_int_equal(sys_commit(p, PG), 0);
    assert_int_equal(sys_query(p), SYS_PAGE_RESIDENT);
    assert_true(p[0] == 42 || p[0] == 0); // contents undefined, as Go's sysUsed
    p[0] = 7;                              // a write cancels the lazy free
    assert_int_equal(p[0], 7);
    assert_int_equal(smaps_lazyfree_pages(p, 4 * PG), 0);
    assert_int_equal(sys_query(p + PG), SYS_PAGE_RESERVED); // never touched
    sys_unreserve(p, 4 * PG);
}

static void sys_release_dontneed_after_free_drops_the_frames(void **st) {
    size_t n = 32;
    uint8_t *p = sys_reserve(n * PG, PG, "free then dontneed");
    sys_commit(p, n * PG);
    touch(p, n, 1);
    sys_release(p, n * PG, SYS_RELEASE_FREE);
    assert_int_equal(mincore_resident(p, n), n);
    sys_release(p, n * PG, SYS_RELEASE_DONTNEED); // on PROT_NONE pages
    assert_int_equal(mincore_resident(p, n), 0);
    sys_page_counts_t c = counts(p, n * PG);
    assert_int_equal(c.resident, 0);
    assert_int_equal(c.lazyfree, 0);
    assert_int_equal(sys_query(p), SYS_PAGE_RESERVED);
    sys_unreserve(p, n * PG);
}

static const char *explain(uintptr_t addr) {
    return "goroutine 7 stack overflow";
}

// Runs fn in a child with its output captured; returns its wait status, output in buf.
static int run_child(void (*fn)(void), char *buf, size_t len) { return child_run(fn, buf, len); }

static void touch_released_page(void) {
    uint8_t *p = sys_reserve(8 * PG, PG, "victim");
    sys_commit(p, 8 * PG);
    p[3 * PG] = 1;
    sys_release(p, 8 * PG, SYS_RELEASE_DONTNEED);
    sys_set_fault_explainer(explain);
    p[3 * PG + 5] = 2; // faults
}

static void sys_touching_released_page_faults_with_diagnostic(void **st) {
    char out[8192];
    int status = run_child(touch_released_page, out, sizeof out);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(out, "fault: SIGSEGV, write at"));
    assert_non_null(strstr(out, "in range victim"));
    assert_non_null(strstr(out, "page 3 of 8, state reserved"));
    assert_non_null(strstr(out, "goroutine 7 stack overflow"));
}

static void touch_lazily_freed_page(void) {
    uint8_t *p = sys_reserve(4 * PG, PG, "lazy victim");
    sys_commit(p, 4 * PG);
    p[PG] = 1;
    sys_release(p, 4 * PG, SYS_RELEASE_FREE);
    (void)*(volatile uint8_t *)(p + PG); // a read faults too
}

static void sys_touching_lazily_freed_page_faults_too(void **st) {
    char out[8192];
    int status = run_child(touch_lazily_freed_page, out, sizeof out);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(out, "fault: SIGSEGV, read at"));
    assert_non_null(strstr(out, "page 1 of 4, state lazyfree (released with free)"));
}

static void unreserve_part(void) {
    uint8_t *p = sys_reserve(4 * PG, PG, "whole");
    sys_unreserve(p, 2 * PG);
}

static void sys_unreserve_of_part_of_a_range_panics(void **st) {
    char out[8192];
    int status = run_child(unreserve_part, out, sizeof out);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(out, "panic: sys_unreserve"));
}

static void do_panic(void) {
    sys_panic("bad thing %d", 42);
}

static void sys_panic_prints_message_and_fails(void **st) {
    char out[8192];
    int status = run_child(do_panic, out, sizeof out);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(out, "panic: bad thing 42\n"));
    assert_non_null(strstr(out, "backtrace:"));
}

// The page layer's self-test sequence (selftest=vm) at host scale: 1 GiB reserved, 256 MiB committed.
static void sys_issue3_sequence_counts_exactly(void **st) {
    size_t gib = 1u << 30, commit = 256u << 20, n = commit / PG;
    uint8_t *p = sys_reserve(gib, 1u << 21, "issue3");
    assert_non_null(p);
    assert_int_equal(sys_commit(p, commit), 0);
    touch(p, n, 3);
    size_t touched = (n + 2) / 3;
    sys_page_counts_t c = counts(p, gib);
    assert_int_equal(c.reserved, gib / PG);
    assert_int_equal(c.committed, n);
    assert_int_equal(c.resident, touched);
    assert_int_equal(c.resident, mincore_resident(p, gib / PG));

    size_t half = n / 2, touched_lo = (half + 2) / 3;
    assert_int_equal(sys_release(p, half * PG, SYS_RELEASE_DONTNEED), 0);
    c = counts(p, gib);
    assert_int_equal(c.resident, touched - touched_lo);
    assert_int_equal(c.resident, mincore_resident(p, gib / PG));
    assert_int_equal(c.committed, n - half);

    assert_int_equal(sys_release(p + half * PG, (n - half) * PG, SYS_RELEASE_FREE), 0);
    c = counts(p, gib);
    assert_int_equal(c.resident, touched - touched_lo);
    assert_int_equal(c.lazyfree, touched - touched_lo);
    assert_int_equal(c.lazyfree, smaps_lazyfree_pages(p, gib));
    assert_int_equal(c.committed, 0);
    sys_unreserve(p, gib);
}

static volatile int ticks;
static void on_tick(void) {
    ticks++;
}

static void sys_tick_wakes_idle_and_clock_advances(void **st) {
    uint64_t period = 0;
    uint64_t t0 = sys_nanotime();
    sys_set_tick_handler(on_tick, &period);
    assert_int_equal(period, 1000000);
    while (ticks < 5)
        sys_idle();
    sys_set_tick_handler(NULL, NULL);
    uint64_t t1 = sys_nanotime();
    assert_true(t1 - t0 >= 4000000);
    assert_true(sys_cycles() != sys_cycles());
}

// The tick runs on the alternate signal stack: its frame never lands below a
// goroutine's stack pointer, where it would make a stack page resident or not as
// the signal happens to fall (resident_pages would change from run to run).
static volatile uintptr_t tick_frame;
static void on_tick_where(void) {
    tick_frame = (uintptr_t)__builtin_frame_address(0);
}

static void sys_tick_runs_on_the_alternate_signal_stack(void **st) {
    (void)st;
    tick_frame = 0;
    sys_set_tick_handler(on_tick_where, NULL);
    while (tick_frame == 0)
        sys_idle();
    sys_set_tick_handler(NULL, NULL);
    stack_t ss;
    assert_int_equal(sigaltstack(NULL, &ss), 0);
    assert_false(ss.ss_flags & SS_DISABLE);
    uintptr_t lo = (uintptr_t)ss.ss_sp, hi = lo + ss.ss_size;
    if (tick_frame < lo || tick_frame >= hi)
        fail_msg("the tick's frame %#lx is outside the alternate stack [%#lx, %#lx)",
                 (unsigned long)tick_frame, (unsigned long)lo, (unsigned long)hi);
}

static void sys_default_release_mode_follows_madv_option(void **st) {
    assert_int_equal(opt_parse(""), 0);
    assert_int_equal(sys_default_release_mode(), SYS_RELEASE_DONTNEED);
    assert_int_equal(opt_parse("madv=free"), 0);
    assert_int_equal(sys_default_release_mode(), SYS_RELEASE_FREE);
    assert_int_equal(opt_parse("madv=dontneed"), 0);
    assert_int_equal(sys_default_release_mode(), SYS_RELEASE_DONTNEED);
    opt_parse("");
}

RUN_TESTS(cmocka_unit_test(sys_verbs_move_pages_between_states),
          cmocka_unit_test(sys_commit_and_release_refuse_unreserved_memory),
          cmocka_unit_test(sys_reserve_honours_alignment),
          cmocka_unit_test(sys_counts_agree_with_mincore_after_random_touches),
          cmocka_unit_test(sys_release_dontneed_drops_resident_at_once),
          cmocka_unit_test(sys_release_free_keeps_frames_as_lazyfree_like_smaps),
          cmocka_unit_test(sys_recommit_of_lazyfree_page_keeps_its_frame),
          cmocka_unit_test(sys_release_dontneed_after_free_drops_the_frames),
          cmocka_unit_test(sys_touching_released_page_faults_with_diagnostic),
          cmocka_unit_test(sys_touching_lazily_freed_page_faults_too),
          cmocka_unit_test(sys_unreserve_of_part_of_a_range_panics),
          cmocka_unit_test(sys_panic_prints_message_and_fails),
          cmocka_unit_test(sys_tick_runs_on_the_alternate_signal_stack),
          cmocka_unit_test(sys_issue3_sequence_counts_exactly),
          cmocka_unit_test(sys_tick_wakes_idle_and_clock_advances),
          cmocka_unit_test(sys_default_release_mode_follows_madv_option))
