// memmap: the UEFI memory map as the kernel sees it (see memmap.h). The frame
// bitmap is carved from the first conventional region large enough for it; the
// frames it occupies are never added to the allocator (counted as kernel data).
#include "kernel/memmap.h"

#include <string.h>

#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "kernel/frames.h"
#include "sys/sys.h"

#define MAP_MAX_BYTES 65536

static uint8_t map[MAP_MAX_BYTES] __attribute__((aligned(8)));
static uint64_t map_size, desc_size;
static uint64_t meta_pa, meta_frames;

enum {
    EFI_RESERVED = 0, EFI_LOADER_CODE, EFI_LOADER_DATA, EFI_BS_CODE, EFI_BS_DATA,
    EFI_RT_CODE, EFI_RT_DATA, EFI_CONVENTIONAL, EFI_UNUSABLE, EFI_ACPI_RECLAIM,
    EFI_ACPI_NVS, EFI_MMIO, EFI_MMIO_PORT, EFI_PAL_CODE, EFI_PERSISTENT,
};

// Copies the loader's memory map (see memmap.h); panics when malformed.
void memmap_copy(void) {
    if (kboot.memory_desc_size < sizeof(struct boot_memory_descriptor) ||
        kboot.memory_map_size > MAP_MAX_BYTES || kboot.memory_map == 0)
        sys_panic("memmap: malformed memory map (size %llu, descriptor %llu)",
                  (unsigned long long)kboot.memory_map_size,
                  (unsigned long long)kboot.memory_desc_size);
    memcpy(map, (const void *)(uintptr_t)kboot.memory_map, kboot.memory_map_size);
    map_size = kboot.memory_map_size;
    desc_size = kboot.memory_desc_size;
}

// The number of descriptors.
int memmap_count(void) { return (int)(map_size / desc_size); }

// Descriptor i (step by the firmware's descriptor size, not sizeof).
const struct boot_memory_descriptor *memmap_entry(int i) {
    return (const struct boot_memory_descriptor *)(map + (uint64_t)i * desc_size);
}

// A short name for an EFI memory type (ours included), for the verbose map.
const char *memmap_type_name(uint32_t type) {
    static const char *const names[] = {
        "reserved", "loader code", "loader data", "boot code", "boot data",
        "runtime code", "runtime data", "conventional", "unusable", "ACPI reclaim",
        "ACPI NVS", "MMIO", "MMIO port", "PAL code", "persistent",
    };
    if (type < sizeof names / sizeof names[0])
        return names[type];
    if (type == SPANLAB_MEM_KERNEL)
        return "spanlab kernel";
    if (type == SPANLAB_MEM_BOOTDATA)
        return "spanlab boot data";
    return "other";
}

// Classification of memory types: see memmap.h.
bool memmap_usable_at_entry(uint32_t type) { return type == EFI_CONVENTIONAL; }

bool memmap_reclaimable(uint32_t type) {
    return type == EFI_LOADER_CODE || type == EFI_LOADER_DATA || type == EFI_BS_CODE ||
           type == EFI_BS_DATA || type == SPANLAB_MEM_BOOTDATA;
}

bool memmap_runtime(const struct boot_memory_descriptor *d) {
    return d->type == EFI_RT_CODE || d->type == EFI_RT_DATA || (d->attribute & EFI_MEMORY_RUNTIME);
}

// The first physical address after descriptor d.
static uint64_t entry_end(const struct boot_memory_descriptor *d) {
    return d->physical_start + d->number_of_pages * PG_FRAME_SIZE;
}

// The end of the highest descriptor: how far the direct map must reach.
uint64_t memmap_top(void) {
    uint64_t top = 0;
    for (int i = 0; i < memmap_count(); i++)
        if (entry_end(memmap_entry(i)) > top)
            top = entry_end(memmap_entry(i));
    return top;
}

