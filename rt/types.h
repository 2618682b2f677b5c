// Type descriptors (gotype_t, mm/gotype.h) for what the runtime allocates: builtin
// scalars, strings, slices, interfaces, byte arrays, and C structs declared from the
// offsets of their pointer fields. The collector scans an object from its type's
// pointer bitmap only; a type with no pointers (ptrdata 0) goes to a noscan span.
//
//   typedef struct node { int64_t key; struct node *left, *right; } node_t;
//   GOTYPE_STRUCT(node_type, node_t, "main.Node",
//                 offsetof(node_t, left), offsetof(node_t, right));
//   node_t *n = rt_new(&node_type);
//
// GOTYPE_STRUCT builds the bitmap at compile time for structs whose pointers lie in
// the first 64 words (512 bytes) and takes up to 16 offsets; gotype_make() builds
// any descriptor at run time (kept forever, from a static pool).
// Interfaces: word 0 is a *gotype_t (static, not heap) and word 1 the data pointer,
// so only word 1 is a pointer, as Go's eface. A slice header {ptr,len,cap} and a
// string header {ptr,len} have word 0 as their only pointer whatever T is.
#ifndef SPANLAB_RT_TYPES_H
#define SPANLAB_RT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/gotype.h"

// ---- builtin descriptors ----------------------------------------------------
extern const gotype_t gotype_uint8;   // "uint8", 1 byte, noscan (byte arrays: rt_newarray)
extern const gotype_t gotype_bool;    // "bool", 1 byte, noscan
extern const gotype_t gotype_int32;   // "int32", 4 bytes, noscan
extern const gotype_t gotype_int;     // "int", 8 bytes, noscan
extern const gotype_t gotype_int64;   // "int64"
extern const gotype_t gotype_uint64;  // "uint64"
extern const gotype_t gotype_uintptr; // "uintptr": 8 bytes, NOT a pointer (noscan)
extern const gotype_t gotype_float64; // "float64"
extern const gotype_t gotype_pointer; // "unsafe.Pointer": one pointer word (any *T)
extern const gotype_t gotype_string;  // "string": {ptr, len}
extern const gotype_t gotype_slice;   // "[]T" header: {ptr, len, cap}
extern const gotype_t gotype_iface;   // "interface {}": {type, data}, data is a pointer

// The Go string header and slice header as C sees them.
typedef struct gostring { const uint8_t *ptr; int64_t len; } gostring_t;
typedef struct goslice { void *ptr; int64_t len; int64_t cap; } goslice_t;
typedef struct goiface { const gotype_t *type; void *data; } goiface_t;

// ---- declaring descriptors ------------------------------------------------------

// Declares `const gotype_t sym` for C struct type ctype whose pointer fields sit at
// the given byte offsets (each a multiple of 8, below 512). With no offsets the type
// is noscan. Use `static GOTYPE_STRUCT(...)` for a file-local type.
#define GOTYPE_STRUCT(sym, ctype, name_, ...)                                          \
    const gotype_t sym = {                                                           \
        .name = (name_),                                                             \
        .size = sizeof(ctype),                                                       \
        .ptrdata = GOTYPE_PTRDATA_(GOTYPE_BITS_(__VA_ARGS__)),                       \
        .ptrmask = (const uint8_t *)(const uint64_t[1]){GOTYPE_BITS_(__VA_ARGS__)},  \
        .align = _Alignof(ctype),                                                    \
        .kind = GOKIND_STRUCT,                                                       \
    }

// Declares a noscan descriptor (no pointers at all) for ctype.
#define GOTYPE_NOSCAN(sym, ctype, name_, kind_)                                        \
    const gotype_t sym = {.name = (name_), .size = sizeof(ctype), .ptrdata = 0,      \
                          .ptrmask = NULL, .align = _Alignof(ctype), .kind = (kind_)}

