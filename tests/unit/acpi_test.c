// ACPI as the kernel reads it, on faked firmware memory: the RSDP -> XSDT walk
// (checksums, bad pointers, the DSDT added from the FADT), the FADT's PM timer
// and sleep registers (legacy and X_ blocks, hardware-reduced), the HPET and
// MADT tables, the \_S5 package in AML (kernel/aml_s5.c: real encodings, every
// truncation, lookalikes, values out of range), and the calibration fallback
// when the FADT has no PM timer (kernel/clock_pick.c): HPET next, then CPUID's
// stated rate, then the PIT, with the counter arithmetic each of them needs.
#include "tests/unit/test.h"

#include "kernel/acpi_tables.h"
#include "kernel/aml_s5.h"
#include "kernel/clock_pick.h"

// ---- faked physical memory -------------------------------------------------

#define MEM_SIZE 0x10000
#define RSDP_PA 0x1000
#define XSDT_PA 0x2000
#define FADT_PA 0x3000
#define HPET_PA 0x4000
#define MADT_PA 0x5000
#define DSDT_PA 0x6000

static uint8_t mem[MEM_SIZE];

static const uint8_t *map(uint64_t pa, uint32_t len, void *ctx) {
    (void)ctx;
    if (pa >= MEM_SIZE || len > MEM_SIZE - pa)
        return NULL;
    return mem + pa;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

// Sets byte `at` so that the len bytes at p sum to 0.
static void fix_sum(uint8_t *p, uint32_t len, uint32_t at) {
    uint8_t s = 0;
    p[at] = 0;
    for (uint32_t i = 0; i < len; i++)
        s = (uint8_t)(s + p[i]);
    p[at] = (uint8_t)(0 - s);
}

// A table header at pa: signature, length, revision, OEM "SPANLB"; body zeroed.
static uint8_t *table(uint64_t pa, const char *sig, uint32_t len, uint8_t rev) {
    uint8_t *t = mem + pa;
    memset(t, 0, len);
    memcpy(t, sig, 4);
    put32(t + 4, len);
    t[8] = rev;
    memcpy(t + 10, "SPANLB", 6);
    return t;
}

// A Generic Address Structure at p.
static void gas(uint8_t *p, uint8_t space, uint8_t bits, uint64_t addr) {
    p[0] = space;
    p[1] = bits;
    p[2] = p[3] = 0;
    put64(p + 4, addr);
}

// QEMU's \_S5 (hw/i386/acpi-build.c): Name (_S5, Package (0x04) {Zero, Zero, Zero, Zero}).
static const uint8_t qemu_s5[] = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0};

// The whole firmware: RSDP 2.0 -> XSDT -> FADT (PM timer unless no_pm), HPET,
// MADT; the FADT names a DSDT holding QEMU's _S5. Every checksum right.
static void build_firmware(bool no_pm, bool hw_reduced) {
    memset(mem, 0, sizeof mem);
    uint8_t *r = mem + RSDP_PA;
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "SPANLB", 6);
    r[15] = 2;
    put32(r + 16, 0);
    put32(r + 20, 36);
    put64(r + 24, XSDT_PA);
    fix_sum(r, 20, 8);
    fix_sum(r, 36, 32);
    uint8_t *x = table(XSDT_PA, "XSDT", 36 + 3 * 8, 1);
    put64(x + 36, FADT_PA);
    put64(x + 44, HPET_PA);
    put64(x + 52, MADT_PA);
    fix_sum(x, 36 + 24, 9);
    uint8_t *f = table(FADT_PA, "FACP", 276, 6);
    put32(f + 40, DSDT_PA);
    put32(f + 64, 0x604); // PM1a_CNT_BLK
    f[89] = 2;            // PM1_CNT_LEN
    if (!no_pm)
        put32(f + 76, 0x608); // PM_TMR_BLK
    put32(f + 112, (1u << 10) | (hw_reduced ? 1u << 20 : 0)); // RESET_REG_SUP, HW_REDUCED
    gas(f + 116, 1, 8, 0xcf9);
    f[128] = 6;
    gas(f + 244, 1, 8, 0x700); // SLEEP_CONTROL_REG
    fix_sum(f, 276, 9);
    uint8_t *h = table(HPET_PA, "HPET", 56, 1);
    gas(h + 40, 0, 64, 0xfed00000);
    fix_sum(h, 56, 9);
    uint8_t *m = table(MADT_PA, "APIC", 52, 4); // one enabled Local APIC entry
    m[44] = 0;
    m[45] = 8;
    put32(m + 48, 1);
    fix_sum(m, 52, 9);
    uint8_t *d = table(DSDT_PA, "DSDT", 36 + sizeof qemu_s5, 2);
    memcpy(d + 36, qemu_s5, sizeof qemu_s5);
    fix_sum(d, 36 + sizeof qemu_s5, 9);
}

