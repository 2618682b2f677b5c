// pt_: builds and edits the kernel's 4-level page tables (layout in paging.h).
// Before pt_init the loader's tables identity-map physical memory, so a table at
// physical address pa is reached at pa; afterwards at PT_DIRECT_MAP + pa.
// Page-table pages come from pg_ (boot) or from the vm layer's allocator (after
// pt_set_table_allocator), which may reclaim lazily freed frames first.
#include "kernel/paging.h"

#include <string.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/memmap.h"
#include "kernel/frames.h"
#include "sys/sys.h"

#define TABLE_FLAGS (PTE_P | PTE_W) // intermediate entries: the leaf decides

extern const char __kernel_start[], __kernel_end[], __text_start[], __text_end[];
extern const char __rodata_start[], __rodata_end[];
extern const char kstack_guard[];

static uint64_t phys_offset; // 0 = identity (loader's tables), then PT_DIRECT_MAP
static uint64_t *kpml4;
static uint64_t kpml4_pa;
static uint64_t boot_tables, runtime_tables;
static uint64_t direct_top, mmio_used;
uint64_t pte_nx;

// Boot-time table frames: pg_alloc or a clear panic.
static uint64_t boot_table_alloc(void) {
    uint64_t pa = pg_alloc();
    if (pa == PG_NONE)
        sys_panic("paging: out of frames while building the kernel's page tables");
    return pa;
}
static uint64_t (*table_alloc)(void) = boot_table_alloc;

// Accessors: see paging.h.
void pt_set_table_allocator(uint64_t (*alloc)(void)) { table_alloc = alloc; }
uint64_t pt_runtime_table_pages(void) { return runtime_tables; }
uint64_t pt_boot_table_pages(void) { return boot_tables; }

void *pt_phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)(pa + phys_offset); }
uint64_t pt_direct_top(void) { return direct_top; }

// The table an intermediate entry points to.
static uint64_t *table_at(uint64_t entry) { return pt_phys_to_virt(entry & PTE_ADDR); }

// The index of va in a level-`level` table (4 = PML4 ... 1 = PT).
static unsigned idx(uint64_t va, int level) { return (va >> (12 + 9 * (level - 1))) & 511; }

// Allocates and zeroes a table page; counts it as boot or runtime.
static uint64_t new_table(bool runtime) {
    uint64_t pa = table_alloc();
    memset(pt_phys_to_virt(pa), 0, PAGE_4K);
    if (runtime)
        runtime_tables++;
    else
        boot_tables++;
    return pa;
}

// Returns the entry for va at level (1 = PT, 2 = PD, 3 = PDPT) in tables rooted
// at pml4, creating missing tables on the way when create; NULL when missing.
// Panics on a large page above the wanted level.
static uint64_t *walk(uint64_t *pml4, uint64_t va, int level, bool create, bool runtime) {
    uint64_t *table = pml4;
    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[idx(va, l)];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            *e = new_table(runtime) | TABLE_FLAGS;
        } else if (*e & PTE_PS) {
            sys_panic("paging: 0x%llx lies in a large page at level %d",
                      (unsigned long long)va, l);
        }
        table = table_at(*e);
    }
    return &table[idx(va, level)];
}

// The 4 KiB PTE of va (see paging.h); tables created for the runtime window count
// as runtime tables, others (kernel-private windows such as the screen's) as kernel.
uint64_t *pt_pte(uint64_t va, bool create) {
    return walk(kpml4, va, 1, create, va >= PT_RUNTIME_BASE && va < PT_RUNTIME_END);
}

// Looks va up in the tables rooted at pml4: the final entry and its page size.
static uint64_t lookup(const uint64_t *pml4, uint64_t va, uint64_t *size) {
    const uint64_t *table = pml4;
    for (int l = 4; l >= 1; l--) {
        uint64_t e = table[idx(va, l)];
        if (!(e & PTE_P))
            return 0;
        if (l == 1 || (l <= 3 && (e & PTE_PS))) {
            *size = 1ull << (12 + 9 * (l - 1));
            return e;
        }
        table = table_at(e);
    }
    return 0;
}

