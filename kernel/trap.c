// trap: sends each vector to its handler and turns every unhandled exception into
// a full report: vector name, error code decoded, RIP with its symbol, CR2 for a
// page fault, all registers and a frame-pointer backtrace; then the run ends
// (exit status 35 under QEMU with quit=1, otherwise the message stays on screen).
#include "kernel/trap.h"

#include <stdio.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"

static const char *const names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
    "invalid opcode", "device not available", "double fault", "coprocessor overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection fault",
    "page fault", "reserved (15)", "x87 floating point", "alignment check",
    "machine check", "SIMD floating point", "virtualization", "control protection",
    "reserved (22)", "reserved (23)", "reserved (24)", "reserved (25)", "reserved (26)",
    "reserved (27)", "hypervisor injection", "VMM communication", "security",
    "reserved (31)",
};

// Returns the exception's name, or "interrupt" for vectors 32 and up.
const char *trap_name(uint64_t vector) { return vector < 32 ? names[vector] : "interrupt"; }

// Decodes a page-fault error code: cause, access, mode.
static void print_pf_error(uint64_t e) {
    kprintf(" [%s %s%s%s%s]", (e & PF_PROTECTION) ? "protection" : "not-present",
            (e & PF_WRITE) ? "write" : "read", (e & PF_USER) ? " user" : " kernel",
            (e & PF_RESERVED) ? " reserved-bit" : "", (e & PF_FETCH) ? " instruction-fetch" : "");
}

// Prints the report of an exception (see the file comment).
void trap_report(const struct trap_frame *tf, const char *extra) {
    char sym[128];
    uint64_t cr2 = read_cr2();
    kprintf("\nEXCEPTION: %s (vector %lu) error 0x%lx", trap_name(tf->vector),
            (unsigned long)tf->vector, (unsigned long)tf->error);
    if (tf->vector == VEC_PAGE_FAULT)
        print_pf_error(tf->error);
    kprintf("\n");
    ksym_format(tf->rip, sym, sizeof sym);
    kprintf("  RIP 0x%016lx <%s>\n", (unsigned long)tf->rip, sym);
    if (tf->vector == VEC_PAGE_FAULT)
        kprintf("  CR2 0x%016lx (the address that faulted)\n", (unsigned long)cr2);
    else if (tf->vector == 8) // often a fault while delivering a page fault
        kprintf("  CR2 0x%016lx (the last page-fault address)\n", (unsigned long)cr2);
    if (extra && *extra)
        kprintf("  %s\n", extra);
    kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx,
            tf->rdx);
    kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", tf->rsi, tf->rdi, tf->rbp,
            tf->rsp);
    kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", tf->r8, tf->r9, tf->r10,
            tf->r11);
    kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", tf->r12, tf->r13, tf->r14,
            tf->r15);
    kprintf("  rflags %016lx cs %04lx ss %04lx cr0 %08lx cr3 %016lx cr4 %08lx\n", tf->rflags,
            tf->cs, tf->ss, (unsigned long)read_cr0(), (unsigned long)read_cr3(),
            (unsigned long)read_cr4());
    kbacktrace(tf->rip, tf->rbp);
}

struct trap_frame *trap_pf_frame;
static int fatal_depth;

// Reports an exception nobody handled and ends the run.
static _Noreturn void fatal(struct trap_frame *tf, const char *extra) {
    if (++fatal_depth > 1) {
        // An exception while reporting one: say so and leave at once.
        kprintf("\nEXCEPTION %s (vector %lu) at 0x%lx while reporting an exception\n",
                trap_name(tf->vector), (unsigned long)tf->vector, (unsigned long)tf->rip);
        qemu_exit(17);
        for (;;)
            hlt();
    }
    trap_report(tf, extra);
    kernel_fail();
}

// The C entry of every vector (see kernel/vectors.S).
void trap_dispatch(struct trap_frame *tf) {
    if (tf->vector == VEC_TIMER) {
        lapic_timer_interrupt();
        return;
    }
    if (tf->vector == VEC_SPURIOUS)
        return;
    if (tf->vector == VEC_PAGE_FAULT) {
        char why[256];
        why[0] = 0;
        struct trap_frame *outer = trap_pf_frame;
        trap_pf_frame = tf;
        bool handled = vmk_page_fault(read_cr2(), tf->error, why, sizeof why);
        trap_pf_frame = outer;
        if (handled)
            return;
        fatal(tf, why);
    }
    if (tf->vector >= 0x20 && tf->vector < 0x30)
        return; // the masked 8259s can still raise a spurious IRQ 7 or 15: ignore it
    if (tf->vector >= 32) {
        kprintf("warning: unexpected interrupt vector %lu ignored\n",
                (unsigned long)tf->vector);
        return;
    }
    fatal(tf, NULL);
}
