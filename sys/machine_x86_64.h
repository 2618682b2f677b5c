// The machine's attributes for portable code, included by sys/sys.h: what a port to
// another architecture replaces (with sys/ctxsw_ARCH.S and .c, sys/linux_ARCH.c).
#ifndef SPANLAB_SYS_MACHINE_X86_64_H
#define SPANLAB_SYS_MACHINE_X86_64_H

#include <stdint.h>

// A function that runs in interrupt context (a tick handler). In the kernel the
// interrupted code owns the SSE registers, which an interrupt does not save, so such
// a function is compiled for the general registers only.
#define SYS_INTERRUPT_CONTEXT __attribute__((target("general-regs-only")))

// Bit operations the mark loop does per pointer slot of an object of more than 4
// words, one instruction each: GCC spells 63 - clz(x) as bsr and two xors, and
// x & ~(1 << k) as a shift, a not and an and (a port writes them portably:
// 63 - __builtin_clzll(x), x & ~(1ull << k)). bsr itself is several micro-ops on AMD
// Zen 3 (2.4 ns against 0.6 for tzcnt, measured), so the mark loop keeps it off the
// path of objects of up to 4 words (rt/gc_internal.h, gc_small_words_scanned).

// The index of the highest set bit of x, which must not be 0: bsr (inline assembly:
// clang, which builds the fuzz targets, has no __builtin_ia32_bsrdi).
static inline unsigned sys_highest_bit(uint64_t x) {
    uint64_t k;
    __asm__("bsrq %1, %0" : "=r"(k) : "rm"(x) : "cc");
    return (unsigned)k;
}

// x with bit k (0..63) cleared: btr.
static inline uint64_t sys_clear_bit(uint64_t x, unsigned k) {
    __asm__("btrq %1, %0" : "+r"(x) : "r"((uint64_t)k) : "cc");
    return x;
}

#endif
