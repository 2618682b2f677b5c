// The collector's cycle: mark from the roots, start the sweep, update the pacer and
// the statistics (runtime/mgc.go's gcStart, gcMarkDone, gcMarkTermination, gcSweep).
// gcmode=stw runs a cycle in one stop-the-world call; gcmode=inc (the default) in two
// pauses, steps 1-2's roots in the first and step 3 in the second, with the heap
// marked between them by assists and the background worker (rt/gc_assist.c) under
// the write barrier (rt/gc_barrier.h).
//
// A cycle:
//   1. sweep termination: cycle-start hooks (sync.Pool cleanup), then finish the
//      previous cycle's lazy sweep (heap_sweep_all, Go's finishsweep_m), so every
//      span's mark bits are clear and its alloc bits are current;
//   2. mark: roots (registered globals, root scanners, goroutine stacks, the running
//      stack and registers), then the work list until no grey object remains
//      (rt/gc_mark.c);
//   3. mark termination: gcverify's closure check, heap_sweep_begin (every span now
//      "needs sweep" against the new mark bits; the mcache is flushed), heapLive =
//      bytes marked, the pacer's next goal; forced cycles (runtime.GC) and gcverify
//      sweep everything before returning, other cycles leave the sweep to the
//      allocator (lazy sweeping: mm/ sweeps a span before allocating from it).
// stw: the whole cycle is the pause; inc: the two pauses add up to PauseNs (as Go's),
// and gctrace's CPU fields are the measured assist, background and idle mark time.
//
// When: rt_mallocgc's slow path calls gc_alloc_check_slow once heapLive reaches
// gc_next_check. gcmode=stw stops the world, so the heap does not grow while it
// marks: a cycle started at heap size X ends at X, and it starts at the goal (Go's
// goal is where a cycle should *end*). gcmode=inc starts at Go's trigger, the goal
// minus the runway the measured cons/mark ratio asks for (rt/pacer.c), so that it
// ends near the goal.
// With a memory limit the goal depends on how much memory is mapped, so it is
// re-read every GC_LIMIT_RECHECK bytes of allocation.
#include <setjmp.h>
#include "rt/gc_internal.h"
#include "rt/gc_barrier.h"
#include "rt/pacer.h"
#include "rt/alloc.h"
#include "mm/heap.h"
#include "sys/options.h"
#include "sys/sys.h"

#define MAX_HOOKS 16
#define GC_LIMIT_RECHECK (256u << 10) // re-read the memory-limit goal this often

bool gc_opt_verify;
bool gc_opt_poison;
int64_t gc_opt_stress;
bool gc_opt_trace;
int gc_mode;

static bool inited;
static bool running;
static bool marking; // an incremental cycle is between its two pauses
static int disabled;
static pacer_t pacer;
static uint64_t init_ns;
static uint64_t total_gc_ns;
static gc_cycle_stats_t last;
static uint64_t limiter_skips; // cycles put off by the CPU limiter
uint64_t gc_next_check; // heapLive at which rt_mallocgc calls gc_alloc_check_slow
static uint64_t goal_now; // heap goal for the next cycle
static void (*start_hooks[MAX_HOOKS])(void);
static void (*end_hooks[MAX_HOOKS])(void);
static size_t nstart_hooks, nend_hooks;

// Reads the GC's options (sys/options.h) into the debug flags and the pacer.
static void read_options(void) {
    gc_opt_verify = opt_int("gcverify") != 0;
    gc_opt_poison = opt_int("gcpoison") != 0;
    gc_opt_stress = opt_int("gcstress");
    gc_opt_trace = opt_int("gctrace") != 0;
    gc_mode = (int)opt_int("gcmode");
    int64_t gogc = opt_int("gogc");
    int64_t limit = opt_int("memlimit"); // "off" reads as the maximum
    if (limit <= 0)
        limit = PACER_NO_LIMIT;
    pacer_init(&pacer, gogc < 0 ? -1 : (int32_t)gogc, limit);
}

static bool limited(void) { return pacer.memory_limit != PACER_NO_LIMIT; }

// Refreshes the memory-limit inputs from MemStats (Go's mappedReady, heapFree, heapAlloc).
static void read_limit_inputs(void) {
    static struct memstats ms;
    heap_read_memstats_nopages(&ms); // no page-layer counts: cheap enough per 256 KiB
    pacer.mapped_ready = ms.Sys - ms.HeapReleased;
    pacer.heap_free = ms.HeapIdle - ms.HeapReleased;
    pacer.heap_alloc = ms.HeapAlloc;
}

