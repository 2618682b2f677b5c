// The type descriptor every heap allocation carries, like Go's _type: its size,
// how many leading bytes may hold pointers (ptrdata), and a pointer bitmap with one
// bit per 8-byte word of that prefix (Go's gcdata). ptrdata == 0 means the type has
// no pointers: its objects go to noscan spans and the collector never looks inside.
//
// rt/types.h declares descriptors for C structs (from their pointer fields'
// offsets), slices, strings, interfaces and byte arrays; mm/ only reads them.
#ifndef SPANLAB_GOTYPE_H
#define SPANLAB_GOTYPE_H

#include <stddef.h>
#include <stdint.h>

typedef struct gotype {
    const char *name;       // Go-style name for reports and profiles ("[]uint8")
    size_t size;            // bytes of one value
    size_t ptrdata;         // bytes of the prefix holding all pointers; 0 = noscan
    const uint8_t *ptrmask; // bit i (LSB first) set: word i may hold a pointer
    uint32_t align;         // alignment (8 unless noted)
    uint32_t kind;          // GOKIND_* below, for boxing and reports
} gotype_t;

enum gokind {
    GOKIND_STRUCT = 0,
    GOKIND_BYTES,     // uint8 arrays and such: noscan
    GOKIND_INT,       // 8-byte scalars
    GOKIND_POINTER,
    GOKIND_SLICE,     // {ptr, len, cap}: word 0 is a pointer
    GOKIND_STRING,    // {ptr, len}: word 0 is a pointer
    GOKIND_INTERFACE, // {type, data}: word 1 is a pointer
    GOKIND_ARRAY,
    GOKIND_CHAN,
    GOKIND_MAP,
    GOKIND_FUNC,
};

#endif
