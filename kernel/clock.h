// clock: time for the kernel. The TSC gives sys_nanotime; the LAPIC timer gives
// periodic ticks (CLOCK_HZ, interrupt-driven, vector 0x40); both are calibrated at
// boot against a reference clock: the ACPI PM timer, or the PIT when there is none.
#ifndef SPANLAB_KERNEL_CLOCK_H
#define SPANLAB_KERNEL_CLOCK_H

#include <stdint.h>

// 1000 Hz: a 1 ms tick bounds how late a sleeping goroutine's timer fires when
// the CPU idles in hlt; TCG handles a thousand interrupts a second easily.
#define CLOCK_HZ 1000u

// Masks the legacy PIC, enables the LAPIC, calibrates TSC and LAPIC timer, and
// starts periodic ticks (interrupts stay off until the caller enables them).
void clock_init(void);

// Ticks since clock_init: advanced by each timer interrupt to the tick the TSC
// says is due, so interrupts the host coalesced (TCG under load) lose no tick.
uint64_t clock_ticks(void);
uint64_t clock_interrupts(void);    // timer interrupts really taken
uint64_t clock_tsc_hz(void);
uint64_t clock_lapic_hz(void);      // LAPIC timer input after the divider
const char *clock_reference(void);  // "ACPI PM timer" or "PIT"
// Spread of the calibration runs, in parts per million of the median.
uint64_t clock_spread_ppm(void);

// The reference clock in nanoseconds (polls; call at least every 50 ms to stay
// correct across counter wraps). Used by the timer selftest.
uint64_t clock_ref_ns(void);

// Prints the calibration result (the banner line).
void clock_print(void);

#endif
