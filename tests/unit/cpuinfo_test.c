// CPUID decoding (kernel/cpuinfo.c) against faked CPUs: identity (vendor,
// brand, family/model/stepping with the extended fields), the feature bits the
// kernel adapts to (NX, 1 GiB pages, PAT, x2APIC, invariant TSC ...), leaves
// above the CPU's maximum never read, and a missing required feature named.
#include "tests/unit/test.h"

#include "kernel/cpuinfo.h"

// A faked CPU: registers per leaf; any leaf not listed reads as zeros and is
// recorded as read (so the test can check leaves above the maximum stay unread).
typedef struct fake_leaf {
    uint32_t leaf;
    uint32_t r[4];
} fake_leaf_t;

typedef struct fake_cpu {
    const fake_leaf_t *leaves;
    int n;
    uint32_t highest_read;
} fake_cpu_t;

static void fake_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4], void *ctx) {
    fake_cpu_t *c = ctx;
    (void)sub;
    if (leaf < 0x80000000u && leaf > c->highest_read)
        c->highest_read = leaf;
    memset(r, 0, 16);
    for (int i = 0; i < c->n; i++)
        if (c->leaves[i].leaf == leaf)
            memcpy(r, c->leaves[i].r, 16);
}

// "GenuineIntel" in EBX, EDX, ECX order.
#define INTEL 0x756e6547, 0x6c65746e, 0x49656e69
#define LEAF1_EDX ((1u << 4) | (1u << 5) | (1u << 9) | (1u << 13) | (1u << 16) | (1u << 24) | (1u << 26))

// A Skylake-like CPU: family 6 model 0x5e, every feature but x2APIC.
static const fake_leaf_t skylake[] = {
    {0, {0x16, 0x756e6547, 0x6c65746e, 0x49656e69}},
    {1, {0x000506e3, 0, (1u << 17) | (1u << 24) | (1u << 26), LEAF1_EDX}},
    {0x15, {2, 216, 0, 0}},
    {0x16, {2700, 4000, 100, 0}},
    {0x80000000, {0x80000008, 0, 0, 0}},
    {0x80000001, {0, 0, 0, (1u << 20) | (1u << 26) | (1u << 29)}},
    {0x80000002, {0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865}}, // "Intel(R) Core(TM"
    {0x80000003, {0x37692029, 0x3037362d, 0x43204b30, 0x40205550}}, // ") i7-6700K CPU @"
    {0x80000004, {0x30302e34, 0x007a4847, 0, 0}},                   // "4.00GHz"
    {0x80000007, {0, 0, 0, 1u << 8}},
};

static void cpuinfo_decodes_identity_and_features(void **state) {
    fake_cpu_t c = {skylake, sizeof skylake / sizeof skylake[0], 0};
    cpu_info_t ci;
    cpu_info_read(&ci, fake_cpuid, &c);
    assert_string_equal(ci.vendor, "GenuineIntel");
    assert_string_equal(ci.brand, "Intel(R) Core(TM) i7-6700K CPU @4.00GHz");
    assert_int_equal(ci.family, 6);
    assert_int_equal(ci.model, 0x5e);
    assert_int_equal(ci.stepping, 3);
    assert_int_equal(ci.max_leaf, 0x16);
    assert_int_equal(ci.l15[1], 216);
    assert_int_equal(ci.l16[0], 2700);
    assert_true(ci.has[CPU_NX] && ci.has[CPU_GIB_PAGES] && ci.has[CPU_PAT] && ci.has[CPU_PGE]);
    assert_true(ci.has[CPU_INVARIANT_TSC] && ci.has[CPU_PCID] && ci.has[CPU_XSAVE]);
    assert_true(ci.has[CPU_TSC_DEADLINE]);
    assert_false(ci.has[CPU_X2APIC]);
    assert_false(ci.has[CPU_HYPERVISOR]);
    assert_int_equal(cpu_info_missing(&ci), CPU_FEATURE_COUNT);
}

