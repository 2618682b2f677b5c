// The machine half of a goroutine: switching stacks and the first frame a new
// stack starts from. kernel/switch.S implements the switch; the frame layout
// below must match the pops there (r15 r14 r13 r12 rbx rbp, then ret).
#ifndef SPANLAB_KERNEL_CONTEXT_H
#define SPANLAB_KERNEL_CONTEXT_H

#include <stdint.h>

// Saves the callee-saved registers on the current stack, stores the stack pointer
// in *save_sp and resumes the context saved at new_sp. Returns when switched back.
void ctxsw_switch(void **save_sp, void *new_sp);

// Resumes the context saved at new_sp, abandoning the current one. Never returns.
_Noreturn void ctxsw_jump(void *new_sp);

// Builds the first frame of a fresh stack whose usable top is top (16-aligned):
// resuming the returned stack pointer "returns" into entry with the stack aligned
// as at a call (rsp + 8 a multiple of 16) and rbp = 0, which ends backtraces.
// entry must never return (its return address is 0).
static inline void *ctxsw_frame(void *top, void (*entry)(void)) {
    uintptr_t *sp = (uintptr_t *)((uintptr_t)top & ~(uintptr_t)15);
    *--sp = 0;                  // entry's return address: none
    *--sp = (uintptr_t)entry;   // popped by ret in ctxsw_switch
    for (int i = 0; i < 6; i++) // rbp rbx r12 r13 r14 r15
        *--sp = 0;
    return sp;
}

#endif
