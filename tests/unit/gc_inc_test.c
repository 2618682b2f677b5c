// The incremental collector (gcmode=inc): a cycle started by the pacer ends through
// assists alone, each as soon as its debt is due; objects allocated while it marks
// survive it (allocate black); the
// write barrier keeps an object whose only reference moves from an unscanned heap
// slot to a scanned one; mark termination drains what is still grey; and
// gcverify's barrier checker names an unbarriered pointer store; the running stack
// is a root of the first pause; on the work clock a cycle ends after the same
// allocations however slowly they come; allocate-black's span cache forgets a span
// freed while marking; GCCPUFraction leaves idle marking out.
#include "tests/unit/gc_test_util.h"
#include "tests/unit/child.h"
#include "rt/gc_barrier.h"
#include <string.h>

#include "rt/gc_internal.h" // mark slices, termination, allocate-black, the assists

typedef struct node {
    struct node *f;
    struct node *g;
    int64_t id;
} node_t;
static GOTYPE_STRUCT(node_type, node_t, "inc.Node", offsetof(node_t, f), offsetof(node_t, g));

static node_t *roots[4]; // a registered root: [0] holder, [1] list, [2] moved, [3] keep

// A list of n nodes (ids 1..n) hanging off roots[1], built without a cycle running.
__attribute__((noinline)) static void make_list(int n) {
    node_t *head = NULL;
    for (int i = n; i >= 1; i--) {
        node_t *x = rt_new(&node_type);
        x->id = i;
        GC_STORE(x->f, head);
        head = x;
    }
    roots[1] = head;
}

__attribute__((noinline)) static uintptr_t new_hidden(int64_t id) {
    node_t *x = rt_new(&node_type);
    x->id = id;
    return HIDE(x);
}

static void setup_inc(const char *opts) {
    gc_test_setup(opts);
    memset(roots, 0, sizeof roots);
    gc_add_root(roots, sizeof roots, &gotype_pointer);
}

static void teardown_inc(void) {
    memset(roots, 0, sizeof roots);
    gc_remove_root(roots);
    gc_test_teardown(NULL);
}

// Allocation alone ends an incremental cycle: assists do all its mark work, and
// what was allocated meanwhile (allocated black) survives it.
static void gc_inc_cycle_ends_by_assists(void **state) {
    setup_inc("gcmode=inc gcverify=1 gogc=400");
    make_list(200000); // far more mark work than the background turns' 25% can do
    uint64_t n0 = gc_last_cycle()->cycle;
    gc_collect(false); // starts a cycle (the pacer would, at its trigger)
    assert_true(gc_running());
    uint64_t during = new_hidden(7); // allocated black
    roots[3] = SHOW(during);
    for (int i = 0; i < 2000000 && gc_running(); i++)
        rt_new(&node_type);
    assert_false(gc_running());
    const gc_cycle_stats_t *c = gc_last_cycle();
    assert_int_equal(c->cycle, n0 + 1);
    assert_true(c->incremental);
    assert_true(c->assists > 0);
    assert_true(c->assist_work > 0);
    assert_true(c->objects_allocated_black > 0);
    assert_true(c->objects_marked >= 200000);
    gc_test_collect();
    assert_true(gc_test_alive(during));
    assert_int_equal(((node_t *)SHOW(during))->id, 7);
    teardown_inc();
}

// Allocations until the cycle gc_collect starts ends, spinning spin_ns of wall time
// before each one (a slower or busier machine), on the work clock (gc_test_setup
// turns it on).
static int allocs_to_end_cycle(uint64_t spin_ns) {
    setup_inc("gcmode=inc gogc=400");
    make_list(200000);
    gc_collect(false);
    assert_true(gc_running());
    int n = 0;
    for (; n < 1000000 && gc_running(); n++) {
        for (uint64_t t = sys_nanotime(); sys_nanotime() - t < spin_ns;)
            ;
        rt_new(&node_type);
    }
    assert_false(gc_running());
    teardown_inc();
    return n;
}

// On the work clock (what the scenario runner uses) a cycle ends after the same
// allocations however slowly they come. On the wall clock it does not: the background
// worker's turns are time-bounded slices, allowed while its share of the elapsed time
// stays under 25%, so two runs end after different counts (measured: 202094 and
// 191170 allocations with and without a 20 us spin; the work clock: 193901 both).
static void gc_inc_work_clock_ignores_wall_time(void **state) {
    (void)state;
    int fast = allocs_to_end_cycle(0), slow = allocs_to_end_cycle(2000);
    assert_int_equal(fast, slow);
}

// roots[0]->f holds the only reference to x; after the cycle started, x moves to a
// root (scanned already) and the heap slot is overwritten. With the barrier x is
// shaded and survives; the model is Go's deletion barrier.
__attribute__((noinline)) static uintptr_t move_only_reference(bool barrier) {
    node_t *holder = roots[0];
    node_t *x = holder->f;
    roots[2] = x;                // into a root the cycle already scanned
    if (barrier)
        GC_STORE(holder->f, NULL);
    else
        holder->f = NULL;        // the store the barrier must see
    return HIDE(x);
}

