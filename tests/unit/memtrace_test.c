// The memory trace (rt/memtrace.c): TRACE lines at the start, at GC ends, at named
// phases and at the end of a series, their numbers equal to what MemStats and the
// page layer say at that moment, ticks from allocation and from the clock, the caps
// with their dropped counts, and silence when trace=1 is not given. Each case runs
// in a forked child whose output is the trace.
#include "tests/unit/test.h"
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/memtrace.h"
#include "rt/runtime.h"
#include "rt/sched.h"
#include "rt/timer.h"
#include "rt/types.h"
#include "sys/options.h"
#include "tests/unit/child.h"

#define MiB ((size_t)1 << 20)

static char out[1 << 20];

// Runs fn in a child with the options in line; fails unless it exits 0.
static const char *run_child(void (*fn)(void)) {
    int status = child_run(fn, out, sizeof out);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return out;
}

// The value of key in line (a TRACE or EXPECT line), or -1.
static long long key_of(const char *line, const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, " %s=", key);
    const char *p = strstr(line, pat);
    const char *eol = strchr(line, '\n');
    if (!p || (eol && p > eol))
        return -1;
    return strtoll(p + strlen(pat), NULL, 10);
}

// The n-th (0-based) line starting with prefix and containing what, or NULL.
static const char *find_line(const char *text, const char *prefix, const char *what, int n) {
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *eol = strchr(l, '\n');
        const char *w = strstr(l, what);
        if (strncmp(l, prefix, strlen(prefix)) == 0 && w && (!eol || w < eol) && n-- == 0)
            return l;
    }
    return NULL;
}

static int count_lines(const char *text, const char *what) {
    int n = 0;
    while (find_line(text, "TRACE ", what, n))
        n++;
    return n;
}

static void *keep; // a live object for the samples to see

static void off_body(void) {
    opt_parse("");
    rt_fresh();
    mtrace_begin("bug=1 variant=off");
    keep = rt_newarray(&gotype_uint8, MiB);
    gc_collect(true);
    mtrace_phase("a phase");
    mtrace_end();
    rt_teardown();
}

// Without trace=1 nothing is printed.
static void trace_off_prints_nothing(void **st) {
    assert_null(strstr(run_child(off_body), "TRACE"));
}

static void samples_body(void) {
    opt_parse("trace=1");
    rt_fresh();
    mtrace_begin("bug=99 variant=t");
    gc_add_root(&keep, sizeof keep, &gotype_pointer);
    keep = rt_newarray(&gotype_uint8, 3 * MiB);
    memset(keep, 1, 3 * MiB);
    gc_collect(true);
    mtrace_phase("after x = y");
    static struct memstats m;
    heap_read_memstats(&m); // the same moment: nothing allocated since the phase
    printf("EXPECT heap_alloc=%llu heap_sys=%llu resident_pages=%llu num_gc=%u\n",
           (unsigned long long)m.HeapAlloc, (unsigned long long)m.HeapSys,
           (unsigned long long)m.ResidentPages, m.NumGC);
    fflush(stdout);
    mtrace_end();
    gc_remove_root(&keep);
    rt_teardown();
}

// start, a forced GC, a phase (its name one token), end: numbered, in time order,
// with the numbers MemStats and the page layer give at that moment.
static void trace_samples_start_gc_phase_end(void **st) {
    const char *t = run_child(samples_body);
    const char *start = find_line(t, "TRACE bug=99 variant=t seq=0 t_us=0 ", "ev=start", 0);
    const char *gc = find_line(t, "TRACE bug=99 variant=t ", "ev=gc forced=1", 0);
    const char *phase = find_line(t, "TRACE bug=99 variant=t ", "ev=phase name=after_x___y ", 0);
    const char *end = find_line(t, "TRACE bug=99 variant=t ", "ev=end", 0);
    const char *expect = find_line(t, "EXPECT ", "", 0);
    assert_non_null(start);
    assert_non_null(gc);
    assert_non_null(phase);
    assert_non_null(end);
    assert_non_null(expect);
    assert_int_equal(key_of(gc, "num_gc"), 1);
    assert_int_equal(key_of(phase, "heap_alloc"), key_of(expect, "heap_alloc"));
    assert_int_equal(key_of(phase, "heap_sys"), key_of(expect, "heap_sys"));
    assert_int_equal(key_of(phase, "resident_pages"), key_of(expect, "resident_pages"));
    assert_true(key_of(phase, "resident_pages") >= (long long)(3 * MiB / 4096));
    assert_int_equal(key_of(end, "dropped_ticks"), 0);
    assert_int_equal(key_of(end, "dropped_gc"), 0);
    long long last_t = -1;
    for (int i = 0; i < count_lines(t, "bug=99"); i++) { // seq 0, 1, 2 ... and t grows
        const char *l = find_line(t, "TRACE ", "bug=99", i);
        assert_int_equal(key_of(l, "seq"), i);
        assert_true(key_of(l, "t_us") >= last_t);
        last_t = key_of(l, "t_us");
        if (strstr(l, "ev=tick") && strstr(l, "ev=tick") < strchr(l, '\n')) // no pages
            assert_int_equal(key_of(l, "resident_pages"), -1);
    }
}

