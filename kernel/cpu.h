// cpu: x86-64 instructions and registers as small static inline wrappers, so the
// rest of kernel/ reads as C. Port I/O, MSRs, control registers, TLB, TSC, CPUID;
// and the boot CPU's features (kernel/cpu.c, kernel/cpuinfo.h).
#ifndef SPANLAB_KERNEL_CPU_H
#define SPANLAB_KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpuinfo.h"

// Reads CPUID once (kernel/cpu.c) and stops the run, naming the feature, when
// a required one is missing. kmain calls it before paging and the clock.
void cpu_probe(void);
// The decoded CPUID of the boot CPU (probes on first use).
const cpu_info_t *cpu_info(void);
// True when the boot CPU has feature f.
bool cpu_has(cpu_feature_t f);

#define MSR_EFER 0xc0000080u
#define MSR_APIC_BASE 0x1bu
#define EFER_NXE (1u << 11)

#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_WP (1u << 16)
#define CR4_PGE (1u << 7)
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)

static inline void outb(uint16_t port, uint8_t v) {
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void outw(uint16_t port, uint16_t v) {
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v) {
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint16_t inw(uint16_t port) {
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port) {
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr) {
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v) {
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#define CPU_CR(n)                                                              \
    static inline uint64_t read_cr##n(void) {                                  \
        uint64_t v;                                                            \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                      \
        return v;                                                              \
    }                                                                          \
    static inline void write_cr##n(uint64_t v) {                               \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");             \
    }
CPU_CR(0)
CPU_CR(2)
CPU_CR(3)
CPU_CR(4)
#undef CPU_CR

// Uncached MMIO access (device registers: LAPIC, HPET).
static inline uint32_t mmio_read32(volatile const void *p) { return *(volatile const uint32_t *)p; }
static inline uint64_t mmio_read64(volatile const void *p) { return *(volatile const uint64_t *)p; }
static inline void mmio_write32(volatile void *p, uint32_t v) { *(volatile uint32_t *)p = v; }
static inline void mmio_write64(volatile void *p, uint64_t v) { *(volatile uint64_t *)p = v; }

static inline void invlpg(const void *va) {
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
// Enables interrupts and halts atomically (sti's one-instruction shadow), so a
// wake-up interrupt cannot slip in between the two.
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

// Returns the saved RFLAGS and disables interrupts; pair with irq_restore.
static inline uint64_t irq_save(void) {
    uint64_t f;
    __asm__ volatile("pushfq; pop %0; cli" : "=r"(f) : : "memory");
    return f;
}
static inline void irq_restore(uint64_t f) {
    if (f & (1u << 9))
        sti();
}

// True when interrupts are enabled (RFLAGS.IF).
static inline int read_rflags_if(void) {
    uint64_t f;
    __asm__ volatile("pushfq; pop %0" : "=r"(f));
    return (f >> 9) & 1;
}

static inline uint64_t read_rbp(void) {
    uint64_t v;
    __asm__ volatile("mov %%rbp, %0" : "=r"(v));
    return v;
}

#endif
