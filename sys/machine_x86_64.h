// The machine's attributes for portable code, included by sys/sys.h: what a port to
// another architecture replaces (with sys/ctxsw_ARCH.S and .c, sys/linux_ARCH.c).
#ifndef SPANLAB_SYS_MACHINE_X86_64_H
#define SPANLAB_SYS_MACHINE_X86_64_H

// A function that runs in interrupt context (a tick handler). In the kernel the
// interrupted code owns the SSE registers, which an interrupt does not save, so such
// a function is compiled for the general registers only.
#define SYS_INTERRUPT_CONTEXT __attribute__((target("general-regs-only")))

#endif
