// The memory trace (see memtrace.h): samples MemStats, the arenas' page counts,
// goroutines and timers at the moments a caller names, at the end of every GC cycle
// and at a bounded rate in between, and prints each sample as one TRACE line.
//
// The in-between ticks come from two hooks, both cheap while nothing is due: the
// allocation watch (rt_set_alloc_watch: rt_mallocgc compares heapLive with one
// number) and the scheduler's tick hook (a clock read per 1 ms tick). A tick reads
// MemStats without the page layer; gc, phase, start and end samples count pages too.
#include "rt/memtrace.h"

#include <stdio.h>
#include <string.h>
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/sched.h"
#include "rt/timer.h"
#include "sys/options.h"
#include "sys/sys.h"

#define MIN_STEP (64u << 10) // bytes of heap growth between ticks, at least ...
#define MAX_STEP (8u << 20)  // ... and at most (before doubling)
#define GOAL_SHARE 32        // ... else 1/32 of the heap goal

static struct {
    bool active, hooked;
    char label[96];
    uint64_t t0, last_ns; // series start; the last sample
    uint64_t base, grown; // heapLive when the watch was armed; growth before that
    uint64_t tick_ns;     // time between ticks (doubles every MTRACE_DOUBLE_EVERY)
    unsigned shift;       // the byte step is shifted left by this (the same doubling)
    uint32_t seq, ticks, gcs, dropped_ticks, dropped_gc;
} T;

static struct memstats ms; // large: not on a goroutine stack

bool mtrace_enabled(void) { return opt_int("trace") != 0; }

// ---- one sample -------------------------------------------------------------------

// Appends " key=value" to line[*n..len).
static void put_key(char *line, size_t len, size_t *n, const char *key, uint64_t v) {
    if (*n < len)
        *n += (size_t)snprintf(line + *n, len - *n, " %s=%llu", key, (unsigned long long)v);
}

// Appends " name=NAME" with spaces and '=' turned into '_' (one token).
static void put_name(char *line, size_t len, size_t *n, const char *name) {
    if (*n + 7 >= len)
        return;
    memcpy(line + *n, " name=", 6);
    *n += 6;
    for (const char *s = name && *name ? name : "_"; *s && *n + 1 < len; s++)
        line[(*n)++] = (*s == ' ' || *s == '=' || *s == '\t' || *s == '\n') ? '_' : *s;
    line[*n] = 0;
}

// Reads the runtime now and prints one TRACE line: ev, its name (or NULL), the
// collector's cycle flags for ev=gc, the page counts when pages is set.
static void sample(const char *ev, const char *name, bool pages) {
    uint64_t now = sys_nanotime();
    if (T.seq == 0)
        T.t0 = now; // the series starts at its first sample: t_us=0 however loaded the machine
    if (heap_ready())
        heap_read_memstats_nopages(&ms);
    else
        memset(&ms, 0, sizeof ms);
    char line[640];
    size_t n = (size_t)snprintf(line, sizeof line, "TRACE %s seq=%u t_us=%llu ev=%s", T.label,
                                T.seq++, (unsigned long long)((now - T.t0) / 1000), ev);
    if (name)
        put_name(line, sizeof line, &n, name);
    if (strcmp(ev, "gc") == 0) {
        put_key(line, sizeof line, &n, "forced", gc_last_cycle()->forced);
        put_key(line, sizeof line, &n, "pause_ns", gc_last_cycle()->pause_ns);
    }
    put_key(line, sizeof line, &n, "num_gc", ms.NumGC);
    put_key(line, sizeof line, &n, "heap_alloc", ms.HeapAlloc);
    put_key(line, sizeof line, &n, "heap_inuse", ms.HeapInuse);
    put_key(line, sizeof line, &n, "heap_sys", ms.HeapSys);
    put_key(line, sizeof line, &n, "heap_released", ms.HeapReleased);
    put_key(line, sizeof line, &n, "next_gc", ms.NextGC);
    put_key(line, sizeof line, &n, "total_alloc", ms.TotalAlloc);
    put_key(line, sizeof line, &n, "goroutines", (uint64_t)sched_num_goroutine());
    put_key(line, sizeof line, &n, "timers", timer_count());
    if (pages) {
        sys_page_counts_t pc = {0};
        if (heap_ready())
            heap_page_counts(&pc);
        put_key(line, sizeof line, &n, "committed_pages", pc.committed);
        put_key(line, sizeof line, &n, "resident_pages", pc.resident);
        put_key(line, sizeof line, &n, "lazyfree_pages", pc.lazyfree);
    }
    if (strcmp(ev, "end") == 0) {
        put_key(line, sizeof line, &n, "dropped_ticks", T.dropped_ticks);
        put_key(line, sizeof line, &n, "dropped_gc", T.dropped_gc);
    }
    if (n >= sizeof line - 1)
        n = sizeof line - 2;
    line[n++] = '\n';
    sys_write(line, n);
    T.last_ns = now;
}

