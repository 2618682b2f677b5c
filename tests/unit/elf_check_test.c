// The loader's kernel ELF checker (boot/elf_check.c), on the host: a kernel-shaped
// image is accepted with the layout the loader copies, and every check refuses its
// broken image with the message the loader prints (the same text
// tests/image/boot_bad_kernel.sh expects on the serial console).
#include "tests/unit/test.h"
#include "boot/elf_check.h"

#define BASE ELFCHK_WINDOW_BASE
#define PT_LOAD 1
#define PT_NOTE 4

// A test image: up to 8 program headers after the ELF header, contents behind.
typedef struct {
    uint8_t b[0x4000];
    uint64_t size;
} elf_t;

// Stores v as n little-endian bytes at p.
static void put(uint8_t *p, uint64_t v, int n) {
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

// Sets program header i.
static void set_ph(elf_t *e, int i, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
                   uint64_t filesz, uint64_t memsz, uint64_t align) {
    uint8_t *p = e->b + 64 + 56 * i;
    put(p, type, 4);
    put(p + 4, flags, 4);
    put(p + 8, off, 8);
    put(p + 16, vaddr, 8);
    put(p + 24, vaddr - BASE, 8); // p_paddr: ignored, as by the loader
    put(p + 32, filesz, 8);
    put(p + 40, memsz, 8);
    put(p + 48, align, 8);
}

// Builds what linker.ld makes, small: text RX, rodata R, data+bss RW.
static void make_kernel(elf_t *e) {
    memset(e, 0, sizeof *e);
    memcpy(e->b, "\x7f" "ELF\x02\x01\x01", 7);
    put(e->b + 16, 2, 2);  // ET_EXEC
    put(e->b + 18, 62, 2); // EM_X86_64
    put(e->b + 20, 1, 4);
    put(e->b + 24, BASE + 0x200010, 8); // e_entry
    put(e->b + 32, 64, 8);              // e_phoff
    put(e->b + 52, 64, 2);
    put(e->b + 54, 56, 2);
    put(e->b + 56, 3, 2);
    set_ph(e, 0, PT_LOAD, 5, 0x1000, BASE + 0x200000, 0x1000, 0x1000, 0x1000);
    set_ph(e, 1, PT_LOAD, 4, 0x2000, BASE + 0x201000, 0x800, 0x800, 0x1000);
    set_ph(e, 2, PT_LOAD, 6, 0x3000, BASE + 0x202000, 0x100, 0x5000, 0x1000);
    for (int i = 0x1000; i < 0x3100; i++)
        e->b[i] = (uint8_t)i;
    e->size = 0x3100;
}

// Sets e_phnum.
static void set_phnum(elf_t *e, uint64_t n) { put(e->b + 56, n, 2); }

// Checks e and returns the message (a static buffer), "accepted" when it passed.
static const char *verdict(const elf_t *e, struct elfchk_image *img) {
    static char msg[200];
    struct elfchk_verdict why;
    static struct elfchk_image scratch;
    enum elfchk_fault f = elfchk_check(e->b, e->size, img ? img : &scratch, &why);
    assert_int_equal(f, why.fault);
    return elfchk_describe(&why, msg, sizeof msg);
}

static void elf_check_accepts_a_kernel_shaped_image_with_its_layout(void **state) {
    (void)state;
    static elf_t e;
    static struct elfchk_image img;
    make_kernel(&e);
    assert_string_equal(verdict(&e, &img), "accepted");
    assert_int_equal(img.nseg, 3);
    assert_true(img.lo == BASE + 0x200000);
    assert_true(img.hi == BASE + 0x207000); // data's 0x5000 bytes end the span
    assert_true(img.entry == BASE + 0x200010);
    assert_true(img.seg[2].offset == 0x3000 && img.seg[2].filesz == 0x100);
    assert_true(img.seg[2].memsz == 0x5000 && img.seg[2].phdr == 2);
}

static void elf_check_refuses_the_crafted_empty_segment_far_beyond_the_file(void **state) {
    (void)state;
    static elf_t e;
    // The original bug text: an extra PT_LOAD with p_memsz 0, p_filesz 0x1000 and
    // p_offset 0x7fff00000000 made the loader copy from there and fault.
    make_kernel(&e);
    set_ph(&e, 3, PT_LOAD, 4, 0x7fff00000000ull, BASE + 0x300000, 0x1000, 0, 0x1000);
    set_phnum(&e, 4);
    assert_string_equal(verdict(&e, NULL), "segment 3: file range: bytes 0x7fff00000000 + "
                                            "0x1000 lie beyond the end of the file (0x3100 bytes)");
    // Inside the file but larger than its memory: still refused, by the size check.
    set_ph(&e, 3, PT_LOAD, 4, 0x1000, BASE + 0x300000, 0x1000, 0, 0x1000);
    assert_string_equal(verdict(&e, NULL),
                        "segment 3: sizes: file size 0x1000 exceeds memory size 0x0");
}

static void elf_check_refuses_file_ranges_that_overflow(void **state) {
    (void)state;
    static elf_t e;
    make_kernel(&e);
    set_ph(&e, 1, PT_LOAD, 4, 0xfffffffffffff000ull, BASE + 0x201000, 0x2000, 0x2000, 0x1000);
    assert_string_equal(verdict(&e, NULL),
                        "segment 1: file range: bytes 0xfffffffffffff000 + 0x2000 lie beyond "
                        "the end of the file (0x3100 bytes)");
    set_ph(&e, 1, PT_LOAD, 4, 0x3000, BASE + 0x201000, 0x101, 0x800, 0x1000); // one byte over
    assert_string_equal(verdict(&e, NULL), "segment 1: file range: bytes 0x3000 + 0x101 lie "
                                            "beyond the end of the file (0x3100 bytes)");
    set_ph(&e, 1, PT_LOAD, 4, 0x3000, BASE + 0x201000, 0x100, 0x800, 0x1000); // exactly the end
    assert_string_equal(verdict(&e, NULL), "accepted");
}

static void elf_check_keeps_every_segment_inside_the_kernel_window(void **state) {
    (void)state;
    static elf_t e;
    const char *low = "segment 2: window: 0x400000 + 0x5000 is outside the kernel's window "
                      "0xffffffff80000000 to 0xffffffffc0000000";
    make_kernel(&e);
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, 0x400000, 0x100, 0x5000, 0x1000);
    assert_string_equal(verdict(&e, NULL), low);
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, BASE + (1ull << 30) - 0x1000, 0x100, 0x1001, 0x1000);
    assert_string_equal(verdict(&e, NULL), "segment 2: window: 0xffffffffbffff000 + 0x1001 is "
                                            "outside the kernel's window 0xffffffff80000000 to "
                                            "0xffffffffc0000000");
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, 0xfffffffffffff000ull, 0x100, 0x2000, 0x1000); // wraps
    assert_true(strstr(verdict(&e, NULL), "segment 2: window: 0xfffffffffffff000 + 0x2000"));
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, BASE + (1ull << 30) - 0x1000, 0x100, 0x1000, 0x1000);
    assert_string_equal(verdict(&e, NULL), "accepted"); // the window's last page
    // An empty PT_LOAD is checked too, and then left out of the layout.
    static struct elfchk_image img;
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, 0x1000, 0, 0, 0);
    assert_true(strstr(verdict(&e, NULL), "segment 2: window: 0x1000 + 0x0 is outside"));
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, BASE + 0x900000, 0, 0, 0);
    assert_string_equal(verdict(&e, &img), "accepted");
    assert_int_equal(img.nseg, 2);
    assert_true(img.hi == BASE + 0x202000);
}