static void gc_inc_barrier_keeps_moved_object(void **state) {
    setup_inc("gcmode=inc");
    roots[0] = rt_new(&node_type);
    roots[0]->f = SHOW(new_hidden(42));
    gc_collect(false); // the roots are scanned; roots[0] is grey, its child white
    uintptr_t x = move_only_reference(true);
    gc_mark_some(UINT64_MAX);
    gc_mark_termination();
    assert_false(gc_running());
    gc_test_collect(); // a full cycle: x is reachable from roots[2]
    assert_true(gc_test_alive(x));
    assert_int_equal(((node_t *)SHOW(x))->id, 42);
    teardown_inc();
}

// Mark termination drains what is still grey: right after the roots, holder is
// grey and x (shaded by the barrier when its only heap reference went) is grey
// too, with a white child y. Without the drain gcverify's closure check finds the
// marked x pointing to the white y.
static void gc_inc_termination_drains_greys(void **state) {
    setup_inc("gcmode=inc gcverify=1");
    roots[0] = rt_new(&node_type);
    roots[0]->f = SHOW(new_hidden(5));
    roots[0]->f->g = SHOW(new_hidden(6));
    gc_collect(false);
    uintptr_t x = move_only_reference(true);
    gc_mark_termination(); // no slice ran: the drain does all the marking
    assert_false(gc_running());
    gc_test_collect();
    assert_true(gc_test_alive(x));
    assert_int_equal(((node_t *)SHOW(x))->g->id, 6);
    teardown_inc();
}

// The first pause scans the running stack: an object only a local variable holds
// when the cycle starts survives it.
static void gc_inc_running_stack_is_a_root(void **state) {
    setup_inc("gcmode=inc gcverify=1");
    node_t *volatile local = rt_new(&node_type);
    local->id = 9;
    gc_collect(false);
    gc_mark_some(UINT64_MAX);
    gc_mark_termination();
    gc_test_collect(); // sweeps what the incremental cycle left unmarked first
    assert_true(heap_usable_size((void *)local) != 0);
    assert_int_equal(local->id, 9);
    teardown_inc();
}

// Pause statistics: gcmode=inc records two pauses a cycle, gcmode=stw one; the
// median, p99 and max are in order and the max is a recorded cycle's pause.
static void gc_pause_stats_count_every_pause(void **state) {
    const char *modes[] = {"gcmode=inc gcstress=50", "gcmode=stw gcstress=50"};
    for (int m = 0; m < 2; m++) {
        setup_inc(modes[m]);
        gc_pause_stats_t ps;
        gc_pause_stats(&ps);
        assert_int_equal(ps.count, 0);
        uint64_t maxp = 0;
        for (int i = 0; i < 5000; i++) {
            uint64_t n0 = gc_last_cycle()->cycle;
            rt_new(&node_type);
            const gc_cycle_stats_t *c = gc_last_cycle();
            if (c->cycle != n0) {
                uint64_t p = m == 0 ? (c->pause_start_ns > c->pause_term_ns ? c->pause_start_ns
                                                                            : c->pause_term_ns)
                                    : c->pause_ns;
                if (p > maxp)
                    maxp = p;
            }
        }
        gc_memstats_t ms;
        gc_read_memstats(&ms);
        assert_true(ms.NumGC >= 90);
        gc_pause_stats(&ps);
        assert_int_equal(ps.count, m == 0 ? 2 * (uint64_t)ms.NumGC : ms.NumGC);
        assert_true(ps.median_ns <= ps.p99_ns && ps.p99_ns <= ps.max_ns);
        assert_int_equal(ps.max_ns, maxp);
        teardown_inc();
    }
}

static bool remove_barrier, over_nil;

static void unbarriered_child(void) {
    setup_inc("gcmode=inc gcverify=1");
    roots[0] = rt_new(&node_type);
    if (!over_nil)
        roots[0]->f = SHOW(new_hidden(1));
    uintptr_t other = new_hidden(2);
    roots[1] = SHOW(other);
    gc_collect(false);
    gc_mark_some(UINT64_MAX); // roots[0] scanned: its field +0 is in the shadow
    if (remove_barrier)
        roots[0]->f = roots[1]; // no barrier: the checker must name +0
    else
        GC_STORE(roots[0]->f, roots[1]);
    gc_mark_termination();
    _exit(gc_running() ? 4 : 0);
}

// The checker accepts a barriered store, over a pointer or over nil (GC_STORE skips
// its slow path over nil, and the shadow holds only non-nil slots), and names an
// unbarriered one.
static void gc_inc_verify_names_unbarriered_store(void **state) {
    char out[4096];
    remove_barrier = false;
    for (int nil = 0; nil < 2; nil++) {
        over_nil = nil;
        int st = child_run(unbarriered_child, out, sizeof out);
        if (child_exit_code(st) != 0)
            fail_msg("with the barrier%s: exit %d, output:\n%s", nil ? ", over nil" : "",
                     child_exit_code(st), out);
    }
    over_nil = false;
    remove_barrier = true;
    int st = child_run(unbarriered_child, out, sizeof out);
    assert_int_not_equal(child_exit_code(st), 0);
    if (!strstr(out, "unbarriered pointer store") || !strstr(out, "field +0"))
        fail_msg("the checker did not name the store:\n%s", out);
}

