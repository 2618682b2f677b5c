// sys_vm: the page-layer verbs of sys.h on the kernel's own page tables (states
// and invariants in kernel/vmk.h). Reserving costs no frames and no page tables;
// committing builds the page tables of the committed part and marks PTEs
// demand-zero; the first touch maps a zeroed frame (kernel/vm_fault.c); release
// unmaps at once (dontneed) or marks lazily freed (free); unreserve frees frames
// and the page-table pages that became empty. One CPU, no locks: none of these
// run from an interrupt, and the fault handler only runs on a touch.
#include <string.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "kernel/vmk.h"
#include "kernel/frames.h"
#include "sys/options.h"


static vm_space_t space;
uint64_t vmk_lazy_pages;     // lazily freed pages over all ranges (kernel/vm_fault.c too)
uint64_t vmk_reclaimed;      // frames reclaimed from lazily freed pages, ever

// Frames for runtime page tables: reclaim first, OOM report last.
static uint64_t table_frame(void) { return vmk_alloc_frame("a page-table page", 0); }

// The runtime window and the page-table allocator (see vmk.h).
void vmk_init(void) {
    vm_init(&space, PT_RUNTIME_BASE, PT_RUNTIME_END);
    pt_set_table_allocator(table_frame);
}

// Accessors: see vmk.h.
vm_range_t *vmk_find(uintptr_t addr) { return vm_find(&space, addr); }
vm_range_t *vmk_nth(size_t i) { return vm_nth(&space, i); }
uint64_t vmk_lazy_total(void) { return vmk_lazy_pages; }
uint64_t vmk_reclaimed_total(void) { return vmk_reclaimed; }
void vmk_totals(vm_counters_t *out) { vm_total(&space, out); }

// The range that holds all of [lo, hi), or NULL.
static vm_range_t *range_of(uintptr_t lo, uintptr_t hi) {
    vm_range_t *r = vm_find(&space, lo);
    if (!r || hi < lo || hi > r->base + r->npages * PAGE_4K)
        return NULL;
    return r;
}

// bytes rounded up to whole 4 KiB pages.
static size_t round_pages(size_t bytes) { return (bytes + PAGE_4K - 1) & ~(size_t)(PAGE_4K - 1); }

// sys.h: address space only (no frames, no page tables); NULL when the window
// has no room.
void *sys_reserve(size_t bytes, size_t align, const char *name) {
    vm_range_t *r = vm_reserve(&space, round_pages(bytes), align, name ? name : "?");
    return r ? (void *)r->base : NULL;
}

// Commit rounds outward, as the hosted build does: every byte asked for is usable.
int sys_commit(void *addr, size_t bytes) {
    uintptr_t lo = (uintptr_t)addr & ~(uintptr_t)(PAGE_4K - 1);
    uintptr_t hi = ((uintptr_t)addr + bytes + PAGE_4K - 1) & ~(uintptr_t)(PAGE_4K - 1);
    if (hi <= lo)
        return bytes == 0 ? 0 : -1;
    vm_range_t *r = range_of(lo, hi);
    if (!r)
        return -1;
    for (uintptr_t va = lo; va < hi; va += PAGE_4K) {
        uint64_t before = pt_runtime_table_pages();
        uint64_t *pte = pt_pte(va, true);
        r->c.pt_pages += pt_runtime_table_pages() - before;
        if (*pte == 0) {
            *pte = PTE_DEMAND;
            r->c.pages.committed++;
        } else if (*pte & PTE_LAZY) { // keeps its frame, writable again
            *pte = (*pte & ~PTE_LAZY) | PTE_W;
            invlpg((void *)va);
            r->c.pages.committed++;
            r->c.pages.lazyfree--;
            vmk_lazy_pages--;
        }
    }
    return 0;
}

// Drops the frame of a present PTE and clears it.
static void drop_frame(uint64_t *pte, uintptr_t va) {
    uint64_t pa = *pte & PTE_ADDR;
    *pte = 0;
    invlpg((void *)va);
    pg_free(pa);
}

