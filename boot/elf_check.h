// The kernel ELF checker (`elfchk_`): a pure function of the file's bytes that
// decides whether the loader may copy the kernel, and if so exactly what goes where.
// No firmware, no allocation, no libc: the loader (boot/elf.c) runs it, and the
// host builds the same file into its library for tests/unit/elf_check_test.c and
// the fuzzer tests/fuzz/elf_fuzz.c.
#ifndef SPANLAB_BOOT_ELF_CHECK_H
#define SPANLAB_BOOT_ELF_CHECK_H

#include <stddef.h>
#include <stdint.h>

// The kernel's window: every PT_LOAD byte must lie in [BASE, BASE + SIZE). The base
// is linker.ld's (the top 2 GiB that -mcmodel=kernel addresses); 1 GiB is
// far more than the kernel will ever be and what the loader may have to allocate.
#define ELFCHK_WINDOW_BASE 0xffffffff80000000ull
#define ELFCHK_WINDOW_SIZE (1ull << 30)
#define ELFCHK_MAX_PHDRS 64          // program headers accepted (the kernel has 3)
#define ELFCHK_MAX_ALIGN (2ull << 20) // p_align above the block's 2 MiB cannot be kept
#define ELFCHK_PAGE 4096ull

// What failed; each has a message (elfchk_describe) that starts with the check's name.
enum elfchk_fault {
    ELFCHK_OK,
    ELFCHK_MAGIC,        // no \x7fELF at the start
    ELFCHK_SHORT,        // shorter than an ELF64 header
    ELFCHK_CLASS,        // not ELF64 little-endian
    ELFCHK_MACHINE,      // not x86-64
    ELFCHK_TYPE,         // not ET_EXEC
    ELFCHK_PHDR_COUNT,   // e_phnum not 1..64 or e_phentsize not 56
    ELFCHK_PHDR_TABLE,   // the program header table is not inside the file
    ELFCHK_SEG_FILE,     // p_offset + p_filesz beyond the file (or overflowing)
    ELFCHK_SEG_SIZES,    // p_filesz > p_memsz
    ELFCHK_SEG_WINDOW,   // [p_vaddr, p_vaddr + p_memsz) not inside the window
    ELFCHK_SEG_ALIGN,    // p_align not 0, 1 or a power of two up to 2 MiB
    ELFCHK_SEG_CONGRUENT, // p_vaddr and p_offset differ modulo p_align
    ELFCHK_SEG_OVERLAP,  // two PT_LOAD segments share addresses
    ELFCHK_NO_LOAD,      // no PT_LOAD segment with memory
    ELFCHK_ENTRY,        // e_entry not in the file bytes of an executable segment
    ELFCHK_NFAULTS
};

// One PT_LOAD segment with memory, as the loader copies it.
struct elfchk_seg {
    uint64_t vaddr, memsz;  // link addresses [vaddr, vaddr + memsz)
    uint64_t offset, filesz; // file bytes [offset, offset + filesz), the rest is zero
    uint32_t flags;          // PF_X 1, PF_W 2, PF_R 4
    unsigned phdr;           // its index in the program header table
};

// An accepted image: the segments to copy and the page-rounded span they cover.
// The loader allocates hi - lo bytes, zeroes them, and copies each segment's file
// bytes to block + (vaddr - lo).
struct elfchk_image {
    uint64_t lo, hi; // page-rounded, inside the window
    uint64_t entry;
    unsigned nseg;
    struct elfchk_seg seg[ELFCHK_MAX_PHDRS];
};

// Why a file was refused: the fault, the program header(s) it concerns and the
// numbers its message prints.
struct elfchk_verdict {
    enum elfchk_fault fault;
    unsigned seg, other; // program header indices (other: the earlier one of an overlap)
    uint64_t v[4];
};

// Checks file[0..size) and fills *img (accepted) or *why (refused). Returns the
// fault, ELFCHK_OK when the loader may copy the image as *img says.
enum elfchk_fault elfchk_check(const void *file, uint64_t size, struct elfchk_image *img,
                               struct elfchk_verdict *why);

// Writes the verdict's message ("segment 3: file range: ...") to buf, always
// NUL-terminated (cut at cap - 1). Returns buf.
char *elfchk_describe(const struct elfchk_verdict *why, char *buf, size_t cap);

#endif
