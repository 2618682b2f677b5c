// acpi_: just enough ACPI to find the power-management timer (FADT PM_TMR_BLK),
// the reference clock the LAPIC timer and the TSC are calibrated against.
#ifndef SPANLAB_KERNEL_ACPI_H
#define SPANLAB_KERNEL_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_PM_HZ 3579545u // the PM timer's fixed rate (ACPI spec 4.8.3.3)

// Finds the PM timer from kboot.acpi_rsdp (via the direct map). Returns false
// when there is no ACPI or no I/O-port PM timer.
bool acpi_pm_init(void);
// The 24- or 32-bit PM timer counter (acpi_pm_init must have succeeded).
uint32_t acpi_pm_read(void);
// Mask of the counter's valid bits (0xffffff or 0xffffffff).
uint32_t acpi_pm_mask(void);

#endif