// Moves one page to reserved (dontneed) or lazyfree (free), updating r.
static void release_page(vm_range_t *r, uint64_t *pte, uintptr_t va, sys_release_mode_t mode) {
    uint64_t e = *pte;
    if (e & PTE_DEMAND) {
        *pte = 0;
        r->c.pages.committed--;
    } else if ((e & PTE_P) && (e & PTE_LAZY)) {
        if (mode == SYS_RELEASE_DONTNEED) {
            drop_frame(pte, va);
            r->c.pages.resident--;
            r->c.pages.lazyfree--;
            vmk_lazy_pages--;
        }
    } else if (e & PTE_P) {
        r->c.pages.committed--;
        if (mode == SYS_RELEASE_DONTNEED) {
            drop_frame(pte, va);
            r->c.pages.resident--;
        } else { // read-only so that a write faults and cancels (vm_fault.c)
            *pte = (e | PTE_LAZY) & ~(PTE_W | PTE_A | PTE_D);
            invlpg((void *)va);
            r->c.pages.lazyfree++;
            vmk_lazy_pages++;
        }
    }
}

// Releases every page of [va, end) inside r; missing page tables are skipped
// 2 MiB at a time (nothing below them can be committed).
static void release_span(vm_range_t *r, uintptr_t va, uintptr_t end, sys_release_mode_t mode) {
    while (va < end) {
        uint64_t *pte = pt_pte(va, false);
        if (!pte) {
            va = (va & ~(PAGE_2M - 1)) + PAGE_2M;
            continue;
        }
        if (*pte)
            release_page(r, pte, va, mode);
        va += PAGE_4K;
    }
}

// Release rounds inward, as the hosted build does: only pages wholly inside
// [addr, addr+bytes) are released, so a neighbour's bytes are never dropped.
int sys_release(void *addr, size_t bytes, sys_release_mode_t mode) {
    if (bytes == 0)
        return 0;
    vm_range_t *r = range_of((uintptr_t)addr, (uintptr_t)addr + bytes);
    if (!r)
        return -1;
    uintptr_t lo = ((uintptr_t)addr + PAGE_4K - 1) & ~(uintptr_t)(PAGE_4K - 1);
    uintptr_t hi = ((uintptr_t)addr + bytes) & ~(uintptr_t)(PAGE_4K - 1);
    if (lo < hi)
        release_span(r, lo, hi, mode);
    return 0;
}

// sys.h: drops every frame, prunes empty page tables, frees the range. Panics
// unless [addr, addr+bytes) is exactly one reserved range.
void sys_unreserve(void *addr, size_t bytes) {
    vm_range_t *r = vm_find(&space, (uintptr_t)addr);
    if (!r || r->base != (uintptr_t)addr || round_pages(bytes) != r->npages * PAGE_4K)
        sys_panic("sys_unreserve(%p, %zu): not a whole reserved range", addr, bytes);
    uintptr_t end = r->base + r->npages * PAGE_4K;
    release_span(r, r->base, end, SYS_RELEASE_DONTNEED);
    pt_prune(r->base, end - r->base);
    vm_free(&space, r);
}

// The state of a PTE (NULL or 0: reserved).
static sys_page_state_t pte_state(const uint64_t *pte) {
    if (!pte || !*pte)
        return SYS_PAGE_RESERVED;
    if (*pte & PTE_DEMAND)
        return SYS_PAGE_COMMITTED;
    if (*pte & PTE_LAZY)
        return SYS_PAGE_LAZYFREE;
    return SYS_PAGE_RESIDENT;
}

// sys.h: the state of addr's page, from its PTE.
sys_page_state_t sys_query(const void *addr) {
    uintptr_t va = (uintptr_t)addr & ~(uintptr_t)(PAGE_4K - 1);
    if (!vm_find(&space, va))
        return SYS_PAGE_UNMAPPED;
    return pte_state(pt_pte(va, false));
}

// sys.h: the state of each page, from the page tables; a missing page table
// answers for its whole 2 MiB.
void sys_query_range(const void *addr, size_t npages, uint8_t *states) {
    uintptr_t va = (uintptr_t)addr & ~(uintptr_t)(PAGE_4K - 1);
    size_t i = 0;
    while (i < npages) {
        vm_range_t *r = vm_find(&space, va);
        if (!r) {
            states[i++] = SYS_PAGE_UNMAPPED;
            va += PAGE_4K;
            continue;
        }
        uintptr_t end = r->base + r->npages * PAGE_4K;
        while (i < npages && va < end) {
            uint64_t *pte = pt_pte(va, false);
            if (!pte) { // no page table: the whole 2 MiB is reserved only
                uintptr_t next = (va & ~(PAGE_2M - 1)) + PAGE_2M;
                for (; i < npages && va < next && va < end; va += PAGE_4K)
                    states[i++] = SYS_PAGE_RESERVED;
                continue;
            }
            states[i++] = (uint8_t)pte_state(pte);
            va += PAGE_4K;
        }
    }
}

