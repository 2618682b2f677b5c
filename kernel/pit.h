// pit_: the legacy 8254 PIT's channel 2 as a free-running counter (the one
// channel whose gate software controls, through port 0x61), and a test that it
// is there at all: machines without one (QEMU's pit=off, some new PCs) read
// 0xff from its ports, and a counter that never moves would hang calibration.
#ifndef SPANLAB_KERNEL_PIT_H
#define SPANLAB_KERNEL_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"

#define PIT_HZ 1193182u
#define PIT_MASK 0xffffu

// Channel 2 in mode 2 (rate generator), reload 65536, gate on, speaker off.
static inline void pit_start(void) {
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb4); // channel 2, lo/hi byte, mode 2, binary
    outb(0x42, 0);
    outb(0x42, 0);
}

// Channel 2's count (counts down).
static inline uint32_t pit_read(void) {
    outb(0x43, 0x80); // latch channel 2
    uint32_t lo = inb(0x42), hi = inb(0x42);
    return (hi << 8) | lo;
}

// Starts channel 2 and watches it for up to `reads` reads: true once the count
// changes to something other than the all-ones of an absent device.
static inline bool pit_probe(uint32_t reads) {
    pit_start();
    uint32_t first = pit_read();
    for (uint32_t i = 0; i < reads; i++) {
        uint32_t v = pit_read();
        if (v != first && v != 0xffffu)
            return true;
    }
    return false;
}

#endif
