// acpi_: the ACPI static tables, parsed from bytes (see acpi_tables.h). No
// hardware access and no globals: the kernel (kernel/acpi.c) and the host tests
// (tests/unit/acpi_test.c) call the same functions. Offsets are from ACPI 6.5,
// tables 5.3 (RSDP), 5.5 (XSDT), 5.9 (FADT), 5.21 (MADT), and the IA-PC HPET
// specification 1.0a, table 3 (HPET).
#include "kernel/acpi_tables.h"

#include <string.h>

#define HDR_LEN 36 // the common table header (5.2.6)

// Little-endian loads; callers have checked the bounds.
static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

// Sums len bytes (a valid ACPI structure sums to 0 mod 256).
static uint8_t sum8(const uint8_t *p, uint32_t len) {
    uint8_t s = 0;
    for (uint32_t i = 0; i < len; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

// A Generic Address Structure at offset off of t, or an empty one past len.
static acpi_gas_t gas_at(const uint8_t *t, uint32_t len, uint32_t off) {
    acpi_gas_t g = {0};
    if (off + 12 > len)
        return g;
    g.space = t[off];
    g.bit_width = t[off + 1];
    g.bit_offset = t[off + 2];
    g.access_size = t[off + 3];
    g.address = rd64(t + off + 4);
    return g;
}

// A 32-bit I/O port field at off as a GAS (the FADT's pre-2.0 blocks).
static acpi_gas_t port_at(const uint8_t *t, uint32_t len, uint32_t off, uint8_t bits) {
    acpi_gas_t g = {0};
    if (off + 4 <= len && rd32(t + off)) {
        g.space = ACPI_SPACE_IO;
        g.bit_width = bits;
        g.address = rd32(t + off);
    }
    return g;
}

uint32_t acpi_table_check(const uint8_t *t, uint32_t avail, bool *checksum_ok) {
    if (!t || avail < HDR_LEN)
        return 0;
    uint32_t len = rd32(t + 4);
    if (len < HDR_LEN || len > avail)
        return 0;
    if (checksum_ok)
        *checksum_ok = sum8(t, len) == 0;
    return len;
}

// Maps a whole table at pa: header first for its length, then all of it. NULL
// (and *len 0) when either step fails.
static const uint8_t *map_table(uint64_t pa, acpi_map_fn map, void *ctx, uint32_t *len) {
    *len = 0;
    const uint8_t *h = pa ? map(pa, HDR_LEN, ctx) : NULL;
    if (!h)
        return NULL;
    uint32_t want = rd32(h + 4);
    if (want < HDR_LEN || want > (16u << 20)) // no real table is larger than 16 MiB
        return NULL;
    const uint8_t *t = map(pa, want, ctx);
    if (!t)
        return NULL;
    *len = acpi_table_check(t, want, NULL);
    return *len ? t : NULL;
}

// Appends the table at pa to list; counts it as skipped when unreadable.
static void add_table(acpi_table_list_t *list, uint64_t pa, acpi_map_fn map, void *ctx) {
    uint32_t len;
    const uint8_t *t = map_table(pa, map, ctx, &len);
    if (!t || list->count >= ACPI_TABLES_MAX) {
        list->skipped++;
        return;
    }
    acpi_table_ref_t *r = &list->tables[list->count++];
    memset(r, 0, sizeof *r);
    memcpy(r->sig, t, 4);
    memcpy(r->oem_id, t + 10, 6);
    for (int i = 0; i < 6; i++)
        if (r->oem_id[i] < 0x20 || r->oem_id[i] > 0x7e)
            r->oem_id[i] = '?';
    for (int i = 0; i < 4; i++)
        if (r->sig[i] < 0x20 || r->sig[i] > 0x7e)
            r->sig[i] = '?';
    r->revision = t[8];
    r->length = len;
    r->checksum_ok = sum8(t, len) == 0;
    r->pa = pa;
}

// Checks the RSDP at p: signature and the ACPI 1.0 checksum; the 2.0 fields
// only when revision >= 2 and their own checksum holds. Returns the root
// table's address (*xsdt says which kind), or 0.
static uint64_t rsdp_root(acpi_map_fn map, void *ctx, uint64_t rsdp_pa, acpi_table_list_t *list,
                          bool *xsdt) {
    const uint8_t *p = rsdp_pa ? map(rsdp_pa, 20, ctx) : NULL;
    if (!p || memcmp(p, "RSD PTR ", 8) != 0 || sum8(p, 20) != 0)
        return 0;
    list->rsdp_revision = p[15];
    *xsdt = false;
    if (p[15] >= 2) {
        const uint8_t *p2 = map(rsdp_pa, 36, ctx);
        if (p2 && rd32(p2 + 20) >= 36 && sum8(p2, 36) == 0 && rd64(p2 + 24)) {
            *xsdt = true;
            return rd64(p2 + 24);
        }
    }
    return rd32(p + 16);
}

bool acpi_tables_find(uint64_t rsdp_pa, acpi_map_fn map, void *ctx, acpi_table_list_t *list) {
    memset(list, 0, sizeof *list);
    bool x;
    uint64_t root_pa = rsdp_root(map, ctx, rsdp_pa, list, &x);
    uint32_t len;
    const uint8_t *root = root_pa ? map_table(root_pa, map, ctx, &len) : NULL;
    if (!root || memcmp(root, x ? "XSDT" : "RSDT", 4) != 0)
        return false;
    list->xsdt = x;
    uint32_t step = x ? 8 : 4;
    for (uint32_t off = HDR_LEN; off + step <= len; off += step)
        add_table(list, x ? rd64(root + off) : rd32(root + off), map, ctx);
    const acpi_table_ref_t *f = acpi_tables_get(list, "FACP");
    acpi_fadt_info_t fi;
    if (f) {
        const uint8_t *ft = map(f->pa, f->length, ctx);
        if (ft && acpi_fadt_parse(ft, f->length, &fi) && fi.dsdt)
            add_table(list, fi.dsdt, map, ctx);
    }
    return true;
}

const acpi_table_ref_t *acpi_tables_get(const acpi_table_list_t *list, const char *sig) {
    for (int i = 0; i < list->count; i++)
        if (memcmp(list->tables[i].sig, sig, 4) == 0)
            return &list->tables[i];
    return NULL;
}

// FADT fields by offset (ACPI 6.5 table 5.9).
enum {
    FADT_DSDT = 40, FADT_SMI_CMD = 48, FADT_ACPI_ENABLE = 52, FADT_PM1A_CNT = 64,
    FADT_PM1B_CNT = 68, FADT_PM_TMR = 76, FADT_PM1_CNT_LEN = 89, FADT_BOOT_ARCH = 109,
    FADT_FLAGS = 112, FADT_RESET_REG = 116, FADT_RESET_VALUE = 128, FADT_X_DSDT = 140,
    FADT_X_PM1A_CNT = 172, FADT_X_PM1B_CNT = 184, FADT_X_PM_TMR = 208,
    FADT_SLEEP_CONTROL = 244,
};
#define FADT_TMR_VAL_EXT (1u << 8)
#define FADT_RESET_REG_SUP (1u << 10)
#define FADT_HW_REDUCED (1u << 20)

// The X_ GAS at xoff when present, else the 32-bit port field at off.
static acpi_gas_t block(const uint8_t *t, uint32_t len, uint32_t xoff, uint32_t off, uint8_t bits) {
    acpi_gas_t g = gas_at(t, len, xoff);
    return g.address ? g : port_at(t, len, off, bits);
}

bool acpi_fadt_parse(const uint8_t *t, uint32_t len, acpi_fadt_info_t *out) {
    memset(out, 0, sizeof *out);
    if (!t || len < FADT_BOOT_ARCH || memcmp(t, "FACP", 4) != 0)
        return false; // ACPI 1.0's FADT is 116 bytes; anything shorter is not one
    out->revision = t[8];
    uint32_t flags = len >= FADT_FLAGS + 4 ? rd32(t + FADT_FLAGS) : 0;
    out->dsdt = len >= FADT_X_DSDT + 8 ? rd64(t + FADT_X_DSDT) : 0;
    if (!out->dsdt)
        out->dsdt = rd32(t + FADT_DSDT);
    out->hw_reduced = flags & FADT_HW_REDUCED;
    out->smi_cmd = rd32(t + FADT_SMI_CMD);
    out->acpi_enable = t[FADT_ACPI_ENABLE];
    out->boot_arch = len >= FADT_BOOT_ARCH + 2 ? (uint16_t)rd16(t + FADT_BOOT_ARCH) : 0;
    if (!out->hw_reduced) { // hardware-reduced ACPI ignores these blocks (4.1)
        uint8_t cnt_bits = (uint8_t)(t[FADT_PM1_CNT_LEN] * 8);
        out->pm_timer = block(t, len, FADT_X_PM_TMR, FADT_PM_TMR, 32);
        out->pm_timer_32bit = flags & FADT_TMR_VAL_EXT;
        out->pm1a_cnt = block(t, len, FADT_X_PM1A_CNT, FADT_PM1A_CNT, cnt_bits);
        out->pm1b_cnt = block(t, len, FADT_X_PM1B_CNT, FADT_PM1B_CNT, cnt_bits);
    }
    out->sleep_control = gas_at(t, len, FADT_SLEEP_CONTROL);
    out->reset_supported = (flags & FADT_RESET_REG_SUP) && len > FADT_RESET_VALUE;
    if (out->reset_supported) {
        out->reset_reg = gas_at(t, len, FADT_RESET_REG);
        out->reset_value = t[FADT_RESET_VALUE];
    }
    return true;
}

bool acpi_hpet_parse(const uint8_t *t, uint32_t len, uint64_t *base) {
    *base = 0;
    if (!t || len < 56 || memcmp(t, "HPET", 4) != 0)
        return false;
    acpi_gas_t g = gas_at(t, len, 40); // Base Address (GAS) after the block ID
    if (g.space != ACPI_SPACE_MEMORY || g.address == 0 || (g.address & 0x3ff))
        return false; // the register block is 1 KiB, 1 KiB aligned
    *base = g.address;
    return true;
}

// Counts one MADT processor entry's flags (bit 0 Enabled, bit 1 Online Capable).
static void count_cpu(acpi_madt_info_t *out, uint32_t flags, bool x2apic) {
    if (flags & 1) {
        out->cpus_enabled++;
        out->x2apic_entries += x2apic;
    } else if (flags & 2) {
        out->cpus_possible++;
    }
}

bool acpi_madt_parse(const uint8_t *t, uint32_t len, acpi_madt_info_t *out) {
    memset(out, 0, sizeof *out);
    if (!t || len < 44 || memcmp(t, "APIC", 4) != 0)
        return false;
    out->lapic_address = rd32(t + 36);
    out->pcat_compat = rd32(t + 40) & 1;
    for (uint32_t off = 44; off < len;) {
        uint8_t type = t[off], elen = off + 1 < len ? t[off + 1] : 0;
        if (elen < 2 || off + elen > len) {
            out->truncated = true;
            break;
        }
        const uint8_t *e = t + off;
        if (type == 0 && elen >= 8) // Processor Local APIC
            count_cpu(out, rd32(e + 4), false);
        else if (type == 9 && elen >= 16) // Processor Local x2APIC
            count_cpu(out, rd32(e + 8), true);
        else if (type == 1) // I/O APIC
            out->ioapics++;
        else if (type == 5 && elen >= 12) // Local APIC Address Override
            out->lapic_override = rd64(e + 4);
        off += elen;
    }
    return true;
}