// Recomputes the goal and the next heapLive at which to look again.
static void repace(void) {
    if (limited())
        read_limit_inputs();
    goal_now = pacer_heap_goal(&pacer, NULL);
    gc_next_check = goal_now;
    if (gc_mode == GC_MODE_INC) // start early, to end near the goal
        gc_next_check = pacer_trigger(&pacer, NULL);
    if (limited()) {
        uint64_t live = heap_ready() ? heap_live() : 0;
        if (live + GC_LIMIT_RECHECK < gc_next_check)
            gc_next_check = live + GC_LIMIT_RECHECK;
    }
    rt_alloc_refold(); // gc_next_check, gcstress and gcpoison are inputs of the fold
    stats_gc.NextGC = goal_now;
    if (marking)
        gc_next_check = UINT64_MAX; // assists pace a cycle that is marking
}

// See rt/gc.h.
void gc_init(void) {
    if (inited)
        return;
    inited = true;
    init_ns = sys_nanotime();
    read_options();
    if (heap_ready())
        gc_heap_ready();
    repace();
}

// See rt/gc.h.
void gc_reset(void) {
    if (running)
        sys_panic("gc_reset during a collection");
    gc_marking = false; // an incremental cycle of the old heap is abandoned
    marking = false;
    gc_shadow_on = false;
    rt_alloc_refold();
    inited = false;
    total_gc_ns = 0;
    disabled = 0;
    last = (gc_cycle_stats_t){0};
    limiter_skips = 0;
    stats_gc = (struct memstats_gc){0};
    gc_pause_reset();
    gc_init();
}

// Installs the free hook once the heap exists (the heap may be set up after gc_init).
// The heap's free hook only when someone needs it (a call per freed object): gcpoison,
// rt_free_hook, or an incremental cycle marking (only explicit frees happen then, and
// the mark's span caches must forget a freed span: gc_mark_forget_spans).
void gc_heap_ready(void) {
    heap_set_free_hook(gc_marking || gc_opt_poison || rt_free_hook ? gc_free_hook : NULL);
}

// See rt/gc.h.
int gc_set_percent(int gogc) {
    gc_init();
    int old = pacer_set_percent(&pacer, gogc);
    pacer_commit(&pacer, heap_ready() ? heap_sweep_done() : true,
                 heap_ready() ? heap_live() : 0);
    repace();
    return old;
}

// See rt/gc.h.
int64_t gc_set_memory_limit(int64_t bytes) {
    gc_init();
    int64_t old = pacer_set_memory_limit(&pacer, bytes);
    if (bytes >= 0 && bytes != old)
        repace();
    return old;
}

// See rt/gc.h.
void gc_add_cycle_hook(void (*fn)(void)) {
    if (nstart_hooks == MAX_HOOKS)
        sys_panic("gc_add_cycle_hook: more than %d hooks", MAX_HOOKS);
    start_hooks[nstart_hooks++] = fn;
}

// See rt/gc.h.
void gc_add_cycle_end_hook(void (*fn)(void)) {
    if (nend_hooks == MAX_HOOKS)
        sys_panic("gc_add_cycle_end_hook: more than %d hooks", MAX_HOOKS);
    end_hooks[nend_hooks++] = fn;
}

void gc_disable(void) { disabled++; }

// See rt/gc.h.
void gc_enable(void) {
    if (disabled == 0)
        sys_panic("gc_enable without gc_disable");
    disabled--;
}

bool gc_running(void) { return running || marking; }

uint64_t gc_limiter_skips(void) { return limiter_skips; }

const gc_cycle_stats_t *gc_last_cycle(void) { return &last; }

void gc_read_memstats(gc_memstats_t *out) { *out = stats_gc; }

uint64_t gc_heap_live(void) { return heap_ready() ? heap_live() : 0; }

// See rt/gc.h.
uint64_t gc_heap_goal(void) {
    gc_init();
    if (limited())
        read_limit_inputs();
    return pacer_heap_goal(&pacer, NULL);
}

// See rt/gc.h.
uint64_t gc_trigger(void) {
    gc_init();
    if (limited())
        read_limit_inputs();
    return pacer_trigger(&pacer, NULL);
}

