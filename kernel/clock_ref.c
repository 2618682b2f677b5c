// clock_: the reference counters (see clock_ref.h): the ACPI PM timer, the
// HPET main counter, the TSC at its CPUID-stated rate, the PIT's channel 2.
#include "kernel/clock_ref.h"

#include "kernel/acpi.h"
#include "kernel/cpu.h"
#include "kernel/hpet.h"
#include "kernel/pit.h"

#define MOVE_READS 200000 // reads a counter gets to show it moves (PIT: ~0.2 s)

static uint64_t cpuid_hz;

// The raw counter value of reference k.
static uint64_t raw(clock_ref_kind_t k) {
    switch (k) {
    case CLOCK_REF_PM: return acpi_pm_read();
    case CLOCK_REF_HPET: return hpet_read();
    case CLOCK_REF_CPUID: return rdtsc();
    case CLOCK_REF_PIT: return pit_read();
    default: return 0;
    }
}

// True when reference k's counter changes within MOVE_READS reads.
static bool moves(clock_ref_kind_t k) {
    uint64_t first = raw(k);
    for (int i = 0; i < MOVE_READS; i++)
        if (raw(k) != first)
            return true;
    return false;
}

// The PM timer: present in the FADT and counting.
static void probe_pm(clock_ref_facts_t *f) {
    if (!acpi_fadt())
        f->why_absent[CLOCK_REF_PM] = "no ACPI FADT";
    else if (acpi_fadt()->hw_reduced)
        f->why_absent[CLOCK_REF_PM] = "hardware-reduced ACPI has none";
    else if (!acpi_pm_present())
        f->why_absent[CLOCK_REF_PM] = "the FADT lists none";
    else if (!moves(CLOCK_REF_PM))
        f->why_absent[CLOCK_REF_PM] = "the FADT lists one, but it does not count";
    else
        f->refs.present[CLOCK_REF_PM] = true;
}

// The HPET: in the ACPI HPET table, a sane period, and counting.
static void probe_hpet(clock_ref_facts_t *f) {
    const char *why;
    if (!acpi_hpet(&f->hpet_base))
        f->why_absent[CLOCK_REF_HPET] = "no ACPI HPET table";
    else if (!hpet_init(f->hpet_base, &why))
        f->why_absent[CLOCK_REF_HPET] = why;
    else if (!moves(CLOCK_REF_HPET))
        f->why_absent[CLOCK_REF_HPET] = "its main counter does not count";
    else
        f->refs.present[CLOCK_REF_HPET] = true;
    f->hpet_hz = f->refs.present[CLOCK_REF_HPET] ? hpet_hz() : 0;
}

void clock_refs_probe(clock_ref_facts_t *f) {
    *f = (clock_ref_facts_t){0};
    probe_pm(f);
    probe_hpet(f);
    const cpu_info_t *ci = cpu_info();
    cpuid_hz = f->cpuid_hz = clock_cpuid_tsc_hz(ci->max_leaf, ci->l15, ci->l16, &f->cpuid_leaf);
    f->refs.present[CLOCK_REF_CPUID] = cpuid_hz != 0;
    if (!cpuid_hz)
        f->why_absent[CLOCK_REF_CPUID] = "CPUID leaves 0x15/0x16 state no TSC rate";
    f->refs.present[CLOCK_REF_PIT] = pit_probe(MOVE_READS);
    if (!f->refs.present[CLOCK_REF_PIT])
        f->why_absent[CLOCK_REF_PIT] = "its channel 2 does not count (no PIT)";
}

void clock_counter_start(clock_counter_t *c, clock_ref_kind_t k) {
    static const uint64_t masks[CLOCK_REF_COUNT] = {0, 0, ~0ull, PIT_MASK};
    *c = (clock_counter_t){.kind = k, .mask = masks[k], .down = k == CLOCK_REF_PIT};
    if (k == CLOCK_REF_PM) {
        c->hz = ACPI_PM_HZ;
        c->mask = acpi_pm_mask();
    } else if (k == CLOCK_REF_HPET) {
        c->hz = hpet_hz();
        c->mask = hpet_mask();
    } else {
        c->hz = k == CLOCK_REF_CPUID ? cpuid_hz : PIT_HZ;
    }
    if (k == CLOCK_REF_PIT)
        pit_start();
    c->last = raw(k);
    c->last_tsc = rdtsc();
}

void clock_counter_watch(clock_counter_t *c, uint64_t tsc_hz) {
    if (c->mask < 0xffffffffull && c->hz) // 64-bit and TSC counters never wrap here
        c->wrap_tsc = (uint64_t)((unsigned __int128)(c->mask + 1) * tsc_hz / c->hz);
}

uint64_t clock_counter_now(clock_counter_t *c) {
    uint64_t t = rdtsc();
    if (c->wrap_tsc && t - c->last_tsc >= c->wrap_tsc)
        c->gaps++;
    c->last_tsc = t;
    uint64_t r = raw(c->kind);
    c->total += clock_counter_delta(c->last, r, c->mask, c->down);
    c->last = r;
    return c->total;
}
