// gdt: the kernel's own GDT (null, 64-bit code, data, TSS) and the TSS whose IST
// slots give the double fault, NMI and page fault handlers known-good stacks (a
// page fault on a goroutine's guard page must not push onto that same guard page),
// and the timer interrupt a stack of its own (kernel/trap.h IST_TIMER).
#include <stdint.h>

#include "kernel/trap.h"

#define IST_STACK_SIZE 16384

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[5];
static uint8_t ist_stacks[IST_SLOTS][IST_STACK_SIZE] __attribute__((aligned(16)));

// Loads the GDT and TSS and reloads every segment register.
void gdt_init(void) {
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull; // 64-bit code, DPL 0
    gdt[2] = 0x00cf92000000ffffull; // data, DPL 0
    for (int i = 0; i < IST_SLOTS; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
    tss.iomap_base = sizeof tss;
    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof tss - 1;
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[4] = base >> 32;

    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) gdtr = {sizeof gdt - 1, (uint64_t)(uintptr_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "mov %2, %%ax\n\t"
                     "mov %%ax, %%ds\n\t"
                     "mov %%ax, %%es\n\t"
                     "mov %%ax, %%ss\n\t"
                     "xor %%eax, %%eax\n\t"
                     "mov %%ax, %%fs\n\t"
                     "mov %%ax, %%gs\n\t"
                     "mov %3, %%ax\n\t"
                     "ltr %%ax"
                     :
                     : "m"(gdtr), "i"(GDT_KCODE), "i"(GDT_KDATA), "i"(GDT_TSS)
                     : "rax", "memory");
}

// Sets IST slot ist (1-based) to top and returns the previous top: the page-fault
// handler lowers its own slot below its frames before calling code that may fault
// again, so the nested fault does not start over at the top and overwrite them.
uint64_t gdt_swap_ist(int ist, uint64_t top) {
    uint64_t old = tss.ist[ist - 1];
    tss.ist[ist - 1] = top;
    return old;
}
