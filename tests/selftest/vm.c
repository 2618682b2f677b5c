// selftest vm, oom, oomhook: the kernel page layer's self-tests (kernel only).
//   vm   reserve 1 GiB, commit 256 MiB (less on a machine with less free RAM:
//        at most the free RAM, so a 64 MiB PC runs it too), touch every 3rd page
//        (reads and writes),
//        release half with dontneed, the rest with free, cancel one lazy page by a
//        write, then touch fresh pages beyond free RAM: lazily freed frames must be
//        reclaimed and nothing may run out of memory. After every step the range's
//        counters must equal exact expectations, a recount from the page tables,
//        and the frame allocator's own count (resident + page tables = frames used).
//   oom  (not in all) touches more than RAM with nothing reclaimable: must end the
//        run with the out-of-memory report (status 35).
//   oomhook (not in all) the same out-of-memory, caught by a panic hook.
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/frameset.h"
#include "kernel/paging.h"
#include "kernel/vmk.h"
#include "kernel/frames.h"
#include "mm/residency.h"
#include "sys/selftest.h"
#include "sys/sys.h"

#define MIB (1ull << 20)
#define PRESSURE_FREE 4096 // frames left free when the pressure step begins (16 MiB)

static uint64_t used0; // frames used outside our ranges' pages and page tables (and the balloon)

// Resident pages over every range (lazyfree included).
static uint64_t resident_all(void) {
    sys_page_counts_t c = {0};
    sys_count_all(&c);
    return c.resident;
}

// Whether every word of the 4 KiB page at p reads zero (a first touch must).
static bool page_is_zero(const volatile uint64_t *p) {
    for (uint64_t i = 0; i < PAGE_4K / 8; i++)
        if (p[i] != 0)
            return false;
    return true;
}

// Compares r's counters with expectations, the page tables and pg_; prints
// the step's residency map. Returns true when everything agrees.
static bool step(const char *what, vm_range_t *r, uint64_t committed, uint64_t resident,
                 uint64_t lazyfree) {
    kprintf("  -- %s\n", what);
    vm_res_report(r->name, (const void *)r->base, r->npages * PAGE_4K, 0);
    const sys_page_counts_t *c = &r->c.pages;
    bool ok = c->reserved == r->npages && c->committed == committed && c->resident == resident &&
              c->lazyfree == lazyfree;
    if (!ok)
        kprintf("  counters committed=%lu resident=%lu lazyfree=%lu, expected %lu %lu %lu\n",
                c->committed, c->resident, c->lazyfree, committed, resident, lazyfree);
    bool tables = vmk_check_range(r);
    uint64_t frames = pg_used() - used0, pages = resident_all() + pt_runtime_table_pages();
    bool pg_ok = frames == pages;
    kprintf("  check: counters %s, page tables %s, frames used +%lu = resident + page tables "
            "+%lu %s\n",
            ok ? "exact" : "WRONG", tables ? "agree" : "DISAGREE", frames, pages,
            pg_ok ? "agree" : "DISAGREE");
    return ok && tables && pg_ok;
}

