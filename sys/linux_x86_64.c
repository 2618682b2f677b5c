// The hosted sys's x86-64 instruction: the cycle counter (sys/sys.h sys_cycles).
// A sys machine file, built into the hosted library only (the kernel reads the TSC
// in kernel/clock.c).
#include <stdint.h>
#include "sys/sys.h"

// rdtsc after lfence, so earlier instructions have finished before the read.
uint64_t sys_cycles(void) {
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}