// ---- ticks --------------------------------------------------------------------------

static void restart_watch(void);

// A tick when one is allowed, else counted as dropped; then the count restarts.
static void tick(void) {
    if (T.ticks < MTRACE_MAX_TICKS) {
        sample("tick", NULL, false);
        if (++T.ticks % MTRACE_DOUBLE_EVERY == 0) {
            T.tick_ns *= 2;
            T.shift++;
        }
    } else {
        T.dropped_ticks++;
    }
    restart_watch();
}

static void on_alloc_watch(void) {
    if (T.active)
        tick();
}

// The heap growth between ticks now: 1/32 of the heap goal within [MIN_STEP,
// MAX_STEP], doubled T.shift times.
static uint64_t step_bytes(void) {
    uint64_t step = gc_last_cycle()->next_goal ? gc_last_cycle()->next_goal : gc_heap_goal();
    step /= GOAL_SHARE;
    step = step < MIN_STEP ? MIN_STEP : step > MAX_STEP ? MAX_STEP : step;
    return step << T.shift;
}

// Arms the watch to fire once the heap has grown by a step since the last tick or
// phase; T.grown carries the growth seen before GC cycles (heapLive falls at each
// cycle, the bytes allocated do not). Past the cap the watch still fires once per
// step, to count the dropped ticks.
static void arm_watch(void) {
    if (!T.active || !heap_ready()) {
        rt_set_alloc_watch(UINT64_MAX, NULL);
        return;
    }
    uint64_t step = step_bytes();
    T.base = heap_live();
    rt_set_alloc_watch(T.base + (step > T.grown ? step - T.grown : 0), on_alloc_watch);
}

static void restart_watch(void) {
    T.grown = 0;
    arm_watch();
}

// The scheduler's tick hook: a tick when tick_ns passed since the last sample.
static void on_sched_tick(void) {
    if (T.active && sys_nanotime() - T.last_ns >= T.tick_ns)
        tick();
}

// The collector's cycle-end hook: a gc sample; the growth up to the cycle is kept.
static void on_gc_end(void) {
    if (!T.active)
        return;
    if (T.gcs < MTRACE_MAX_GC) {
        T.gcs++;
        sample("gc", NULL, true);
    } else {
        T.dropped_gc++;
    }
    uint64_t before = gc_last_cycle()->heap_before;
    T.grown += before > T.base ? before - T.base : 0;
    arm_watch();
}

// ---- a series -------------------------------------------------------------------------

void mtrace_begin(const char *label) {
    if (!mtrace_enabled())
        return;
    if (!T.hooked) { // the collector keeps its hooks for the whole run
        gc_add_cycle_end_hook(on_gc_end);
        T.hooked = true;
    }
    sched_set_tick_hook(on_sched_tick);
    memset(&T.label, 0, sizeof T.label);
    snprintf(T.label, sizeof T.label, "%s", label ? label : "series=0");
    T.t0 = sys_nanotime();
    T.tick_ns = (uint64_t)MTRACE_TICK_MS * 1000000u;
    T.shift = 0;
    T.seq = T.ticks = T.gcs = T.dropped_ticks = T.dropped_gc = 0;
    T.active = true;
    sample("start", NULL, true);
    restart_watch();
}

void mtrace_phase(const char *name) {
    if (!T.active)
        return;
    sample("phase", name, true);
    restart_watch();
}

void mtrace_end(void) {
    if (!T.active)
        return;
    sample("end", NULL, true);
    T.active = false;
    rt_set_alloc_watch(UINT64_MAX, NULL);
    sched_set_tick_hook(NULL);
}
