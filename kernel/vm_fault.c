// vm_fault: the page-fault half of the page layer. A not-present fault on a
// demand-zero PTE maps a zeroed frame; a write fault on a lazily freed page makes
// it resident and writable again (MADV_FREE semantics: a write cancels the free).
// Everything else is a real fault, described for the exception report.
// Frames come from vmk_alloc_frame: when free frames run low it reclaims lazily
// freed frames first (lowest address first); with none left
// it prints the out-of-memory report and panics ("out of memory: ..."), which
// ends the run, or only the scenario variant when the runner's hook takes it.
#include <stdio.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "kernel/vmk.h"
#include "kernel/frames.h"


extern uint64_t vmk_lazy_pages, vmk_reclaimed;

// Reclaims up to want lazily freed frames; returns how many it reclaimed.
static uint64_t reclaim(uint64_t want) {
    // LAB 1 BEGIN: reclaim: take frames back from lazily freed pages, lowest address first
    uint64_t got = 0;
    for (size_t i = 0; got < want && vmk_lazy_pages > 0; i++) {
        vm_range_t *r = vmk_nth(i);
        if (!r)
            break;
        uintptr_t va = r->base, end = r->base + r->npages * PAGE_4K;
        while (got < want && r->c.pages.lazyfree > 0 && va < end) {
            uint64_t *pte = pt_pte(va, false);
            if (!pte) {
                va = (va & ~(PAGE_2M - 1)) + PAGE_2M;
                continue;
            }
            if ((*pte & PTE_P) && (*pte & PTE_LAZY)) {
                uint64_t pa = *pte & PTE_ADDR;
                *pte = 0; // back to reserved, as if released with dontneed
                invlpg((void *)va);
                pg_free(pa);
                r->c.pages.resident--;
                r->c.pages.lazyfree--;
                r->c.reclaimed++;
                vmk_lazy_pages--;
                vmk_reclaimed++;
                got++;
            }
            va += PAGE_4K;
        }
    }
    return got;
    // LAB 1 STUB
    // (void)want;
    // return 0; // stub: nothing is reclaimed, so low memory ends in out of memory
    // LAB 1 END
}

// Prints the out-of-memory report and ends the run.
static _Noreturn void out_of_memory(const char *what, uintptr_t addr) {
    vm_range_t *r = addr ? vmk_find(addr) : NULL;
    kprintf("\nOUT OF MEMORY: %s", what);
    if (addr)
        kprintf(" at 0x%lx", (unsigned long)addr);
    if (r)
        kprintf(" in range \"%s\"", r->name);
    kprintf(" needs 1 frame (4 KiB); none is free and no lazily freed frame is left\n");
    kprintf("  frames: total %lu (%lu MiB), free %lu, used %lu, firmware-reserved %lu\n",
            pg_total(), pg_total() / 256, pg_free_count(), pg_used(), pg_reserved());
    vmk_print_totals("  page layer: ");
    if (r)
        kprintf("  range \"%s\": reserved %lu committed %lu resident %lu lazyfree %lu pages, "
                "faults %lu, page tables %lu\n",
                r->name, r->c.pages.reserved, r->c.pages.committed, r->c.pages.resident,
                r->c.pages.lazyfree, r->c.faults, r->c.pt_pages);
    // The runner's panic hook recognises "out of memory" (the variant's outcome).
    sys_panic("out of memory: %s at 0x%lx%s%s%s", what, (unsigned long)addr,
              r ? " in range \"" : "", r ? r->name : "", r ? "\"" : "");
}

// A frame for what (see vmk.h): reclaim below the low-water mark, then pg_alloc;
// out of memory when neither yields one.
uint64_t vmk_alloc_frame(const char *what, uintptr_t addr) {
    for (;;) {
        uint64_t got = 0;
        if (pg_free_count() <= VMK_LOW_WATER && vmk_lazy_pages > 0)
            got = reclaim(VMK_RECLAIM_BATCH);
        uint64_t pa = pg_alloc();
        if (pa != PG_NONE)
            return pa;
        if (vmk_lazy_pages == 0 || got == 0) // got == 0: the lazy count is wrong
            out_of_memory(what, addr);
    }
}

// Describes a real fault at addr into why.
static void describe(uintptr_t addr, uint64_t error, char *why, unsigned long len) {
    vm_range_t *r = vmk_find(addr);
    // rt's explainer may touch committed pages for the first time: a nested fault
    // must push below our frames, not at the top of the IST stack we are using.
    uint64_t here = (uint64_t)(uintptr_t)__builtin_frame_address(0);
    uint64_t old_ist = gdt_swap_ist(IST_PAGE_FAULT, (here - 4096) & ~15ull);
    const char *expl = sys_kernel_explain_fault(addr);
    gdt_swap_ist(IST_PAGE_FAULT, old_ist);
    int n;
    extern const char kstack_guard[];
    uintptr_t guard = (uintptr_t)kstack_guard;
    if (addr >= guard && addr < guard + PAGE_4K) {
        n = snprintf(why, len, "0x%lx is the kernel stack's guard page: kernel stack overflow",
                     (unsigned long)addr);
    } else if (!r) {
        n = snprintf(why, len, "0x%lx is outside every reserved range", (unsigned long)addr);
    } else {
        sys_page_state_t s = sys_query((const void *)addr);
        static const char *const st[] = {"unmapped", "reserved but not committed", "committed",
                                         "resident", "lazily freed"};
        n = snprintf(why, len, "0x%lx is %s in range \"%s\" [0x%lx, +%zu KiB)%s",
                     (unsigned long)addr, st[s], r->name, (unsigned long)r->base, r->npages * 4,
                     (error & PF_PROTECTION) ? " (protection violation)" : "");
    }
    if (expl && n > 0 && (unsigned long)n < len)
        snprintf(why + n, len - (unsigned long)n, "; %s", expl);
}

bool vmk_page_fault(uint64_t addr, uint64_t error, char *why, unsigned long why_len) {
    uintptr_t va = addr & ~(uintptr_t)(PAGE_4K - 1);
    vm_range_t *r = vmk_find(addr);
    uint64_t *pte = r ? pt_pte(va, false) : NULL;
    // LAB 1 BEGIN: the demand-zero fault: a committed page's first touch gets a zeroed frame
    if (r && pte && !(error & PF_PROTECTION) && (*pte & PTE_DEMAND)) {
        uint64_t pa = vmk_alloc_frame("first touch of a committed page", addr);
        memset(pt_phys_to_virt(pa), 0, PAGE_4K);
        *pte = pa | PTE_P | PTE_W | pte_nx;
        r->c.pages.resident++;
        r->c.faults++;
        return true;
    }
    // LAB 1 STUB
    // // Stub: maps a zeroed frame, executable (no NX bit), and counts nothing: the memory
    // // works, the page layer's books are wrong.
    // if (r && pte && !(error & PF_PROTECTION) && *pte == PTE_DEMAND) {
    //     uint64_t frame = vmk_alloc_frame("stub fault", addr);
    //     memset(pt_phys_to_virt(frame), 0, PAGE_4K);
    //     *pte = frame | PTE_P | PTE_W;
    //     return true;
    // }
    // LAB 1 END
    if (r && pte && (error & 3) == 3 && (*pte & PTE_P) && (*pte & PTE_LAZY)) {
        *pte = (*pte & ~PTE_LAZY) | PTE_W;
        invlpg((void *)va);
        r->c.pages.committed++;
        r->c.pages.lazyfree--;
        vmk_lazy_pages--;
        return true;
    }
    describe(addr, error, why, why_len);
    return false;
}
