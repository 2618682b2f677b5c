// stack: goroutine stacks carved from the heap's pages as stack spans (Go's
// stackalloc from mSpanManual spans, stack.go), accounted in StackInuse/StackSys,
// not in HeapInuse. The lowest 4 KiB of every stack stays released (reserved,
// unmapped) as a guard page: running off the bottom faults at once, and
// heap_describe_addr names the fault a stack overflow.
#include "mm/heap_internal.h"

// See heap.h.
void *heap_stack_alloc(size_t bytes, void **lo_out) {
    heap_check(heap_hot.ready, "heap_stack_alloc: heap not initialised");
    size_t npages = (bytes + HEAP_STACK_GUARD + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE;
    span_t *s = span_alloc_pages(npages, SPAN_STACK, NULL);
    if (!s)
        return NULL;
    s->elemsize = npages * HEAP_PAGE_SIZE;
    s->nelems = 1;
    s->spanclass = 0;
    heap_check(sys_release((void *)s->base, HEAP_STACK_GUARD, SYS_RELEASE_DONTNEED) == 0,
               "heap_stack_alloc: cannot unmap the guard page at %p", (void *)s->base);
    if (lo_out)
        *lo_out = (void *)(s->base + HEAP_STACK_GUARD);
    return (void *)(s->base + npages * HEAP_PAGE_SIZE);
}

// See heap.h. The guard page is committed again so the free pages are uniform.
void heap_stack_free(void *lo) {
    span_t *s = heap_span_of_any(lo);
    heap_check(s && s->state == SPAN_STACK && (uintptr_t)lo == s->base + HEAP_STACK_GUARD,
               "heap_stack_free: %p is not the bottom of a stack", lo);
    heap_check(sys_commit((void *)s->base, HEAP_STACK_GUARD) == 0,
               "heap_stack_free: cannot re-commit the guard page at %p", (void *)s->base);
    span_free_pages(s);
}