// The physical address va maps to in the live tables, or UINT64_MAX.
uint64_t pt_translate(uint64_t va) {
    uint64_t size = 0;
    const uint64_t *root = kpml4 ? kpml4 : pt_phys_to_virt(read_cr3() & PTE_ADDR);
    uint64_t e = lookup(root, va, &size);
    if (!e)
        return UINT64_MAX;
    return (e & PTE_ADDR & ~(size - 1)) + (va & (size - 1));
}

// True when va is canonical and mapped (backtraces check frames with it).
bool pt_readable(uint64_t va) {
    // Canonical addresses only: bits 63..47 all equal.
    uint64_t top = va >> 47;
    if (top != 0 && top != 0x1ffff)
        return false;
    return pt_translate(va) != UINT64_MAX;
}

// Maps the kernel image page by page with its section's rights; the physical
// pages are wherever the loader put them (read from its tables).
static void map_kernel(const uint64_t *loader_pml4) {
    for (uint64_t va = (uint64_t)(uintptr_t)__kernel_start; va < (uint64_t)(uintptr_t)__kernel_end;
         va += PAGE_4K) {
        uint64_t size = 0, e = lookup(loader_pml4, va, &size);
        if (!e)
            sys_panic("paging: the loader did not map kernel page 0x%llx", (unsigned long long)va);
        uint64_t pa = (e & PTE_ADDR & ~(size - 1)) + (va & (size - 1));
        if (va == (uint64_t)(uintptr_t)kstack_guard)
            continue; // the kernel stack's guard page stays unmapped
        uint64_t flags = PTE_P | PTE_G;
        if (va >= (uint64_t)(uintptr_t)__text_start && va < (uint64_t)(uintptr_t)__text_end)
            ; // read + execute
        else if (va >= (uint64_t)(uintptr_t)__rodata_start && va < (uint64_t)(uintptr_t)__rodata_end)
            flags |= pte_nx;
        else
            flags |= PTE_W | pte_nx;
        *walk(kpml4, va, 1, true, false) = pa | flags;
    }
}

// Maps all physical memory [0, top) at PT_DIRECT_MAP, with 1 GiB pages when the
// CPU has them, else 2 MiB pages.
static void map_direct(uint64_t top) {
    bool gib = cpu_has(CPU_GIB_PAGES);
    for (uint64_t pa = 0; pa < top; pa += gib ? PAGE_1G : PAGE_2M) {
        uint64_t va = PT_DIRECT_MAP + pa;
        uint64_t leaf = pa | PTE_P | PTE_W | PTE_PS | pte_nx | PTE_G;
        *walk(kpml4, va, gib ? 3 : 2, true, false) = leaf;
    }
    direct_top = top;
}

volatile void *pt_map_mmio(uint64_t pa, uint64_t bytes) {
    uint64_t first = pa & ~(PAGE_4K - 1), end = (pa + bytes + PAGE_4K - 1) & ~(PAGE_4K - 1);
    if (mmio_used + (end - first) > PT_MMIO_BYTES)
        sys_panic("paging: the MMIO window is full (0x%llx bytes at 0x%llx)",
                  (unsigned long long)bytes, (unsigned long long)pa);
    uint64_t va = PT_MMIO_BASE + mmio_used;
    for (uint64_t p = first; p < end; p += PAGE_4K)
        *walk(kpml4, va + (p - first), 1, true, false) = p | PTE_P | PTE_W | PTE_PCD | PTE_PWT |
                                                         pte_nx;
    mmio_used += end - first;
    return (volatile void *)(uintptr_t)(va + (pa - first));
}

