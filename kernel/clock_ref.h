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
    uint64_t last_tsc;    // rdtsc at the last read
    uint64_t wrap_tsc;    // TSC cycles per counter wrap (0: not watched)
    uint64_t gaps;        // reads that came a whole wrap or more after the one before
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
// wrap period (PIT 55 ms, 24-bit PM timer 4.6 s). A later read has lost whole
// wraps: with clock_counter_watch, such reads are counted in c->gaps.
uint64_t clock_counter_now(clock_counter_t *c);

// Once the TSC rate is known: count reads that come a wrap period or more after
// the previous one (a TCG vCPU descheduled that long, or a caller too slow).
void clock_counter_watch(clock_counter_t *c, uint64_t tsc_hz);

#endif