// Called by rt_mallocgc once heapLive reached gc_next_check: collects when at the goal.
// A CPU limiter in the spirit of Go's gcCPULimiter (mgclimit.go, which caps the GC at
// 50% of the CPU): when the memory limit set the goal and the time since the last
// cycle ended is shorter than that cycle's pause, the collection is put off by
// GC_LIMIT_RECHECK bytes, so a live heap above the limit cannot make every
// allocation collect; the heap overshoots the limit instead, as Go's does.
void gc_alloc_check_slow(void) {
    if (disabled || running || marking)
        return;
    repace();
    uint64_t live = heap_live();
    if (live < gc_next_check)
        return;
    if (limited() && goal_now < pacer.percent_goal && stats_gc.NumGC > 0 &&
        sys_nanotime() - stats_gc.LastGC < last.pause_ns) {
        limiter_skips++;
        gc_next_check = live + GC_LIMIT_RECHECK;
        rt_alloc_refold();
        return;
    }
    gc_collect(false);
}


// See rt/gc_internal.h. The worst-case scan work is every byte allocated (heapLive,
// the marked heap plus what was allocated since: more than the scannable part).
double gc_assist_ratio(void) {
    uint64_t live = heap_live();
    uint64_t max_scan = live + pacer.last_stack_scan + pacer.globals_scan;
    return pacer_assist_ratio(&pacer, gc_cur.heap_goal, gc_cur.heap_before, live,
                              gc_cur.scan_work, max_scan);
}

// Prints the gctrace line of the cycle just finished: clock and CPU fields are
// the start pause, the marking between the pauses (inc: assist, background and
// idle CPU measured separately; stw: all of it is the pause), termination.
static void trace_cycle(uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3) {
    gctrace_rec_t r = {
        .num = last.cycle,
        .start_ns = t0 - init_ns,
        .cpu_fraction = stats_gc.GCCPUFraction,
        .clock_ns = {t1 - t0, t2 - t1, t3 - t2},
        .cpu_ns = {t1 - t0, last.assist_ns, t2 - t1, 0, t3 - t2},
        .heap0 = last.heap_before,
        .heap1 = last.heap_before,
        .heap2 = last.heap_after,
        .goal = last.heap_goal,
        .stacks = gc_stack_bytes_declared() ? gc_declared_stack_bytes() : last.stack_bytes,
        .globals = last.globals_bytes,
        .procs = 1,
        .forced = last.forced,
    };
    if (last.incremental) {
        r.cpu_ns[2] = last.bg_ns;
        r.cpu_ns[3] = last.idle_ns;
        r.heap1 = last.heap_at_term;
    }
    char buf[GCTRACE_LINE_MAX];
    size_t n = gctrace_format(buf, sizeof buf, &r);
    sys_write(buf, n < sizeof buf ? n : sizeof buf - 1);
}

// Records the finished cycle in MemStats' GC fields (mgc.go gcMarkTermination): the
// pause of a cycle is the sum of its stop-the-world pauses, as Go's work.pauseNS;
// GC CPU time adds the assist and background mark work done between them, but not
// idle marking, which Go omits from GCCPUFraction as "free" (it only runs when
// nothing else would: mgc.go's markCpu is assist + dedicated + fractional time;
// gctrace still prints the idle time in its CPU fields).
static void record_cycle(uint64_t t3) {
    uint64_t pause = last.pause_ns;
    uint32_t n = stats_gc.NumGC;
    stats_gc.PauseNs[n % MEMSTATS_NUM_PAUSES] = pause;
    stats_gc.PauseEnd[n % MEMSTATS_NUM_PAUSES] = t3;
    stats_gc.PauseTotalNs += pause;
    stats_gc.LastGC = t3;
    stats_gc.NumGC = n + 1;
    if (last.forced)
        stats_gc.NumForcedGC++;
    total_gc_ns += pause + last.assist_ns + last.bg_ns;
    uint64_t since = t3 - init_ns;
    stats_gc.GCCPUFraction = since ? (double)total_gc_ns / (double)since : 0;
    stats_gc.NextGC = last.next_goal;
}

// The cycle in progress: its start time and the end of its first pause.
static uint64_t cyc_t0, cyc_t1, cyc_roots_ns;

