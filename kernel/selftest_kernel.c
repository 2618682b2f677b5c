// selftest_kernel: the kernel's own self-tests.
//   frames  allocate every free frame (each exactly once, tracked in a bitmap;
//           one per MiB written and read back), free them all; counts return exactly
//   timer   one second of ticks against the reference clock, within 5 %
//   tickstack  the timer interrupt runs on its own IST stack, never on the
//           interrupted one (so it cannot make a goroutine's stack page resident)
//   fault   a deliberate page fault (not in all): must print the diagnostic and
//           end the run with status 35
//   kstack  a kernel stack overflow (not in all): the guard page below the stack
//           turns it into a page-fault report instead of silent corruption
//   doublefault (not in all) a page fault that cannot be delivered becomes a
//           double fault, reported from its own IST stack
#include <stdint.h>

#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/frameset.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "kernel/frames.h"
#include "sys/selftest.h"
#include "sys/sys.h"

SELFTEST(frames, true) {
    frameset_t fs;
    // Frames free plus runtime page tables: the bitmap range may leave a page
    // table behind when it shares one with another range.
    uint64_t before = pg_free_count() + pt_runtime_table_pages();
    if (!frameset_init(&fs))
        return kprintf("  cannot set up the frame bitmap\n"), false;
    uint64_t total = pg_total(), free0 = pg_free_count(), used0 = pg_used();
    uint64_t t0 = sys_nanotime();
    uint64_t n = frameset_take(&fs, UINT64_MAX);
    uint64_t t1 = sys_nanotime();
    bool ok = n == free0 && pg_free_count() == 0 && pg_used() == total && pg_alloc() == PG_NONE;
    // 32 frames spread over memory really hold data. (Only a sample: the first
    // touch of guest RAM costs QEMU's host a page fault, often a huge-page
    // allocation, per 2 MiB.)
    uint64_t stride = n / 32 ? n / 32 : 1, probed = frameset_probe(&fs, stride);
    ok = ok && probed == (n + stride - 1) / stride;
    kprintf("  allocated %lu frames (%lu MiB) in %lu ms, each once; free now %lu; "
            "wrote and read back %lu frames spread over them\n",
            n, n / 256, (t1 - t0) / 1000000, pg_free_count(), probed);
    frameset_release(&fs);
    uint64_t after = pg_free_count() + pt_runtime_table_pages();
    ok = ok && after == before && pg_total() == total;
    kprintf("  freed them in %lu ms: total %lu free %lu used %lu (with the bitmap: %lu %lu "
            "%lu); free + page tables %lu, before %lu\n",
            (sys_nanotime() - t1) / 1000000, pg_total(), pg_free_count(), pg_used(), total,
            free0, used0, after, before);
    return ok;
}

// One second of the reference: ticks, sys_nanotime and interrupts against it.
// Returns false (and *disturbed true) when a read of the reference came a whole
// counter wrap after the previous one - the PIT wraps every 55 ms, and a TCG vCPU
// descheduled longer loses that time from the reference, not from the TSC.
static bool timer_second(bool *disturbed) {
    uint64_t g0 = clock_ref_gaps();
    uint64_t r0 = clock_ref_ns(), k0 = clock_ticks(), i0 = clock_interrupts();
    uint64_t n0 = sys_nanotime(), r1;
    while ((r1 = clock_ref_ns()) - r0 < 1000000000u)
        hlt(); // every tick wakes us; the reference is read at least each ms
    uint64_t k1 = clock_ticks(), i1 = clock_interrupts(), n1 = sys_nanotime();
    uint64_t ticks = k1 - k0, irqs = i1 - i0;
    uint64_t expect = (r1 - r0) * CLOCK_HZ / 1000000000u;
    int64_t tppm = ((int64_t)ticks - (int64_t)expect) * 1000000 / (int64_t)expect;
    int64_t nppm = ((int64_t)(n1 - n0) - (int64_t)(r1 - r0)) * 1000000 / (int64_t)(r1 - r0);
    kprintf("  %s: %lu ms; ticks %lu (expect %lu, error %ld ppm); sys_nanotime %lu us "
            "(error %ld ppm); interrupts taken %lu (%lu coalesced by the host)\n",
            clock_reference(), (r1 - r0) / 1000000, ticks, expect, (long)tppm, (n1 - n0) / 1000,
            (long)nppm, irqs, ticks > irqs ? ticks - irqs : 0);
    *disturbed = clock_ref_gaps() != g0;
    // Ticks and clock within 5 %. The interrupts themselves may fall short when
    // the host deschedules a TCG vCPU, but must not outnumber the ticks by more
    // than 5 % (that would be a LAPIC timer running fast) and must arrive at all.
    return tppm > -50000 && tppm < 50000 && nppm > -50000 && nppm < 50000 &&
           irqs <= ticks + ticks / 20 + 1 && irqs >= expect / 4;
}