static void alloc_ticks_body(void) {
    opt_parse("trace=1");
    rt_fresh();
    mtrace_begin("bug=98 variant=ticks");
    for (int i = 0; i < 2560; i++) // 160 MiB of garbage, 64 KiB at a time
        keep = rt_newarray(&gotype_uint8, 64 << 10);
    keep = NULL;
    mtrace_end();
    rt_teardown();
}

// Allocation makes ticks until the cap; past it they are counted, not printed.
static void ticks_are_capped_and_counted(void **st) {
    const char *t = run_child(alloc_ticks_body);
    assert_int_equal(count_lines(t, "ev=tick"), MTRACE_MAX_TICKS);
    const char *end = find_line(t, "TRACE bug=98 ", "ev=end", 0);
    assert_non_null(end);
    assert_true(key_of(end, "dropped_ticks") > 0);
    // The steps double every MTRACE_DOUBLE_EVERY ticks: the last ticks lie 8 times
    // further apart in total_alloc than the first ones.
    long long a0 = key_of(find_line(t, "TRACE ", "ev=tick", 0), "total_alloc");
    long long a1 = key_of(find_line(t, "TRACE ", "ev=tick", 8), "total_alloc");
    long long b0 = key_of(find_line(t, "TRACE ", "ev=tick", MTRACE_MAX_TICKS - 9), "total_alloc");
    long long b1 = key_of(find_line(t, "TRACE ", "ev=tick", MTRACE_MAX_TICKS - 1), "total_alloc");
    assert_true(b1 - b0 >= 6 * (a1 - a0));
}

static void gc_cap_body(void) {
    opt_parse("trace=1 gcstress=1"); // a collection at every allocation
    rt_fresh();
    mtrace_begin("bug=97 variant=gcs");
    for (int i = 0; i < MTRACE_MAX_GC + 40; i++)
        keep = rt_newarray(&gotype_uint8, 64);
    printf("EXPECT num_gc=%u\n", gc_last_cycle() ? (unsigned)gc_last_cycle()->cycle : 0);
    fflush(stdout);
    mtrace_end();
    rt_teardown();
}

// GC samples stop at MTRACE_MAX_GC; the end line counts the rest.
static void gc_samples_are_capped_and_counted(void **st) {
    const char *t = run_child(gc_cap_body);
    long long gcs = key_of(find_line(t, "EXPECT ", "", 0), "num_gc");
    assert_true(gcs > MTRACE_MAX_GC);
    assert_int_equal(count_lines(t, "ev=gc"), MTRACE_MAX_GC);
    assert_int_equal(key_of(find_line(t, "TRACE bug=97 ", "ev=end", 0), "dropped_gc"),
                     gcs - MTRACE_MAX_GC);
}

static void sleeper(void *arg) {
    (void)arg;
    timer_sleep(TIMER_MS(8 * MTRACE_TICK_MS));
}

static void clock_body(void) {
    opt_parse("trace=1");
    rt_fresh();
    mtrace_begin("bug=96 variant=sleep");
    sched_run_main(sleeper, NULL);
    mtrace_end();
    rt_teardown();
}

// A sleeping variant allocates nothing: ticks come from the scheduler's clock, at
// least MTRACE_TICK_MS apart.
static void ticks_come_from_the_clock_while_sleeping(void **st) {
    const char *t = run_child(clock_body);
    int n = count_lines(t, "ev=tick");
    assert_true(n >= 3);
    long long prev = 0;
    for (int i = 0; i < n; i++) {
        long long now = key_of(find_line(t, "TRACE ", "ev=tick", i), "t_us");
        assert_true(now - prev >= MTRACE_TICK_MS * 1000);
        prev = now;
    }
}

RUN_TESTS(cmocka_unit_test(trace_off_prints_nothing),
          cmocka_unit_test(trace_samples_start_gc_phase_end),
          cmocka_unit_test(ticks_are_capped_and_counted),
          cmocka_unit_test(gc_samples_are_capped_and_counted),
          cmocka_unit_test(ticks_come_from_the_clock_while_sleeping))
