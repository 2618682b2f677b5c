// Interface boxing with Go 1.19's allocation behaviour (runtime/iface.go convT*,
// cmd/compile/internal/walk/convert.go for which function a conversion calls).
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "golib/iface.h"
#include "golib/opcount.h"
#include "rt/runtime.h"
#include "rt/panic.h"

#define S4_(n) (n), (n) + 1, (n) + 2, (n) + 3
#define S16_(n) S4_(n), S4_((n) + 4), S4_((n) + 8), S4_((n) + 12)
#define S64_(n) S16_(n), S16_((n) + 16), S16_((n) + 32), S16_((n) + 48)
const uint64_t iface_staticuint64s[IFACE_NUM_STATIC] = {S64_(0), S64_(64), S64_(128), S64_(192)};

// runtime/iface.go zeroVal: where "" and nil-slice boxes point (read-only, zero).
static const uint64_t zeroval[4];
static uint64_t zerobase;

iface_stats_t iface_stats;

// Resets the counters.
void iface_stats_reset(void) { memset(&iface_stats, 0, sizeof iface_stats); }

// A fresh runtime (rt_fresh): the counters start again.
RT_FRESH_HOOK(iface) {
    iface_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(convT64, "iface.convT64", &iface_stats.convT64);
OPCOUNT_REGISTER(convT32, "iface.convT32", &iface_stats.convT32);
OPCOUNT_REGISTER(convT16, "iface.convT16", &iface_stats.convT16);
OPCOUNT_REGISTER(convTstring, "iface.convTstring", &iface_stats.convTstring);
OPCOUNT_REGISTER(convTslice, "iface.convTslice", &iface_stats.convTslice);
OPCOUNT_REGISTER(convT, "iface.convT", &iface_stats.convT);
OPCOUNT_REGISTER(direct, "iface.direct", &iface_stats.direct);

// Returns a box of t: convT64 (static table below 256, else 8 fresh bytes).
goiface_t iface_box_u64(const gotype_t *t, uint64_t v) {
    opcount_mark_t m = opcount_begin();
    goiface_t r = {t, (void *)&iface_staticuint64s[v < IFACE_NUM_STATIC ? v : 0]};
    if (v >= IFACE_NUM_STATIC) {
        uint64_t *p = rt_mallocgc(8, &gotype_uint64, false);
        *p = v;
        r.data = p;
    }
    opcount_end(&iface_stats.convT64, m);
    return r;
}

// Returns a box of a float64 by convT64 (its bits decide: 0.0 is static, 1.0 is not).
goiface_t iface_box_float64(double v) {
    uint64_t bits;
    memcpy(&bits, &v, 8);
    return iface_box_u64(&gotype_float64, bits);
}

// Returns a box by convT32.
goiface_t iface_box_u32(const gotype_t *t, uint32_t v) {
    opcount_mark_t m = opcount_begin();
    goiface_t r = {t, (void *)&iface_staticuint64s[v < IFACE_NUM_STATIC ? v : 0]};
    if (v >= IFACE_NUM_STATIC) {
        uint32_t *p = rt_mallocgc(4, &gotype_int32, false);
        *p = v;
        r.data = p;
    }
    opcount_end(&iface_stats.convT32, m);
    return r;
}

// Returns a box by convT16.
goiface_t iface_box_u16(const gotype_t *t, uint16_t v) {
    opcount_mark_t m = opcount_begin();
    goiface_t r = {t, (void *)&iface_staticuint64s[v < IFACE_NUM_STATIC ? v : 0]};
    if (v >= IFACE_NUM_STATIC) {
        uint16_t *p = rt_mallocgc(2, t, false);
        *p = v;
        r.data = p;
    }
    opcount_end(&iface_stats.convT16, m);
    return r;
}

// Returns a box of a 1-byte value: always the static table (little endian).
goiface_t iface_box_u8(const gotype_t *t, uint8_t v) {
    goiface_t r = {t, (void *)&iface_staticuint64s[v]};
    iface_stats.direct.calls++;
    return r;
}

// Returns a box of a bool (static table).
goiface_t iface_box_bool(bool v) { return iface_box_u8(&gotype_bool, v ? 1 : 0); }

// Returns a box by convTstring ("" does not allocate).
goiface_t iface_box_string(gostring_t s) {
    opcount_mark_t m = opcount_begin();
    goiface_t r = {&gotype_string, (void *)zeroval};
    if (s.len != 0) {
        gostring_t *p = rt_mallocgc(sizeof(gostring_t), &gotype_string, true);
        GC_STORE(*p, s);
        r.data = p;
    }
    opcount_end(&iface_stats.convTstring, m);
    return r;
}

// Returns a box by convTslice (a nil array does not allocate).
goiface_t iface_box_slice(const gotype_t *t, goslice_t s) {
    opcount_mark_t m = opcount_begin();
    goiface_t r = {t, (void *)zeroval};
    if (s.ptr != NULL) {
        goslice_t *p = rt_mallocgc(sizeof(goslice_t), &gotype_slice, true);
        GC_STORE(*p, s);
        r.data = p;
    }
    opcount_end(&iface_stats.convTslice, m);
    return r;
}

// Returns a box holding p directly.
goiface_t iface_box_ptr(const gotype_t *t, void *p) {
    goiface_t r = {t, p};
    iface_stats.direct.calls++;
    return r;
}

// Returns a box by convT: a fresh copy of *val (zero-sized: &zerobase).
goiface_t iface_box_value(const gotype_t *t, const void *val) {
    opcount_mark_t m = opcount_begin();
    goiface_t r = {t, &zerobase};
    if (t->size) {
        r.data = rt_mallocgc(t->size, t, !gotype_noscan(t));
        gc_memmove_ptrs(r.data, val, t->size); // typedmemmove into the new box
    }
    opcount_end(&iface_stats.convT, m);
    return r;
}

// Panics with Go's type-assertion message.
static _Noreturn void bad_assert(goiface_t i, const gotype_t *want) {
    if (i.type == NULL)
        rt_panic("interface conversion: interface is nil, not %s", want->name);
    rt_panic("interface conversion: interface {} is %s, not %s", i.type->name, want->name);
}

// Returns x.(T) for an 8-byte (or smaller) integer type t, sign-extended by size.
int64_t iface_int64(goiface_t i, const gotype_t *t) {
    if (i.type != t)
        bad_assert(i, t);
    switch (t->size) {
    case 1: return *(const int8_t *)i.data;
    case 2: return *(const int16_t *)i.data;
    case 4: return *(const int32_t *)i.data;
    default: return *(const int64_t *)i.data;
    }
}

// Returns x.(string).
gostring_t iface_string(goiface_t i) {
    if (i.type != &gotype_string)
        bad_assert(i, &gotype_string);
    return *(const gostring_t *)i.data;
}

// Returns x.(*T) for a pointer-shaped t.
void *iface_ptr(goiface_t i, const gotype_t *t) {
    if (i.type != t)
        bad_assert(i, t);
    return i.data;
}

// Returns the address of the boxed value of type t.
const void *iface_data(goiface_t i, const gotype_t *t) {
    if (i.type != t)
        bad_assert(i, t);
    return i.data;
}
