// clock_: the decisions behind calibration, kept free of hardware so host tests
// can drive them (tests/unit/acpi_test.c): which reference clock to
// calibrate against and which second one to check it with, the TSC rate CPUID
// states, how far two measured rates agree, and the counter arithmetic (wraps
// of up- and down-counters of any width).
#ifndef SPANLAB_KERNEL_CLOCK_PICK_H
#define SPANLAB_KERNEL_CLOCK_PICK_H

#include <stdbool.h>
#include <stdint.h>

// The references, in the order they are preferred: a fixed-rate counter ACPI
// describes (PM timer 3.579545 MHz), the HPET (rate from its own register), the
// TSC rate the CPU states in CPUID leaves 0x15/0x16 (no counter to poll: the
// LAPIC timer is then calibrated against the TSC itself), the legacy PIT.
typedef enum clock_ref_kind {
    CLOCK_REF_PM = 0,
    CLOCK_REF_HPET,
    CLOCK_REF_CPUID,
    CLOCK_REF_PIT,
    CLOCK_REF_COUNT,
    CLOCK_REF_NONE = -1,
} clock_ref_kind_t;

// The option clockref=auto|pm|hpet|cpuid|pit: its index minus one is the kind.
#define CLOCK_REF_AUTO (-1)

// Which references this machine has (absent ones are false / 0).
typedef struct clock_refs {
    bool present[CLOCK_REF_COUNT];
} clock_refs_t;

// Picks the reference to calibrate against (*primary) and a different one to
// check it with (*secondary, CLOCK_REF_NONE when there is no other). forced
// (a kind, or CLOCK_REF_AUTO) goes first when present; when it is absent the
// usual order applies and *forced_missing is set. Returns false when no
// reference is present at all.
bool clock_pick(const clock_refs_t *refs, int forced, clock_ref_kind_t *primary,
                clock_ref_kind_t *secondary, bool *forced_missing);

// The name of a kind: "ACPI PM timer", "HPET", "CPUID 0x15/0x16", "PIT".
const char *clock_ref_name(clock_ref_kind_t k);

// The TSC rate in Hz stated by CPUID, from leaf 0x15 (EAX denominator, EBX
// numerator, ECX crystal Hz) or, when the crystal is not given, from leaf
// 0x16 (EAX base MHz); 0 when neither says. max_leaf is CPUID.0:EAX; a leaf
// above it is not read. *source gets "0x15" or "0x16".
uint64_t clock_cpuid_tsc_hz(uint32_t max_leaf, const uint32_t l15[4], const uint32_t l16[4],
                            const char **source);

// Agreement of rate b with rate a in parts per million of a (signed; a > 0).
int64_t clock_ppm(uint64_t a, uint64_t b);

// Counts a counter advanced from last to now, reading width-bit values (mask =
// 2^width - 1), counting up or down; one wrap at most between reads.
uint64_t clock_counter_delta(uint64_t last, uint64_t now, uint64_t mask, bool down);

#endif