SELFTEST(vm, true) {
    bool ok = true;
    uint64_t free_start = pg_free_count(), pt_start = pt_runtime_table_pages();
    used0 = pg_used() - resident_all() - pt_start;

    const uint64_t span = 1024 * MIB, free_bytes = (free_start * PAGE_4K) & ~(2 * MIB - 1);
    const uint64_t com = free_bytes < 256 * MIB ? free_bytes : 256 * MIB, npg = com / PAGE_4K;
    char *base = sys_reserve(span, 2 * MIB, "selftest-vm");
    vm_range_t *r = base ? vmk_find((uintptr_t)base) : NULL;
    if (!r)
        return kprintf("  sys_reserve(1 GiB) failed\n"), false;
    ok &= step("reserved 1 GiB: no frames, no page tables", r, 0, 0, 0);
    ok &= pt_runtime_table_pages() == pt_start;

    ok &= sys_commit(base, com) == 0;
    kprintf("  committing %lu MiB of the 1 GiB range\n", (unsigned long)(com / MIB));
    ok &= step("committed the first part", r, npg, 0, 0);

    uint64_t f0 = r->c.faults, touched = 0, nonzero = 0;
    for (uint64_t i = 0; i < npg; i += 3, touched++) {
        volatile uint64_t *p = (volatile uint64_t *)(base + i * PAGE_4K);
        if (i % 2)
            *p = i; // odd pages: first touch is a write
        else if (!page_is_zero(p)) // even pages: first touch is a read, must see zero
            nonzero++;
    }
    ok &= nonzero == 0 && r->c.faults - f0 == touched;
    kprintf("  touched %lu pages (every 3rd), %lu faults, %lu non-zero reads\n", touched,
            r->c.faults - f0, nonzero);
    ok &= step("touched every 3rd page", r, npg, touched, 0);

    uint64_t half = npg / 2, first_half = (half + 2) / 3, free_before = pg_free_count();
    ok &= sys_release(base, half * PAGE_4K, SYS_RELEASE_DONTNEED) == 0;
    ok &= pg_free_count() - free_before == first_half;
    kprintf("  dontneed freed %lu frames (expect %lu)\n", pg_free_count() - free_before,
            first_half);
    ok &= step("released the first half with dontneed", r, npg - half, touched - first_half, 0);

    uint64_t lazy = touched - first_half;
    ok &= sys_release(base + half * PAGE_4K, (npg - half) * PAGE_4K, SYS_RELEASE_FREE) == 0;
    ok &= step("released the second half with free", r, 0, lazy, lazy);

    // A read leaves a lazy page lazy; a write cancels the free (MADV_FREE).
    uint64_t probe = (half + 2) / 3 * 3; // the first touched page of the second half
    volatile uint64_t *pp = (volatile uint64_t *)(base + probe * PAGE_4K);
    uint64_t seen = *pp;
    ok &= sys_query((const void *)pp) == SYS_PAGE_LAZYFREE;
    *pp = seen + 1;
    ok &= sys_query((const void *)pp) == SYS_PAGE_RESIDENT;
    lazy--;
    ok &= step("wrote one lazily freed page: it is resident again", r, 1, lazy + 1, lazy);

    // Pressure: take all but PRESSURE_FREE frames away untouched (a balloon), then
    // touch fresh pages beyond what is left until half the lazy frames were
    // reclaimed. Each first touch reads the whole page, which must be zero: the
    // reclaimed frames held the odd pages' words. (Touching all of a 2 GiB guest's RAM would cost a host page fault
    // per frame under QEMU; a balloon creates the same shortage in milliseconds.)
    frameset_t balloon;
    if (!frameset_init(&balloon))
        return kprintf("  cannot set up the balloon\n"), false;
    frameset_take(&balloon, pg_free_count() > PRESSURE_FREE ? pg_free_count() - PRESSURE_FREE : 0);
    used0 += balloon.n;
    uint64_t free_p = pg_free_count(), want = lazy / 2, lazy0 = vmk_lazy_total();
    uint64_t rec0 = vmk_reclaimed_total();
    uint64_t pbytes = (free_p + lazy) * PAGE_4K;
    char *pb = sys_reserve(pbytes, 2 * MIB, "selftest-pressure");
    vm_range_t *pr = pb ? vmk_find((uintptr_t)pb) : NULL;
    if (!pr || sys_commit(pb, pbytes) != 0)
        return kprintf("  cannot reserve the pressure range\n"), false;
    free_p = pg_free_count(); // after the range's page tables
    uint64_t t0 = sys_nanotime(), k = 0, min_free_at_reclaim = UINT64_MAX, dirty = 0;
    while (lazy0 - vmk_lazy_total() < want && k < pbytes / PAGE_4K) {
        uint64_t rec = vmk_reclaimed_total();
        uint64_t fr = pg_free_count();
        dirty += !page_is_zero((volatile uint64_t *)(pb + k * PAGE_4K));
        ((volatile char *)pb)[k * PAGE_4K] = 1;
        if (vmk_reclaimed_total() != rec && fr < min_free_at_reclaim)
            min_free_at_reclaim = fr;
        k++;
    }
    uint64_t ns = sys_nanotime() - t0, rec = vmk_reclaimed_total() - rec0;
    kprintf("  pressure: %lu frames held by a balloon; touched %lu fresh pages (%lu KiB, "
            "free RAM was %lu KiB) in %lu us (%lu ns/fault); reclaimed %lu lazy frames, "
            "first when %lu frames were free; %lu fresh pages read non-zero\n",
            balloon.n, k, k * 4, free_p * 4, ns / 1000, k ? ns / k : 0, rec,
            min_free_at_reclaim == UINT64_MAX ? 0 : min_free_at_reclaim, dirty);
    // Beyond free RAM: the fresh pages took more frames than were free.
    ok &= rec >= want && rec == lazy0 - vmk_lazy_total() && k > free_p && dirty == 0;
    ok &= min_free_at_reclaim <= VMK_LOW_WATER;
    ok &= step("after pressure: lazy frames reclaimed, no out-of-memory", r, 1, lazy + 1 - rec,
               lazy - rec);
    ok &= vmk_check_range(pr) && pr->c.pages.resident == k;

    sys_unreserve(pb, pbytes);
    sys_unreserve(base, span);
    frameset_release(&balloon);
    // Page tables shared with ranges outside this test may stay: compare the sum.
    bool clean = pg_free_count() + pt_runtime_table_pages() == free_start + pt_start;
    kprintf("  unreserved both: free frames %lu (at start %lu), runtime page tables %lu "
            "(at start %lu) %s\n",
            pg_free_count(), free_start, pt_runtime_table_pages(), pt_start,
            clean ? "ok" : "LEAK");
    vmk_print_totals("  ");
    return ok && clean;
}

