// The command-line parser (sys/options.c): defaults, every kind of value, size
// suffixes, problems reported by name on the console while the rest of the line
// still applies, repeated keys, long lines, and opt_format's round trip.
#include "tests/unit/test.h"
#include "tests/unit/child.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/options.h"

// What opt_parse printed, captured from stdout (sys_printf writes to fd 1).
static char out[16384];

// Runs opt_parse(line) with stdout captured into out; returns its problem count.
static int parse_capture(const char *line) {
    fflush(stdout);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(1);
    dup2(fileno(tmp), 1);
    int problems = opt_parse(line);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    rewind(tmp);
    size_t n = fread(out, 1, sizeof out - 1, tmp);
    out[n] = 0;
    fclose(tmp);
    return problems;
}

static void options_have_go_defaults_when_line_is_empty(void **state) {
    assert_int_equal(parse_capture(""), 0);
    assert_string_equal(out, "");
    assert_int_equal(opt_int("quit"), 0);
    assert_int_equal(opt_int("verbose"), 0);
    assert_int_equal(opt_int("gogc"), 100);                    // runtime/mgcpacer.go
    assert_int_equal(opt_int("memlimit"), INT64_MAX);          // GOMEMLIMIT unset
    assert_int_equal(opt_int("memprofilerate"), 512 * 1024);   // runtime/mprof.go
    assert_string_equal(opt_str("madv"), "dontneed");          // Go 1.19 on Linux
    assert_int_equal(opt_int("madv"), 0);
    assert_int_equal(opt_int("scale"), 1);
    assert_int_equal(opt_int("timeout"), 5);
    assert_string_equal(opt_str("selftest"), "");
    assert_false(opt_given("quit"));
    assert_false(opt_list_has("run", 1));
    assert_int_equal(parse_capture(NULL), 0);
    assert_int_equal(parse_capture(" \t\n  "), 0);
    char buf[64];
    opt_format(buf, sizeof buf);
    assert_string_equal(buf, "");
}

static void options_parse_every_kind(void **state) {
    assert_int_equal(parse_capture("quit=1 verbose=3 selftest=frames gogc=off memlimit=512MiB "
                                   "madv=free scale=4 run=1,3,5,6,7 gctrace=1 gcstress=10"),
                     0);
    assert_string_equal(out, "");
    assert_int_equal(opt_int("quit"), 1);
    assert_true(opt_given("quit"));
    assert_int_equal(opt_int("verbose"), 3);
    assert_string_equal(opt_str("selftest"), "frames");
    assert_int_equal(opt_int("gogc"), -1);
    assert_string_equal(opt_str("gogc"), "off");
    assert_int_equal(opt_int("memlimit"), 512ll << 20);
    assert_int_equal(opt_int("madv"), 1);
    assert_int_equal(opt_int("scale"), 4);
    assert_int_equal(opt_int("gctrace"), 1);
    assert_int_equal(opt_int("gcstress"), 10);
    assert_false(opt_given("gcverify"));
    for (int n = 0; n < 10; n++)
        assert_int_equal(opt_list_has("run", n), n == 1 || n == 3 || (n >= 5 && n <= 7));
    parse_capture("run=all");
    assert_true(opt_list_has("run", 18));
    // Ranges, signs and stray commas are not numbers: reported, the list unchanged.
    static const char *const bad[] = {"run=1-3", "run=-1", "run=+2", "run=1,", "run=,1", "run=x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(parse_capture(bad[i]), 1);
        assert_non_null(strstr(out, "for run (want all or numbers"));
        assert_false(opt_list_has("run", 1));
    }
}

static void options_accept_size_suffixes(void **state) {
    static const struct {
        const char *text;
        int64_t bytes;
    } cases[] = {{"0", 0},          {"4096", 4096},           {"64B", 64},
                 {"1K", 1024},      {"1KiB", 1024},           {"3M", 3 << 20},
                 {"3MiB", 3 << 20}, {"2G", 2ll << 30},        {"2GiB", 2ll << 30},
                 {"1T", 1ll << 40}, {"1TiB", 1ll << 40},      {"off", INT64_MAX},
                 {"9223372036854775807", INT64_MAX}};
    char line[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(line, sizeof line, "memlimit=%s", cases[i].text);
        assert_int_equal(parse_capture(line), 0);
        assert_int_equal(opt_int("memlimit"), cases[i].bytes);
        assert_string_equal(opt_str("memlimit"), cases[i].text);
    }
    static const char *const bad[] = {"", "K", "1KB", "1k", "1Ki", "1.5G", "-1", "1X",
                                      "9223372036854775808", "8388608T", "0x10", "1_G"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(line, sizeof line, "memlimit=%s", bad[i]);
        assert_int_equal(parse_capture(line), 1);
        assert_non_null(strstr(out, "for memlimit"));
        assert_int_equal(opt_int("memlimit"), INT64_MAX); // unchanged default
    }
}

