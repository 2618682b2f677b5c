// frameset: frames taken from pg_ for a self-test without touching them (QEMU
// backs guest RAM lazily, so writing every frame costs a host page fault each),
// remembered in a bitmap that lives in a small committed range. The frames test
// takes all of them; the vm test takes most of them to create memory pressure.
#ifndef SPANLAB_KERNEL_FRAMESET_H
#define SPANLAB_KERNEL_FRAMESET_H

#include <stdbool.h>
#include <stdint.h>

typedef struct frameset {
    uint64_t *bits; // bit f set: frame f is held
    uint64_t bytes; // of the bitmap range
    uint64_t n;     // frames held
} frameset_t;

// Reserves and touches the bitmap. Returns false when that fails.
bool frameset_init(frameset_t *s);
// Takes frames until max are held or pg_ has none left; returns how many it took.
uint64_t frameset_take(frameset_t *s, uint64_t max);
// Writes a marker into every stride-th held frame and reads it back; returns the
// number of frames checked (0 when a marker was lost).
uint64_t frameset_probe(const frameset_t *s, uint64_t stride);
// Gives every held frame back and releases the bitmap.
void frameset_release(frameset_t *s);

#endif
