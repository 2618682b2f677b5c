// Handing the machine to the kernel: platform facts for boot_info (the screen,
// ACPI RSDP, system table, firmware vendor), then the final memory map, ExitBootServices (retried
// while the map key goes stale), CR3 and the jump. Between the final
// GetMemoryMap and ExitBootServices nothing allocates or prints.
#include "boot/loader.h"

#define EXIT_RETRIES 16
#define MAP_SLACK_DESCRIPTORS 32 // room for the splits later allocations cause

// Allocates zeroed pages of the given type; 0 when out of memory.
UINT64 boot_alloc_pages(UINTN pages, UINT32 type)
{
    EFI_PHYSICAL_ADDRESS a = 0;
    if (EFI_ERROR(BS->AllocatePages(AllocateAnyPages, (EFI_MEMORY_TYPE)type, pages, &a)))
        return 0;
    SetMem((void *)a, pages * BOOT_PAGE, 0);
    return a;
}

// Returns the ACPI RSDP from the configuration table: 2.0 GUID first, then 1.0.
static UINT64 find_rsdp(void)
{
    EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
    UINT64 v1 = 0;
    for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
        EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
        if (CompareGuid(&t->VendorGuid, &acpi20) == 0)
            return (UINT64)t->VendorTable;
        if (CompareGuid(&t->VendorGuid, &acpi10) == 0)
            v1 = (UINT64)t->VendorTable;
    }
    return v1;
}

// Copies the firmware's vendor name (UCS-2) as ASCII; other characters become '?'.
static void copy_vendor(char *dst, const CHAR16 *src)
{
    UINTN n = 0;
    for (; src && src[n] && n + 1 < BOOT_FW_VENDOR_MAX; n++)
        dst[n] = src[n] >= 0x20 && src[n] < 0x7f ? (char)src[n] : '?';
    dst[n] = 0;
}

// Fills the screen, RSDP, system-table and firmware fields.
void boot_collect_platform(struct boot_info *bi)
{
    boot_gop_setup(bi);
    bi->acpi_rsdp = find_rsdp();
    bi->efi_system_table = (UINT64)ST;
    copy_vendor(bi->firmware_vendor, ST->FirmwareVendor);
    bi->firmware_revision = ST->FirmwareRevision;
    bi->uefi_revision = ST->Hdr.Revision;
}

// Loads CR3 and jumps to entry with rdi = bi on a 16-byte aligned stack, as if
// called; interrupts stay off. Never returns.
static void __attribute__((noreturn)) jump(UINT64 cr3, UINT64 entry, struct boot_info *bi)
{
    __asm__ volatile("cli\n\t"
                     "mov %0, %%cr3\n\t"
                     "and $-16, %%rsp\n\t"
                     "pushq $0\n\t"
                     "jmp *%1"
                     :
                     : "r"(cr3), "r"(entry), "D"(bi)
                     : "memory");
    __builtin_unreachable();
}

// Final memory map, ExitBootServices with retries, then the jump.
EFI_STATUS boot_exit_and_jump(EFI_HANDLE image, struct boot_info *bi, UINT64 cr3, UINT64 entry)
{
    UINTN size = 0, key, dsize;
    UINT32 dver;
    EFI_STATUS st = BS->GetMemoryMap(&size, NULL, &key, &dsize, &dver);
    if (st != EFI_BUFFER_TOO_SMALL)
        return boot_fail(st, L"GetMemoryMap does not report the map's size");
    UINTN capacity = size + MAP_SLACK_DESCRIPTORS * dsize;
    UINTN pages = (capacity + BOOT_PAGE - 1) / BOOT_PAGE;
    UINT64 map = boot_alloc_pages(pages, SPANLAB_MEM_BOOTDATA);
    if (!map)
        return boot_fail(EFI_OUT_OF_RESOURCES, L"no memory for the memory map");
    capacity = pages * BOOT_PAGE;

    for (UINTN attempt = 0; attempt < EXIT_RETRIES; attempt++) {
        size = capacity;
        st = BS->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map, &key, &dsize, &dver);
        if (EFI_ERROR(st)) {
            if (attempt == 0) // boot services are still whole: report and go back
                return boot_fail(st, L"GetMemoryMap failed");
            break;
        }
        st = BS->ExitBootServices(image, key);
        if (st == EFI_SUCCESS) {
            bi->memory_map = map;
            bi->memory_map_size = size;
            bi->memory_desc_size = dsize;
            bi->memory_desc_version = dver;
            jump(cr3, entry, bi);
        }
        if (st != EFI_INVALID_PARAMETER)
            break; // only a stale map key is worth another try
    }
    // Boot services may be half gone now; ConOut is the best there is.
    Print(L"\nloader: error: cannot exit boot services (%r)\n", st);
    for (;;)
        __asm__ volatile("cli; hlt");
}
