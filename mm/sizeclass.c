// sizeclass: Go's 68 size classes (sizeclasses.go, Go 1.19). The tables are
// generated at build time by tools/mksizeclasses.c into
// build/gen/sizeclasses_gen.h; tests/unit/sizeclass_test.c compares them entry by
// entry with Go's own file.
#include "mm/heap_internal.h"
#include "sizeclasses_gen.h"

// The size class of a small size, 0 for sizes above 32 KiB (or 0).
int heap_size_to_class(size_t size) {
    // LAB 3 BEGIN: the size class of a size, from the two lookup tables (8- and 128-byte steps)
    if (size == 0 || size > HEAP_MAX_SMALL_SIZE)
        return 0;
    return heap_sc_size_class(size);
    // LAB 3 STUB
    // // Stub: every small size gets the largest class, 32 KiB.
    // return size == 0 || size > HEAP_MAX_SMALL_SIZE ? 0 : HEAP_NUM_SIZE_CLASSES - 1;
    // LAB 3 END
}

// Object bytes of class c.
size_t heap_class_to_size(int c) {
    return c > 0 && c < HEAP_NUM_SIZE_CLASSES ? heap_sc_class_to_size[c] : 0;
}

// Span pages of class c.
size_t heap_class_to_npages(int c) {
    return c > 0 && c < HEAP_NUM_SIZE_CLASSES ? heap_sc_class_to_npages[c] : 0;
}

// Go's roundupsize (msize.go): the size class's size, or whole pages when large.
size_t heap_roundupsize(size_t size) {
    // LAB 3 BEGIN: roundupsize: the bytes an allocation of size really gets
    if (size < HEAP_MAX_SMALL_SIZE)
        return size == 0 ? 0 : heap_sc_class_to_size[heap_sc_size_class(size)];
    if (size + HEAP_PAGE_SIZE < size)
        return size;
    return (size + HEAP_PAGE_SIZE - 1) & ~(HEAP_PAGE_SIZE - 1);
    // LAB 3 STUB
    // return size; // stub: no rounding at all
    // LAB 3 END
}
