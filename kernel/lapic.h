// lapic_: the boot CPU's local APIC, in xAPIC (MMIO) or x2APIC (MSR) mode as
// kernel/lapic_mode.c decides, with register access as small wrappers. The
// kernel uses it for one thing: the periodic timer interrupt (kernel/clock.c).
#ifndef SPANLAB_KERNEL_LAPIC_H
#define SPANLAB_KERNEL_LAPIC_H

#include <stdint.h>

#include "kernel/lapic_mode.h"

// Register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset / 16).
#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_EOI 0x0b0
#define LAPIC_ICR_LOW 0x300  // x2APIC: MSR 0x830 holds the whole ICR
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define LVT_NMI (4u << 8) // delivery mode NMI

// Masks the legacy PICs, puts the LAPIC in the mode lapic_plan picks (apic=
// option), enables it with the spurious vector, masks LINT0 and the error LVT,
// keeps LINT1 as NMI. Stops the run with a message when there is no LAPIC.
void lapic_init(void);

// Sends INIT to every other CPU (the ICR's all-excluding-self shorthand): they
// stop where the firmware left them - often a polling loop that keeps a core
// busy - and wait for a startup IPI that never comes, using no CPU time. The
// kernel runs on the boot CPU alone.
void lapic_park_others(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);

lapic_mode_t lapic_mode(void);
uint32_t lapic_id(void);
// How the mode was chosen (lapic_plan's words), for the banner and hwinfo.
const char *lapic_why(void);
// IA32_APIC_BASE as the firmware left it.
uint64_t lapic_firmware_base(void);

#endif
