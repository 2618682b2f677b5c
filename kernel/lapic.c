// lapic_: the local APIC driver (see lapic.h). The mode decision is pure
// (kernel/lapic_mode.c, host-tested); this file reads IA32_APIC_BASE and
// CPUID, performs the plan's MSR writes, and reaches the registers through an
// uncached MMIO mapping (xAPIC) or the x2APIC MSRs.
#include "kernel/lapic.h"

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "sys/options.h"

static volatile uint32_t *regs; // xAPIC registers (uncached window)
static lapic_plan_t plan;
static uint64_t firmware_base;

uint32_t lapic_read(uint32_t reg) {
    if (plan.mode == LAPIC_X2APIC)
        return (uint32_t)rdmsr(lapic_x2apic_msr(reg));
    return mmio_read32(regs + reg / 4);
}

void lapic_write(uint32_t reg, uint32_t v) {
    if (plan.mode == LAPIC_X2APIC)
        wrmsr(lapic_x2apic_msr(reg), v);
    else
        mmio_write32(regs + reg / 4, v);
}

// Remaps the 8259 PICs to vectors 0x20..0x2f and masks every line: the LAPIC
// delivers our only interrupt (a PIC that is absent ignores the writes).
static void pic_disable(void) {
    static const uint8_t init[2][4] = {{0x11, 0x20, 0x04, 0x01}, {0x11, 0x28, 0x02, 0x01}};
    for (int i = 0; i < 4; i++) {
        outb(i ? 0x21 : 0x20, init[0][i]);
        outb(i ? 0xa1 : 0xa0, init[1][i]);
    }
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

void lapic_init(void) {
    pic_disable();
    firmware_base = rdmsr(MSR_APIC_BASE);
    lapic_plan(firmware_base, cpu_has(CPU_APIC), cpu_has(CPU_X2APIC), (int)opt_int("apic"), &plan);
    if (plan.error) {
        kprintf("spanlab: %s: stopping\n", plan.error);
        kernel_fail();
    }
    for (int i = 0; i < plan.nwrites; i++)
        wrmsr(MSR_APIC_BASE, plan.writes[i]);
    if (plan.mode == LAPIC_XAPIC)
        regs = pt_map_mmio(rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR, 4096);
    lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT1, LVT_NMI); // the PC's NMI line: keep it, as NMI
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
}

#define ICR_INIT_ALL_BUT_SELF 0x000c4500u // shorthand 11b, level assert, delivery INIT
#define ICR_PENDING (1u << 12)             // xAPIC delivery status
#define ICR_WAIT_READS 1000000

void lapic_park_others(void) {
    if (plan.mode == LAPIC_XAPIC)
        lapic_write(LAPIC_ICR_HIGH, 0); // no destination: the shorthand names them
    lapic_write(LAPIC_ICR_LOW, ICR_INIT_ALL_BUT_SELF);
    if (plan.mode == LAPIC_XAPIC) // x2APIC has no delivery status to wait for
        for (int i = 0; i < ICR_WAIT_READS && (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING); i++)
            cpu_relax();
}

lapic_mode_t lapic_mode(void) { return plan.mode; }
uint32_t lapic_id(void) { return lapic_id_decode(plan.mode, lapic_read(LAPIC_ID)); }
const char *lapic_why(void) { return plan.why ? plan.why : "not set up"; }
uint64_t lapic_firmware_base(void) { return firmware_base; }
