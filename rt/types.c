// Builtin type descriptors and the run-time descriptor builder (rt/types.h).
// Descriptors built at run time live in a static pool and are never freed: a type,
// once handed to an allocation, must outlive every object of that type.
#include "rt/types.h"
#include "sys/sys.h"

static const uint8_t mask_word0[1] = {1};
static const uint8_t mask_word1[1] = {2};

const gotype_t gotype_uint8 = {"uint8", 1, 0, NULL, 1, GOKIND_BYTES};
const gotype_t gotype_bool = {"bool", 1, 0, NULL, 1, GOKIND_BYTES};
const gotype_t gotype_int32 = {"int32", 4, 0, NULL, 4, GOKIND_INT};
const gotype_t gotype_int = {"int", 8, 0, NULL, 8, GOKIND_INT};
const gotype_t gotype_int64 = {"int64", 8, 0, NULL, 8, GOKIND_INT};
const gotype_t gotype_uint64 = {"uint64", 8, 0, NULL, 8, GOKIND_INT};
const gotype_t gotype_uintptr = {"uintptr", 8, 0, NULL, 8, GOKIND_INT};
const gotype_t gotype_float64 = {"float64", 8, 0, NULL, 8, GOKIND_INT};
const gotype_t gotype_pointer = {"unsafe.Pointer", 8, 8, mask_word0, 8, GOKIND_POINTER};
const gotype_t gotype_string = {"string", 16, 8, mask_word0, 8, GOKIND_STRING};
const gotype_t gotype_slice = {"[]T", 24, 8, mask_word0, 8, GOKIND_SLICE};
const gotype_t gotype_iface = {"interface {}", 16, 16, mask_word1, 8, GOKIND_INTERFACE};

#define POOL_TYPES 256
#define POOL_MASK_BYTES (64u << 10)
static gotype_t pool_types[POOL_TYPES];
static size_t pool_ntypes;
static uint8_t pool_mask[POOL_MASK_BYTES];
static size_t pool_mask_used;

// Returns a zeroed mask of nbytes from the pool; panics when it is exhausted.
static uint8_t *pool_mask_alloc(size_t nbytes) {
    if (nbytes > POOL_MASK_BYTES - pool_mask_used)
        sys_panic("gotype: bitmap pool exhausted (%zu bytes wanted)", nbytes);
    uint8_t *m = pool_mask + pool_mask_used;
    pool_mask_used += nbytes;
    return m;
}

// Returns a fresh descriptor slot; panics when the pool is full.
static gotype_t *pool_type_alloc(void) {
    if (pool_ntypes == POOL_TYPES)
        sys_panic("gotype: descriptor pool exhausted (%d types)", POOL_TYPES);
    return &pool_types[pool_ntypes++];
}

// Returns a pooled descriptor with pointers at ptr_offsets; panics on a bad offset.
const gotype_t *gotype_make(const char *name, size_t size, const size_t *ptr_offsets,
                            size_t n, uint32_t kind) {
    size_t ptrdata = 0;
    for (size_t i = 0; i < n; i++) {
        if (ptr_offsets[i] % 8 != 0 || ptr_offsets[i] + 8 > size)
            sys_panic("gotype_make %s: pointer offset %zu invalid for size %zu", name,
                      ptr_offsets[i], size);
        if (ptr_offsets[i] + 8 > ptrdata)
            ptrdata = ptr_offsets[i] + 8;
    }
    gotype_t *t = pool_type_alloc();
    uint8_t *mask = NULL;
    if (ptrdata) {
        mask = pool_mask_alloc((ptrdata / 8 + 7) / 8);
        for (size_t i = 0; i < n; i++)
            mask[ptr_offsets[i] / 64] |= (uint8_t)(1u << (ptr_offsets[i] / 8 % 8));
    }
    *t = (gotype_t){name, size, ptrdata, mask, 8, kind};
    return t;
}

// Returns a pooled descriptor for [n]elem: the element bitmap repeated n times.
const gotype_t *gotype_array(const gotype_t *elem, size_t n) {
    gotype_t *t = pool_type_alloc();
    size_t size = elem->size * n;
    size_t ptrdata = 0;
    uint8_t *mask = NULL;
    if (elem->ptrdata && n) {
        if (elem->size % 8)
            sys_panic("gotype_array: element %s with pointers has size %zu", elem->name,
                      elem->size);
        ptrdata = (n - 1) * elem->size + elem->ptrdata;
        mask = pool_mask_alloc((ptrdata / 8 + 7) / 8);
        size_t ew = elem->size / 8;
        for (size_t k = 0; k < n; k++)
            for (size_t w = 0; w < elem->ptrdata / 8; w++)
                if (gotype_is_ptr_word(elem, w))
                    mask[(k * ew + w) / 8] |= (uint8_t)(1u << ((k * ew + w) % 8));
    }
    *t = (gotype_t){elem->name, size, ptrdata, mask, elem->align, GOKIND_ARRAY};
    return t;
}

// Returns NULL when t is consistent, else what is wrong with it.
const char *gotype_check(const gotype_t *t) {
    if (t->ptrdata > t->size)
        return "ptrdata exceeds size";
    if (t->ptrdata == 0)
        return NULL;
    if (t->ptrdata % 8)
        return "ptrdata not a multiple of 8";
    if (t->ptrmask == NULL)
        return "pointer type without a bitmap";
    if (!gotype_is_ptr_word(t, t->ptrdata / 8 - 1))
        return "last word of ptrdata is not a pointer";
    return NULL;
}
