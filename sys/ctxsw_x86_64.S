// The goroutine context switch, the one place the scheduler needs assembly, and the
// stack pointer for the collector's and ASan's views of a stack (sys/sys.h).
// A suspended goroutine is nothing but a saved stack pointer: the callee-saved
// registers of the SysV x86-64 ABI (rbp rbx r12-r15) are pushed on its own stack
// before rsp is saved, so the collector's scan of [saved sp, stack top) sees them.
// A sys machine file: built into the kernel and into the hosted library.

    .text

// void ctxsw_switch(void **save_sp, void *new_sp)
// Saves the current context on its stack, stores rsp in *save_sp, resumes the
// context whose stack pointer is new_sp. Returns when someone switches back.
    .globl ctxsw_switch
    .type ctxsw_switch, @function
    .p2align 4
ctxsw_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
.Lrestore:                  // the context saved at rsp: its registers, then its ret
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size ctxsw_switch, . - ctxsw_switch

// void ctxsw_jump(void *new_sp)
// Resumes new_sp without saving anything: the exit path of a goroutine whose
// stack is about to be reused.
    .globl ctxsw_jump
    .type ctxsw_jump, @function
    .p2align 4
ctxsw_jump:
    movq %rdi, %rsp
    jmp .Lrestore
    .size ctxsw_jump, . - ctxsw_jump

// uintptr_t sys_stack_pointer(void)
// The caller's stack pointer as it was at the call: every byte below it is dead.
    .globl sys_stack_pointer
    .type sys_stack_pointer, @function
    .p2align 4
sys_stack_pointer:
    leaq 8(%rsp), %rax
    ret
    .size sys_stack_pointer, . - sys_stack_pointer

    .section .note.GNU-stack, "", @progbits
