// The variant report: what the runtime looks like after a variant ran — MemStats,
// the page layer's committed/resident/lazily-freed pages of the heap arenas,
// goroutines, timers, a residency map of every arena (scenarios/maps.c) — then the
// RESULT line, and after all variants the side-by-side table.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "golib/pprof.h"
#include "mm/heap.h"
#include "rt/gc.h"
#include "rt/prof.h"
#include "rt/sched.h"
#include "rt/timer.h"
#include "scenarios/maps.h"
#include "scenarios/runner_internal.h"
#include "sys/options.h"
#include "sys/sys.h"

// Prints an indented line of a variant's human report.
void sc_say(sc_run_t *r, const char *fmt, ...) {
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    (void)r;
    sys_printf("  | %s\n", line);
}

void sc_record_common(sc_run_t *r) {
    static struct memstats m; // large (PauseNs rings): not on a goroutine stack
    heap_read_memstats(&m);
    sys_page_counts_t pc = {0};
    heap_page_counts(&pc);
    // The variant's own keys were recorded first: move them after the common ones.
    sc_run_t own = *r;
    r->nkeys = 0;
    sc_key(r, "heap_alloc", (int64_t)m.HeapAlloc);
    sc_key(r, "heap_inuse", (int64_t)m.HeapInuse);
    sc_key(r, "heap_sys", (int64_t)m.HeapSys);
    sc_key(r, "heap_released", (int64_t)m.HeapReleased);
    sc_key(r, "heap_objects", (int64_t)m.HeapObjects);
    sc_key(r, "mallocs", (int64_t)m.Mallocs);
    sc_key(r, "frees", (int64_t)m.Frees);
    sc_key(r, "total_alloc", (int64_t)m.TotalAlloc);
    sc_key(r, "num_gc", (int64_t)m.NumGC);
    sc_key(r, "stack_inuse", (int64_t)m.StackInuse);
    sc_key(r, "committed_pages", (int64_t)pc.committed);
    sc_key(r, "resident_pages", (int64_t)pc.resident);
    sc_key(r, "lazyfree_pages", (int64_t)pc.lazyfree);
    sc_key(r, "goroutines", (int64_t)sched_num_goroutine());
    sc_key(r, "timers", (int64_t)timer_count());
    r->ncommon = r->nkeys;
    for (int i = 0; i < own.nkeys; i++)
        sc_key(r, own.keys[i].name, own.keys[i].value);
}

// Finds key in r; returns whether it is there (its value through *v).
static bool find_key(const sc_run_t *r, const char *key, int64_t *v) {
    for (int i = 0; i < r->nkeys; i++)
        if (strcmp(r->keys[i].name, key) == 0) {
            *v = r->keys[i].value;
            return true;
        }
    return false;
}

// Returns the value of key in r (0 when absent).
static int64_t key_of(const sc_run_t *r, const char *key) {
    int64_t v = 0;
    find_key(r, key, &v);
    return v;
}

static void mib_line(const char *label, int64_t bytes) {
    sys_printf("  | %-16s %12lld B  %9.1f MiB\n", label, (long long)bytes,
               (double)bytes / (1024.0 * 1024.0));
}

void sc_report_variant(const sc_run_t *r) {
    sys_printf("  | outcome: %s%s%s   (%llu ms)\n", r->outcome, r->message[0] ? ": " : "",
               r->message, (unsigned long long)(r->wall_ns / 1000000));
    mib_line("HeapAlloc", key_of(r, "heap_alloc"));
    mib_line("HeapInuse", key_of(r, "heap_inuse"));
    mib_line("HeapSys", key_of(r, "heap_sys"));
    mib_line("HeapReleased", key_of(r, "heap_released"));
    mib_line("TotalAlloc", key_of(r, "total_alloc"));
    mib_line("StackInuse", key_of(r, "stack_inuse"));
    sys_printf("  | Mallocs %lld  Frees %lld  HeapObjects %lld  NumGC %lld\n",
               (long long)key_of(r, "mallocs"), (long long)key_of(r, "frees"),
               (long long)key_of(r, "heap_objects"), (long long)key_of(r, "num_gc"));
    sys_printf("  | pages (4 KiB): committed %lld  resident %lld  lazily freed %lld\n",
               (long long)key_of(r, "committed_pages"), (long long)key_of(r, "resident_pages"),
               (long long)key_of(r, "lazyfree_pages"));
    sys_printf("  | goroutines %lld  timers %lld\n", (long long)key_of(r, "goroutines"),
               (long long)key_of(r, "timers"));
    gc_pause_stats_t ps;
    gc_pause_stats(&ps); // since this variant's fresh runtime
    sys_printf("  | GC pauses (gcmode=%s): %llu, median %.3f ms, p99 %.3f ms, max %.3f ms\n",
               opt_str("gcmode"), (unsigned long long)ps.count, ps.median_ns / 1e6,
               ps.p99_ns / 1e6, ps.max_ns / 1e6);
    sc_report_maps(r); // every arena, on the scenario's scale, objects marked
    if (opt_int("verbose") >= 1)
        heap_dump(0); // per-class spans and the heap's page counts
    heap_print_memstats_line();
    if (opt_given("memprofilerate")) { // where the variant allocated, as pprof -top shows it
        sys_printf("  | allocation sites (memprofilerate=%lld):\n", (long long)opt_int("memprofilerate"));
        pprof_print_top(6);
    }
    // One line, written key by key (no length limit).
    sys_printf("RESULT bug=%02d variant=%s", r->scenario->number, r->variant->name);
    for (int i = 0; i < r->nkeys; i++)
        sys_printf(" %s=%lld", r->keys[i].name, (long long)r->keys[i].value);
    sys_printf("\n");
}

void sc_report_table(const sc_results_t *res) {
    if (res->nruns == 0)
        return;
    sys_printf("\n%-26s", "key");
    for (int v = 0; v < res->nruns; v++)
        sys_printf(" %16s", res->runs[v].variant->name);
    sys_printf("\n");
    const sc_run_t *first = &res->runs[0];
    for (int k = 0; k < first->nkeys; k++) {
        sys_printf("%-26s", first->keys[k].name);
        for (int v = 0; v < res->nruns; v++) {
            int64_t val;
            if (find_key(&res->runs[v], first->keys[k].name, &val))
                sys_printf(" %16lld", (long long)val);
            else
                sys_printf(" %16s", "-");
        }
        sys_printf("\n");
    }
}
