// acpi_: ACPI in the kernel. At boot (before the loader's and boot services'
// memory is reclaimed: firmware may keep tables there) the tables are walked
// once through the direct map and what the kernel needs is kept in copies: the
// table list (hwinfo), the FADT's registers, the HPET's address, the MADT's CPU
// count, the \_S5 sleep type. Parsing is kernel/acpi_tables.c and kernel/aml_s5.c
// (no hardware, host-tested); this file does the port and MMIO accesses: the PM
// timer, the S5 soft-off and the reset register. Nothing is written to the
// hardware except by acpi_poweroff and acpi_reset.
#include "kernel/acpi.h"

#include <string.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "sys/sys.h"

#define PM1_SCI_EN (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN (1u << 13)
#define SLEEP_CTL_TYP_SHIFT 2 // hardware-reduced SLEEP_CONTROL_REG (4.8.3.7)
#define SLEEP_CTL_EN (1u << 5)
#define ACPI_ENABLE_READS 1000000 // ~1 s of port reads for SCI_EN to appear
#define POWEROFF_SPIN 50000000    // how long we wait for the power to go

static acpi_table_list_t tables;
static acpi_fadt_info_t fadt;
static acpi_madt_info_t madt;
static bool have_fadt, have_madt, have_hpet;
static uint64_t hpet_base;
static aml_s5_result_t s5 = AML_S5_ABSENT;
static uint8_t slp_typa, slp_typb;
static const char *s5_where = "no table (no DSDT)";
static uint32_t pm_mask;
static volatile uint32_t *pm_mmio; // a PM timer in memory space

// A FADT register, with its uncached mapping when it is in memory space
// (mapped once at boot: the window is not meant for a mapping per access).
typedef struct reg {
    acpi_gas_t g;
    volatile uint8_t *mm;
} reg_t;
static reg_t pm1a_cnt, pm1b_cnt, sleep_control, reset_reg;

// Fills r from g, mapping a memory-space register.
static void reg_setup(reg_t *r, const acpi_gas_t *g) {
    r->g = *g;
    r->mm = g->space == ACPI_SPACE_MEMORY && g->address ? pt_map_mmio(g->address, 4) : NULL;
}

// acpi_map_fn over the direct map: NULL beyond it or on overflow.
static const uint8_t *map_phys(uint64_t pa, uint32_t len, void *ctx) {
    (void)ctx;
    if (pa == 0 || pa + len < pa || pa + len > pt_direct_top())
        return NULL;
    return pt_phys_to_virt(pa);
}

// The table's bytes, or NULL.
static const uint8_t *table_bytes(const acpi_table_ref_t *r) {
    return r ? map_phys(r->pa, r->length, NULL) : NULL;
}

// Looks for \_S5 in the DSDT, then in each SSDT.
static void find_s5(void) {
    const acpi_table_ref_t *dsdt = acpi_tables_get(&tables, "DSDT");
    if (dsdt) {
        s5 = aml_find_s5(table_bytes(dsdt), dsdt->length, &slp_typa, &slp_typb, NULL);
        s5_where = "the DSDT";
    }
    for (int i = 0; i < tables.count && s5 != AML_S5_FOUND; i++)
        if (memcmp(tables.tables[i].sig, "SSDT", 4) == 0 &&
            aml_find_s5(table_bytes(&tables.tables[i]), tables.tables[i].length, &slp_typa,
                        &slp_typb, NULL) == AML_S5_FOUND) {
            s5 = AML_S5_FOUND;
            s5_where = "an SSDT";
        }
}

// Sets up the PM timer from the FADT: an I/O port or a memory address.
static void pm_timer_setup(void) {
    const acpi_gas_t *g = &fadt.pm_timer;
    pm_mask = fadt.pm_timer_32bit ? 0xffffffffu : 0xffffffu;
    if (g->space == ACPI_SPACE_MEMORY && g->address)
        pm_mmio = pt_map_mmio(g->address, 4);
}

void acpi_init(void) {
    if (!acpi_tables_find(kboot.acpi_rsdp, map_phys, NULL, &tables))
        return;
    const acpi_table_ref_t *f = acpi_tables_get(&tables, "FACP");
    have_fadt = f && acpi_fadt_parse(table_bytes(f), f->length, &fadt);
    const acpi_table_ref_t *m = acpi_tables_get(&tables, "APIC");
    have_madt = m && acpi_madt_parse(table_bytes(m), m->length, &madt);
    const acpi_table_ref_t *h = acpi_tables_get(&tables, "HPET");
    have_hpet = h && acpi_hpet_parse(table_bytes(h), h->length, &hpet_base);
    if (have_fadt) {
        pm_timer_setup();
        reg_setup(&pm1a_cnt, &fadt.pm1a_cnt);
        reg_setup(&pm1b_cnt, &fadt.pm1b_cnt);
        reg_setup(&sleep_control, &fadt.sleep_control);
        reg_setup(&reset_reg, &fadt.reset_reg);
    }
    find_s5();
}