static void elf_check_wants_sane_alignment(void **state) {
    (void)state;
    static elf_t e;
    make_kernel(&e);
    set_ph(&e, 1, PT_LOAD, 4, 0x2000, BASE + 0x201000, 0x800, 0x800, 0x3000);
    assert_string_equal(verdict(&e, NULL), "segment 1: alignment: p_align 0x3000 is not 0 or a "
                                            "power of two up to 2 MiB");
    set_ph(&e, 1, PT_LOAD, 4, 0x2000, BASE + 0x201000, 0x800, 0x800, 4ull << 20);
    assert_true(strstr(verdict(&e, NULL), "segment 1: alignment: p_align 0x400000"));
    set_ph(&e, 1, PT_LOAD, 4, 0x2010, BASE + 0x201000, 0x800, 0x800, 0x1000);
    assert_string_equal(verdict(&e, NULL), "segment 1: alignment: address 0xffffffff80201000 and "
                                            "offset 0x2010 differ modulo p_align 0x1000");
    set_ph(&e, 1, PT_LOAD, 4, 0x2010, BASE + 0x201010, 0x800, 0x800, 0x10);
    assert_string_equal(verdict(&e, NULL), "accepted");
    set_ph(&e, 1, PT_LOAD, 4, 0x2010, BASE + 0x201001, 0x800, 0x800, 0);
    assert_string_equal(verdict(&e, NULL), "accepted"); // 0 and 1: no constraint
}

static void elf_check_refuses_overlapping_segments(void **state) {
    (void)state;
    static elf_t e;
    make_kernel(&e);
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, BASE + 0x200800, 0x100, 0x1000, 0x800);
    assert_string_equal(verdict(&e, NULL), "segments 0 and 2: overlap: 0xffffffff80200000 + "
                                            "0x1000 and 0xffffffff80200800 + 0x1000 share addresses");
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, BASE + 0x1ff000, 0x100, 0x1001, 0x1000); // one byte in
    assert_true(strstr(verdict(&e, NULL), "segments 0 and 2: overlap"));
    set_ph(&e, 2, PT_LOAD, 6, 0x3000, BASE + 0x1ff000, 0x100, 0x1000, 0x1000); // touching
    assert_string_equal(verdict(&e, NULL), "accepted");
}