// Parses the FADT of the faked firmware.
static acpi_fadt_info_t fadt_of(const acpi_table_list_t *l) {
    acpi_fadt_info_t fi;
    const acpi_table_ref_t *t = acpi_tables_get(l, "FACP");
    assert_non_null(t);
    assert_true(acpi_fadt_parse(map(t->pa, t->length, NULL), t->length, &fi));
    return fi;
}

// ---- the table walk ----------------------------------------------------------

static void acpi_walk_finds_every_table_and_the_dsdt(void **state) {
    build_firmware(false, false);
    acpi_table_list_t l;
    assert_true(acpi_tables_find(RSDP_PA, map, NULL, &l));
    assert_true(l.xsdt);
    assert_int_equal(l.rsdp_revision, 2);
    assert_int_equal(l.count, 4); // FACP HPET APIC, then the DSDT from the FADT
    assert_int_equal(l.skipped, 0);
    assert_string_equal(l.tables[0].sig, "FACP");
    assert_string_equal(l.tables[0].oem_id, "SPANLB");
    assert_true(l.tables[0].checksum_ok);
    const acpi_table_ref_t *d = acpi_tables_get(&l, "DSDT");
    assert_non_null(d);
    assert_int_equal(d->pa, DSDT_PA);
    assert_null(acpi_tables_get(&l, "SSDT"));
}

static void acpi_walk_refuses_a_bad_rsdp(void **state) {
    acpi_table_list_t l;
    build_firmware(false, false);
    mem[RSDP_PA + 8] ^= 1; // ACPI 1.0 checksum
    assert_false(acpi_tables_find(RSDP_PA, map, NULL, &l));
    assert_int_equal(l.count, 0);
    build_firmware(false, false);
    mem[RSDP_PA] = 'X';
    assert_false(acpi_tables_find(RSDP_PA, map, NULL, &l));
    assert_false(acpi_tables_find(0, map, NULL, &l));
    assert_false(acpi_tables_find(MEM_SIZE - 4, map, NULL, &l)); // runs off memory
}

static void acpi_walk_uses_the_rsdt_for_acpi_1(void **state) {
    build_firmware(false, false);
    uint8_t *r = mem + RSDP_PA;
    r[15] = 0;
    put32(r + 16, 0x7000);
    fix_sum(r, 20, 8);
    uint8_t *t = table(0x7000, "RSDT", 36 + 4, 1);
    put32(t + 36, FADT_PA);
    fix_sum(t, 40, 9);
    acpi_table_list_t l;
    assert_true(acpi_tables_find(RSDP_PA, map, NULL, &l));
    assert_false(l.xsdt);
    assert_int_equal(l.count, 2); // FACP and its DSDT
}

static void acpi_walk_skips_unreadable_and_oversized_tables(void **state) {
    build_firmware(false, false);
    uint8_t *x = mem + XSDT_PA;
    put64(x + 44, 0xffff0000ull); // the HPET entry points beyond memory
    fix_sum(x, 60, 9);
    put32(mem + MADT_PA + 4, 20); // the MADT is shorter than a header
    acpi_table_list_t l;
    assert_true(acpi_tables_find(RSDP_PA, map, NULL, &l));
    assert_null(acpi_tables_get(&l, "HPET"));
    assert_null(acpi_tables_get(&l, "APIC"));
    assert_int_equal(l.skipped, 2);
    assert_int_equal(l.count, 2); // FACP and the DSDT still there
    mem[FADT_PA + 50] ^= 0xff; // a wrong checksum is reported, not hidden
    assert_true(acpi_tables_find(RSDP_PA, map, NULL, &l));
    assert_false(acpi_tables_get(&l, "FACP")->checksum_ok);
}

// ---- FADT, HPET, MADT --------------------------------------------------------