// The first pause of a cycle (gcStart + the root scan): sweep termination, then
// every root. gcmode=stw (or a forced cycle) goes on to drain; gcmode=inc turns the
// barrier on and returns, leaving the heap to assists and the background worker.
static void cycle_start(bool forced, bool incremental) {
    running = true;
    gc_heap_ready(); // the free hook, as the options now say
    uint64_t t0 = sys_nanotime();
    gc_cur = (gc_cycle_stats_t){0};
    gc_cur.cycle = stats_gc.NumGC + 1;
    gc_cur.forced = forced;
    gc_cur.start_ns = t0;
    gc_cur.incremental = incremental;
    if (limited())
        read_limit_inputs();
    gc_cur.heap_goal = pacer_heap_goal(&pacer, NULL);

    // 1. sweep termination
    for (size_t i = 0; i < nstart_hooks; i++)
        start_hooks[i]();
    heap_sweep_all();
    gc_cur.heap_before = heap_live();
    uint64_t t1 = sys_nanotime();
    cyc_t0 = t0;

    // 2. mark: the roots (stacks, running one included, and globals), all in this pause
    gc_mark_begin();
    gc_scan_roots();
    if (incremental) {
        gc_marking = true; // barrier on, allocate black
        gc_heap_ready();   // the free hook while marking
        marking = true;
        pacer.triggered = gc_cur.heap_before; // Go's c.triggered, for revise and endCycle
        gc_next_check = UINT64_MAX;
        rt_alloc_refold(); // every allocation now takes the slow path: allocate black, assist
        gc_assist_begin();
        if (gc_opt_verify)
            gc_shadow_begin(); // the barrier checker
        cyc_t1 = sys_nanotime();
        cyc_roots_ns = cyc_t1 - t1;
        gc_cur.pause_start_ns = cyc_t1 - t0;
        running = false;
        return;
    }
    gc_mark_drain();
    cyc_t1 = t1;
    gc_cur.pause_start_ns = t1 - t0;
}

// Mark termination (gcMarkDone + gcMarkTermination): drain what is left, check,
// start the sweep, pace the next cycle. The world is stopped: nothing else runs.
static void cycle_finish(void) {
    running = true;
    uint64_t t2 = sys_nanotime();
    bool incremental = gc_cur.incremental;
    if (incremental) { // mark time: the roots, every slice, and the last drain here
        gc_cur.heap_at_term = heap_live();
        gc_mark_read_bounds(); // the heap may have grown while marking
        gc_mark_drain();
        if (gc_shadow_on)
            gc_shadow_check();
        gc_cur.mark_ns = cyc_roots_ns + gc_work.assist_ns + gc_work.bg_ns + gc_work.idle_ns +
                         (sys_nanotime() - t2);
    } else {
        gc_cur.mark_ns = t2 - cyc_t1;
    }
    uint64_t t0 = cyc_t0, t1 = cyc_t1;

    // 3. mark termination
    if (gc_opt_verify)
        gc_verify_marked_closure(!incremental);
    gc_marking = false;
    gc_heap_ready();
    marking = false;
    rt_alloc_refold();
    gc_cur.assist_ns = gc_work.assist_ns;
    gc_cur.bg_ns = gc_work.bg_ns;
    gc_cur.idle_ns = gc_work.idle_ns;
    gc_cur.assist_work = gc_work.assist_work;
    gc_cur.bg_work = gc_work.bg_work;
    gc_cur.assists = gc_work.assists;
    gc_cur.bg_slices = gc_work.bg_slices;
    gc_cur.heap_after = gc_cur.bytes_marked;
    heap_sweep_begin();
    heap_set_live(gc_cur.bytes_marked);
    double util, idle_util; // the cons/mark ratio (endCycle), on the pacing clock
    if (incremental && !gc_cur.forced && gc_assist_utilization(&util, &idle_util))
        pacer_end_cycle(&pacer, gc_cur.heap_at_term, gc_cur.scan_work + gc_cur.root_words * 8,
                        util, idle_util);
    pacer.heap_marked = gc_cur.bytes_marked;
    pacer.last_heap_scan = gc_cur.words_scanned * 8;
    pacer.last_stack_scan = gc_cur.stack_bytes;
    pacer.globals_scan = gc_roots_bytes();
    pacer.triggered = ~0ull;
    // The eager sweep of a forced cycle (and gcverify's): inside the pause for stw;
    // after it for inc, as Go's runtime.GC sweeps once the world runs again.
    uint64_t t_sweep = sys_nanotime();
    if (gc_cur.forced || gc_opt_verify) {
        heap_sweep_all();
        gc_cur.sweep_ns = sys_nanotime() - t_sweep;
        if (gc_opt_verify)
            gc_verify_after_sweep(gc_cur.objects_marked);
    }
    uint64_t sweep_dur = sys_nanotime() - t_sweep;
    pacer_commit(&pacer, heap_sweep_done(), gc_cur.bytes_marked);
    repace();
    gc_cur.next_goal = goal_now;
    uint64_t t3 = sys_nanotime();
    gc_cur.pause_term_ns = t3 - t2;
    if (incremental) // the sweep (and its checks) ran with the world restarted
        gc_cur.pause_term_ns -= sweep_dur;
    if (incremental) { // two pauses
        gc_cur.pause_ns = gc_cur.pause_start_ns + gc_cur.pause_term_ns;
        gc_pause_record(gc_cur.pause_start_ns);
        gc_pause_record(gc_cur.pause_term_ns);
    } else { // the world was stopped from t0 to t3
        gc_cur.pause_ns = t3 - t0;
        gc_pause_record(gc_cur.pause_ns);
    }

    last = gc_cur;
    record_cycle(t3);
    heap_scavenge_set_goals(goal_now, last.heap_goal, limited() ? (uint64_t)pacer.memory_limit : 0);
    if (gc_opt_trace)
        trace_cycle(t0, t1, t2, t3);
    for (size_t i = 0; i < nend_hooks; i++)
        end_hooks[i]();
    running = false;
}

