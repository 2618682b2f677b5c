// gctrace=1 lines: Go's exact format (runtime/mgc.go gcMarkTermination), checked
// character by character and against the regular expressions gctrace parsers use.
#include "tests/unit/test.h"
#include <regex.h>
#include <unistd.h>
#include "rt/gc_internal.h"
#include "tests/unit/gc_test_util.h"

#define MiB (1ull << 20)

static const char *ms(uint64_t ns) {
    static char buf[32];
    gctrace_fmt_ms(buf, sizeof buf, ns);
    return buf;
}

// fmtNSAsMS: whole ms from 10 ms, else two significant digits, at most 3 decimals.
static void gctrace_formats_ms_like_go(void **state) {
    assert_string_equal(ms(0), "0");
    assert_string_equal(ms(999), "0");
    assert_string_equal(ms(5000), "0.005");
    assert_string_equal(ms(12345), "0.012");
    assert_string_equal(ms(123456), "0.12");
    assert_string_equal(ms(1234567), "1.2");
    assert_string_equal(ms(9999999), "9.9");
    assert_string_equal(ms(10000000), "10");
    assert_string_equal(ms(123456789), "123");
}

static gctrace_rec_t sample(void) {
    gctrace_rec_t r = {
        .num = 7, .start_ns = 1824000000ull, .cpu_fraction = 0.134,
        .clock_ns = {30000, 44000000, 15000},
        .cpu_ns = {30000, 0, 44000000, 0, 15000},
        .heap0 = 173 * MiB + 5, .heap1 = 203 * MiB, .heap2 = 101 * MiB + 7,
        .goal = 203 * MiB, .stacks = 0, .globals = 1 * MiB, .procs = 1, .forced = false,
    };
    return r;
}

// The exact line for a known record, forced and not.
static void gctrace_line_is_gos_format(void **state) {
    char buf[256];
    gctrace_rec_t r = sample();
    gctrace_format(buf, sizeof buf, &r);
    assert_string_equal(buf, "gc 7 @1.824s 13%: 0.030+44+0.015 ms clock, "
                             "0.030+0/44/0+0.015 ms cpu, 173->203->101 MB, 203 MB goal, "
                             "0 MB stacks, 1 MB globals, 1 P\n");
    r.forced = true;
    r.start_ns = 5000000; // 5 ms
    size_t n = gctrace_format(buf, sizeof buf, &r);
    assert_int_equal(n, strlen(buf));
    assert_non_null(strstr(buf, "gc 7 @0.005s "));
    assert_non_null(strstr(buf, " 1 P (forced)\n"));
    // Truncation is snprintf-like.
    char small[10];
    assert_int_equal(gctrace_format(small, sizeof small, &r), n);
    assert_string_equal(small, "gc 7 @0.0");
}

static bool matches(const char *re, const char *s) {
    regex_t rx;
    int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
    assert_int_equal(rc, 0);
    rc = regexec(&rx, s, 0, NULL, 0);
    regfree(&rx);
    return rc == 0;
}

// The loose expression of the Go authors' pacer scripts (golang/proposal, the gctrace
// parser of the 2015 pacer simulator), and a strict whole-line expression for every
// field Go 1.19 prints (the "#" fields of runtime/extern.go's gctrace doc, plus the
// stacks and globals fields 1.18 added), in POSIX ERE.
static const char *loose_re =
    "gc #?([0-9]+) @([0-9.]+)s ([0-9]+)%: (.*)";
static const char *strict_re =
    "^gc [0-9]+ @[0-9]+\\.[0-9]{3}s [0-9]+%: [0-9.]+\\+[0-9.]+\\+[0-9.]+ ms clock, "
    "[0-9.]+\\+[0-9.]+/[0-9.]+/[0-9.]+\\+[0-9.]+ ms cpu, [0-9]+->[0-9]+->[0-9]+ MB, "
    "[0-9]+ MB goal, [0-9]+ MB stacks, [0-9]+ MB globals, [0-9]+ P( \\(forced\\))?\n$";

static void gctrace_line_parses_with_gctrace_regexes(void **state) {
    char buf[256];
    gctrace_rec_t r = sample();
    for (int forced = 0; forced < 2; forced++) {
        r.forced = forced;
        gctrace_format(buf, sizeof buf, &r);
        assert_true(matches(loose_re, buf));
        assert_true(matches(strict_re, buf));
    }
    // Lines printed by a real Go 1.19 program (GODEBUG=gctrace=1) parse the same way.
    const char *go = "gc 1 @0.059s 0%: 0.017+2.2+0.004 ms clock, 0.034+0.19/0.69/0.061+0.008 "
                     "ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";
    assert_true(matches(strict_re, go));
    assert_true(matches(loose_re, go));
    // And a broken line does not (the regex can fail).
    assert_false(matches(strict_re, "gc 1 @0.004s 3%: 0.011 ms clock\n"));
}

// With gctrace=1, every real cycle prints one line that parses, numbered 1, 2, ...,
// forced cycles marked " (forced)".
static void gctrace_real_cycles_print_parseable_lines(void **state) {
    char path[] = "/tmp/gctrace_test.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    gc_test_setup("gctrace=1");
    for (int i = 0; i < 20000; i++) // 10 MiB of garbage: a couple of paced cycles
        rt_mallocgc(512, NULL, true);
    gc_collect(true);
    gc_memstats_t ms;
    gc_read_memstats(&ms);
    gc_test_teardown(NULL);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    FILE *f = fopen(path, "r");
    char line[512];
    unsigned n = 0, forced = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "gc ", 3) != 0)
            continue;
        n++;
        assert_true(matches(strict_re, line));
        unsigned num;
        assert_int_equal(sscanf(line, "gc %u @", &num), 1);
        assert_int_equal(num, n);
        forced += strstr(line, " (forced)") != NULL;
    }
    fclose(f);
    unlink(path);
    assert_true(n >= 2);
    assert_int_equal(n, ms.NumGC);
    assert_int_equal(forced, 1);
}

RUN_TESTS(cmocka_unit_test(gctrace_formats_ms_like_go),
          cmocka_unit_test(gctrace_real_cycles_print_parseable_lines),
          cmocka_unit_test(gctrace_line_is_gos_format),
          cmocka_unit_test(gctrace_line_parses_with_gctrace_regexes))