// Accessors: see acpi.h.
const acpi_table_list_t *acpi_tables(void) { return &tables; }
const acpi_fadt_info_t *acpi_fadt(void) { return have_fadt ? &fadt : NULL; }
const acpi_madt_info_t *acpi_madt(void) { return have_madt ? &madt : NULL; }
bool acpi_hpet(uint64_t *base) {
    *base = hpet_base;
    return have_hpet;
}

bool acpi_pm_present(void) {
    const acpi_gas_t *g = &fadt.pm_timer;
    return have_fadt && g->address &&
           ((g->space == ACPI_SPACE_IO && g->address <= 0xfffc) || pm_mmio);
}

uint32_t acpi_pm_read(void) {
    if (pm_mmio)
        return mmio_read32(pm_mmio) & pm_mask;
    return inl((uint16_t)fadt.pm_timer.address) & pm_mask;
}
uint32_t acpi_pm_mask(void) { return pm_mask; }

aml_s5_result_t acpi_s5(uint8_t *typa, uint8_t *typb, const char **where) {
    *typa = slp_typa;
    *typb = slp_typb;
    *where = s5_where;
    return s5;
}

// Reads a PM1 control register (16 bits, I/O or memory space).
static uint16_t reg_read16(const reg_t *r) {
    if (r->mm)
        return *(volatile uint16_t *)r->mm;
    return inw((uint16_t)r->g.address);
}

// Writes v to a register of `bytes` bytes (1 or 2), I/O or memory space.
static void reg_write(const reg_t *r, uint32_t v, int bytes) {
    if (r->mm && bytes == 1)
        *r->mm = (uint8_t)v;
    else if (r->mm)
        *(volatile uint16_t *)r->mm = (uint16_t)v;
    else if (bytes == 1)
        outb((uint16_t)r->g.address, (uint8_t)v);
    else
        outw((uint16_t)r->g.address, (uint16_t)v);
}

// Switches the chipset to ACPI mode (SCI_EN) if the firmware has not: write
// ACPI_ENABLE to SMI_CMD and wait, bounded, for SCI_EN. False when it never came.
static bool acpi_mode_on(void) {
    if (reg_read16(&pm1a_cnt) & PM1_SCI_EN)
        return true;
    if (!fadt.smi_cmd || !fadt.acpi_enable)
        return true; // no way to switch: the machine is in ACPI mode or has none
    outb((uint16_t)fadt.smi_cmd, fadt.acpi_enable);
    for (int i = 0; i < ACPI_ENABLE_READS; i++)
        if (reg_read16(&pm1a_cnt) & PM1_SCI_EN)
            return true;
    return false;
}

// Writes SLP_TYP and SLP_EN: the PM1 control blocks, or the sleep control
// register of a hardware-reduced machine.
static void enter_s5(void) {
    if (fadt.hw_reduced) {
        reg_write(&sleep_control, (uint32_t)slp_typa << SLEEP_CTL_TYP_SHIFT | SLEEP_CTL_EN, 1);
        return;
    }
    uint16_t a = reg_read16(&pm1a_cnt) & ~(7u << PM1_SLP_TYP_SHIFT);
    if (pm1b_cnt.g.address) {
        uint16_t b = reg_read16(&pm1b_cnt) & ~(7u << PM1_SLP_TYP_SHIFT);
        reg_write(&pm1b_cnt, b | (uint32_t)slp_typb << PM1_SLP_TYP_SHIFT | PM1_SLP_EN, 2);
    }
    reg_write(&pm1a_cnt, a | (uint32_t)slp_typa << PM1_SLP_TYP_SHIFT | PM1_SLP_EN, 2);
}

const char *acpi_poweroff(void) {
    if (!have_fadt)
        return "no ACPI FADT";
    if (s5 != AML_S5_FOUND)
        return s5 == AML_S5_MALFORMED ? "the \\_S5 package does not decode"
                                      : "no \\_S5 object in the DSDT or an SSDT";
    if (fadt.hw_reduced ? !fadt.sleep_control.address : !fadt.pm1a_cnt.address)
        return fadt.hw_reduced ? "no sleep control register in the FADT"
                               : "no PM1a control block in the FADT";
    cli();
    if (!fadt.hw_reduced && !acpi_mode_on())
        return "the chipset did not enter ACPI mode (SCI_EN stayed 0)";
    enter_s5();
    for (volatile int i = 0; i < POWEROFF_SPIN; i++)
        cpu_relax();
    return "the machine is still running after SLP_EN was written";
}

const char *acpi_reset(void) {
    if (!have_fadt || !fadt.reset_supported || !fadt.reset_reg.address)
        return "the FADT has none";
    if (fadt.reset_reg.space != ACPI_SPACE_IO && fadt.reset_reg.space != ACPI_SPACE_MEMORY)
        return "it is in an address space spanlab does not write (PCI configuration)";
    reg_write(&reset_reg, fadt.reset_value, 1);
    for (volatile int i = 0; i < POWEROFF_SPIN; i++)
        cpu_relax();
    return "written, but the machine is still running";
}
