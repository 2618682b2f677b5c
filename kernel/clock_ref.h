// clock_: the reference clocks calibration can use, as counters (see
// clock_pick.h for the kinds and their order). Each is probed before use: the
// PM timer and the HPET only when ACPI describes them, and every counter must
// be seen to move, so a missing or stuck device is never waited on forever.
// The CPUID reference is the TSC itself, counting at the rate CPUID states.
#ifndef SPANLAB_KERNEL_CLOCK_REF_H
#define SPANLAB_KERNEL_CLOCK_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock_pick.h"

typedef struct clock_counter {
    clock_ref_kind_t kind;
    uint64_t hz, mask;
    bool down;
    uint64_t last, total; // raw value at the last read; counts since start
} clock_counter_t;

// What the probe found, for the banner and hwinfo.
typedef struct clock_ref_facts {
    clock_refs_t refs;
    const char *why_absent[CLOCK_REF_COUNT]; // for each absent one, why
    uint64_t hpet_base, hpet_hz;
    uint64_t cpuid_hz;
    const char *cpuid_leaf; // "0x15", "0x16" or "none"
} clock_ref_facts_t;

// Probes every reference (ACPI must be initialised).
void clock_refs_probe(clock_ref_facts_t *f);

// Starts counter c on reference k (present in the last probe).
void clock_counter_start(clock_counter_t *c, clock_ref_kind_t k);
// Counts since clock_counter_start, folding in wraps; read at least once per
// wrap period (PIT 55 ms, 24-bit PM timer 4.6 s).
uint64_t clock_counter_now(clock_counter_t *c);

#endif