SELFTEST(oom, false) {
    uint64_t pages = pg_total() + 16 * 256; // more than RAM, nothing lazily freed
    char *p = sys_reserve(pages * PAGE_4K, 2 * MIB, "selftest-oom");
    if (!p || sys_commit(p, pages * PAGE_4K) != 0)
        return kprintf("  cannot reserve %lu pages\n", pages), false;
    kprintf("  touching %lu pages (%lu MiB) with %lu frames free: expect the out-of-memory "
            "report\n",
            pages, pages / 256, pg_free_count());
    for (uint64_t i = 0; i < pages; i++)
        ((volatile char *)p)[i * PAGE_4K] = 1;
    kprintf("  touched every page without running out of memory\n");
    return false;
}

// oomhook (not in all): the out-of-memory panic raised inside the page-fault
// handler reaches a panic hook that longjmps out (as the scenario runner does
// to end one variant); afterwards interrupts, ticks, faults and the frame
// counts must all be back to normal.
static jmp_buf oom_jump;
static char oom_msg[160];

static void oom_hook(const char *msg) {
    strncpy(oom_msg, msg, sizeof oom_msg - 1);
    longjmp(oom_jump, 1);
}

SELFTEST(oomhook, false) {
    uint64_t free0 = pg_free_count(), pages = pg_total() + 16 * 256;
    char *p = sys_reserve(pages * PAGE_4K, 2 * MIB, "selftest-oomhook");
    if (!p || sys_commit(p, pages * PAGE_4K) != 0)
        return false;
    sys_panic_hook_t old = sys_set_panic_hook(oom_hook);
    if (setjmp(oom_jump) == 0) {
        for (uint64_t i = 0; i < pages; i++)
            ((volatile char *)p)[i * PAGE_4K] = 1;
        sys_set_panic_hook(old);
        kprintf("  touched every page without running out of memory\n");
        return false;
    }
    sys_set_panic_hook(old);
    bool ok = strncmp(oom_msg, "out of memory", 13) == 0;
    kprintf("  the hook got \"%s\"\n", oom_msg);
    uint64_t t0 = clock_ticks();
    for (int i = 0; i < 5; i++)
        sys_idle();
    ok &= read_rflags_if() && clock_ticks() > t0;
    sys_unreserve(p, pages * PAGE_4K);
    ok &= pg_free_count() == free0;
    char *q = sys_reserve(64 * PAGE_4K, 0, "selftest-after-oom");
    ok &= q && sys_commit(q, 64 * PAGE_4K) == 0;
    for (int i = 0; q && i < 64; i++)
        ((volatile char *)q)[i * PAGE_4K] = 1;
    ok &= q && vmk_find((uintptr_t)q)->c.pages.resident == 64;
    if (q)
        sys_unreserve(q, 64 * PAGE_4K);
    kprintf("  after the hook: interrupts %s, ticks %s, frames free %lu (before %lu), "
            "faults work %s\n",
            read_rflags_if() ? "on" : "OFF", clock_ticks() > t0 ? "advance" : "STOPPED",
            pg_free_count(), free0, ok ? "yes" : "?");
    return ok && pg_free_count() == free0;
}