SELFTEST(timer, true) {
    if (!read_rflags_if())
        sti();
    if (!clock_independent_ref())
        kprintf("  no counter besides the TSC: ticks are checked against the TSC itself\n");
    for (int attempt = 1; attempt <= 5; attempt++) {
        bool disturbed;
        bool ok = timer_second(&disturbed);
        if (!disturbed)
            return ok;
        kprintf("  the %s went unread for a whole wrap of its counter (the vCPU was "
                "descheduled): measuring again\n", clock_reference());
    }
    kprintf("  five seconds in a row were disturbed: no verdict on this host\n");
    return false;
}

// The timer's IST slot pointed at a buffer of ours for a few ticks: the CPU must push
// the interrupt frames there (SS, RSP, RFLAGS, CS, RIP at the top), not on this stack.
static uint64_t tick_stack[2048] __attribute__((aligned(16)));
SELFTEST(tickstack, true) {
    for (size_t i = 0; i < sizeof tick_stack / sizeof tick_stack[0]; i++)
        tick_stack[i] = 0x5a5a5a5a5a5a5a5aull;
    bool was_on = read_rflags_if();
    cli();
    uint64_t old = gdt_swap_ist(IST_TIMER, (uint64_t)(uintptr_t)&tick_stack[2048]);
    uint64_t i0 = clock_interrupts();
    while (clock_interrupts() - i0 < 3)
        sti_hlt(); // the next interrupt wakes us, with IF set
    cli();
    gdt_swap_ist(IST_TIMER, old);
    if (was_on)
        sti();
    size_t touched = 0;
    for (size_t i = 0; i < sizeof tick_stack / sizeof tick_stack[0]; i++)
        touched += tick_stack[i] != 0x5a5a5a5a5a5a5a5aull;
    kprintf("  3 timer interrupts on the IST stack: %lu of its words written\n",
            (unsigned long)touched);
    // The top 5 words are the CPU's frame: at least those.
    return tick_stack[2047] != 0x5a5a5a5a5a5a5a5aull && touched >= 5;
}

SELFTEST(fault, false) {
    volatile uint64_t *p = (volatile uint64_t *)0xdead000ull; // nothing is mapped there
    kprintf("  touching 0x%lx, which is not mapped: expect a page-fault report\n",
            (unsigned long)(uintptr_t)p);
    *p = 42;
    kprintf("  the write did not fault\n");
    return false;
}

// Recurses with 512 bytes per frame until the kernel stack runs into its guard page.
static uint64_t recurse(uint64_t depth) {
    volatile uint8_t pad[512];
    pad[0] = (uint8_t)depth;
    if (depth > (1ull << 40)) // never true: keeps gcc from calling this infinite
        return 0;
    return recurse(depth + 1) + pad[0];
}

SELFTEST(kstack, false) {
    kprintf("  recursing until the kernel stack overflows: expect a page-fault report "
            "naming the guard page\n");
    return recurse(0) == 0;
}

SELFTEST(doublefault, false) {
    // Point the page-fault IST slot at unmapped memory: delivering the next page
    // fault faults again while pushing its frame, which the CPU turns into a
    // double fault, delivered on its own IST stack.
    kprintf("  page faults now get an unmapped stack: expect a double-fault report\n");
    gdt_swap_ist(IST_PAGE_FAULT, 0xdead0000ull);
    *(volatile uint64_t *)0xbad000ull = 1;
    kprintf("  no double fault\n");
    return false;
}
