// The pointer-holding object of each benchmark size, Go's new(T) for
// struct { p *T; x [SIZE/8 - 1]int }: only the first word is a pointer, so every
// allocation writes a one-bit pointer bitmap (bench/alloc_go has the same types).
#ifndef SPANLAB_ALLOC_PTRTYPE_H
#define SPANLAB_ALLOC_PTRTYPE_H

#include <stdio.h>
#include <stdlib.h>
#include "mm/gotype.h"

static const uint8_t bench_ptrmask[1] = {0x1};

// The type of size bytes (16, 32, 64 or 256); exits on another size.
static const gotype_t *bench_ptr_type(size_t size) {
    static const gotype_t t16 = {"main.P16", 16, 8, bench_ptrmask, 8, GOKIND_STRUCT};
    static const gotype_t t32 = {"main.P32", 32, 8, bench_ptrmask, 8, GOKIND_STRUCT};
    static const gotype_t t64 = {"main.P64", 64, 8, bench_ptrmask, 8, GOKIND_STRUCT};
    static const gotype_t t256 = {"main.P256", 256, 8, bench_ptrmask, 8, GOKIND_STRUCT};
    switch (size) {
    case 16: return &t16;
    case 32: return &t32;
    case 64: return &t64;
    case 256: return &t256;
    }
    fprintf(stderr, "pointer-holding benchmark: no type of %zu bytes (16, 32, 64, 256)\n", size);
    exit(2);
}

#endif
