// Interfaces between the collector's own files (rt/gc*.c): the gctrace formatter,
// the mark work list, root scanning and the debug modes. Not for other modules.
#ifndef SPANLAB_GC_INTERNAL_H
#define SPANLAB_GC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rt/gc.h"

// ---- gctrace (rt/gctrace.c) -----------------------------------------------------

// What one gctrace line says, in Go's units (mgc.go gcMarkTermination).
typedef struct gctrace_rec {
    uint64_t num;              // cycle number, 1-based (memstats.numgc after it)
    uint64_t start_ns;         // start of the cycle, ns since the runtime started
    double cpu_fraction;       // GCCPUFraction after the cycle
    uint64_t clock_ns[3];      // sweep termination, mark, mark termination (wall)
    uint64_t cpu_ns[5];        // sweep term, assist, dedicated+fractional, idle, mark term
    uint64_t heap0, heap1, heap2; // live heap at start, at mark termination, marked
    uint64_t goal;             // heap goal of this cycle
    uint64_t stacks;           // stack bytes (maxStackScan)
    uint64_t globals;          // global bytes (globalsScan)
    int procs;                 // P count
    bool forced;
} gctrace_rec_t;

// Formats r as Go's line plus '\n' into buf (NUL-terminated). Returns the length,
// or the length it would have had when buf is too small (like snprintf).
size_t gctrace_format(char *buf, size_t len, const gctrace_rec_t *r);

// Go's fmtNSAsMS: ns as milliseconds, whole ms from 10 ms up, else two significant
// digits with at most three decimals ("0.005", "1.2", "12"). Returns the length.
size_t gctrace_fmt_ms(char *buf, size_t len, uint64_t ns);

#endif