// Adds one page of state s to c (counts nest as sys.h says).
static void tally(sys_page_counts_t *c, sys_page_state_t s) {
    if (s == SYS_PAGE_UNMAPPED)
        return;
    c->reserved++;
    if (s == SYS_PAGE_COMMITTED || s == SYS_PAGE_RESIDENT)
        c->committed++;
    if (s == SYS_PAGE_RESIDENT || s == SYS_PAGE_LAZYFREE)
        c->resident++;
    if (s == SYS_PAGE_LAZYFREE)
        c->lazyfree++;
}

// Counts from the page tables alone (see vmk.h); returns mapped frames that
// pg_ thinks are free (0 when consistent).
uint64_t vmk_walk_counts(uintptr_t addr, size_t bytes, sys_page_counts_t *out) {
    uint8_t buf[512];
    uint64_t bad = 0;
    uintptr_t va = addr & ~(uintptr_t)(PAGE_4K - 1);
    size_t n = round_pages(bytes + (addr - va)) / PAGE_4K;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof buf ? n - done : sizeof buf;
        sys_query_range((const void *)(va + done * PAGE_4K), k, buf);
        for (size_t j = 0; j < k; j++) {
            tally(out, (sys_page_state_t)buf[j]);
            if (buf[j] == SYS_PAGE_RESIDENT || buf[j] == SYS_PAGE_LAZYFREE) {
                uint64_t *pte = pt_pte(va + (done + j) * PAGE_4K, false);
                if (pg_is_free(*pte & PTE_ADDR))
                    bad++;
            }
        }
        done += k;
    }
    return bad;
}

// sys.h: counts of any span, from the page tables.
void sys_count(const void *addr, size_t bytes, sys_page_counts_t *out) {
    vmk_walk_counts((uintptr_t)addr, bytes, out);
}

// sys.h: totals of every range, from the counters (exact; vmk_check_range
// proves them against the page tables).
void sys_count_all(sys_page_counts_t *out) {
    vm_counters_t t;
    vm_total(&space, &t);
    out->reserved += t.pages.reserved;
    out->committed += t.pages.committed;
    out->resident += t.pages.resident;
    out->lazyfree += t.pages.lazyfree;
}

// sys.h: madv=free selects lazily freed release; dontneed otherwise.
sys_release_mode_t sys_default_release_mode(void) {
    const char *m = opt_str("madv");
    return m && strcmp(m, "free") == 0 ? SYS_RELEASE_FREE : SYS_RELEASE_DONTNEED;
}

// Counters against page tables for r (see vmk.h); prints any difference.
bool vmk_check_range(const vm_range_t *r) {
    sys_page_counts_t w = {0};
    uint64_t bad = vmk_walk_counts(r->base, r->npages * PAGE_4K, &w);
    const sys_page_counts_t *c = &r->c.pages;
    bool ok = bad == 0 && w.reserved == c->reserved && w.committed == c->committed &&
              w.resident == c->resident && w.lazyfree == c->lazyfree;
    if (!ok)
        kprintf("vm: range %s: page tables say reserved=%lu committed=%lu resident=%lu "
                "lazyfree=%lu, counters say %lu %lu %lu %lu, %lu mapped frames free in pg_\n",
                r->name, w.reserved, w.committed, w.resident, w.lazyfree, c->reserved,
                c->committed, c->resident, c->lazyfree, bad);
    return ok;
}

// One line with every total (see vmk.h).
void vmk_print_totals(const char *prefix) {
    vm_counters_t t;
    vm_total(&space, &t);
    kprintf("%sranges %zu: reserved %lu committed %lu resident %lu lazyfree %lu pages; "
            "faults %lu reclaimed %lu; page tables %lu runtime + %lu boot; frames total %lu "
            "free %lu used %lu reserved %lu\n",
            prefix, vm_count(&space), t.pages.reserved, t.pages.committed, t.pages.resident,
            t.pages.lazyfree, t.faults, t.reclaimed, pt_runtime_table_pages(),
            pt_boot_table_pages(), pg_total(), pg_free_count(), pg_used(), pg_reserved());
}
