// The heap self-test (selftest=heap, the randomized sequence the kernel runs) on the
// host, and the MEMSTATS machine line: one line, integers only, Go's fields.
#include "tests/unit/test.h"
#include "mm/heap.h"
#include "sys/selftest.h"
#include <unistd.h>

static void heap_selftest_passes_on_host(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    const selftest_t *found = NULL;
    SELFTEST_FOREACH(t) if (strcmp(t->name, "heap") == 0) found = t;
    assert_non_null(found);
    assert_true(found->in_all);
    assert_true(found->fn());
    assert_true(heap_selftest());
    assert_false(heap_ready()); // it cleans up after itself
}

static void memstats_line_has_integer_fields(void **state) {
    (void)state;
    heap_init();
    void *p = heap_malloc(1000, NULL, true);
    assert_non_null(p);
    fflush(stdout);
    char path[] = "/tmp/spanlab-memstats-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w+");
    int saved = dup(1);
    dup2(fd, 1);
    heap_print_memstats_line();
    heap_dump(1);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    rewind(f);
    char line[4096];
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, "MEMSTATS ", 9), 0);
    assert_non_null(strstr(line, " heap_alloc=1024 "));
    assert_non_null(strstr(line, " heap_objects=1 "));
    int fields = 0;
    for (char *tok = strtok(line + 9, " \n"); tok; tok = strtok(NULL, " \n")) {
        char *eq = strchr(tok, '=');
        assert_non_null(eq);
        for (char *c = eq + 1; *c; c++)
            assert_true(*c >= '0' && *c <= '9');
        fields++;
    }
    assert_true(fields >= 25);
    assert_non_null(fgets(line, sizeof line, f)); // the dump follows
    assert_non_null(strstr(line, "heap:"));
    fclose(f);
    unlink(path);
    heap_destroy();
}

// heap_destroy gives every range back: a fresh heap per scenario variant never leaks
// address space or sys ranges.
static void heap_destroy_returns_every_range(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    sys_page_counts_t before = {0}, after = {0};
    sys_count_all(&before);
    for (int round = 0; round < 40; round++) {
        heap_init();
        for (int i = 0; i < 2000; i++)
            heap_malloc(16 + (size_t)i * 8, NULL, true);
        heap_malloc(70u << 20, NULL, true); // a two-arena region
        void *lo;
        assert_non_null(heap_stack_alloc(32 << 10, &lo));
        heap_scavenge(SIZE_MAX);
        heap_destroy();
        assert_false(heap_ready());
    }
    sys_count_all(&after);
    assert_int_equal(after.reserved, before.reserved);
    assert_int_equal(after.committed, before.committed);
}

// The runtime/metrics view: Go's names, and the /memory/classes/ values sum to
// /memory/classes/total:bytes (Sys).
static void heap_metrics_classes_sum_to_total(void **state) {
    (void)state;
    if (heap_ready())
        heap_destroy();
    heap_init();
    for (int i = 0; i < 1000; i++)
        heap_malloc(8, NULL, true); // tiny
    void *p = heap_malloc(5000, NULL, true);
    heap_free(p);
    void *lo;
    heap_stack_alloc(30000, &lo);
    heap_metric_t ms[HEAP_NUM_METRICS];
    assert_int_equal(heap_read_metrics(ms, HEAP_NUM_METRICS), HEAP_NUM_METRICS);
    uint64_t sum = 0, total = 0, tiny = 0, objects_bytes = 0;
    for (int i = 0; i < HEAP_NUM_METRICS; i++) {
        assert_true(ms[i].name[0] == '/');
        if (strcmp(ms[i].name, "/memory/classes/total:bytes") == 0)
            total = ms[i].value;
        else if (strncmp(ms[i].name, "/memory/classes/", 16) == 0)
            sum += ms[i].value;
        if (strcmp(ms[i].name, "/gc/heap/tiny/allocs:objects") == 0)
            tiny = ms[i].value;
        if (strcmp(ms[i].name, "/memory/classes/heap/objects:bytes") == 0)
            objects_bytes = ms[i].value;
    }
    struct memstats m;
    heap_read_memstats(&m);
    assert_int_equal(sum, total);
    assert_int_equal(total, m.Sys);
    assert_int_equal(tiny, 500); // two 8-byte objects per 16-byte block
    assert_int_equal(objects_bytes, 500 * 16);
    heap_destroy();
}

RUN_TESTS(cmocka_unit_test(heap_metrics_classes_sum_to_total),
          cmocka_unit_test(heap_destroy_returns_every_range),
          cmocka_unit_test(heap_selftest_passes_on_host),
          cmocka_unit_test(memstats_line_has_integer_fields))
