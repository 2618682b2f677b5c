// The local APIC mode decision (kernel/lapic_mode.c), run against a model of
// IA32_APIC_BASE that enforces the SDM's transition rules (vol. 3A, 11.12.5:
// disabled <-> xAPIC, xAPIC -> x2APIC, x2APIC -> disabled; anything else is a
// #GP). This is where the x2APIC path runs: QEMU 7.2 under TCG cannot offer
// x2APIC to a guest (its CPUID bit is dropped with a warning).
#include "tests/unit/test.h"

#include "kernel/lapic_mode.h"

#define BASE 0xfee00000ull

enum { DISABLED, XAPIC, X2APIC, INVALID };

// The state an IA32_APIC_BASE value puts the APIC in.
static int state_of(uint64_t v) {
    bool en = v & APIC_BASE_EN, extd = v & APIC_BASE_EXTD;
    return !en ? (extd ? INVALID : DISABLED) : extd ? X2APIC : XAPIC;
}

// Applies the plan's writes to the modelled MSR; fails the test on a write
// the CPU would refuse with #GP. Returns the final value.
static uint64_t run_plan(uint64_t msr, const lapic_plan_t *p) {
    for (int i = 0; i < p->nwrites; i++) {
        int from = state_of(msr), to = state_of(p->writes[i]);
        bool ok = to != INVALID && from != to &&
                  !(from == X2APIC && to == XAPIC) && !(from == DISABLED && to == X2APIC);
        if (!ok)
            fail_msg("write %d (0x%llx) is an invalid transition %d -> %d", i,
                     (unsigned long long)p->writes[i], from, to);
        assert_int_equal(p->writes[i] & (APIC_BASE_ADDR | APIC_BASE_BSP),
                         msr & (APIC_BASE_ADDR | APIC_BASE_BSP)); // base and BSP kept
        msr = p->writes[i];
    }
    return msr;
}

static void lapic_keeps_x2apic_the_firmware_left_on(void **state) {
    lapic_plan_t p;
    uint64_t fw = BASE | APIC_BASE_BSP | APIC_BASE_EN | APIC_BASE_EXTD;
    for (int want = LAPIC_WANT_AUTO; want <= LAPIC_WANT_X2APIC; want++) {
        lapic_plan(fw, true, true, want, &p);
        assert_null(p.error);
        assert_int_equal(p.mode, LAPIC_X2APIC);
        assert_int_equal(p.nwrites, 0); // never leaves x2APIC, even for apic=xapic
        assert_int_equal(state_of(run_plan(fw, &p)), X2APIC);
    }
    assert_non_null(strstr(p.why, "firmware left it on"));
    lapic_plan(fw, true, true, LAPIC_WANT_XAPIC, &p);
    assert_non_null(strstr(p.why, "apic=xapic ignored"));
}

static void lapic_switches_xapic_to_x2apic_when_offered(void **state) {
    lapic_plan_t p;
    uint64_t fw = BASE | APIC_BASE_BSP | APIC_BASE_EN;
    lapic_plan(fw, true, true, LAPIC_WANT_AUTO, &p);
    assert_int_equal(p.mode, LAPIC_X2APIC);
    assert_int_equal(p.nwrites, 1);
    assert_int_equal(state_of(run_plan(fw, &p)), X2APIC);
    lapic_plan(fw, true, true, LAPIC_WANT_XAPIC, &p); // apic=xapic: stay
    assert_int_equal(p.mode, LAPIC_XAPIC);
    assert_int_equal(p.nwrites, 0);
    lapic_plan(fw, true, false, LAPIC_WANT_AUTO, &p); // no x2APIC in CPUID: stay
    assert_int_equal(p.mode, LAPIC_XAPIC);
    assert_int_equal(p.nwrites, 0);
    lapic_plan(fw, true, false, LAPIC_WANT_X2APIC, &p);
    assert_int_equal(p.mode, LAPIC_XAPIC);
    assert_non_null(strstr(p.why, "has no x2APIC"));
}

static void lapic_enables_a_disabled_apic_through_xapic(void **state) {
    lapic_plan_t p;
    uint64_t fw = BASE | APIC_BASE_BSP; // EN clear
    lapic_plan(fw, true, true, LAPIC_WANT_AUTO, &p);
    assert_int_equal(p.nwrites, 2); // disabled -> xAPIC -> x2APIC
    assert_int_equal(state_of(run_plan(fw, &p)), X2APIC);
    lapic_plan(fw, true, false, LAPIC_WANT_AUTO, &p);
    assert_int_equal(p.nwrites, 1);
    assert_int_equal(state_of(run_plan(fw, &p)), XAPIC);
    // The invalid EXTD-without-EN state is treated as disabled.
    lapic_plan(BASE | APIC_BASE_EXTD, true, false, LAPIC_WANT_AUTO, &p);
    assert_int_equal(p.nwrites, 1);
    assert_int_equal(state_of(p.writes[0]), XAPIC);
}

static void lapic_without_an_apic_is_an_error(void **state) {
    lapic_plan_t p;
    lapic_plan(BASE | APIC_BASE_EN, false, false, LAPIC_WANT_AUTO, &p);
    assert_non_null(p.error);
    assert_non_null(strstr(p.error, "CPUID.1:EDX bit 9"));
    assert_int_equal(p.nwrites, 0);
}

static void lapic_x2apic_registers_are_the_sdm_msrs(void **state) {
    // SDM vol. 3A table 11-6: ID 802H, version 803H, EOI 80BH, SVR 80FH, LVT
    // timer 832H, LINT0 835H, LINT1 836H, error 837H, initial count 838H,
    // current count 839H, divide 83EH.
    const uint32_t reg[] = {0x020, 0x030, 0x0b0, 0x0f0, 0x320, 0x350, 0x360, 0x370, 0x380, 0x390, 0x3e0};
    const uint32_t msr[] = {0x802, 0x803, 0x80b, 0x80f, 0x832, 0x835, 0x836, 0x837, 0x838, 0x839, 0x83e};
    for (size_t i = 0; i < sizeof reg / sizeof reg[0]; i++)
        assert_int_equal(lapic_x2apic_msr(reg[i]), msr[i]);
    assert_int_equal(lapic_id_decode(LAPIC_XAPIC, 0x03000000u), 3);
    assert_int_equal(lapic_id_decode(LAPIC_X2APIC, 300), 300); // IDs beyond 255
    assert_string_equal(lapic_mode_name(LAPIC_X2APIC), "x2APIC");
}

RUN_TESTS(cmocka_unit_test(lapic_keeps_x2apic_the_firmware_left_on),
          cmocka_unit_test(lapic_switches_xapic_to_x2apic_when_offered),
          cmocka_unit_test(lapic_enables_a_disabled_apic_through_xapic),
          cmocka_unit_test(lapic_without_an_apic_is_an_error),
          cmocka_unit_test(lapic_x2apic_registers_are_the_sdm_msrs))
