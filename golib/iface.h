// Go interfaces: an eface {type, data} (goiface_t, rt/types.h) and boxing exactly as
// Go 1.19's compiler and runtime/iface.go do it:
//
//   1-byte values (uint8, bool)  point into staticuint64s          no allocation
//   8-byte scalars (convT64: int, int64, uint64, float64 ...)
//                                value < 256: &staticuint64s[v]     no allocation
//                                otherwise a new 8-byte object     1 allocation
//   convT16 / convT32            the same rule with 2/4-byte objects
//   convTstring                  "" -> &zeroVal, else a 16-byte string header (1)
//   convTslice                   nil array -> &zeroVal, else a 24-byte header (1)
//   pointers (and maps, chans)   stored directly in the data word   no allocation
//   any other value (convT)      a new object of its type           1 allocation
//   zero-sized values            &zerobase                          no allocation
//
// (Go's compiler also points constants and read-only values at static data; in C the
// caller says which case it is by the function it calls.)
#ifndef SPANLAB_RT_IFACE_H
#define SPANLAB_RT_IFACE_H

#include <stdbool.h>
#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

// runtime/iface.go staticuint64s: the values 0..255, one per 8-byte word. Also the
// backing store of 1-byte strings (string.go slicebytetostring).
#define IFACE_NUM_STATIC 256 // staticuint64s' length: values below it box for free
extern const uint64_t iface_staticuint64s[IFACE_NUM_STATIC];

typedef struct iface_stats {
    opcount_t convT64, convT32, convT16, convTstring, convTslice, convT, direct;
} iface_stats_t;
extern iface_stats_t iface_stats;
void iface_stats_reset(void);

// Boxes an 8-byte non-pointer scalar of type t (int, int64, uint64, uintptr, float64
// bits ...) by convT64.
goiface_t iface_box_u64(const gotype_t *t, uint64_t v);
static inline goiface_t iface_box_int(int64_t v) { return iface_box_u64(&gotype_int, (uint64_t)v); }
static inline goiface_t iface_box_int64(int64_t v) { return iface_box_u64(&gotype_int64, (uint64_t)v); }
static inline goiface_t iface_box_uint64(uint64_t v) { return iface_box_u64(&gotype_uint64, v); }
goiface_t iface_box_float64(double v);

// convT32 / convT16: t is a 4- or 2-byte non-pointer type.
goiface_t iface_box_u32(const gotype_t *t, uint32_t v);
goiface_t iface_box_u16(const gotype_t *t, uint16_t v);

// 1-byte values: never allocate.
goiface_t iface_box_u8(const gotype_t *t, uint8_t v);
goiface_t iface_box_bool(bool v);

// convTstring and convTslice (the slice's type is t, e.g. a GOTYPE_SLICE).
goiface_t iface_box_string(gostring_t s);
goiface_t iface_box_slice(const gotype_t *t, goslice_t s);

// A pointer-shaped value (*T, map, chan, func): stored as is, no allocation.
goiface_t iface_box_ptr(const gotype_t *t, void *p);

// convT: a copy of *val (t->size bytes) in a new object of type t.
goiface_t iface_box_value(const gotype_t *t, const void *val);

// The nil interface.
static inline goiface_t iface_nil(void) { goiface_t z = {0, 0}; return z; }

// Unboxing (x.(T)): panics "interface conversion: interface {} is X, not Y" when the
// dynamic type is not t (or i is nil).
int64_t iface_int64(goiface_t i, const gotype_t *t);
gostring_t iface_string(goiface_t i);
void *iface_ptr(goiface_t i, const gotype_t *t);
const void *iface_data(goiface_t i, const gotype_t *t);

// True when i's dynamic type is t.
static inline bool iface_is(goiface_t i, const gotype_t *t) { return i.type == t; }

#endif
