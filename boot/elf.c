// Loading the kernel ELF: boot/elf_check.c decides, from the file's bytes alone,
// whether the kernel may be copied and what goes where; only then is one contiguous
// physical block allocated (SPANLAB_MEM_KERNEL, 2 MiB aligned so the kernel may map
// itself with large pages), zeroed (.bss and the gaps) and filled segment by segment.
#include "boot/loader.h"

// Checks the file; on refusal prints "loader: kernel.elf: <check>: <what failed>".
EFI_STATUS boot_elf_check(const void *file, UINTN size, struct elfchk_image *img)
{
    struct elfchk_verdict why;
    if (elfchk_check(file, size, img, &why) == ELFCHK_OK)
        return EFI_SUCCESS;
    char msg[160];
    Print(L"loader: kernel.elf: %a\n", elfchk_describe(&why, msg, sizeof msg));
    return EFI_LOAD_ERROR;
}

// Allocates size bytes of type SPANLAB_MEM_KERNEL aligned to 2 MiB: over-allocates
// by 2 MiB and gives the slack at both ends back. Returns 0 when out of memory.
static UINT64 alloc_aligned_kernel_block(UINT64 size)
{
    UINTN pages = size / BOOT_PAGE, slack = BOOT_2M / BOOT_PAGE;
    EFI_PHYSICAL_ADDRESS raw = 0;
    if (EFI_ERROR(BS->AllocatePages(AllocateAnyPages, SPANLAB_MEM_KERNEL, pages + slack, &raw)))
        return 0;
    UINT64 base = (raw + BOOT_2M - 1) & ~(BOOT_2M - 1);
    UINTN head = (base - raw) / BOOT_PAGE, tail = slack - head;
    if (head)
        BS->FreePages(raw, head);
    if (tail)
        BS->FreePages(base + size, tail);
    return base;
}

// Copies the checked image's segments into a fresh block and describes it in *k.
EFI_STATUS boot_elf_load(const void *file, const struct elfchk_image *img, struct boot_kernel *k)
{
    UINT64 size = img->hi - img->lo;
    UINT64 base = alloc_aligned_kernel_block(size);
    if (!base)
        return boot_fail(EFI_OUT_OF_RESOURCES, L"no %ld KiB of contiguous memory for the kernel",
                         size >> 10);
    SetMem((void *)base, size, 0);
    for (UINTN i = 0; i < img->nseg; i++) {
        const struct elfchk_seg *s = &img->seg[i];
        if (s->filesz)
            CopyMem((void *)(base + (s->vaddr - img->lo)), (const char *)file + s->offset,
                    s->filesz);
    }
    k->phys_base = base;
    k->virt_base = img->lo;
    k->size = size;
    k->entry = img->entry;
    return EFI_SUCCESS;
}
