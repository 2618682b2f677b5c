// The kernel ELF checker: every check the loader relies on before it copies a byte.
// The header (magic, ELF64 little-endian, x86-64, ET_EXEC), the program header table
// (1..64 entries of 56 bytes, inside the file), then every PT_LOAD segment: its file
// bytes inside the file (no overflow), p_filesz <= p_memsz, its addresses inside the
// kernel's window, a sane p_align, no overlap with another segment; at the end at
// least one segment and an entry point in the file bytes of an executable one.
// Fields are read byte by byte (little-endian), so any buffer alignment is fine.
// Pure: no firmware, no allocation, no libc (see elf_check.h for who builds it).
#include "boot/elf_check.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1

// A program header, decoded.
struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz, align;
};

// Returns the n-byte little-endian number at p.
static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    while (n--)
        v = v << 8 | p[n];
    return v;
}

// Decodes the program header at p (PHDR_SIZE bytes).
static void read_phdr(const uint8_t *p, struct phdr *ph)
{
    ph->type = (uint32_t)rd(p, 4);
    ph->flags = (uint32_t)rd(p + 4, 4);
    ph->offset = rd(p + 8, 8);
    ph->vaddr = rd(p + 16, 8);
    ph->filesz = rd(p + 32, 8);
    ph->memsz = rd(p + 40, 8);
    ph->align = rd(p + 48, 8);
}

// Fills *why and returns its fault.
static enum elfchk_fault refuse(struct elfchk_verdict *why, enum elfchk_fault fault,
                                unsigned seg, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    why->fault = fault;
    why->seg = seg;
    why->other = 0;
    why->v[0] = a;
    why->v[1] = b;
    why->v[2] = c;
    why->v[3] = d;
    return fault;
}