// Declares the header type of a slice named name_ ("[]*main.Node"): the GC view of
// every slice header is the same ({ptr,len,cap}, word 0 a pointer); the name is for
// reports. The backing array is allocated with rt_newarray(&elem_type, n).
#define GOTYPE_SLICE(sym, name_)                                                       \
    const gotype_t sym = {.name = (name_), .size = 24, .ptrdata = 8,                 \
                          .ptrmask = (const uint8_t[1]){1}, .align = 8,              \
                          .kind = GOKIND_SLICE}

// Builds a descriptor at run time: size bytes, pointer words at the byte offsets
// ptr_offsets[0..n) (multiples of 8, below size). The descriptor and its bitmap live
// in a static pool forever. Panics when the pool (256 types, 64 KiB of bitmaps) is
// exhausted or an offset is invalid.
const gotype_t *gotype_make(const char *name, size_t size, const size_t *ptr_offsets,
                            size_t n, uint32_t kind);

// The descriptor of the array type [n]elem (for arrays embedded by value; heap
// backing arrays use rt_newarray(elem, n) instead). From the same pool.
const gotype_t *gotype_array(const gotype_t *elem, size_t n);

// True when word i (i < ptrdata/8) of a value of type t may hold a pointer.
static inline bool gotype_is_ptr_word(const gotype_t *t, size_t i) {
    return (t->ptrmask[i >> 3] >> (i & 7)) & 1;
}

// True when values of t contain no pointers (noscan span).
static inline bool gotype_noscan(const gotype_t *t) { return t == NULL || t->ptrdata == 0; }

// Checks t's invariants (ptrdata <= size, multiple of 8, last word of ptrdata is a
// pointer word, mask within ptrdata). Returns NULL when valid, else a message.
const char *gotype_check(const gotype_t *t);

// ---- compile-time bitmap machinery (internal) ------------------------------------
// An offset that is not a multiple of 8 or not below 512 is a compile error
// ("size of unnamed array is negative").
#define GOTYPE_BIT_(off)                                                              \
    (sizeof(char[((off) % 8 == 0 && (off) < 512) ? 1 : -1]) * (1ull << ((off) / 8 % 64)))
#define GOTYPE_PTRDATA_(bits) ((bits) ? (size_t)(64 - __builtin_clzll(bits)) * 8 : 0)
#define GOTYPE_NARG_(...) GOTYPE_NARG2_(0, ##__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, \
                                        8, 7, 6, 5, 4, 3, 2, 1, 0)
#define GOTYPE_NARG2_(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14,  \
                      _15, _16, n, ...) n
#define GOTYPE_CAT_(a, b) GOTYPE_CAT2_(a, b)
#define GOTYPE_CAT2_(a, b) a##b
#define GOTYPE_BITS_(...) (0ull GOTYPE_CAT_(GOTYPE_B_, GOTYPE_NARG_(__VA_ARGS__))(__VA_ARGS__))
#define GOTYPE_B_0()
#define GOTYPE_B_1(a) | GOTYPE_BIT_(a)
#define GOTYPE_B_2(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_1(__VA_ARGS__)
#define GOTYPE_B_3(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_2(__VA_ARGS__)
#define GOTYPE_B_4(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_3(__VA_ARGS__)
#define GOTYPE_B_5(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_4(__VA_ARGS__)
#define GOTYPE_B_6(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_5(__VA_ARGS__)
#define GOTYPE_B_7(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_6(__VA_ARGS__)
#define GOTYPE_B_8(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_7(__VA_ARGS__)
#define GOTYPE_B_9(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_8(__VA_ARGS__)
#define GOTYPE_B_10(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_9(__VA_ARGS__)
#define GOTYPE_B_11(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_10(__VA_ARGS__)
#define GOTYPE_B_12(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_11(__VA_ARGS__)
#define GOTYPE_B_13(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_12(__VA_ARGS__)
#define GOTYPE_B_14(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_13(__VA_ARGS__)
#define GOTYPE_B_15(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_14(__VA_ARGS__)
#define GOTYPE_B_16(a, ...) | GOTYPE_BIT_(a) GOTYPE_B_15(__VA_ARGS__)

#endif
