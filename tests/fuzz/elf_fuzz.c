// libFuzzer target for the loader's kernel ELF checker (boot/elf_check.c, the code
// the loader runs). Every input gets a verdict whose fault and message agree. An
// accepted input is re-read independently with <elf.h>'s structs: every PT_LOAD
// segment's file bytes lie inside the file, p_filesz <= p_memsz, its addresses lie
// inside the kernel's window, no two segments share an address, the entry point is
// in an executable segment's file bytes, and the layout lists exactly the segments
// with memory, inside [lo, hi). Then the image is loaded as the loader does (into a
// block with inaccessible pages around it; ASan guards the file's bytes) and every
// segment must read back intact.
#include <elf.h>
#include <string.h>
#include <sys/mman.h>
#include "boot/elf_check.h"
#include "tests/fuzz/fuzz_check.h"

#define WINDOW_END (ELFCHK_WINDOW_BASE + ELFCHK_WINDOW_SIZE)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// Returns program header i of an accepted file (copied: the input may be unaligned).
static Elf64_Phdr phdr_at(const uint8_t *data, size_t i) {
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    memcpy(&eh, data, sizeof eh);
    memcpy(&ph, data + eh.e_phoff + i * sizeof ph, sizeof ph);
    return ph;
}

// Checks one PT_LOAD of an accepted file against the file, the window and alignment.
static void check_load(const Elf64_Phdr *ph, size_t i, size_t size) {
    uint64_t file_end, mem_end;
    FUZZ_CHECK(!__builtin_add_overflow(ph->p_offset, ph->p_filesz, &file_end) &&
                   file_end <= size, "segment %zu: file bytes outside the file", i);
    FUZZ_CHECK(ph->p_filesz <= ph->p_memsz, "segment %zu: filesz > memsz", i);
    FUZZ_CHECK(ph->p_vaddr >= ELFCHK_WINDOW_BASE &&
                   !__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &mem_end) &&
                   mem_end <= WINDOW_END, "segment %zu: outside the window", i);
    FUZZ_CHECK(ph->p_align <= ELFCHK_MAX_ALIGN && (ph->p_align & (ph->p_align - 1)) == 0,
               "segment %zu: p_align 0x%lx", i, (unsigned long)ph->p_align);
}

// Checks that img lists exactly the file's PT_LOAD segments with memory, pairwise
// disjoint, within [lo, hi), with the entry in an executable one's file bytes.
static void check_accepted(const uint8_t *data, size_t size, const struct elfchk_image *img) {
    Elf64_Ehdr eh;
    memcpy(&eh, data, sizeof eh);
    FUZZ_CHECK(eh.e_phnum >= 1 && eh.e_phnum <= ELFCHK_MAX_PHDRS, "e_phnum %u", eh.e_phnum);
    unsigned listed = 0, entry_ok = 0;
    for (size_t i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph = phdr_at(data, i);
        if (ph.p_type != PT_LOAD)
            continue;
        check_load(&ph, i, size);
        if (ph.p_memsz == 0)
            continue;
        const struct elfchk_seg *s = &img->seg[listed++];
        FUZZ_CHECK(s->phdr == i && s->vaddr == ph.p_vaddr && s->memsz == ph.p_memsz &&
                       s->offset == ph.p_offset && s->filesz == ph.p_filesz,
                   "layout entry %u is not program header %zu", listed - 1, i);
        FUZZ_CHECK(s->vaddr >= img->lo && s->vaddr + s->memsz <= img->hi, "segment %zu", i);
        for (unsigned k = 0; k + 1 < listed; k++) {
            const struct elfchk_seg *q = &img->seg[k];
            FUZZ_CHECK(s->vaddr >= q->vaddr + q->memsz || q->vaddr >= s->vaddr + s->memsz,
                       "segments %u and %zu overlap", q->phdr, i);
        }
        if ((ph.p_flags & PF_X) && eh.e_entry >= ph.p_vaddr &&
            eh.e_entry - ph.p_vaddr < ph.p_filesz)
            entry_ok = 1;
    }
    FUZZ_CHECK(listed == img->nseg && listed > 0, "%u segments listed, %u with memory",
               img->nseg, listed);
    FUZZ_CHECK(entry_ok && img->entry == eh.e_entry, "entry 0x%lx", (unsigned long)eh.e_entry);
    FUZZ_CHECK(img->lo % ELFCHK_PAGE == 0 && img->hi % ELFCHK_PAGE == 0 &&
                   img->lo >= ELFCHK_WINDOW_BASE && img->hi <= WINDOW_END && img->lo < img->hi,
               "span [0x%lx, 0x%lx)", (unsigned long)img->lo, (unsigned long)img->hi);
}

// Does what boot_elf_load does, into an anonymous block with a PROT_NONE page on
// each side, and reads every segment back.
static void load_like_the_loader(const uint8_t *data, const struct elfchk_image *img) {
    size_t span = img->hi - img->lo, page = ELFCHK_PAGE;
    uint8_t *map = mmap(NULL, span + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
                        MAP_NORESERVE, -1, 0);
    FUZZ_CHECK(map != MAP_FAILED, "mmap of 0x%zx bytes", span);
    uint8_t *block = map + page;
    FUZZ_CHECK(mprotect(block, span, PROT_READ | PROT_WRITE) == 0, "mprotect");
    for (unsigned k = 0; k < img->nseg; k++) {
        const struct elfchk_seg *s = &img->seg[k];
        memcpy(block + (s->vaddr - img->lo), data + s->offset, s->filesz);
    }
    for (unsigned k = 0; k < img->nseg; k++) {
        const struct elfchk_seg *s = &img->seg[k];
        FUZZ_CHECK(memcmp(block + (s->vaddr - img->lo), data + s->offset, s->filesz) == 0,
                   "segment %u was overwritten by another", s->phdr);
    }
    munmap(map, span + 2 * page);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static struct elfchk_image img;
    struct elfchk_verdict why;
    char msg[256];
    enum elfchk_fault f = elfchk_check(data, size, &img, &why);
    FUZZ_CHECK(f == why.fault && f < ELFCHK_NFAULTS, "fault %d, verdict %d", f, why.fault);
    size_t len = strlen(elfchk_describe(&why, msg, sizeof msg));
    FUZZ_CHECK(len > 0 && len < 200 && !strchr(msg, '%'), "message '%s'", msg);
    if (f != ELFCHK_OK)
        return 0;
    check_accepted(data, size, &img);
    load_like_the_loader(data, &img);
    return 0;
}