static void acpi_fadt_gives_pm_timer_sleep_and_reset_registers(void **state) {
    build_firmware(false, false);
    acpi_table_list_t l;
    assert_true(acpi_tables_find(RSDP_PA, map, NULL, &l));
    acpi_fadt_info_t fi = fadt_of(&l);
    assert_int_equal(fi.pm_timer.space, ACPI_SPACE_IO);
    assert_int_equal(fi.pm_timer.address, 0x608);
    assert_false(fi.pm_timer_32bit);
    assert_int_equal(fi.pm1a_cnt.address, 0x604);
    assert_int_equal(fi.pm1a_cnt.bit_width, 16);
    assert_int_equal(fi.pm1b_cnt.address, 0);
    assert_true(fi.reset_supported);
    assert_int_equal(fi.reset_reg.address, 0xcf9);
    assert_int_equal(fi.reset_value, 6);
    assert_int_equal(fi.dsdt, DSDT_PA);
    // An X_PM_TMR_BLK wins over the legacy field; TMR_VAL_EXT makes it 32 bits.
    uint8_t *f = mem + FADT_PA;
    gas(f + 208, 1, 32, 0x1808);
    put32(f + 112, 1u << 8);
    assert_true(acpi_fadt_parse(f, 276, &fi));
    assert_int_equal(fi.pm_timer.address, 0x1808);
    assert_true(fi.pm_timer_32bit);
    assert_false(fi.reset_supported);
}

static void acpi_fadt_hardware_reduced_has_no_pm_blocks(void **state) {
    build_firmware(false, true);
    acpi_table_list_t l;
    assert_true(acpi_tables_find(RSDP_PA, map, NULL, &l));
    acpi_fadt_info_t fi = fadt_of(&l);
    assert_true(fi.hw_reduced);
    assert_int_equal(fi.pm_timer.address, 0); // ignored even though the field is set
    assert_int_equal(fi.pm1a_cnt.address, 0);
    assert_int_equal(fi.sleep_control.address, 0x700);
    // An ACPI 1.0 FADT (116 bytes) still parses; a 100-byte one does not.
    uint8_t *f = table(0x8000, "FACP", 116, 1);
    put32(f + 76, 0x808);
    assert_true(acpi_fadt_parse(f, 116, &fi));
    assert_int_equal(fi.pm_timer.address, 0x808);
    assert_int_equal(fi.sleep_control.address, 0);
    assert_false(acpi_fadt_parse(f, 100, &fi));
    assert_false(acpi_fadt_parse(mem + HPET_PA, 116, &fi)); // not a FACP
}

static void acpi_hpet_table_gives_a_memory_address(void **state) {
    build_firmware(false, false);
    uint64_t base;
    assert_true(acpi_hpet_parse(mem + HPET_PA, 56, &base));
    assert_int_equal(base, 0xfed00000);
    gas(mem + HPET_PA + 40, 1, 64, 0xfed00000); // I/O space: not an HPET we can read
    assert_false(acpi_hpet_parse(mem + HPET_PA, 56, &base));
    gas(mem + HPET_PA + 40, 0, 64, 0xfed00010); // not 1 KiB aligned
    assert_false(acpi_hpet_parse(mem + HPET_PA, 56, &base));
    assert_false(acpi_hpet_parse(mem + HPET_PA, 40, &base)); // cut short
}

// Appends a MADT entry of `len` bytes at *off.
static uint8_t *madt_entry(uint8_t *t, uint32_t *off, uint8_t type, uint8_t len) {
    uint8_t *e = t + *off;
    e[0] = type;
    e[1] = len;
    *off += len;
    return e;
}

static void acpi_madt_counts_enabled_cpus(void **state) {
    uint8_t *t = table(MADT_PA, "APIC", 200, 4);
    put32(t + 36, 0xfee00000);
    put32(t + 40, 1);
    uint32_t off = 44;
    for (int i = 0; i < 4; i++) // three enabled, one online-capable (hot-plug)
        put32(madt_entry(t, &off, 0, 8) + 4, i < 3 ? 1 : 2);
    put32(madt_entry(t, &off, 9, 16) + 8, 1); // an x2APIC CPU
    madt_entry(t, &off, 1, 12);               // an I/O APIC
    put64(madt_entry(t, &off, 5, 12) + 4, 0xfee10000);
    put32(t + 4, off);
    acpi_madt_info_t m;
    assert_true(acpi_madt_parse(t, off, &m));
    assert_int_equal(m.cpus_enabled, 4);
    assert_int_equal(m.x2apic_entries, 1);
    assert_int_equal(m.cpus_possible, 1);
    assert_int_equal(m.ioapics, 1);
    assert_int_equal(m.lapic_override, 0xfee10000);
    assert_true(m.pcat_compat);
    assert_false(m.truncated);
    // An entry claiming more bytes than the table has: counted up to it, flagged.
    madt_entry(t, &off, 0, 40);
    assert_true(acpi_madt_parse(t, off - 30, &m));
    assert_true(m.truncated);
    assert_int_equal(m.cpus_enabled, 4);
    t[44 + 1] = 0; // a zero-length entry must not loop forever
    assert_true(acpi_madt_parse(t, off, &m));
    assert_true(m.truncated);
}

