// spanlab's UEFI loader (EFI/BOOT/BOOTX64.EFI): reads \spanlab\cmdline.txt and
// \spanlab\kernel.elf from its own volume, checks the kernel, shows the boot menu,
// loads the kernel, fills struct boot_info and jumps to it (boot/bootinfo.h has
// the contract). Every failure prints what failed, waits for a key and returns an
// error to the firmware, which then tries its next boot option.
#include "boot/loader.h"

static inline UINT64 rdtsc(void)
{
    UINT32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((UINT64)hi << 32) | lo;
}

// Reads cmdline.txt into line; a missing file means an empty line (and the
// default countdown). Returns an error status only for unreadable or oversized files.
static EFI_STATUS read_cmdline(EFI_FILE_HANDLE root, char *line)
{
    void *data;
    UINTN size;
    line[0] = 0;
    EFI_STATUS st = boot_read_file(root, BOOT_CMDLINE_PATH, &data, &size);
    if (st == EFI_NOT_FOUND) {
        Print(L"loader: no %s; using an empty command line\n", BOOT_CMDLINE_PATH);
        return EFI_SUCCESS;
    }
    if (EFI_ERROR(st))
        return boot_fail(st, L"cannot read %s", BOOT_CMDLINE_PATH);
    st = boot_cmdline_from_file(line, data, size);
    FreePool(data);
    if (EFI_ERROR(st))
        return boot_fail(st, L"%s is longer than %d bytes", BOOT_CMDLINE_PATH,
                         BOOT_CMDLINE_MAX - 1);
    return EFI_SUCCESS;
}

// Loads the checked kernel, builds boot_info and page tables, and jumps. Returns
// only on failure (already reported).
static EFI_STATUS start_kernel(EFI_HANDLE image, void *elf, const struct elfchk_image *img,
                               const char *line, UINT64 tsc)
{
    struct boot_kernel k;
    EFI_STATUS st = boot_elf_load(elf, img, &k);
    if (EFI_ERROR(st))
        return st;
    FreePool(elf);
    UINTN bi_pages = (sizeof(struct boot_info) + BOOT_PAGE - 1) / BOOT_PAGE;
    struct boot_info *bi = (struct boot_info *)boot_alloc_pages(bi_pages, SPANLAB_MEM_BOOTDATA);
    if (!bi)
        return boot_fail(EFI_OUT_OF_RESOURCES, L"no memory for boot_info");
    bi->magic = BOOT_INFO_MAGIC;
    bi->version = BOOT_INFO_VERSION;
    bi->size = sizeof(*bi);
    bi->kernel_phys_base = k.phys_base;
    bi->kernel_virt_base = k.virt_base;
    bi->kernel_size = k.size;
    bi->loader_tsc_at_entry = tsc;
    CopyMem(bi->cmdline, (void *)line, boot_strlen(line) + 1);
    boot_collect_platform(bi);

    UINT64 cr3;
    st = boot_build_page_tables(&k, &bi->fb, &cr3);
    if (EFI_ERROR(st))
        return st;
    Print(L"loader: kernel at 0x%lx (%ld KiB), entry 0x%lx; starting it\n",
          k.phys_base, k.size >> 10, k.entry);
    return boot_exit_and_jump(image, bi, cr3, k.entry);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    UINT64 tsc = rdtsc();
    InitializeLib(image, systab);
    BS->SetWatchdogTimer(0, 0, 0, NULL); // the menu may wait longer than 5 minutes
    ST->ConOut->ClearScreen(ST->ConOut); // the firmware's logo would sit under the menu
    Print(L"loader: spanlab's UEFI loader\n");

    EFI_FILE_HANDLE root;
    EFI_STATUS st = boot_open_volume(image, &root);
    if (EFI_ERROR(st))
        return st;
    static char line[BOOT_CMDLINE_MAX];
    st = read_cmdline(root, line);
    if (EFI_ERROR(st))
        return st;
    void *elf;
    UINTN elf_size;
    st = boot_read_file(root, BOOT_KERNEL_PATH, &elf, &elf_size);
    if (EFI_ERROR(st))
        return boot_fail(st, L"cannot read %s from the boot volume", BOOT_KERNEL_PATH);
    static struct elfchk_image img; // 2.6 KiB: not on the firmware's stack
    if (EFI_ERROR(boot_elf_check(elf, elf_size, &img)))
        return boot_fail(EFI_LOAD_ERROR, L"%s is not a kernel this loader can start",
                         BOOT_KERNEL_PATH);

    switch (boot_menu(line)) {
    case BOOT_ACT_REBOOT:
        boot_puts("Rebooting.\n");
        RT->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
        return boot_fail(EFI_UNSUPPORTED, L"the firmware did not reboot");
    case BOOT_ACT_POWEROFF:
        boot_puts("Powering off.\n");
        RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
        return boot_fail(EFI_UNSUPPORTED, L"the firmware did not power off");
    default:
        break;
    }
    return start_kernel(image, elf, &img, line, tsc);
}
