// The heap self-test (selftest=heap, the randomized sequence the kernel runs) on the
// host, and the MEMSTATS machine line: one line, integers only, Go's fields.
#include "tests/host/test.h"
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

RUN_TESTS(cmocka_unit_test(heap_selftest_passes_on_host),
          cmocka_unit_test(memstats_line_has_integer_fields))