// Checks the ELF header and the program header table's place in the file.
static enum elfchk_fault check_header(const uint8_t *f, uint64_t size, struct elfchk_verdict *why)
{
    if (size < 4 || f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
        return refuse(why, ELFCHK_MAGIC, 0, size, 0, 0, 0);
    if (size < EHDR_SIZE)
        return refuse(why, ELFCHK_SHORT, 0, size, EHDR_SIZE, 0, 0);
    if (f[4] != 2 || f[5] != 1)
        return refuse(why, ELFCHK_CLASS, 0, f[4], f[5], 0, 0);
    uint64_t type = rd(f + 16, 2), machine = rd(f + 18, 2);
    if (machine != EM_X86_64)
        return refuse(why, ELFCHK_MACHINE, 0, machine, 0, 0, 0);
    if (type != ET_EXEC)
        return refuse(why, ELFCHK_TYPE, 0, type, 0, 0, 0);
    uint64_t phoff = rd(f + 32, 8), phentsize = rd(f + 54, 2), phnum = rd(f + 56, 2);
    if (phentsize != PHDR_SIZE || phnum == 0 || phnum > ELFCHK_MAX_PHDRS)
        return refuse(why, ELFCHK_PHDR_COUNT, 0, phnum, phentsize, 0, 0);
    if (phoff > size || phnum * PHDR_SIZE > size - phoff)
        return refuse(why, ELFCHK_PHDR_TABLE, 0, phoff, phnum, size, 0);
    return ELFCHK_OK;
}

// Checks one PT_LOAD segment on its own: file bytes, sizes, window, alignment.
static enum elfchk_fault check_segment(const struct phdr *ph, unsigned i, uint64_t size,
                                       struct elfchk_verdict *why)
{
    const uint64_t end = ELFCHK_WINDOW_BASE + ELFCHK_WINDOW_SIZE;
    if (ph->offset > size || ph->filesz > size - ph->offset)
        return refuse(why, ELFCHK_SEG_FILE, i, ph->offset, ph->filesz, size, 0);
    if (ph->filesz > ph->memsz)
        return refuse(why, ELFCHK_SEG_SIZES, i, ph->filesz, ph->memsz, 0, 0);
    if (ph->vaddr < ELFCHK_WINDOW_BASE || ph->vaddr > end || ph->memsz > end - ph->vaddr)
        return refuse(why, ELFCHK_SEG_WINDOW, i, ph->vaddr, ph->memsz, ELFCHK_WINDOW_BASE, end);
    if ((ph->align & (ph->align - 1)) != 0 || ph->align > ELFCHK_MAX_ALIGN)
        return refuse(why, ELFCHK_SEG_ALIGN, i, ph->align, 0, 0, 0);
    if (ph->align > 1 && (ph->vaddr - ph->offset) % ph->align != 0)
        return refuse(why, ELFCHK_SEG_CONGRUENT, i, ph->vaddr, ph->offset, ph->align, 0);
    return ELFCHK_OK;
}

// Checks that s shares no address with the segments already in img.
static enum elfchk_fault check_overlap(const struct elfchk_image *img, const struct elfchk_seg *s,
                                       struct elfchk_verdict *why)
{
    for (unsigned k = 0; k < img->nseg; k++) {
        const struct elfchk_seg *q = &img->seg[k];
        if (s->vaddr < q->vaddr + q->memsz && q->vaddr < s->vaddr + s->memsz) {
            refuse(why, ELFCHK_SEG_OVERLAP, s->phdr, q->vaddr, q->memsz, s->vaddr, s->memsz);
            why->other = q->phdr;
            return ELFCHK_SEG_OVERLAP;
        }
    }
    return ELFCHK_OK;
}

// Checks the entry point and computes the page-rounded span of the segments.
static enum elfchk_fault finish_image(struct elfchk_image *img, struct elfchk_verdict *why)
{
    if (img->nseg == 0)
        return refuse(why, ELFCHK_NO_LOAD, 0, 0, 0, 0, 0);
    int entry_ok = 0;
    img->lo = ~0ull;
    img->hi = 0;
    for (unsigned k = 0; k < img->nseg; k++) {
        const struct elfchk_seg *s = &img->seg[k];
        if ((s->flags & PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->filesz)
            entry_ok = 1;
        if (s->vaddr < img->lo)
            img->lo = s->vaddr;
        if (s->vaddr + s->memsz > img->hi)
            img->hi = s->vaddr + s->memsz;
    }
    if (!entry_ok)
        return refuse(why, ELFCHK_ENTRY, 0, img->entry, 0, 0, 0);
    img->lo &= ~(ELFCHK_PAGE - 1);
    img->hi = (img->hi + ELFCHK_PAGE - 1) & ~(ELFCHK_PAGE - 1); // the window's end is a page
    return ELFCHK_OK;
}

enum elfchk_fault elfchk_check(const void *file, uint64_t size, struct elfchk_image *img,
                               struct elfchk_verdict *why)
{
    const uint8_t *f = file;
    refuse(why, ELFCHK_OK, 0, 0, 0, 0, 0);
    img->nseg = 0;
    enum elfchk_fault r = check_header(f, size, why);
    if (r != ELFCHK_OK)
        return r;
    uint64_t phoff = rd(f + 32, 8);
    unsigned phnum = (unsigned)rd(f + 56, 2);
    img->entry = rd(f + 24, 8);
    for (unsigned i = 0; i < phnum; i++) {
        struct phdr ph;
        read_phdr(f + phoff + (uint64_t)i * PHDR_SIZE, &ph);
        if (ph.type != PT_LOAD)
            continue;
        if ((r = check_segment(&ph, i, size, why)) != ELFCHK_OK)
            return r;
        if (ph.memsz == 0)
            continue; // checked, but nothing to copy or map
        struct elfchk_seg s = {ph.vaddr, ph.memsz, ph.offset, ph.filesz, ph.flags, i};
        if ((r = check_overlap(img, &s, why)) != ELFCHK_OK)
            return r;
        img->seg[img->nseg++] = s;
    }
    return finish_image(img, why);
}

// ---- messages ------------------------------------------------------------------

// Each starts with the check's name. %s is the segment (program header index), %o
// the other segment of an overlap, %x the next number in hex, %d in decimal.
static const char *const templates[ELFCHK_NFAULTS] = {
    [ELFCHK_OK] = "accepted",
    [ELFCHK_MAGIC] = "magic: not an ELF file (%x bytes, no \\x7fELF at the start)",
    [ELFCHK_SHORT] = "size: %x bytes are shorter than an ELF64 header (%d bytes)",
    [ELFCHK_CLASS] = "class: not a 64-bit little-endian ELF (class %d, data %d)",
    [ELFCHK_MACHINE] = "machine: %d is not x86-64 (62)",
    [ELFCHK_TYPE] = "type: %d is not an executable (ET_EXEC = 2)",
    [ELFCHK_PHDR_COUNT] = "program header count: %d headers of %d bytes (want 1 to 64 of 56)",
    [ELFCHK_PHDR_TABLE] = "program header table: %x + %d headers lie beyond the end of the "
                          "file (%x bytes)",
    [ELFCHK_SEG_FILE] = "segment %s: file range: bytes %x + %x lie beyond the end of the file "
                        "(%x bytes)",
    [ELFCHK_SEG_SIZES] = "segment %s: sizes: file size %x exceeds memory size %x",
    [ELFCHK_SEG_WINDOW] = "segment %s: window: %x + %x is outside the kernel's window %x to %x",
    [ELFCHK_SEG_ALIGN] = "segment %s: alignment: p_align %x is not 0 or a power of two up "
                         "to 2 MiB",
    [ELFCHK_SEG_CONGRUENT] = "segment %s: alignment: address %x and offset %x differ modulo "
                             "p_align %x",
    [ELFCHK_SEG_OVERLAP] = "segments %o and %s: overlap: %x + %x and %x + %x share addresses",
    [ELFCHK_NO_LOAD] = "segments: no PT_LOAD segment with memory",
    [ELFCHK_ENTRY] = "entry: %x is not in the file bytes of an executable PT_LOAD segment",
};

// A bounded string being written.
struct out {
    char *buf;
    size_t cap, len;
};

// Appends c when there is room (one byte is kept for the NUL).
static void put_char(struct out *o, char c)
{
    if (o->len + 1 < o->cap)
        o->buf[o->len++] = c;
}

// Appends v in the given base (16 with a 0x prefix, or 10).
static void put_num(struct out *o, uint64_t v, unsigned base)
{
    char digits[20];
    int n = 0;
    if (base == 16) {
        put_char(o, '0');
        put_char(o, 'x');
    }
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        put_char(o, digits[--n]);
}

char *elfchk_describe(const struct elfchk_verdict *why, char *buf, size_t cap)
{
    struct out o = {buf, cap, 0};
    unsigned next = 0;
    const char *t = why->fault < ELFCHK_NFAULTS ? templates[why->fault] : "unknown fault";
    for (; *t; t++) {
        if (*t != '%' || !t[1]) {
            put_char(&o, *t);
            continue;
        }
        char c = *++t;
        if (c == 's' || c == 'o')
            put_num(&o, c == 's' ? why->seg : why->other, 10);
        else if (next < 4)
            put_num(&o, why->v[next++], c == 'x' ? 16 : 10);
    }
    if (cap)
        buf[o.len] = 0;
    return buf;
}
