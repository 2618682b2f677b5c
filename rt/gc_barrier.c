// The write barrier's slow paths (rt/gc_barrier.h): shading the pointer a store
// overwrites, one slot or a whole block, while an incremental cycle marks.
#include "rt/gc_barrier.h"
#include "rt/gc_internal.h"
#include "mm/heap.h"

// See rt/gc_barrier.h.
void gc_barrier_shade(const void *v) {
    if (v)
        gc_shade((uintptr_t)v);
}

// See rt/gc_barrier.h. A block outside the heap (a stack, a registered root) was
// scanned when the cycle started, so its old words need no shading.
__attribute__((no_sanitize_address)) void gc_barrier_bulk(const void *dst, size_t bytes) {
    span_t *s = heap_span_of(dst);
    if (!s || spanclass_noscan(s->spanclass))
        return;
    uintptr_t a = ((uintptr_t)dst + 7) & ~(uintptr_t)7, end = (uintptr_t)dst + bytes;
    size_t scan = span_scan_bytes(s);
    for (; a + 8 <= end; a += 8) {
        size_t idx;
        void *obj = span_object_of(s, (const void *)a, &idx);
        if (!obj)
            break; // the span's tail: past the last object
        size_t off = a - (uintptr_t)obj;
        if (off < scan && heap_is_ptr_slot(s, obj, off / 8)) {
            uintptr_t v = *(const uintptr_t *)a;
            if (v)
                gc_shade(v);
        }
    }
}

// See rt/gc_barrier.h.
void gc_barrier_store_pre(const void *slot, size_t bytes) {
    if (bytes == sizeof(uintptr_t))
        gc_barrier_shade(*(const void *const *)slot);
    else
        gc_barrier_bulk(slot, bytes);
}
