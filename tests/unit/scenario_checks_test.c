// The scenario checks (scenarios/results.c, scenarios/modes.c): a CHECK line per
// comparison; a key or variant a check asks for and nobody recorded fails that
// check by name, whatever the comparison says; a check the scenario skips under a
// mode prints a SKIP line with the reason only when that mode is on; the RAM a
// scenario needs grows with its sizes (scale=, labseed=).
#include "tests/unit/test.h"

#include <unistd.h>

#include "scenarios/runner_internal.h"
#include "sys/options.h"

static char out[4096]; // what the last captured call printed (sys_printf writes fd 1)
static FILE *capture_file;
static int saved_stdout;

static void capture_begin(void) {
    fflush(stdout);
    capture_file = tmpfile();
    assert_non_null(capture_file);
    saved_stdout = dup(1);
    dup2(fileno(capture_file), 1);
}

static void capture_end(void) {
    fflush(stdout);
    dup2(saved_stdout, 1);
    close(saved_stdout);
    rewind(capture_file);
    size_t n = fread(out, 1, sizeof out - 1, capture_file);
    out[n] = 0;
    fclose(capture_file);
}

static const sc_mode_skip_t skips[] = {
    {"gcstress", "num_gc_doubles", "gcstress adds collections"},
    {"madv=free", "resident_drops", "lazily freed pages stay resident"},
    {0},
};
static const sc_scenario_t scenario = {.number = 42, .slug = "test", .mode_skips = skips};
static const sc_variant_t buggy = {.name = "buggy"};

// A result set with one variant, "buggy", that recorded retained_bytes=5000.
static sc_results_t *results(void) {
    static sc_results_t res;
    memset(&res, 0, sizeof res);
    res.scenario = &scenario;
    res.nruns = 1;
    res.runs[0].scenario = &scenario;
    res.runs[0].variant = &buggy;
    res.runs[0].outcome = "ok";
    sc_key(&res.runs[0], "retained_bytes", 5000);
    opt_parse("");
    return &res;
}

static void check_compares_a_recorded_key(void **state) {
    sc_results_t *res = results();
    capture_begin();
    bool ok = sc_check(res, "kept", sc_get(res, "buggy", "retained_bytes"), ">=", 4096);
    bool bad = sc_check(res, "small", sc_get(res, "buggy", "retained_bytes"), "<", 4096);
    capture_end();
    assert_true(ok);
    assert_false(bad);
    assert_string_equal(out, "CHECK bug=42 name=kept value=5000 expect=>=4096 PASS\n"
                             "CHECK bug=42 name=small value=5000 expect=<4096 FAIL\n");
    assert_int_equal(res->passed, 1);
    assert_int_equal(res->failed, 1);
}

static void missing_key_fails_the_check_that_asks_naming_it(void **state) {
    sc_results_t *res = results();
    capture_begin();
    // Read as 0, "0 < 1 MiB" would hold: the missing key must fail it anyway.
    bool ok = sc_check(res, "under_1MiB", sc_get(res, "buggy", "retained"), "<", 1 << 20);
    bool next = sc_check(res, "next", sc_get(res, "buggy", "retained_bytes"), "==", 5000);
    capture_end();
    assert_false(ok);
    assert_true(next); // the missing key fails only the check that asked for it
    assert_string_equal(out, "CHECK bug=42 name=under_1MiB value=0 expect=<1048576 FAIL "
                             "missing=buggy.retained\n"
                             "CHECK bug=42 name=next value=5000 expect===5000 PASS\n");
    assert_int_equal(res->failed, 1);
    assert_int_equal(res->passed, 1);
}

static void missing_variant_fails_the_check_naming_every_key(void **state) {
    sc_results_t *res = results();
    capture_begin();
    bool ok = sc_check(res, "ratio", sc_div(sc_get(res, "fixed", "a"), sc_get(res, "fixed", "b")),
                       "<=", 10);
    capture_end();
    assert_false(ok);
    // C leaves the order of argument evaluation open: either order names both.
    assert_true(strcmp(out, "CHECK bug=42 name=ratio value=0 expect=<=10 FAIL "
                            "missing=fixed.a,fixed.b\n") == 0 ||
                strcmp(out, "CHECK bug=42 name=ratio value=0 expect=<=10 FAIL "
                            "missing=fixed.b,fixed.a\n") == 0);
}