// Allocate-black remembers the span of the last new object. A large object freed
// while marking (an explicit free) gives its pages and span struct back: a large
// object m takes the same base (and struct), and a small span lands in the rest of
// the old range. Marking an object of that small span must find its own span, not
// the remembered one (which would mark m's slot instead).
static void gc_inc_black_span_cache_forgets_freed_span(void **state) {
    setup_inc("gcmode=inc"); // not gcverify: l is counted marked, then freed by hand
    gc_collect(false);
    assert_true(gc_running());
    const size_t big = 1u << 20, half = big / 2;
    char *l = heap_malloc(big, NULL, true);
    assert_non_null(l);
    assert_true(gc_mark_new_object(l)); // the cache now holds l's span
    heap_free(l);
    char *m = heap_malloc(half, NULL, true);
    assert_ptr_equal(m, l); // first fit: the test's premise
    node_t *x = NULL;
    for (int i = 0; i < 100000 && !x; i++) {
        node_t *n = heap_malloc(sizeof(node_t), &node_type, true);
        if ((uintptr_t)n - (uintptr_t)l - half < half)
            x = n; // in l's old range, past m
    }
    assert_non_null(x);
    assert_true(gc_mark_new_object(x));
    span_t *s = heap_span_of(x);
    assert_non_null(s);
    size_t idx;
    assert_non_null(span_object_of(s, x, &idx));
    assert_true(span_is_marked(s, idx));
    assert_false(span_is_marked(heap_span_of(m), 0)); // m was allocated white
    gc_mark_some(UINT64_MAX);
    gc_mark_termination();
    teardown_inc();
}

// GCCPUFraction leaves idle marking out, as Go's (mgc.go: markCpu is assist +
// dedicated + fractional time): a cycle marked entirely on an idle turn adds only
// its two pauses to the GC time.
static void gc_inc_cpu_fraction_excludes_idle_marking(void **state) {
    uint64_t t0 = sys_nanotime(); // before gc_init: at most the fraction's time base
    setup_inc("gcmode=inc");
    int gogc = gc_set_percent(-1); // no cycle (and no GC time) while building
    make_list(200000);
    gc_set_percent(gogc);
    assert_int_equal(gc_last_cycle()->cycle, 0);
    gc_collect(false);
    assert_true(gc_running());
    gc_bg_mark_turn(true); // idle: on the work clock it marks to the end
    assert_false(gc_running());
    uint64_t t1 = sys_nanotime();
    const gc_cycle_stats_t *c = gc_last_cycle();
    assert_int_equal(c->assist_ns, 0);
    assert_int_equal(c->bg_ns, 0);
    assert_true(c->idle_ns > 0);
    gc_memstats_t ms;
    gc_read_memstats(&ms);
    assert_true(ms.PauseTotalNs < c->idle_ns / 4); // the premise: the mark was the bulk
    // GC time = fraction x (time since gc_init) <= fraction x (t1 - t0).
    assert_true(ms.GCCPUFraction * (double)(t1 - t0) < (double)c->idle_ns / 2);
    teardown_inc();
}

// An assist comes as soon as the debt reaches its minimum slice (64 KiB of scan
// work), not at the next periodic turn (every 64 KiB allocated): with more than one
// byte of scan work owed per byte allocated, some assists are less than 64 KiB of
// allocation apart.
static void gc_inc_assist_comes_at_its_debt(void **state) {
    setup_inc("gcmode=inc gogc=25");
    make_list(200000);
    gc_collect(false);
    assert_true(gc_running());
    assert_true(gc_assist_ratio() > 2); // the premise
    uint64_t assists = gc_work.assists, bytes = 0, closest = UINT64_MAX;
    for (int i = 0; i < 2000000 && gc_running(); i++) {
        rt_new(&node_type);
        bytes += sizeof(node_t);
        if (gc_work.assists != assists) {
            if (assists > 0 && bytes < closest)
                closest = bytes;
            assists = gc_work.assists;
            bytes = 0;
        }
    }
    assert_false(gc_running());
    print_message("closest assists: %llu bytes apart\n", (unsigned long long)closest);
    assert_true(closest < 60000);
    teardown_inc();
}

RUN_TESTS(cmocka_unit_test(gc_inc_cycle_ends_by_assists),
          cmocka_unit_test(gc_inc_assist_comes_at_its_debt),
          cmocka_unit_test(gc_inc_barrier_keeps_moved_object),
          cmocka_unit_test(gc_inc_termination_drains_greys),
          cmocka_unit_test(gc_inc_running_stack_is_a_root),
          cmocka_unit_test(gc_pause_stats_count_every_pause),
          cmocka_unit_test(gc_inc_verify_names_unbarriered_store),
          cmocka_unit_test(gc_inc_work_clock_ignores_wall_time),
          cmocka_unit_test(gc_inc_black_span_cache_forgets_freed_span),
          cmocka_unit_test(gc_inc_cpu_fraction_excludes_idle_marking))