// See rt/gc_internal.h.
void gc_mark_termination(void) {
    if (!marking || running || disabled)
        return;
    cycle_finish();
}

// The first pause, and for a stop-the-world cycle the whole cycle. noinline: its
// frame is the low end of the running stack's scan, so the collector's own frames
// (cycle_start's, cycle_finish's) lie below it, for marking and gcverify alike.
// A cycle still marking is finished here first, below the scanned frame too: its
// drain leaves object addresses in dead stack words, which must not become roots.
__attribute__((noinline)) static void cycle_run(bool forced, bool incremental) {
    gc_set_running_lo(__builtin_frame_address(0));
    if (marking)
        cycle_finish();
    cycle_start(forced, incremental);
    if (!incremental)
        cycle_finish();
}

// Starts a cycle with the mutator's callee-saved registers spilled into this frame;
// cycle_run's frame starts the scanned part of the running stack. The frame holds
// nothing else: no ASan redzones, and the jmp_buf is zeroed first (setjmp fills only
// part of it; the rest would be stale stack words).
__attribute__((no_sanitize_address, noinline)) static void start_spilled(bool forced,
                                                                          bool incremental) {
    __builtin_unwind_init();
    jmp_buf regs;
    __builtin_memset(&regs, 0, sizeof regs);
    setjmp(regs);
    cycle_run(forced, incremental);
    __asm__ volatile("" : : "r"(&regs) : "memory"); // regs stay in the frame until here
}

// See rt/gc.h. gcmode=inc: an unforced collection starts an incremental cycle (if
// none is marking) and returns; a forced one (runtime.GC) finishes the cycle in
// progress, then runs a whole incremental cycle and waits for it, as Go's
// runtime.GC: two short pauses, and the marking between them done by the caller
// (counted as background mark work: the world is not stopped).
void gc_collect(bool forced) {
    gc_init();
    if (running)
        return; // a hook or scanner asked for a collection: this one is it
    if (!heap_ready())
        return; // nothing allocated yet
    if (marking && !forced)
        return;
    bool incremental = gc_mode == GC_MODE_INC;
    start_spilled(forced, incremental);
    if (forced && incremental && marking) { // the caller waits for the whole cycle
        uint64_t t = sys_nanotime();
        gc_mark_drain(); // mark work while the world runs (here: only this caller)
        gc_work.bg_ns += sys_nanotime() - t;
        gc_work.bg_slices++;
        cycle_finish();
    }
}

// See rt/gc_internal.h.
void gc_stress_collect(void) {
    gc_init();
    if (running || !heap_ready())
        return;
    if (marking && disabled)
        return;
    start_spilled(false, gc_mode == GC_MODE_INC); // ends the cycle in progress first
}

// See rt/gc.h.
void gc_free_os_memory(void) {
    gc_collect(true);
    if (heap_ready())
        heap_scavenge(SIZE_MAX);
}