static void check_skipped_under_its_mode_says_why(void **state) {
    sc_results_t *res = results();
    opt_parse("gcstress=50");
    capture_begin();
    bool ok = sc_check(res, "num_gc_doubles", 3, ">=", 8);
    capture_end();
    assert_true(ok);
    assert_string_equal(out, "SKIP bug=42 name=num_gc_doubles value=3 expect=>=8 "
                             "under=gcstress=50: gcstress adds collections\n");
    assert_int_equal(res->checks_skipped, 1);
    assert_int_equal(res->passed + res->failed, 0);
}

static void check_runs_when_its_mode_is_off(void **state) {
    sc_results_t *res = results(); // gcstress=0, madv=dontneed
    capture_begin();
    bool gc = sc_check(res, "num_gc_doubles", 3, ">=", 8);
    bool madv = sc_check(res, "resident_drops", 1, "==", 1);
    capture_end();
    assert_false(gc);
    assert_true(madv);
    assert_int_equal(res->checks_skipped, 0);
    assert_int_equal(res->failed, 1);
}

static void mode_with_a_value_is_on_only_for_that_value(void **state) {
    char desc[64];
    opt_parse("madv=free");
    assert_true(sc_mode_active("madv=free", desc, sizeof desc));
    assert_string_equal(desc, "madv=free");
    assert_false(sc_mode_active("madv=dontneed", desc, sizeof desc));
    opt_parse("");
    assert_false(sc_mode_active("madv=free", desc, sizeof desc));
    assert_false(sc_mode_active("gcpoison", desc, sizeof desc));
    assert_string_equal(desc, "gcpoison=0");
    opt_parse("gcpoison=1");
    assert_true(sc_mode_active("gcpoison", desc, sizeof desc));
}

static void missing_key_beats_a_skip(void **state) {
    sc_results_t *res = results();
    opt_parse("gcstress=50");
    capture_begin();
    bool ok = sc_check(res, "num_gc_doubles", sc_get(res, "buggy", "work_gcs"), ">=", 8);
    capture_end();
    assert_false(ok);
    assert_string_equal(out, "CHECK bug=42 name=num_gc_doubles value=0 expect=>=8 FAIL "
                             "missing=buggy.work_gcs\n");
}

static void div_counts_a_zero_divisor_as_one(void **state) {
    assert_int_equal(sc_div(10, 3), 3);
    assert_int_equal(sc_div(10, 0), 10);
    assert_int_equal(sc_div(10, -4), 10);
}

static void ram_needed_grows_with_scale_and_labseed(void **state) {
    (void)state;
    sc_scenario_t s = {.number = 43, .slug = "ram", .ram_needed = 64ull << 20};
    opt_parse("");
    assert_int_equal(sc_ram_needed(&s), 64ull << 20);
    opt_parse("scale=3");
    assert_int_equal(sc_ram_needed(&s), 192ull << 20);
    opt_parse("labseed=4711"); // sizes grow by 1 + k/64, k in [1, 32]: so does the need
    assert_int_equal(sc_ram_needed(&s), (uint64_t)sc_scaled(64ll << 20));
    assert_true(sc_ram_needed(&s) > 64ull << 20);
    assert_true(sc_ram_needed(&s) <= 96ull << 20);
    opt_parse("");
}

RUN_TESTS(cmocka_unit_test(check_compares_a_recorded_key),
          cmocka_unit_test(missing_key_fails_the_check_that_asks_naming_it),
          cmocka_unit_test(missing_variant_fails_the_check_naming_every_key),
          cmocka_unit_test(check_skipped_under_its_mode_says_why),
          cmocka_unit_test(check_runs_when_its_mode_is_off),
          cmocka_unit_test(mode_with_a_value_is_on_only_for_that_value),
          cmocka_unit_test(missing_key_beats_a_skip),
          cmocka_unit_test(div_counts_a_zero_divisor_as_one),
          cmocka_unit_test(ram_needed_grows_with_scale_and_labseed))