// ---- \_S5 in AML -------------------------------------------------------------

// Wraps aml in a table header in a heap block of exactly the table's size, so
// ASan catches any read past its end; returns the result.
static aml_s5_result_t s5_of(const uint8_t *aml, size_t n, uint8_t *a, uint8_t *b) {
    size_t len = 36 + n;
    uint8_t *t = malloc(len);
    memset(t, 0, 36);
    memcpy(t, "DSDT", 4);
    memcpy(t + 36, aml, n);
    aml_s5_result_t r = aml_find_s5(t, len, a, b, NULL);
    free(t);
    return r;
}

static void aml_reads_qemu_and_common_s5_encodings(void **state) {
    uint8_t a = 9, b = 9;
    assert_int_equal(s5_of(qemu_s5, sizeof qemu_s5, &a, &b), AML_S5_FOUND);
    assert_int_equal(a, 0);
    assert_int_equal(b, 0);
    // \_S5 with BytePrefix values (Intel chipsets: 7), as a scope-level name.
    const uint8_t intel[] = {0x10, 0x11, '\\', 0x08, '\\', '_', 'S', '5', '_',
                             0x12, 0x08, 0x04, 0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00};
    assert_int_equal(s5_of(intel, sizeof intel, &a, &b), AML_S5_FOUND);
    assert_int_equal(a, 7);
    assert_int_equal(b, 7);
    // A two-byte PkgLength, Word and DWord prefixes, one element only.
    const uint8_t wide[] = {0x08, '_', 'S', '5', '_', 0x12, 0x4b, 0x00, 0x02, 0x0b, 0x05,
                            0x00, 0x0c, 0x03, 0, 0, 0};
    assert_int_equal(s5_of(wide, sizeof wide, &a, &b), AML_S5_FOUND);
    assert_int_equal(a, 5);
    assert_int_equal(b, 3);
    const uint8_t one[] = {0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05};
    assert_int_equal(s5_of(one, sizeof one, &a, &b), AML_S5_FOUND);
    assert_int_equal(a, 5);
    assert_int_equal(b, 0);
    // OneOp elements under a parent prefix.
    const uint8_t parent[] = {0x08, '^', '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01};
    assert_int_equal(s5_of(parent, sizeof parent, &a, &b), AML_S5_FOUND);
    assert_int_equal(a, 1);
}

static void aml_refuses_what_is_not_a_static_package(void **state) {
    uint8_t a, b;
    // A method named _S5 (MethodOp 0x14): not a package we can read.
    const uint8_t method[] = {0x14, 0x08, '_', 'S', '5', '_', 0x00, 0xa4, 0x00};
    assert_int_equal(s5_of(method, sizeof method, &a, &b), AML_S5_ABSENT);
    // _S5_ as a reference inside other code, no NameOp before it.
    const uint8_t ref[] = {0x70, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x00};
    assert_int_equal(s5_of(ref, sizeof ref, &a, &b), AML_S5_ABSENT);
    // Elements that are names, and a SLP_TYP wider than 3 bits.
    const uint8_t named[] = {0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x02, 'X', 'Y', 'Z', '_', 0x00};
    assert_int_equal(s5_of(named, sizeof named, &a, &b), AML_S5_MALFORMED);
    const uint8_t wide[] = {0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x08, 0x00};
    assert_int_equal(s5_of(wide, sizeof wide, &a, &b), AML_S5_MALFORMED);
    // PkgLength with reserved bits, or claiming more than the table holds.
    const uint8_t rsvd[] = {0x08, '_', 'S', '5', '_', 0x12, 0x70, 0x00, 0x02, 0x00, 0x00};
    assert_int_equal(s5_of(rsvd, sizeof rsvd, &a, &b), AML_S5_MALFORMED);
    const uint8_t longer[] = {0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x00, 0x00};
    assert_int_equal(s5_of(longer, sizeof longer, &a, &b), AML_S5_MALFORMED);
    assert_int_equal(aml_find_s5(NULL, 100, &a, &b, NULL), AML_S5_ABSENT);
}

static void aml_a_lookalike_does_not_hide_the_real_s5(void **state) {
    // First a broken candidate (elements are names), then QEMU's package.
    uint8_t aml[64];
    const uint8_t bad[] = {0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 'A', 'B', 'C'};
    memcpy(aml, bad, sizeof bad);
    memcpy(aml + sizeof bad, qemu_s5, sizeof qemu_s5);
    uint8_t a = 9, b = 9;
    assert_int_equal(s5_of(aml, sizeof bad + sizeof qemu_s5, &a, &b), AML_S5_FOUND);
    assert_int_equal(a, 0);
}

static void aml_every_truncation_is_read_safely(void **state) {
    // Cut the Intel-style table after every byte: never a read past the end
    // (ASan watches the exact-size copy), found only when the package is whole.
    const uint8_t intel[] = {0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04,
                             0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00};
    for (size_t n = 0; n <= sizeof intel; n++) {
        uint8_t a, b;
        aml_s5_result_t r = s5_of(intel, n, &a, &b);
        if (n == sizeof intel)
            assert_int_equal(r, AML_S5_FOUND);
        else
            assert_int_not_equal(r, AML_S5_FOUND);
    }
    // And random bytes around a name: no crash, no read past the end.
    srand(15);
    for (int round = 0; round < 2000; round++) {
        uint8_t aml[24];
        for (size_t i = 0; i < sizeof aml; i++)
            aml[i] = (uint8_t)rand();
        memcpy(aml + 2, "\x08_S5_\x12", 6);
        uint8_t a, b;
        if (s5_of(aml, 8 + (size_t)(rand() % 17), &a, &b) == AML_S5_FOUND)
            assert_true(a <= 7 && b <= 7);
    }
}

// ---- calibration without a PM timer -----------------------------------------

// The references a machine built from the faked firmware offers: the PM timer
// when the FADT names one, the HPET when its table does, CPUID's rate and the
// PIT as given (kernel/clock_ref.c probes the same facts on hardware).
static clock_refs_t refs_of(bool no_pm, bool hw_reduced, bool cpuid, bool pit) {
    build_firmware(no_pm, hw_reduced);
    acpi_table_list_t l;
    assert_true(acpi_tables_find(RSDP_PA, map, NULL, &l));
    acpi_fadt_info_t fi = fadt_of(&l);
    const acpi_table_ref_t *h = acpi_tables_get(&l, "HPET");
    uint64_t base;
    clock_refs_t r = {0};
    r.present[CLOCK_REF_PM] = fi.pm_timer.address != 0;
    r.present[CLOCK_REF_HPET] = h && acpi_hpet_parse(map(h->pa, h->length, NULL), h->length, &base);
    r.present[CLOCK_REF_CPUID] = cpuid;
    r.present[CLOCK_REF_PIT] = pit;
    return r;
}

static void clock_without_pm_timer_calibrates_against_the_hpet(void **state) {
    clock_ref_kind_t p, s;
    bool missing;
    clock_refs_t r = refs_of(false, false, false, true);
    assert_true(clock_pick(&r, CLOCK_REF_AUTO, &p, &s, &missing));
    assert_int_equal(p, CLOCK_REF_PM);
    assert_int_equal(s, CLOCK_REF_HPET);
    r = refs_of(true, false, false, true); // PM_TMR_BLK = 0
    assert_true(clock_pick(&r, CLOCK_REF_AUTO, &p, &s, &missing));
    assert_int_equal(p, CLOCK_REF_HPET);
    assert_int_equal(s, CLOCK_REF_PIT);
    r = refs_of(false, true, false, true); // hardware-reduced: the field is ignored
    assert_true(clock_pick(&r, CLOCK_REF_AUTO, &p, &s, &missing));
    assert_int_equal(p, CLOCK_REF_HPET);
    assert_false(missing);
}

static void clock_falls_back_to_cpuid_then_pit(void **state) {
    clock_ref_kind_t p, s;
    bool missing;
    clock_refs_t r = refs_of(true, false, true, true);
    r.present[CLOCK_REF_HPET] = false;
    assert_true(clock_pick(&r, CLOCK_REF_AUTO, &p, &s, &missing));
    assert_int_equal(p, CLOCK_REF_CPUID);
    assert_int_equal(s, CLOCK_REF_PIT);
    r.present[CLOCK_REF_CPUID] = false;
    assert_true(clock_pick(&r, CLOCK_REF_AUTO, &p, &s, &missing));
    assert_int_equal(p, CLOCK_REF_PIT);
    assert_int_equal(s, CLOCK_REF_NONE);
    r.present[CLOCK_REF_PIT] = false;
    assert_false(clock_pick(&r, CLOCK_REF_AUTO, &p, &s, &missing));
    assert_int_equal(p, CLOCK_REF_NONE);
}

static void clock_forced_reference_goes_first_or_is_reported(void **state) {
    clock_ref_kind_t p, s;
    bool missing;
    clock_refs_t r = refs_of(false, false, false, true);
    assert_true(clock_pick(&r, CLOCK_REF_PIT, &p, &s, &missing));
    assert_int_equal(p, CLOCK_REF_PIT);
    assert_int_equal(s, CLOCK_REF_PM); // the check is the best of the rest
    assert_false(missing);
    assert_true(clock_pick(&r, CLOCK_REF_CPUID, &p, &s, &missing));
    assert_true(missing);
    assert_int_equal(p, CLOCK_REF_PM);
    assert_int_equal(s, CLOCK_REF_HPET);
}

static void clock_cpuid_states_the_tsc_rate(void **state) {
    const char *src;
    uint32_t l15[4] = {2, 176, 24000000, 0}, l16[4] = {2100, 4000, 100, 0}, z[4] = {0};
    assert_int_equal(clock_cpuid_tsc_hz(0x16, l15, l16, &src), 2112000000ull);
    assert_string_equal(src, "0x15");
    uint32_t no_crystal[4] = {2, 176, 0, 0}; // Skylake client: crystal not enumerated
    assert_int_equal(clock_cpuid_tsc_hz(0x16, no_crystal, l16, &src), 2100000000ull);
    assert_string_equal(src, "0x16");
    assert_int_equal(clock_cpuid_tsc_hz(0x14, l15, l16, &src), 0); // leaves not there
    assert_int_equal(clock_cpuid_tsc_hz(0x16, z, z, &src), 0);
    assert_string_equal(src, "none");
}

static void clock_counters_wrap_up_and_down(void **state) {
    // 24-bit PM timer across its wrap, 32-bit HPET, 16-bit PIT counting down.
    assert_int_equal(clock_counter_delta(0xfffff0, 0x000010, 0xffffff, false), 0x20);
    assert_int_equal(clock_counter_delta(0xfffffff0u, 0x10, 0xffffffffu, false), 0x20);
    assert_int_equal(clock_counter_delta(5, 0xfffe, 0xffff, true), 7);
    assert_int_equal(clock_counter_delta(0x100, 0x80, 0xffff, true), 0x80);
    assert_int_equal(clock_ppm(2000000000, 2000100000), 50);
    assert_int_equal(clock_ppm(2000000000, 1999900000), -50);
    assert_string_equal(clock_ref_name(CLOCK_REF_HPET), "HPET");
}

RUN_TESTS(cmocka_unit_test(acpi_walk_finds_every_table_and_the_dsdt),
          cmocka_unit_test(acpi_walk_refuses_a_bad_rsdp),
          cmocka_unit_test(acpi_walk_uses_the_rsdt_for_acpi_1),
          cmocka_unit_test(acpi_walk_skips_unreadable_and_oversized_tables),
          cmocka_unit_test(acpi_fadt_gives_pm_timer_sleep_and_reset_registers),
          cmocka_unit_test(acpi_fadt_hardware_reduced_has_no_pm_blocks),
          cmocka_unit_test(acpi_hpet_table_gives_a_memory_address),
          cmocka_unit_test(acpi_madt_counts_enabled_cpus),
          cmocka_unit_test(aml_reads_qemu_and_common_s5_encodings),
          cmocka_unit_test(aml_refuses_what_is_not_a_static_package),
          cmocka_unit_test(aml_a_lookalike_does_not_hide_the_real_s5),
          cmocka_unit_test(aml_every_truncation_is_read_safely),
          cmocka_unit_test(clock_without_pm_timer_calibrates_against_the_hpet),
          cmocka_unit_test(clock_falls_back_to_cpuid_then_pit),
          cmocka_unit_test(clock_forced_reference_goes_first_or_is_reported),
          cmocka_unit_test(clock_cpuid_states_the_tsc_rate),
          cmocka_unit_test(clock_counters_wrap_up_and_down))
