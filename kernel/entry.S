// entry: the kernel's first instructions. The loader jumps here in long mode with
// its own page tables and stack (boot/bootinfo.h has the contract); rdi holds the
// physical address of the boot_info. We move to our own stack in .bss, clear rbp
// so frame-pointer backtraces end here, and call kmain(boot_info). Below the
// stack lies a guard page that our page tables leave unmapped.

#define KSTACK_SIZE 65536

    .section .text.entry, "ax"
    .global _start
    .type _start, @function
_start:
    cli
    cld
    lea kstack_top(%rip), %rsp
    xor %ebp, %ebp
    push $0                 // fake return address: ends backtraces
    push $0
    call kmain
1:  cli
    hlt
    jmp 1b
    .size _start, . - _start

    .section .bss
    .balign 4096
    .global kstack_guard
kstack_guard:               // left unmapped by kernel/paging.c: an overflow faults
    .space 4096
    .global kstack_bottom
kstack_bottom:
    .space KSTACK_SIZE
    .global kstack_top
kstack_top:
