// cpu_: CPUID decoded into a cpu_info_t (see cpuinfo.h). Bit positions from
// the Intel SDM vol. 2A (CPUID) and AMD APM vol. 3 (appendix E); both vendors
// agree on every bit read here.
#include "kernel/cpuinfo.h"

#include <string.h>

enum { EAX, EBX, ECX, EDX };

// Where each feature lives: leaf, register, bit; then its name and fallback.
static const struct {
    uint32_t leaf;
    uint8_t reg, bit;
    const char *name;
    const char *fallback; // NULL: required
} features[CPU_FEATURE_COUNT] = {
    [CPU_TSC] = {1, EDX, 4, "TSC (CPUID.1:EDX bit 4)", NULL},
    [CPU_MSR] = {1, EDX, 5, "MSR (CPUID.1:EDX bit 5)", NULL},
    [CPU_APIC] = {1, EDX, 9, "local APIC (CPUID.1:EDX bit 9)", NULL},
    [CPU_FXSR] = {1, EDX, 24, "FXSAVE (CPUID.1:EDX bit 24)", NULL},
    [CPU_SSE2] = {1, EDX, 26, "SSE2 (CPUID.1:EDX bit 26)", NULL},
    [CPU_LM] = {0x80000001, EDX, 29, "long mode (CPUID.80000001h:EDX bit 29)", NULL},
    [CPU_NX] = {0x80000001, EDX, 20, "NX (CPUID.80000001h:EDX bit 20)",
                "data pages stay executable"},
    [CPU_GIB_PAGES] = {0x80000001, EDX, 26, "1 GiB pages (CPUID.80000001h:EDX bit 26)",
                       "direct map in 2 MiB pages"},
    [CPU_PGE] = {1, EDX, 13, "global pages (CPUID.1:EDX bit 13)",
                 "kernel TLB entries flushed with every CR3 load"},
    [CPU_PAT] = {1, EDX, 16, "PAT (CPUID.1:EDX bit 16)",
                 "screen drawn through the direct map, as the firmware cached it"},
    [CPU_X2APIC] = {1, ECX, 21, "x2APIC (CPUID.1:ECX bit 21)", "xAPIC (memory-mapped)"},
    [CPU_INVARIANT_TSC] = {0x80000007, EDX, 8, "invariant TSC (CPUID.80000007h:EDX bit 8)",
                           "TSC used anyway; times drift if the CPU changes its clock"},
    [CPU_PCID] = {1, ECX, 17, "PCID (CPUID.1:ECX bit 17)", "not used (one address space)"},
    [CPU_XSAVE] = {1, ECX, 26, "XSAVE (CPUID.1:ECX bit 26)",
                   "not used (FXSAVE: the kernel uses SSE registers only)"},
    [CPU_TSC_DEADLINE] = {1, ECX, 24, "TSC deadline (CPUID.1:ECX bit 24)",
                          "not used (periodic LAPIC timer)"},
    [CPU_HYPERVISOR] = {1, ECX, 31, "hypervisor (CPUID.1:ECX bit 31)", "reported only"},
};

// Copies n 32-bit registers as characters into s.
static void regs_to_text(char *s, const uint32_t *regs, int n) {
    for (int i = 0; i < n; i++)
        memcpy(s + 4 * i, &regs[i], 4);
}

// Vendor string and family/model/stepping from leaves 0 and 1.
static void read_ident(cpu_info_t *ci, const uint32_t l0[4], const uint32_t l1[4]) {
    uint32_t v[3] = {l0[EBX], l0[EDX], l0[ECX]};
    regs_to_text(ci->vendor, v, 3);
    ci->vendor[12] = 0;
    uint32_t base_family = (l1[EAX] >> 8) & 0xf, base_model = (l1[EAX] >> 4) & 0xf;
    ci->family = base_family == 0xf ? base_family + ((l1[EAX] >> 20) & 0xff) : base_family;
    ci->model = base_model;
    if (base_family == 0x6 || base_family == 0xf)
        ci->model |= ((l1[EAX] >> 16) & 0xf) << 4;
    ci->stepping = l1[EAX] & 0xf;
}

// The brand string from leaves 0x80000002..4, leading spaces dropped.
static void read_brand(cpu_info_t *ci, cpu_cpuid_fn fn, void *ctx) {
    char b[49] = {0};
    if (ci->max_ext_leaf >= 0x80000004)
        for (uint32_t i = 0; i < 3; i++) {
            uint32_t r[4];
            fn(0x80000002 + i, 0, r, ctx);
            regs_to_text(b + 16 * i, r, 4);
        }
    b[48] = 0;
    const char *p = b;
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    for (size_t i = 0; i < n; i++)
        ci->brand[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
    ci->brand[n] = 0;
}

void cpu_info_read(cpu_info_t *ci, cpu_cpuid_fn fn, void *ctx) {
    memset(ci, 0, sizeof *ci);
    uint32_t l0[4], l1[4] = {0}, e0[4], e1[4] = {0}, e7[4] = {0};
    fn(0, 0, l0, ctx);
    ci->max_leaf = l0[EAX];
    if (ci->max_leaf >= 1)
        fn(1, 0, l1, ctx);
    fn(0x80000000, 0, e0, ctx);
    ci->max_ext_leaf = (e0[EAX] & 0xffff0000u) == 0x80000000u ? e0[EAX] : 0;
    if (ci->max_ext_leaf >= 0x80000001)
        fn(0x80000001, 0, e1, ctx);
    if (ci->max_ext_leaf >= 0x80000007)
        fn(0x80000007, 0, e7, ctx);
    if (ci->max_leaf >= 0x15)
        fn(0x15, 0, ci->l15, ctx);
    if (ci->max_leaf >= 0x16)
        fn(0x16, 0, ci->l16, ctx);
    read_ident(ci, l0, l1);
    read_brand(ci, fn, ctx);
    for (int f = 0; f < CPU_FEATURE_COUNT; f++) {
        const uint32_t *r = features[f].leaf == 1            ? l1
                            : features[f].leaf == 0x80000001 ? e1
                                                             : e7;
        ci->has[f] = (r[features[f].reg] >> features[f].bit) & 1;
    }
}

const char *cpu_feature_name(cpu_feature_t f) { return features[f].name; }

const char *cpu_feature_fallback(cpu_feature_t f) {
    return features[f].fallback ? features[f].fallback : "required";
}

cpu_feature_t cpu_info_missing(const cpu_info_t *ci) {
    for (int f = 0; f < CPU_FEATURE_COUNT; f++)
        if (!features[f].fallback && !ci->has[f])
            return (cpu_feature_t)f;
    return CPU_FEATURE_COUNT;
}