static void cpuinfo_folds_extended_family_and_model(void **state) {
    // AMD Zen 2 (family 0x17 = 0xf + 0x8, model 0x31) and a family-15 Pentium 4.
    fake_leaf_t zen[] = {{0, {0xd, 0x68747541, 0x444d4163, 0x69746e65}},
                         {1, {0x00830f10, 0, 0, LEAF1_EDX}}};
    fake_cpu_t c = {zen, 2, 0};
    cpu_info_t ci;
    cpu_info_read(&ci, fake_cpuid, &c);
    assert_string_equal(ci.vendor, "AuthenticAMD");
    assert_int_equal(ci.family, 0x17);
    assert_int_equal(ci.model, 0x31);
    assert_string_equal(ci.brand, ""); // no extended leaves
    zen[1].r[0] = 0x00000f41;          // family 15, model 4: extended model is 0
    cpu_info_read(&ci, fake_cpuid, &c);
    assert_int_equal(ci.family, 15);
    assert_int_equal(ci.model, 4);
}

static void cpuinfo_never_reads_leaves_above_the_maximum(void **state) {
    // qemu64: leaf maximum 0xd, so 0x15/0x16 are not asked and read as zero,
    // and no 1 GiB pages, no invariant TSC.
    fake_leaf_t q[] = {{0, {0xd, INTEL}},
                       {1, {0x000663, 0, 0, LEAF1_EDX}},
                       {0x15, {2, 216, 24000000, 0}},
                       {0x80000000, {0x8000000a, 0, 0, 0}},
                       {0x80000001, {0, 0, 0, (1u << 20) | (1u << 29)}}};
    fake_cpu_t c = {q, 5, 0};
    cpu_info_t ci;
    cpu_info_read(&ci, fake_cpuid, &c);
    assert_true(c.highest_read <= 0xd);
    assert_int_equal(ci.l15[2], 0);
    assert_false(ci.has[CPU_GIB_PAGES]);
    assert_false(ci.has[CPU_INVARIANT_TSC]);
    assert_true(ci.has[CPU_NX]);
    assert_string_equal(cpu_feature_fallback(CPU_GIB_PAGES), "direct map in 2 MiB pages");
}

static void cpuinfo_names_a_missing_required_feature(void **state) {
    fake_leaf_t q[] = {{0, {0xd, INTEL}},
                       {1, {0x000663, 0, 0, LEAF1_EDX & ~(1u << 9)}}, // no local APIC
                       {0x80000000, {0x80000001, 0, 0, 0}},
                       {0x80000001, {0, 0, 0, 1u << 29}}};
    fake_cpu_t c = {q, 4, 0};
    cpu_info_t ci;
    cpu_info_read(&ci, fake_cpuid, &c);
    assert_int_equal(cpu_info_missing(&ci), CPU_APIC);
    assert_string_equal(cpu_feature_name(CPU_APIC), "local APIC (CPUID.1:EDX bit 9)");
    assert_string_equal(cpu_feature_fallback(CPU_APIC), "required");
    assert_false(ci.has[CPU_NX]); // no NX: a fallback, not a stop
    q[1].r[3] |= 1u << 9;
    cpu_info_read(&ci, fake_cpuid, &c);
    assert_int_equal(cpu_info_missing(&ci), CPU_FEATURE_COUNT);
    q[3].r[3] = 0; // no long mode bit: required
    cpu_info_read(&ci, fake_cpuid, &c);
    assert_int_equal(cpu_info_missing(&ci), CPU_LM);
}

RUN_TESTS(cmocka_unit_test(cpuinfo_decodes_identity_and_features),
          cmocka_unit_test(cpuinfo_folds_extended_family_and_model),
          cmocka_unit_test(cpuinfo_never_reads_leaves_above_the_maximum),
          cmocka_unit_test(cpuinfo_names_a_missing_required_feature))