static void elf_check_wants_the_entry_in_executable_file_bytes(void **state) {
    (void)state;
    static elf_t e;
    const char *want = "entry: 0xffffffff80202000 is not in the file bytes of an executable "
                       "PT_LOAD segment";
    make_kernel(&e);
    put(e.b + 24, BASE + 0x202000, 8); // in data (RW)
    assert_string_equal(verdict(&e, NULL), want);
    set_ph(&e, 2, PT_LOAD, 7, 0x3000, BASE + 0x202000, 0x100, 0x5000, 0x1000); // now RWX
    assert_string_equal(verdict(&e, NULL), "accepted");
    put(e.b + 24, BASE + 0x202100, 8); // in its .bss: zeros, not code
    assert_true(strstr(verdict(&e, NULL), "entry: 0xffffffff80202100 is not"));
}

static void elf_check_refuses_bad_headers_and_counts(void **state) {
    (void)state;
    static elf_t e;
    make_kernel(&e);
    e.size = 21;
    memcpy(e.b, "this is not a kernel\n", 21);
    assert_string_equal(verdict(&e, NULL),
                        "magic: not an ELF file (0x15 bytes, no \\x7fELF at the start)");
    make_kernel(&e);
    e.size = 40;
    assert_string_equal(verdict(&e, NULL),
                        "size: 0x28 bytes are shorter than an ELF64 header (64 bytes)");
    make_kernel(&e);
    e.b[4] = 1;
    assert_string_equal(verdict(&e, NULL), "class: not a 64-bit little-endian ELF (class 1, data 1)");
    make_kernel(&e);
    e.b[18] = 3;
    assert_string_equal(verdict(&e, NULL), "machine: 3 is not x86-64 (62)");
    make_kernel(&e);
    e.b[16] = 3;
    assert_string_equal(verdict(&e, NULL), "type: 3 is not an executable (ET_EXEC = 2)");
    set_phnum(&e, 0);
    e.b[16] = 2;
    assert_string_equal(verdict(&e, NULL), "program header count: 0 headers of 56 bytes "
                                            "(want 1 to 64 of 56)");
    set_phnum(&e, 65);
    assert_true(strstr(verdict(&e, NULL), "program header count: 65 headers"));
    set_phnum(&e, 0xffff); // PN_XNUM: the real count would be in a section header
    assert_true(strstr(verdict(&e, NULL), "program header count: 65535 headers"));
    make_kernel(&e);
    put(e.b + 54, 64, 2);
    assert_true(strstr(verdict(&e, NULL), "program header count: 3 headers of 64 bytes"));
    make_kernel(&e);
    e.size = 100;
    assert_string_equal(verdict(&e, NULL), "program header table: 0x40 + 3 headers lie beyond "
                                            "the end of the file (0x64 bytes)");
    make_kernel(&e);
    put(e.b + 32, ~0ull - 8, 8); // e_phoff + the table wraps around
    assert_true(strstr(verdict(&e, NULL), "program header table: 0xfffffffffffffff7 + 3"));
}

static void elf_check_needs_a_segment_with_memory(void **state) {
    (void)state;
    static elf_t e;
    make_kernel(&e);
    for (int i = 0; i < 3; i++)
        e.b[64 + 56 * i] = PT_NOTE; // other types are not loaded and not checked
    assert_string_equal(verdict(&e, NULL), "segments: no PT_LOAD segment with memory");
}

static void elf_check_message_is_cut_to_the_buffer(void **state) {
    (void)state;
    struct elfchk_verdict why = {.fault = ELFCHK_MACHINE, .v = {3}};
    char buf[8];
    memset(buf, 'x', sizeof buf);
    assert_string_equal(elfchk_describe(&why, buf, sizeof buf), "machine");
    why.fault = ELFCHK_NFAULTS;
    char big[64];
    assert_string_equal(elfchk_describe(&why, big, sizeof big), "unknown fault");
}

RUN_TESTS(cmocka_unit_test(elf_check_accepts_a_kernel_shaped_image_with_its_layout),
          cmocka_unit_test(elf_check_refuses_the_crafted_empty_segment_far_beyond_the_file),
          cmocka_unit_test(elf_check_refuses_file_ranges_that_overflow),
          cmocka_unit_test(elf_check_keeps_every_segment_inside_the_kernel_window),
          cmocka_unit_test(elf_check_wants_sane_alignment),
          cmocka_unit_test(elf_check_refuses_overlapping_segments),
          cmocka_unit_test(elf_check_wants_the_entry_in_executable_file_bytes),
          cmocka_unit_test(elf_check_refuses_bad_headers_and_counts),
          cmocka_unit_test(elf_check_needs_a_segment_with_memory),
          cmocka_unit_test(elf_check_message_is_cut_to_the_buffer))
