// cpu_: the boot CPU as the kernel uses it: CPUID read once (kernel/cpuinfo.c
// decodes it), the required features checked before anything depends on them,
// and cpu_has() for the code that adapts (paging: NX, 1 GiB pages, global pages;
// the screen: PAT; the LAPIC: x2APIC; the clock: invariant TSC).
#include "kernel/cpu.h"

#include "kernel/console.h"
#include "kernel/cpuinfo.h"
#include "kernel/kernel.h"

static cpu_info_t info;
static bool probed;

// The CPUID instruction, as cpu_info_read wants it.
static void real_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4], void *ctx) {
    (void)ctx;
    cpuid(leaf, sub, r);
}

// Reads CPUID; a missing required feature ends the run with its name.
void cpu_probe(void) {
    cpu_info_read(&info, real_cpuid, NULL);
    probed = true;
    cpu_feature_t missing = cpu_info_missing(&info);
    if (missing != CPU_FEATURE_COUNT) {
        kprintf("spanlab: this CPU (%s, %s) lacks %s, which spanlab needs: stopping\n",
                info.vendor, info.brand[0] ? info.brand : "no model name",
                cpu_feature_name(missing));
        kernel_fail();
    }
}

// See cpu.h.
const cpu_info_t *cpu_info(void) {
    if (!probed)
        cpu_probe();
    return &info;
}

bool cpu_has(cpu_feature_t f) { return cpu_info()->has[f]; }
