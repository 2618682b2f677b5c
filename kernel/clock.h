// clock: time for the kernel. The TSC gives sys_nanotime; the LAPIC timer gives
// periodic ticks (CLOCK_HZ, interrupt-driven, vector 0x40); both are calibrated at
// boot against a reference clock: the ACPI PM timer, the HPET, the TSC rate CPUID
// states, or the PIT, the first of these the machine has (clockref= overrides),
// and checked against the next one.
#ifndef SPANLAB_KERNEL_CLOCK_H
#define SPANLAB_KERNEL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock_ref.h"

// 1000 Hz: a 1 ms tick bounds how late a sleeping goroutine's timer fires when
// the CPU idles in hlt; TCG handles a thousand interrupts a second easily.
#define CLOCK_HZ 1000u

// Probes the references, calibrates TSC and LAPIC timer, and starts periodic
// ticks (interrupts stay off until the caller enables them). Needs ACPI
// (acpi_init) and the LAPIC (lapic_init). Stops the run with a message naming
// every reference and why it is absent when there is none.
void clock_init(void);

// Ticks since clock_init: advanced by each timer interrupt to the tick the TSC
// says is due, so interrupts the host coalesced (TCG under load) lose no tick.
uint64_t clock_ticks(void);
uint64_t clock_interrupts(void);    // timer interrupts really taken
uint64_t clock_tsc_hz(void);
uint64_t clock_lapic_hz(void);      // LAPIC timer input after the divider
// The reference clock_ref_ns reads: the calibration reference, or the second
// one when the first is CPUID's stated rate (the TSC itself).
const char *clock_reference(void);
// False when clock_ref_ns is the TSC itself (no independent counter exists).
bool clock_independent_ref(void);
// What the probe found about each reference (hwinfo prints it).
const clock_ref_facts_t *clock_facts(void);
// Spread of the calibration runs, in parts per million of the median.
uint64_t clock_spread_ppm(void);

// The reference clock in nanoseconds (polls; call at least every 50 ms to stay
// correct across counter wraps). Used by the timer selftest.
uint64_t clock_ref_ns(void);
// Reads of clock_ref_ns that came a whole counter wrap after the one before
// (the PIT wraps every 55 ms): each lost at least one wrap's worth of time.
uint64_t clock_ref_gaps(void);

// Prints the calibration result (the banner line).
void clock_print(void);

#endif
