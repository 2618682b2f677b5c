// acpi_: what the kernel takes from ACPI, read once at boot by acpi_init (see
// kernel/acpi.c): the table list, the FADT's registers, the HPET's address, the
// MADT's CPU count, the PM timer (a calibration reference) and the \_S5 sleep
// type for powering off. Parsing lives in kernel/acpi_tables.c and aml_s5.c.
#ifndef SPANLAB_KERNEL_ACPI_H
#define SPANLAB_KERNEL_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/acpi_tables.h"
#include "kernel/aml_s5.h"

#define ACPI_PM_HZ 3579545u // the PM timer's fixed rate (ACPI spec 4.8.3.3)

// Walks the tables from kboot.acpi_rsdp through the direct map (after pt_init,
// before memmap_reclaim). Without ACPI everything below reports "absent".
void acpi_init(void);

const acpi_table_list_t *acpi_tables(void); // count 0 without ACPI
const acpi_fadt_info_t *acpi_fadt(void);    // NULL without a FADT
const acpi_madt_info_t *acpi_madt(void);    // NULL without a MADT
// The HPET's register block from the HPET table; false when there is none.
bool acpi_hpet(uint64_t *base);

// True when the FADT describes a PM timer (not on hardware-reduced machines).
bool acpi_pm_present(void);
// The 24- or 32-bit PM timer counter (acpi_pm_present must be true).
uint32_t acpi_pm_read(void);
// Mask of the counter's valid bits (0xffffff or 0xffffffff).
uint32_t acpi_pm_mask(void);

// The \_S5 sleep types found at boot; *where names the table ("the DSDT").
aml_s5_result_t acpi_s5(uint8_t *typa, uint8_t *typb, const char **where);

// Enters S5 (soft-off) through the FADT's PM1 control blocks (or the sleep
// control register when hardware-reduced), switching to ACPI mode first if the
// firmware did not. Returns only when that failed, with the reason.
const char *acpi_poweroff(void);

// Writes the FADT's reset value to its reset register. Returns only when that
// failed or there is none, with the reason.
const char *acpi_reset(void);

#endif
