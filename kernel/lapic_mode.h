// lapic_: choosing between the local APIC's two programming models, kept free
// of hardware so host tests can run it (tests/unit/lapic_mode_test.c).
//   xAPIC   registers are memory-mapped at the address in IA32_APIC_BASE, each
//           16 bytes apart (offset 0x0b0 = EOI, 0x320 = LVT timer ...);
//   x2APIC  the same registers are MSRs 0x800 + offset / 16, and IDs are 32 bits.
// The firmware decides the mode the kernel starts in (IA32_APIC_BASE bit 10,
// EXTD, with bit 11, EN); the CPU says whether it has x2APIC (CPUID.1:ECX bit 21).
// Mode transitions the SDM allows (vol. 3A, 11.12.5): disabled -> xAPIC,
// xAPIC -> x2APIC, either -> disabled. Anything else raises #GP, so x2APIC is
// never left, and a disabled APIC is enabled in xAPIC mode first.
#ifndef SPANLAB_KERNEL_LAPIC_MODE_H
#define SPANLAB_KERNEL_LAPIC_MODE_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_EXTD (1ull << 10)
#define APIC_BASE_EN (1ull << 11)
#define APIC_BASE_ADDR 0x000ffffffffff000ull

typedef enum lapic_mode { LAPIC_XAPIC, LAPIC_X2APIC } lapic_mode_t;

// The option apic=auto|xapic|x2apic, as its index.
enum { LAPIC_WANT_AUTO = 0, LAPIC_WANT_XAPIC, LAPIC_WANT_X2APIC };

typedef struct lapic_plan {
    lapic_mode_t mode;
    uint64_t writes[2]; // IA32_APIC_BASE values to write, in this order
    int nwrites;
    const char *why;    // how the mode was chosen (after the mode's name), for the banner
    const char *error;  // not NULL: no usable local APIC (the kernel stops)
} lapic_plan_t;

// Decides the mode from IA32_APIC_BASE as the firmware left it, the CPU's
// CPUID bits and the apic= option. auto (and x2apic) switch to x2APIC when
// the CPU offers it: its registers are MSRs (no MMIO mapping, no uncached
// access) and its IDs are not limited to 255.
void lapic_plan(uint64_t apic_base, bool has_apic, bool has_x2apic, int want, lapic_plan_t *out);

// The MSR holding xAPIC register offset reg in x2APIC mode.
static inline uint32_t lapic_x2apic_msr(uint32_t reg) { return 0x800u + reg / 16u; }

// The APIC ID from the ID register (offset 0x20): bits 31-24 in xAPIC mode,
// all 32 bits in x2APIC mode.
static inline uint32_t lapic_id_decode(lapic_mode_t mode, uint32_t id_reg) {
    return mode == LAPIC_X2APIC ? id_reg : id_reg >> 24;
}

// "xAPIC" or "x2APIC".
const char *lapic_mode_name(lapic_mode_t mode);

#endif
