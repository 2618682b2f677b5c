// pt_: the kernel's own 4-level page tables. Layout of the address space:
//   0 .. 4 KiB                       never mapped (NULL dereferences fault)
//   UEFI runtime regions             identity-mapped (ResetSystem runs there)
//   PT_RUNTIME_BASE .. _END          the runtime's reserved ranges (sys_reserve)
//   0xffff800000000000               direct map of all physical memory (2 MiB or
//                                    1 GiB pages, RW, NX)
//   0xffffd00000000000               device registers, uncached (pt_map_mmio)
//   0xffffffff80200000               the kernel image, 4 KiB pages: text RX,
//                                    rodata R NX, data and bss RW NX
// Software bits in a 4 KiB PTE (ignored by the MMU):
//   PTE_DEMAND  not present, committed: the fault handler maps a zeroed frame
//   PTE_LAZY    present, read-only, lazily freed: a write fault cancels it
#ifndef SPANLAB_KERNEL_PAGING_H
#define SPANLAB_KERNEL_PAGING_H

#include <stdbool.h>
#include <stdint.h>

// The page sizes of x86-64 paging: a PTE maps 4 KiB, a PDE with PTE_PS 2 MiB and a
// PDPTE with PTE_PS 1 GiB.
#define PAGE_4K 4096ull
#define PAGE_2M (2ull << 20)
#define PAGE_1G (1ull << 30)

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_DEMAND (1ull << 9)
#define PTE_LAZY (1ull << 10)
#define PTE_NX_BIT (1ull << 63)
// The no-execute bit to put in a PTE: PTE_NX_BIT when the CPU has NX (set by
// pt_init), else 0 (the bit would be reserved and fault).
extern uint64_t pte_nx;
#define PTE_ADDR 0x000ffffffffff000ull

#define PT_DIRECT_MAP 0xffff800000000000ull
// Device registers, uncached (PML4 slot 416; fbcon's windows are at 384 and 400).
#define PT_MMIO_BASE 0xffffd00000000000ull
#define PT_MMIO_BYTES (64ull << 20)
// The runtime's address space: Go's heap arenas start at 0xc000000000
// (runtime/malloc.go, arena hints), so spanlab's addresses look like Go's.
#define PT_RUNTIME_BASE 0x000000c000000000ull
#define PT_RUNTIME_END 0x00007f0000000000ull

// Builds the kernel's tables from the memory map and switches CR3 to them.
// Needs pg_ initialised (page-table pages come from it).
void pt_init(void);

// Physical -> virtual: identity before pt_init, the direct map after.
void *pt_phys_to_virt(uint64_t pa);
// The end of the direct map: physical addresses from here on are not mapped.
uint64_t pt_direct_top(void);

// Maps device registers [pa, pa + bytes) uncached (PCD|PWT, 4 KiB pages) in the
// kernel's MMIO window and returns the address of pa. The LAPIC and the HPET
// live there: the direct map is write-back, which device registers must not be.
// Panics when the window (PT_MMIO_BYTES) is full.
volatile void *pt_map_mmio(uint64_t pa, uint64_t bytes);

// The PTE of the 4 KiB page holding va in the live tables. With create, missing
// tables are allocated (through pt_set_table_allocator's function) and zeroed;
// without, returns NULL when a table is missing. Panics when va lies inside a
// 2 MiB or 1 GiB mapping (those belong to the direct map, not to 4 KiB pages).
uint64_t *pt_pte(uint64_t va, bool create);

// Frees the page-table pages (PT, PD, PDPT) of the runtime window whose every
// entry is zero, within [va, va+bytes). Returns how many pages were freed.
uint64_t pt_prune(uint64_t va, uint64_t bytes);

// Where new page-table pages come from after boot (the vm layer's allocator,
// which reclaims lazily freed frames and reports OOM). Returns a physical address.
void pt_set_table_allocator(uint64_t (*alloc)(void));

// Page-table pages of the runtime window, live now.
uint64_t pt_runtime_table_pages(void);
// Every other page-table page: built by pt_init (kernel image, direct map,
// identity maps) or later for kernel-private windows (pt_pte outside the window).
uint64_t pt_boot_table_pages(void);

// True when va can be read without a fault (present at every level).
bool pt_readable(uint64_t va);

// Translates va through the live tables: the physical address, or UINT64_MAX.
uint64_t pt_translate(uint64_t va);

#endif