// Adds [start, end) to pg_ minus frame 0 (NULL stays unusable), the bitmap and
// the kernel image (in case the loader typed it as plain loader data).
static uint64_t add_range(uint64_t start, uint64_t end) {
    uint64_t added = 0;
    uint64_t holes[3][2] = {{0, PG_FRAME_SIZE},
                            {meta_pa, meta_pa + meta_frames * PG_FRAME_SIZE},
                            {kboot.kernel_phys_base, kboot.kernel_phys_base + kboot.kernel_size}};
    uint64_t s = start;
    while (s < end) {
        uint64_t e = end;
        bool skipped = false;
        for (int h = 0; h < 3; h++) {
            if (holes[h][0] <= s && s < holes[h][1]) { // s inside a hole: skip it
                s = holes[h][1];
                skipped = true;
                break;
            }
            if (s < holes[h][0] && holes[h][0] < e)
                e = holes[h][0];
        }
        if (skipped)
            continue;
        if (e > end)
            e = end;
        pg_add(s, (e - s) / PG_FRAME_SIZE);
        added += (e - s) / PG_FRAME_SIZE;
        s = e;
    }
    return added;
}

// Phase 1 (see memmap.h): bitmap in the first conventional region that holds
// it, every conventional frame added. Returns frames added; panics without room.
uint64_t memmap_frames_init(void) {
    uint64_t top = 0;
    for (int i = 0; i < memmap_count(); i++) {
        const struct boot_memory_descriptor *d = memmap_entry(i);
        if ((memmap_usable_at_entry(d->type) || memmap_reclaimable(d->type)) && entry_end(d) > top)
            top = entry_end(d);
    }
    uint64_t nframes = top / PG_FRAME_SIZE;
    meta_frames = (pg_meta_bytes(nframes) + PG_FRAME_SIZE - 1) / PG_FRAME_SIZE;
    meta_pa = 0;
    for (int i = 0; i < memmap_count() && !meta_pa; i++) {
        const struct boot_memory_descriptor *d = memmap_entry(i);
        uint64_t start = d->physical_start ? d->physical_start : PG_FRAME_SIZE;
        if (memmap_usable_at_entry(d->type) && entry_end(d) >= start + meta_frames * PG_FRAME_SIZE)
            meta_pa = start;
    }
    if (!meta_pa)
        sys_panic("memmap: no conventional region holds the %llu-frame bitmap",
                  (unsigned long long)meta_frames);
    pg_init((void *)(uintptr_t)meta_pa, nframes); // identity-mapped by the loader
    uint64_t added = 0;
    for (int i = 0; i < memmap_count(); i++) {
        const struct boot_memory_descriptor *d = memmap_entry(i);
        if (memmap_usable_at_entry(d->type))
            added += add_range(d->physical_start, entry_end(d));
    }
    return added;
}

// The bitmap through the direct map (see memmap.h).
void memmap_frames_remap(void) { pg_move_meta(pt_phys_to_virt(meta_pa)); }

// Phase 2 (see memmap.h): loader and boot-services frames added, reserved RAM
// noted. Returns frames added.
uint64_t memmap_reclaim(void) {
    uint64_t added = 0;
    for (int i = 0; i < memmap_count(); i++) {
        const struct boot_memory_descriptor *d = memmap_entry(i);
        if (memmap_reclaimable(d->type))
            added += add_range(d->physical_start, entry_end(d));
    }
    uint64_t usable, reserved, kernel;
    memmap_summary(&usable, &reserved, &kernel);
    pg_note_reserved(reserved);
    return added;
}

// Page totals for the banner (see memmap.h).
void memmap_summary(uint64_t *usable, uint64_t *reserved, uint64_t *kernel) {
    *usable = *reserved = *kernel = 0;
    for (int i = 0; i < memmap_count(); i++) {
        const struct boot_memory_descriptor *d = memmap_entry(i);
        if (memmap_usable_at_entry(d->type) || memmap_reclaimable(d->type))
            *usable += d->number_of_pages;
        else if (d->type == SPANLAB_MEM_KERNEL)
            *kernel += d->number_of_pages;
        else if (d->type != EFI_MMIO && d->type != EFI_MMIO_PORT &&
                 (d->attribute & EFI_MEMORY_WB)) // RAM, not device windows such as ECAM
            *reserved += d->number_of_pages;
    }
}
