// Loading the kernel ELF: check everything the loader relies on before touching
// memory, then copy the PT_LOAD segments into one contiguous physical block
// (SPANLAB_MEM_KERNEL, 2 MiB aligned so the kernel may map itself with large
// pages) and zero what the file does not fill (.bss and the gaps).
#include "boot/loader.h"

// The few ELF64 definitions the loader needs (System V gABI).
typedef struct {
    unsigned char e_ident[16];
    UINT16 e_type, e_machine;
    UINT32 e_version;
    UINT64 e_entry, e_phoff, e_shoff;
    UINT32 e_flags;
    UINT16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} elf64_ehdr;

typedef struct {
    UINT32 p_type, p_flags;
    UINT64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} elf64_phdr;

#define ELF_ET_EXEC 2
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PF_X 1
#define ELF_MAX_PHDRS 64
#define KERNEL_MAX_SIZE (1ull << 30) // far more than the kernel will ever be

// Returns program header i (the file has passed the header checks).
static const elf64_phdr *phdr(const void *file, UINTN i)
{
    const elf64_ehdr *eh = file;
    return (const elf64_phdr *)((const char *)file + eh->e_phoff + i * eh->e_phentsize);
}

// Computes the link-address span [*lo, *hi) of the PT_LOAD segments, page-rounded.
static void load_span(const void *file, UINT64 *lo, UINT64 *hi)
{
    const elf64_ehdr *eh = file;
    *lo = ~0ull;
    *hi = 0;
    for (UINTN i = 0; i < eh->e_phnum; i++) {
        const elf64_phdr *ph = phdr(file, i);
        if (ph->p_type != ELF_PT_LOAD || ph->p_memsz == 0)
            continue;
        if (ph->p_vaddr < *lo)
            *lo = ph->p_vaddr;
        if (ph->p_vaddr + ph->p_memsz > *hi)
            *hi = ph->p_vaddr + ph->p_memsz;
    }
    *lo &= ~(BOOT_PAGE - 1);
    *hi = (*hi + BOOT_PAGE - 1) & ~(BOOT_PAGE - 1);
}

// Prints "kernel.elf: <what failed>" and returns EFI_LOAD_ERROR.
static EFI_STATUS elf_bad(const CHAR16 *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    Print(L"loader: kernel.elf: ");
    VPrint(fmt, args);
    va_end(args);
    Print(L"\n");
    return EFI_LOAD_ERROR;
}

// Checks one PT_LOAD header against the file size and the higher half.
static EFI_STATUS check_segment(const elf64_phdr *ph, UINTN i, UINTN size)
{
    if (ph->p_filesz > ph->p_memsz)
        return elf_bad(L"segment %d: file size 0x%lx exceeds memory size 0x%lx", i, ph->p_filesz,
                       ph->p_memsz);
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return elf_bad(L"segment %d: bytes 0x%lx+0x%lx lie beyond the file's end (0x%lx)", i,
                       ph->p_offset, ph->p_filesz, size);
    if (ph->p_vaddr < BOOT_KERNEL_LINK_BASE || ph->p_memsz > KERNEL_MAX_SIZE ||
        ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
        return elf_bad(L"segment %d: address 0x%lx size 0x%lx is not in the kernel's "
                       L"higher half (0x%lx and up)",
                       i, ph->p_vaddr, ph->p_memsz, BOOT_KERNEL_LINK_BASE);
    return EFI_SUCCESS;
}

// Validates the ELF header, program headers and entry point; prints what failed.
EFI_STATUS boot_elf_check(const void *file, UINTN size)
{
    const elf64_ehdr *eh = file;
    const unsigned char *id = eh->e_ident;
    if (size < sizeof(*eh) || id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return elf_bad(L"not an ELF file (%ld bytes, no \\x7fELF magic)", size);
    if (id[4] != 2 || id[5] != 1)
        return elf_bad(L"not a 64-bit little-endian ELF (class %d, data %d)", id[4], id[5]);
    if (eh->e_machine != ELF_EM_X86_64)
        return elf_bad(L"machine %d is not x86-64 (62)", eh->e_machine);
    if (eh->e_type != ELF_ET_EXEC)
        return elf_bad(L"type %d is not an executable (ET_EXEC = 2)", eh->e_type);
    if (eh->e_phentsize != sizeof(elf64_phdr) || eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHDRS)
        return elf_bad(L"%d program headers of %d bytes (want 1..%d of %d)", eh->e_phnum,
                       eh->e_phentsize, ELF_MAX_PHDRS, sizeof(elf64_phdr));
    if (eh->e_phoff > size || (UINT64)eh->e_phnum * eh->e_phentsize > size - eh->e_phoff)
        return elf_bad(L"program headers at 0x%lx lie beyond the file's end", eh->e_phoff);

    UINTN loads = 0, entry_ok = 0;
    for (UINTN i = 0; i < eh->e_phnum; i++) {
        const elf64_phdr *ph = phdr(file, i);
        if (ph->p_type != ELF_PT_LOAD || ph->p_memsz == 0)
            continue;
        if (EFI_ERROR(check_segment(ph, i, size)))
            return EFI_LOAD_ERROR;
        for (UINTN j = 0; j < i; j++) {
            const elf64_phdr *q = phdr(file, j);
            if (q->p_type == ELF_PT_LOAD && q->p_memsz && ph->p_vaddr < q->p_vaddr + q->p_memsz &&
                q->p_vaddr < ph->p_vaddr + ph->p_memsz)
                return elf_bad(L"segments %d and %d overlap", j, i);
        }
        loads++;
        if (eh->e_entry >= ph->p_vaddr && eh->e_entry < ph->p_vaddr + ph->p_memsz &&
            (ph->p_flags & ELF_PF_X))
            entry_ok = 1;
    }
    if (loads == 0)
        return elf_bad(L"no PT_LOAD segment");
    if (!entry_ok)
        return elf_bad(L"entry point 0x%lx is not in an executable segment", eh->e_entry);
    UINT64 lo, hi;
    load_span(file, &lo, &hi);
    if (hi - lo > KERNEL_MAX_SIZE)
        return elf_bad(L"segments span 0x%lx bytes (limit 0x%lx)", hi - lo, KERNEL_MAX_SIZE);
    return EFI_SUCCESS;
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

// Copies the segments into a fresh block and describes it in *k.
EFI_STATUS boot_elf_load(const void *file, UINTN size, struct boot_kernel *k)
{
    const elf64_ehdr *eh = file;
    UINT64 lo, hi;
    load_span(file, &lo, &hi);
    UINT64 base = alloc_aligned_kernel_block(hi - lo);
    if (!base)
        return boot_fail(EFI_OUT_OF_RESOURCES, L"no %ld KiB of contiguous memory for the kernel",
                         (hi - lo) >> 10);
    SetMem((void *)base, hi - lo, 0);
    for (UINTN i = 0; i < eh->e_phnum; i++) {
        const elf64_phdr *ph = phdr(file, i);
        if (ph->p_type != ELF_PT_LOAD || ph->p_filesz == 0)
            continue;
        CopyMem((void *)(base + (ph->p_vaddr - lo)), (char *)file + ph->p_offset, ph->p_filesz);
    }
    k->phys_base = base;
    k->virt_base = lo;
    k->size = hi - lo;
    k->entry = eh->e_entry;
    return EFI_SUCCESS;
}
