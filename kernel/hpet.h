// hpet_: the High Precision Event Timer's main counter, as a calibration
// reference (IA-PC HPET specification 1.0a, section 2.3). Only the counter is
// used: no comparators, no interrupts.
#ifndef SPANLAB_KERNEL_HPET_H
#define SPANLAB_KERNEL_HPET_H

#include <stdbool.h>
#include <stdint.h>

// Maps the register block at base (from the ACPI HPET table), checks the
// counter period (0 < period <= 100 ns, as the specification requires) and
// starts the main counter. Returns false, with *why set, when it looks wrong.
bool hpet_init(uint64_t base, const char **why);

uint64_t hpet_hz(void);       // counter rate, from the period register
uint64_t hpet_mask(void);     // 0xffffffff for a 32-bit counter, else all ones
uint64_t hpet_read(void);     // the main counter
uint32_t hpet_vendor(void);   // vendor ID (bits 31-16 of the capabilities register)

#endif
