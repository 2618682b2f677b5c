// trap: the machine state saved by kernel/vectors.S on every interrupt or
// exception, the GDT/IDT setup, and the handlers trap_dispatch sends vectors to.
#ifndef SPANLAB_KERNEL_TRAP_H
#define SPANLAB_KERNEL_TRAP_H

#include <stdbool.h>
#include <stdint.h>

// Pushed by trap_common (r15 last, so first in memory), the stub and the CPU.
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_TSS 0x18

// IST slots (1-based as in the IDT gate) for exceptions that must not trust rsp.
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_PAGE_FAULT 3
// The timer (and spurious) interrupts: their frames never land on the interrupted
// goroutine's stack, where they would make a page of it resident or not as the tick
// happens to fall (resident_pages would change from run to run). They do not nest:
// the gate clears IF and the handler never sets it.
#define IST_TIMER 4
#define IST_SLOTS 4

#define VEC_PAGE_FAULT 14

// A page fault's error code (Intel SDM vol. 3, 4.7).
#define PF_PROTECTION (1u << 0) // set: a protection violation; clear: not present
#define PF_WRITE (1u << 1)      // a write (else a read)
#define PF_USER (1u << 2)       // from user mode
#define PF_RESERVED (1u << 3)   // a reserved bit set in a paging entry
#define PF_FETCH (1u << 4)      // an instruction fetch
#define VEC_TIMER 0x40
#define VEC_SPURIOUS 0xff

void gdt_init(void);
uint64_t gdt_swap_ist(int ist, uint64_t top);
void idt_init(void);

// The frame of the page fault being handled (NULL outside the handler): a panic
// raised by the handler (out of memory) uses it to leave the IST stack.
extern struct trap_frame *trap_pf_frame;

// Called from trap_common for every vector.
void trap_dispatch(struct trap_frame *tf);

// The name of an exception vector ("page fault"), or "interrupt".
const char *trap_name(uint64_t vector);

// Prints the full exception report (vector, error, registers, backtrace) to the
// console, with extra (may be NULL) after the headline.
void trap_report(const struct trap_frame *tf, const char *extra);

// Installed by kernel/lapic.c: the timer interrupt.
void lapic_timer_interrupt(void);

// Installed by kernel/vm_fault.c: returns true when the fault was a demand-zero
// or lazy-cancel fault it resolved; false means a real fault.
bool vmk_page_fault(uint64_t addr, uint64_t error, char *why, unsigned long why_len);

#endif
