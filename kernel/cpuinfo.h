// cpu_: what the processor says about itself through CPUID, read once at boot:
// vendor, model name, family/model/stepping, and the feature bits the kernel
// depends on or adapts to. Reading goes through a function pointer so host
// tests (tests/unit/cpuinfo_test.c) can present any CPU; the kernel passes the
// real instruction (kernel/cpu.h). Which features are required and which have
// a fallback is decided here too, in one table, so the report can name them.
#ifndef SPANLAB_KERNEL_CPUINFO_H
#define SPANLAB_KERNEL_CPUINFO_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*cpu_cpuid_fn)(uint32_t leaf, uint32_t sub, uint32_t r[4], void *ctx);

typedef enum cpu_feature {
    // required: the kernel cannot run without them
    CPU_TSC, CPU_MSR, CPU_APIC, CPU_FXSR, CPU_SSE2, CPU_LM,
    // optional: used when present, with a fallback when not
    CPU_NX, CPU_GIB_PAGES, CPU_PGE, CPU_PAT, CPU_X2APIC, CPU_INVARIANT_TSC,
    // reported only: spanlab does not use them (one address space, SSE state only)
    CPU_PCID, CPU_XSAVE, CPU_TSC_DEADLINE, CPU_HYPERVISOR,
    CPU_FEATURE_COUNT
} cpu_feature_t;

typedef struct cpu_info {
    char vendor[13];
    char brand[49];                 // "" when leaf 0x80000004 is missing
    uint32_t family, model, stepping; // display values (extended fields folded in)
    uint32_t max_leaf, max_ext_leaf;
    uint32_t l15[4], l16[4];        // leaves 0x15, 0x16 (zero when beyond max_leaf)
    bool has[CPU_FEATURE_COUNT];
} cpu_info_t;

// Reads every leaf the kernel needs through fn.
void cpu_info_read(cpu_info_t *ci, cpu_cpuid_fn fn, void *ctx);

// The feature's name and where CPUID reports it: "NX (CPUID.80000001h:EDX bit 20)".
const char *cpu_feature_name(cpu_feature_t f);
// What the kernel does without it: "required", or the fallback in a few words.
const char *cpu_feature_fallback(cpu_feature_t f);

// The first required feature ci lacks, or CPU_FEATURE_COUNT when none is missing.
cpu_feature_t cpu_info_missing(const cpu_info_t *ci);

#endif