static void options_report_problems_by_name_and_parse_the_rest(void **state) {
    int problems = parse_capture("foo=1 quit=1 gogc=x verbose=99 madv=maybe nokey quit=2 "
                                 "run=1,,2 =5 gctrace=yes scale=0 scale=2");
    assert_int_equal(problems, 10);
    assert_non_null(strstr(out, "spanlab: unknown option 'foo' ignored\n"));
    assert_non_null(
        strstr(out, "spanlab: bad value 'x' for gogc (want an integer from 0 to 2147483647 "
                    "or off) ignored\n"));
    assert_non_null(strstr(out, "bad value '99' for verbose"));
    assert_non_null(strstr(out, "bad value 'maybe' for madv (want one of dontneed|free)"));
    assert_non_null(strstr(out, "spanlab: 'nokey' is not key=value, ignored\n"));
    assert_non_null(strstr(out, "bad value '2' for quit (want 0 or 1)"));
    assert_non_null(strstr(out, "bad value '1,,2' for run"));
    assert_non_null(strstr(out, "unknown option '' ignored"));
    assert_non_null(strstr(out, "bad value 'yes' for gctrace"));
    assert_non_null(strstr(out, "bad value '0' for scale"));
    // The good words around the bad ones took effect; bad ones left defaults.
    assert_int_equal(opt_int("quit"), 1);
    assert_int_equal(opt_int("gogc"), 100);
    assert_int_equal(opt_int("verbose"), 0);
    assert_string_equal(opt_str("madv"), "dontneed");
    assert_int_equal(opt_int("scale"), 2);
    assert_false(opt_given("gogc"));
}

static void options_last_repeated_key_wins(void **state) {
    assert_int_equal(parse_capture("gogc=50 gogc=off gogc=200"), 0);
    assert_int_equal(opt_int("gogc"), 200);
    // A later parse starts from the defaults again.
    assert_int_equal(parse_capture("verbose=1"), 0);
    assert_int_equal(opt_int("gogc"), 100);
    assert_false(opt_given("gogc"));
}

static void options_survive_very_long_lines(void **state) {
    static char line[20000];
    size_t n = 0;
    // 1000 repeats of a valid key, then a huge unknown key, a huge value, then a good word.
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, "scale=%d ", i + 1);
    memset(line + n, 'k', 3000);
    n += 3000;
    n += (size_t)snprintf(line + n, sizeof line - n, "=1 selftest=");
    memset(line + n, 'v', 5000);
    n += 5000;
    snprintf(line + n, sizeof line - n, " quit=1");
    int problems = parse_capture(line);
    assert_int_equal(problems, 2);
    assert_non_null(strstr(out, "unknown option 'kkkkkkkk"));
    assert_non_null(strstr(out, "...' ignored"));
    assert_true(strlen(out) < 400); // the reports quote a bounded piece
    assert_non_null(strstr(out, "value for selftest too long"));
    assert_int_equal(opt_int("scale"), 1000);
    assert_int_equal(opt_int("quit"), 1);
    assert_string_equal(opt_str("selftest"), "");
}

static void options_format_round_trips(void **state) {
    const char *line = "  gogc=off   memlimit=64MiB\trun=2,4,6 quit=1 selftest=all madv=free ";
    assert_int_equal(parse_capture(line), 0);
    char buf[256], again[256];
    opt_format(buf, sizeof buf);
    // In table order, single spaces, values as written.
    assert_string_equal(buf, "quit=1 selftest=all run=2,4,6 madv=free gogc=off memlimit=64MiB");
    assert_int_equal(parse_capture(buf), 0);
    opt_format(again, sizeof again);
    assert_string_equal(buf, again);
    assert_int_equal(opt_int("memlimit"), 64 << 20);
    // A short buffer keeps whole words only.
    char small[20];
    opt_format(small, sizeof small);
    assert_string_equal(small, "quit=1 selftest=all");
    opt_format(small, 3);
    assert_string_equal(small, "");
}

static void options_parse_argv_words(void **state) {
    char a[] = "quit=1", b[] = "gogc=25 verbose=2", c[] = "bogus";
    char *argv[] = {a, b, c};
    fflush(stdout);
    assert_int_equal(opt_parse_argv(3, argv), 1);
    assert_int_equal(opt_int("quit"), 1);
    assert_int_equal(opt_int("gogc"), 25);
    assert_int_equal(opt_int("verbose"), 2);
}

static void ask_for_unknown_key(void) { opt_int("no_such_key"); }

static void options_unknown_key_in_code_panics(void **state) {
    char text[1024];
    int status = child_run(ask_for_unknown_key, text, sizeof text);
    assert_int_not_equal(child_exit_code(status), 0); // opt_int panicked
    assert_non_null(strstr(text, "no_such_key"));    // naming the key
}

RUN_TESTS(cmocka_unit_test(options_have_go_defaults_when_line_is_empty),
          cmocka_unit_test(options_parse_every_kind),
          cmocka_unit_test(options_accept_size_suffixes),
          cmocka_unit_test(options_report_problems_by_name_and_parse_the_rest),
          cmocka_unit_test(options_last_repeated_key_wins),
          cmocka_unit_test(options_survive_very_long_lines),
          cmocka_unit_test(options_format_round_trips),
          cmocka_unit_test(options_parse_argv_words),
          cmocka_unit_test(options_unknown_key_in_code_panics))
