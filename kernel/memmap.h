// memmap: our copy of the UEFI memory map and what each type means to us: usable
// at once, reclaimable once the kernel runs on its own tables, needed by the
// firmware at runtime, or never ours. Feeds the frame allocator and paging.
#ifndef SPANLAB_KERNEL_MEMMAP_H
#define SPANLAB_KERNEL_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/bootinfo.h"

#define EFI_MEMORY_RUNTIME (1ull << 63)
#define EFI_MEMORY_WB (1ull << 3)

// Copies the loader's map (still identity-mapped) into the kernel. Panics when
// it does not fit or is malformed.
void memmap_copy(void);

int memmap_count(void);
const struct boot_memory_descriptor *memmap_entry(int i);
const char *memmap_type_name(uint32_t type);

// Types the kernel may use from its first instruction (free conventional RAM).
bool memmap_usable_at_entry(uint32_t type);
// Types that become free once the kernel no longer needs the loader's data:
// loader code/data, boot-services code/data, spanlab boot data.
bool memmap_reclaimable(uint32_t type);
// Regions the UEFI runtime needs mapped (runtime code/data, EFI_MEMORY_RUNTIME).
bool memmap_runtime(const struct boot_memory_descriptor *d);

// The highest physical address (exclusive) of any entry.
uint64_t memmap_top(void);

// Phase 1: sets up pg_ over the frames usable at entry; the bitmap lives in
// conventional memory (identity-mapped for now). Right after pt_init,
// memmap_frames_remap moves the bitmap to the direct map (frames can be
// allocated again). Phase 2: adds every reclaimable frame. Both phases return
// the frames added.
uint64_t memmap_frames_init(void);
void memmap_frames_remap(void);
uint64_t memmap_reclaim(void);

// Totals for the banner, in 4 KiB pages: free at boot + reclaimed, firmware and
// other reserved RAM (write-back cacheable: device windows such as PCIe ECAM are
// not memory), the kernel image.
void memmap_summary(uint64_t *usable, uint64_t *reserved, uint64_t *kernel);

#endif
