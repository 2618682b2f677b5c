// The page tables the kernel starts on (see the contract in boot/bootinfo.h):
// identity map of the low 4 GiB (LAPIC, IOAPIC, PCI holes included) and of every
// memory-map range above, with 2 MiB pages; the framebuffer; and the kernel's
// link addresses onto its physical block with 4 KiB pages. Everything is
// present, writable and executable: the kernel builds its own tables at once.
// Table pages are SPANLAB_MEM_BOOTDATA, so the kernel knows not to reuse them
// while it still runs on them.
#include "boot/loader.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull
#define LOW_IDENTITY (4ull << 30)
#define CANONICAL_LOW_END (1ull << 47)

// Returns a zeroed page-table page, or NULL when out of memory.
static UINT64 *new_table(void)
{
    return (UINT64 *)boot_alloc_pages(1, SPANLAB_MEM_BOOTDATA);
}

// Returns the table entry e points to, creating it; NULL when out of memory.
static UINT64 *next_level(UINT64 *e)
{
    if (!(*e & PTE_P)) {
        UINT64 *t = new_table();
        if (!t)
            return NULL;
        *e = (UINT64)t | PTE_P | PTE_RW;
    }
    return (UINT64 *)(*e & PTE_ADDR);
}

// Returns the page-directory entry for va, creating the upper levels.
static UINT64 *pd_entry(UINT64 *pml4, UINT64 va)
{
    UINT64 *pdpt = next_level(&pml4[(va >> 39) & 511]);
    if (!pdpt)
        return NULL;
    UINT64 *pd = next_level(&pdpt[(va >> 30) & 511]);
    return pd ? &pd[(va >> 21) & 511] : NULL;
}

// Identity-maps [start, end) rounded out to 2 MiB; FALSE when out of memory.
static BOOLEAN identity_map(UINT64 *pml4, UINT64 start, UINT64 end)
{
    if (end > CANONICAL_LOW_END)
        end = CANONICAL_LOW_END; // beyond 128 TiB: no identity address exists
    for (UINT64 a = start & ~(BOOT_2M - 1); a < end; a += BOOT_2M) {
        UINT64 *pde = pd_entry(pml4, a);
        if (!pde)
            return FALSE;
        if (!(*pde & PTE_P))
            *pde = a | PTE_P | PTE_RW | PTE_PS;
    }
    return TRUE;
}

// Maps the kernel's link addresses onto its block with 4 KiB pages.
static BOOLEAN map_kernel(UINT64 *pml4, const struct boot_kernel *k)
{
    for (UINT64 off = 0; off < k->size; off += BOOT_PAGE) {
        UINT64 va = k->virt_base + off;
        UINT64 *pde = pd_entry(pml4, va);
        if (!pde)
            return FALSE;
        UINT64 *pt = next_level(pde);
        if (!pt)
            return FALSE;
        pt[(va >> 12) & 511] = (k->phys_base + off) | PTE_P | PTE_RW;
    }
    return TRUE;
}

// Builds the tables and returns their root in *cr3.
EFI_STATUS boot_build_page_tables(const struct boot_kernel *k, const struct boot_framebuffer *fb,
                                  UINT64 *cr3)
{
    UINT64 cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    if (cr4 & (1ull << 12)) // LA57: the firmware runs 5-level paging
        return boot_fail(EFI_UNSUPPORTED, L"the firmware uses 5-level paging; spanlab "
                                          L"builds 4-level tables");
    UINTN entries, key, dsize;
    UINT32 dver;
    EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&entries, &key, &dsize, &dver);
    if (!map)
        return boot_fail(EFI_OUT_OF_RESOURCES, L"cannot read the memory map");
    UINT64 *pml4 = new_table();
    BOOLEAN ok = pml4 && identity_map(pml4, 0, LOW_IDENTITY);
    for (UINTN i = 0; ok && i < entries; i++) {
        EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)((char *)map + i * dsize);
        ok = identity_map(pml4, d->PhysicalStart,
                          d->PhysicalStart + d->NumberOfPages * BOOT_PAGE);
    }
    FreePool(map);
    if (ok && fb->base)
        ok = identity_map(pml4, fb->base, fb->base + fb->size);
    if (ok)
        ok = map_kernel(pml4, k);
    if (!ok)
        return boot_fail(EFI_OUT_OF_RESOURCES, L"no memory for the page tables");
    *cr3 = (UINT64)pml4;
    return EFI_SUCCESS;
}
