// vectors: one stub per interrupt vector (0..255). Each pushes a dummy error code
// when the CPU does not push one, then the vector number, and jumps to trap_common,
// which saves every general register and the SSE state (mm/ and rt/ code may be
// interrupted in the middle of SSE work; our handlers call into mm/ too), calls
// trap_dispatch(struct trap_frame *) and returns with iretq.
// The table trap_stubs[256] holds the stub addresses for kernel/idt.c.

    .text
    .balign 16
trap_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi          // struct trap_frame * (r15 first)
    pushq 136(%rdi)         // a frame record {interrupted rbp, interrupted rip}, so
    pushq 64(%rdi)          // backtraces from a handler continue into the code
    mov %rsp, %rbp          // that was interrupted
    sub $512, %rsp          // 176 + 16 bytes pushed so far: still 16-aligned
    fxsave64 (%rsp)
    cld
    call trap_dispatch
    fxrstor64 (%rsp)
    add $528, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp           // vector, error code
    iretq

.macro STUB n
    .balign 16
trap_stub_\n:
    .if (\n == 8) || (\n == 10) || (\n == 11) || (\n == 12) || (\n == 13) || (\n == 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    push $0
    .endif
    push $\n
    jmp trap_common
.endm

.altmacro
.macro STUBS from, to
    STUB %from
    .if \to-\from
    STUBS %(from+1), \to
    .endif
.endm

    STUBS 0, 63
    STUBS 64, 127
    STUBS 128, 191
    STUBS 192, 255

.macro ADDR n
    .quad trap_stub_\n
.endm
.macro ADDRS from, to
    ADDR %from
    .if \to-\from
    ADDRS %(from+1), \to
    .endif
.endm

    .section .rodata
    .balign 8
    .global trap_stubs
trap_stubs:
    ADDRS 0, 63
    ADDRS 64, 127
    ADDRS 128, 191
    ADDRS 192, 255

// void trap_call_on_stack(void (*fn)(const char *), const char *arg, uint64_t stack):
// calls fn(arg) on another stack (16-aligned) and comes back to this one.
    .text
    .global trap_call_on_stack
    .type trap_call_on_stack, @function
trap_call_on_stack:
    push %rbp
    mov %rsp, %rbp
    mov %rdx, %rsp
    mov %rdi, %rax
    mov %rsi, %rdi
    call *%rax
    mov %rbp, %rsp
    pop %rbp
    ret
    .size trap_call_on_stack, . - trap_call_on_stack
