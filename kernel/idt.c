// idt: 256 interrupt gates pointing at the stubs of kernel/vectors.S. Double
// fault, NMI, page fault and the timer run on their own IST stacks (kernel/gdt.c).
#include <stdint.h>

#include "kernel/trap.h"

struct idt_gate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t zero;
} __attribute__((packed));

extern const uint64_t trap_stubs[256];
static struct idt_gate idt[256];

// Points vector v at addr as a ring-0 interrupt gate on IST slot ist (0: none).
static void set_gate(int v, uint64_t addr, int ist) {
    idt[v].off_lo = addr & 0xffff;
    idt[v].sel = GDT_KCODE;
    idt[v].ist = (uint8_t)ist;
    idt[v].type = 0x8e; // present, DPL 0, 64-bit interrupt gate (IF cleared)
    idt[v].off_mid = (addr >> 16) & 0xffff;
    idt[v].off_hi = (uint32_t)(addr >> 32);
    idt[v].zero = 0;
}

// Fills and loads the IDT.
void idt_init(void) {
    for (int v = 0; v < 256; v++)
        set_gate(v, trap_stubs[v], 0);
    set_gate(8, trap_stubs[8], IST_DOUBLE_FAULT);
    set_gate(2, trap_stubs[2], IST_NMI);
    set_gate(VEC_PAGE_FAULT, trap_stubs[VEC_PAGE_FAULT], IST_PAGE_FAULT);
    set_gate(VEC_TIMER, trap_stubs[VEC_TIMER], IST_TIMER);
    set_gate(VEC_SPURIOUS, trap_stubs[VEC_SPURIOUS], IST_TIMER);
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(idtr));
}
