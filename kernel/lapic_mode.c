// lapic_: the xAPIC / x2APIC decision (see lapic_mode.h). Pure: kernel/lapic.c
// reads IA32_APIC_BASE and CPUID, calls lapic_plan, and writes what it says.
#include "kernel/lapic_mode.h"

#include <string.h>

// Adds an IA32_APIC_BASE write to the plan.
static void add_write(lapic_plan_t *p, uint64_t v) { p->writes[p->nwrites++] = v; }

void lapic_plan(uint64_t apic_base, bool has_apic, bool has_x2apic, int want, lapic_plan_t *out) {
    memset(out, 0, sizeof *out);
    out->mode = LAPIC_XAPIC;
    if (!has_apic) {
        out->error = "this CPU has no local APIC (CPUID.1:EDX bit 9), which gives the "
                     "timer interrupt";
        return;
    }
    bool en = apic_base & APIC_BASE_EN, extd = apic_base & APIC_BASE_EXTD;
    uint64_t keep = apic_base & (APIC_BASE_ADDR | APIC_BASE_BSP);
    if (en && extd) { // leaving x2APIC needs a disable, which loses its state
        out->mode = LAPIC_X2APIC;
        out->why = want == LAPIC_WANT_XAPIC
                       ? "the firmware left it on (apic=xapic ignored: x2APIC is never left)"
                       : "the firmware left it on";
        return;
    }
    if (!en) // disabled (or the invalid EXTD-only state): enable in xAPIC mode first
        add_write(out, keep | APIC_BASE_EN);
    bool go_x2 = has_x2apic && want != LAPIC_WANT_XAPIC;
    if (go_x2) {
        add_write(out, keep | APIC_BASE_EN | APIC_BASE_EXTD);
        out->mode = LAPIC_X2APIC;
        out->why = en ? "switched from xAPIC (the CPU offers x2APIC)"
                      : "the firmware left it off: enabled, then switched from xAPIC";
    } else if (want == LAPIC_WANT_X2APIC) {
        out->why = "apic=x2apic asked, but this CPU has no x2APIC (CPUID.1:ECX bit 21)";
    } else if (want == LAPIC_WANT_XAPIC && has_x2apic) {
        out->why = en ? "as the firmware left it (apic=xapic)" : "the firmware left it off: enabled (apic=xapic)";
    } else {
        out->why = en ? "as the firmware left it (the CPU has no x2APIC)"
                      : "the firmware left it off: enabled (the CPU has no x2APIC)";
    }
}

const char *lapic_mode_name(lapic_mode_t mode) { return mode == LAPIC_X2APIC ? "x2APIC" : "xAPIC"; }
