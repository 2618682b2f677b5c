// clock_: reference choice and counter arithmetic for calibration (see
// clock_pick.h). No hardware access: kernel/clock.c probes the machine and
// hands the facts in.
#include "kernel/clock_pick.h"

bool clock_pick(const clock_refs_t *refs, int forced, clock_ref_kind_t *primary,
                clock_ref_kind_t *secondary, bool *forced_missing) {
    *primary = *secondary = CLOCK_REF_NONE;
    *forced_missing = false;
    if (forced >= 0 && forced < CLOCK_REF_COUNT) {
        if (refs->present[forced])
            *primary = (clock_ref_kind_t)forced;
        else
            *forced_missing = true;
    }
    for (int k = 0; k < CLOCK_REF_COUNT; k++) {
        if (!refs->present[k] || k == (int)*primary)
            continue;
        if (*primary == CLOCK_REF_NONE)
            *primary = (clock_ref_kind_t)k;
        else if (*secondary == CLOCK_REF_NONE)
            *secondary = (clock_ref_kind_t)k;
    }
    return *primary != CLOCK_REF_NONE;
}

const char *clock_ref_name(clock_ref_kind_t k) {
    switch (k) {
    case CLOCK_REF_PM: return "ACPI PM timer";
    case CLOCK_REF_HPET: return "HPET";
    case CLOCK_REF_CPUID: return "CPUID 0x15/0x16 TSC rate";
    case CLOCK_REF_PIT: return "PIT";
    default: return "no reference";
    }
}

// Intel SDM vol. 2, CPUID leaf 15H: TSC = crystal * EBX / EAX; leaf 16H EAX is
// the base frequency in MHz, which is the TSC's nominal rate on these CPUs.
uint64_t clock_cpuid_tsc_hz(uint32_t max_leaf, const uint32_t l15[4], const uint32_t l16[4],
                            const char **source) {
    *source = "none";
    if (max_leaf >= 0x15 && l15[0] && l15[1] && l15[2]) {
        *source = "0x15";
        return (uint64_t)l15[2] * l15[1] / l15[0];
    }
    if (max_leaf >= 0x16 && (l16[0] & 0xffff)) {
        *source = "0x16";
        return (uint64_t)(l16[0] & 0xffff) * 1000000u;
    }
    return 0;
}

int64_t clock_ppm(uint64_t a, uint64_t b) {
    if (a == 0)
        return INT64_MAX;
    int64_t d = (int64_t)b - (int64_t)a;
    return (int64_t)((__int128)d * 1000000 / (int64_t)a);
}

uint64_t clock_counter_delta(uint64_t last, uint64_t now, uint64_t mask, bool down) {
    return (down ? last - now : now - last) & mask;
}