// Identity-maps every region the UEFI runtime needs (code executable).
static void map_runtime(void) {
    for (int i = 0; i < memmap_count(); i++) {
        const struct boot_memory_descriptor *d = memmap_entry(i);
        if (!memmap_runtime(d))
            continue;
        for (uint64_t k = 0; k < d->number_of_pages; k++) {
            uint64_t pa = d->physical_start + k * PAGE_4K;
            if (pa == 0)
                continue; // keep NULL unmapped
            *walk(kpml4, pa, 1, true, false) = pa | PTE_P | PTE_W;
        }
    }
}

// Builds the kernel's tables (kernel image, direct map, runtime identity maps),
// enables NX (when the CPU has it) and write protection, switches CR3. Panics
// when out of frames.
void pt_init(void) {
    const uint64_t *loader = (const uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR);
    if (cpu_has(CPU_NX)) {
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
        pte_nx = PTE_NX_BIT;
    }
    kpml4_pa = new_table(false);
    kpml4 = pt_phys_to_virt(kpml4_pa);
    map_kernel(loader);
    uint64_t top = memmap_top();
    uint64_t fb_end = kboot.fb.base + kboot.fb.size;
    if (fb_end > top)
        top = fb_end;
    if (top < (4ull << 30))
        top = 4ull << 30; // LAPIC, IOAPIC and other MMIO below 4 GiB
    top = (top + PAGE_1G - 1) & ~(PAGE_1G - 1);
    map_direct(top);
    map_runtime();
    write_cr0(read_cr0() | CR0_WP); // kernel writes obey read-only PTEs (lazyfree)
    write_cr3(kpml4_pa);
    // Toggling PGE flushes global TLB entries the loader's tables may have left
    // (CR3 alone keeps them), then turns global pages on for our own.
    if (cpu_has(CPU_PGE)) {
        write_cr4(read_cr4() & ~(uint64_t)CR4_PGE);
        write_cr4(read_cr4() | CR4_PGE);
    }
    phys_offset = PT_DIRECT_MAP;
    kpml4 = pt_phys_to_virt(kpml4_pa);
}

// True when every entry of the table page is zero.
static bool table_empty(const uint64_t *t) {
    for (int i = 0; i < 512; i++)
        if (t[i])
            return false;
    return true;
}

// Frees empty tables below entry e (a level-`level` entry) covering [lo, hi),
// then e's own table when it became empty. Returns pages freed.
static uint64_t prune(uint64_t *e, int level, uint64_t base, uint64_t lo, uint64_t hi) {
    if (!(*e & PTE_P) || (*e & PTE_PS))
        return 0;
    uint64_t *t = table_at(*e), freed = 0;
    if (level > 2) {
        uint64_t span = 1ull << (12 + 9 * (level - 2)); // bytes under one child entry
        for (int i = 0; i < 512; i++) {
            uint64_t cb = base + (uint64_t)i * span;
            if (cb + span <= lo || cb >= hi)
                continue;
            freed += prune(&t[i], level - 1, cb, lo, hi);
        }
    }
    if (table_empty(t)) {
        pg_free(*e & PTE_ADDR);
        *e = 0;
        runtime_tables--;
        freed++;
    }
    return freed;
}

// Frees empty runtime page tables in [va, va+bytes); returns how many. Panics
// outside the runtime window.
uint64_t pt_prune(uint64_t va, uint64_t bytes) {
    if (va < PT_RUNTIME_BASE || va + bytes > PT_RUNTIME_END)
        sys_panic("pt_prune: [0x%llx, +0x%llx) is outside the runtime window",
                  (unsigned long long)va, (unsigned long long)bytes);
    uint64_t freed = 0, span = 1ull << 39;
    for (uint64_t b = va & ~(span - 1); b < va + bytes; b += span)
        freed += prune(&kpml4[idx(b, 4)], 4, b, va, va + bytes);
    if (freed)
        write_cr3(kpml4_pa); // drop paging-structure caches of the freed tables
    return freed;
}
