// The heap profile in pprof's format (golib/pprof*.c): the default MemProfileRate
// samples and scales like runtime/pprof; the profile written opens in Go 1.19's `go
// tool pprof -top` with the expected top site and numbers; the console block
// round-trips through tools/serial2pprof.
#include <fcntl.h>
#include <unistd.h>
#include "tests/unit/golib_test_util.h"
#include "mm/heap.h"

static void *big[10]; // registered as a root while a test keeps the big objects

static void default_rate_samples_and_scales_like_pprof(void **state) {
    (void)state;
    assert_int_equal(prof_rate(), 512 * 1024); // memprofilerate default = MemProfileRate
    prof_set_rate(512 * 1024);
    // 20000 x 4 KiB = 80 MiB: ~160 samples; the scaled estimate is near the truth.
    rt_test_alloc_at("test.sampled", 20000, 4096, NULL);
    prof_totals_t t;
    prof_totals(&t);
    assert_true(t.samples > 80 && t.samples < 320);
    char path[] = "/tmp/spanlab-prof-sampled-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(pprof_write_file(path), 0);
    char cmd[512];
    // 80 MiB allocated: accept 60..100 MiB after scaling (pprof prints e.g. "81.50MB").
    snprintf(cmd, sizeof cmd,
             "HOME=/tmp /usr/lib/go-1.19/bin/go tool pprof -raw -sample_index=alloc_space %s 2>&1",
             path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[512];
    long long space = -1;
    bool in_samples = false;
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, "Samples:", 8) == 0) {
            in_samples = true;
            continue;
        }
        long long a, b, c, d;
        if (in_samples && sscanf(line, " %lld %lld %lld %lld:", &a, &b, &c, &d) == 4)
            space = b;
    }
    pclose(p);
    unlink(path);
    assert_true(space > 60ll << 20 && space < 100ll << 20);
}

static void profile_opens_in_go_tool_pprof_with_the_top_site(void **state) {
    (void)state;
    prof_set_rate(1);
    gc_add_root(big, sizeof big, NULL);
    rt_test_alloc_at("test.big", 10, 1 << 20, big);
    rt_test_alloc_at("test.small", 1000, 64, NULL);
    gc_test_collect(); // the small ones are garbage: in use falls to the big ones
    char path[] = "/tmp/spanlab-prof-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(pprof_write_file(path), 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "tests/unit/prof_pprof_check.sh %s alloc_space test.big 10MB", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "tests/unit/prof_pprof_check.sh %s alloc_objects test.small 1000", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "tests/unit/prof_pprof_check.sh %s inuse_space test.big 10MB", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "tests/unit/prof_pprof_check.sh %s inuse_objects test.big 10", path);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    memset(big, 0, sizeof big);
    gc_remove_root(big);
    prof_set_rate(opt_int("memprofilerate"));
}

static void console_block_round_trips_through_serial2pprof(void **state) {
    (void)state;
    prof_set_rate(1);
    rt_test_alloc_at("test.console", 5, 1000, NULL);
    char logp[] = "/tmp/spanlab-serial-XXXXXX", filep[] = "/tmp/spanlab-file-XXXXXX";
    int lfd = mkstemp(logp), ffd = mkstemp(filep);
    assert_true(lfd >= 0 && ffd >= 0);
    close(ffd);
    fflush(stdout);
    int saved = dup(1);
    dup2(lfd, 1);
    printf("noise before\r\n");
    fflush(stdout);
    pprof_write_console("heap");
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(lfd);
    assert_int_equal(pprof_write_file(filep), 0);
    char cmd[512];
    // The block decodes to a profile pprof opens with the same numbers (time_nanos
    // differs from the file written just after, so the bytes are not compared).
    snprintf(cmd, sizeof cmd,
             "tools/serial2pprof %s -o %s.out && tests/unit/prof_pprof_check.sh %s.out "
             "alloc_objects test.console 5",
             logp, logp, logp);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s.out", logp);
    unlink(cmd);
    unlink(logp);
    unlink(filep);
    prof_set_rate(opt_int("memprofilerate"));
}

RUN_TESTS(GOLIB_TEST(default_rate_samples_and_scales_like_pprof),
          GOLIB_TEST(profile_opens_in_go_tool_pprof_with_the_top_site),
          GOLIB_TEST(console_block_round_trips_through_serial2pprof))
