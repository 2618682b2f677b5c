// Goroutine stacks from stack spans: accounted in StackInuse, not HeapInuse; the
// guard page below each stack is unmapped and described as a stack overflow;
// freeing returns the pages.
#include "tests/unit/test.h"
#include "mm/heap.h"

static void stack_has_unmapped_guard_and_is_accounted(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    heap_init();
    struct memstats m0, m1, m2;
    heap_read_memstats(&m0);
    void *lo1, *lo2;
    char *hi1 = heap_stack_alloc(64 << 10, &lo1);
    char *hi2 = heap_stack_alloc(64 << 10, &lo2);
    assert_non_null(hi1);
    assert_true(hi1 - (char *)lo1 >= (64 << 10));
    assert_int_equal((uintptr_t)hi1 % 16, 0);
    memset(lo1, 1, (size_t)(hi1 - (char *)lo1)); // all usable
    memset(lo2, 2, (size_t)(hi2 - (char *)lo2));
    assert_int_equal(sys_query((char *)lo1 - 1), SYS_PAGE_RESERVED);
    assert_int_equal(sys_query((char *)lo1 - HEAP_STACK_GUARD), SYS_PAGE_RESERVED);
    assert_int_equal(sys_query(lo1), SYS_PAGE_RESIDENT);
    const char *d = heap_describe_addr((uintptr_t)lo1 - 8);
    assert_non_null(d);
    assert_non_null(strstr(d, "guard page"));
    assert_null(heap_span_of(lo1)); // not an object span
    assert_non_null(heap_span_of_any(lo1));
    heap_read_memstats(&m1);
    assert_int_equal(m1.StackInuse - m0.StackInuse, 2 * 9 * HEAP_PAGE_SIZE);
    assert_int_equal(m1.StackSys, m1.StackInuse);
    assert_int_equal(m1.HeapInuse, m0.HeapInuse);
    assert_int_equal(m1.HeapInuse + m1.HeapIdle, m1.HeapSys);
    heap_verify();
    heap_stack_free(lo1);
    heap_stack_free(lo2);
    heap_read_memstats(&m2);
    assert_int_equal(m2.StackInuse, 0);
    assert_int_equal(m2.HeapSys, m1.HeapSys + m1.StackInuse);
    heap_verify();
    // The freed pages are ordinary heap pages again (the guard was re-committed).
    char *p = heap_malloc(200 << 10, NULL, true);
    memset(p, 3, 200 << 10);
    heap_verify();
    heap_destroy();
}

RUN_TESTS(cmocka_unit_test(stack_has_unmapped_guard_and_is_accounted))
