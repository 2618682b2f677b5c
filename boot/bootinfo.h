// The one structure the UEFI loader hands to the kernel: memory map, framebuffer,
// ACPI pointer, command line and where the kernel image sits. Versioned so that a
// kernel refuses a loader it does not understand instead of misreading it.
//
// Contract at the kernel's entry point (kernel/entry.S, symbol _start):
//   - long mode, interrupts off, boot services exited;
//   - CR3 holds the loader's page tables: physical memory identity-mapped (at
//     least every range in the memory map) and the kernel image mapped at its
//     link address (0xffffffff80000000 + offset) onto its physical pages;
//   - rdi = physical (= identity-mapped) address of a struct boot_info, which sits
//     in memory of type SPANLAB_MEM_BOOTDATA together with the loader's page
//     tables; the kernel copies what it needs before reclaiming that memory;
//   - the stack is the loader's: the kernel switches to its own at once.
// Shared by boot/ (GNU-EFI build) and kernel/ (freestanding), so plain C types only.
#ifndef SPANLAB_BOOTINFO_H
#define SPANLAB_BOOTINFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC 0x5350414e4c414231ull // "SPANLAB1"
#define BOOT_INFO_VERSION 2u // 2: firmware identity and the GOP's mode list

// UEFI memory types the loader uses for its own allocations (OEM range), so the
// kernel can tell them apart from EfiLoaderData it may reclaim at once.
#define SPANLAB_MEM_KERNEL 0x80000000u   // the kernel image (never reclaimed)
#define SPANLAB_MEM_BOOTDATA 0x80000001u // boot_info, memory map copy, page tables

#define BOOT_CMDLINE_MAX 1024
#define BOOT_GOP_MODES_MAX 64   // modes listed in boot_info (the GOP may have more)
#define BOOT_FW_VENDOR_MAX 64

// Pixel layouts, mirroring EFI_GRAPHICS_PIXEL_FORMAT.
enum boot_pixel_format {
    BOOT_FB_NONE = 0,
    BOOT_FB_RGBX = 1, // byte 0 red (PixelRedGreenBlueReserved8BitPerColor)
    BOOT_FB_BGRX = 2, // byte 0 blue (PixelBlueGreenRedReserved8BitPerColor)
    BOOT_FB_BITMASK = 3,
};

struct boot_framebuffer {
    uint64_t base;           // physical address, 0 when there is no GOP
    uint64_t size;           // bytes
    uint32_t width, height;  // pixels
    uint32_t pixels_per_scanline; // the pitch, in pixels (may exceed width)
    uint32_t format;         // enum boot_pixel_format
    uint32_t red_mask, green_mask, blue_mask, reserved_mask; // for BOOT_FB_BITMASK
};

// One GOP mode as QueryMode describes it (hwinfo lists them; gop= picks one).
struct boot_gop_mode {
    uint32_t width, height;
    uint32_t format; // enum boot_pixel_format; BOOT_FB_NONE for a Blt-only mode
};

// The UEFI memory map exactly as GetMemoryMap returned it at ExitBootServices:
// entry i is at map + i * desc_size and has the EFI_MEMORY_DESCRIPTOR layout below
// (desc_size may be larger than sizeof; always step by desc_size).
struct boot_memory_descriptor {
    uint32_t type;
    uint32_t pad;
    uint64_t physical_start;
    uint64_t virtual_start;
    uint64_t number_of_pages; // 4 KiB pages
    uint64_t attribute;
};

struct boot_info {
    uint64_t magic;   // BOOT_INFO_MAGIC
    uint32_t version; // BOOT_INFO_VERSION
    uint32_t size;    // sizeof(struct boot_info) as the loader built it

    uint64_t memory_map;      // physical address of the descriptors
    uint64_t memory_map_size; // bytes
    uint64_t memory_desc_size;
    uint32_t memory_desc_version;
    uint32_t pad0;

    uint64_t kernel_phys_base; // physical address of the lowest loaded byte
    uint64_t kernel_virt_base; // its link address
    uint64_t kernel_size;      // bytes from base to the end of .bss, page-rounded

    uint64_t acpi_rsdp;        // physical address of the RSDP, ACPI 2.0 preferred; 0 if none
    uint64_t efi_system_table; // physical address of EFI_SYSTEM_TABLE (runtime services)

    struct boot_framebuffer fb;

    uint64_t loader_tsc_at_entry; // rdtsc when the loader's efi_main started, for boot timing

    char cmdline[BOOT_CMDLINE_MAX]; // NUL-terminated

    // Version 2: who the firmware is and what the screen can do, for hwinfo.
    char firmware_vendor[BOOT_FW_VENDOR_MAX]; // ST->FirmwareVendor in ASCII, NUL-terminated
    uint32_t firmware_revision;               // ST->FirmwareRevision
    uint32_t uefi_revision;                   // ST->Hdr.Revision (major << 16 | minor)
    uint32_t gop_mode_count;                  // GOP MaxMode (0: no GOP)
    int32_t gop_mode_firmware;                // the mode the firmware had set, -1 if none
    int32_t gop_mode_current;                 // the mode at hand-over (gop= may change it)
    uint32_t pad1;
    struct boot_gop_mode gop_modes[BOOT_GOP_MODES_MAX]; // the first min(count, MAX)
};

#endif
