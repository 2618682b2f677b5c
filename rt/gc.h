// The garbage collector's public API: roots, collections, tuning knobs (GOGC and the
// soft memory limit), per-cycle statistics and the GC fields of MemStats.
//
// The collector is mark-sweep and non-moving, on our one CPU. gcmode=stw runs a cycle
// to completion inside gc_collect() (or inside an allocation that crossed the pacer's
// trigger); gcmode=inc (the default) marks incrementally between two short pauses,
// under the write barrier every heap pointer store goes through (rt/gc_barrier.h),
// allocating black and charging assists to allocation (rt/gc_assist.c). Heap objects
// are scanned precisely from their type's pointer bitmap (mm/gotype.h); stacks and
// saved registers are scanned conservatively: any word that points anywhere inside an
// allocated object (an interior pointer) keeps the whole object. See rt/gc.c.
#ifndef SPANLAB_GC_H
#define SPANLAB_GC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/gotype.h"
#include "mm/mstats.h"

// ---- life cycle ---------------------------------------------------------

// Initialises the collector (roots table, pacer from the gogc=/memlimit= options,
// debug modes from gcverify=/gcstress=/gcpoison=/gctrace=). Idempotent; called by
// the first allocation if nobody called it.
void gc_init(void);

// Starts a fresh runtime for the next scenario variant: statistics, pacer and cycle
// counters back to their initial state (options re-read). Registered roots, the
// stack provider and hooks are kept (they belong to runtime structures that live
// across variants). The heap itself is reset by mm/ (heap_init); call this after that.
void gc_reset(void);

// ---- roots ----------------------------------------------------------------
//
// Registered roots: [addr, addr+bytes) is scanned at every cycle. With t != NULL
// the range holds bytes/t->size values of type t and is scanned precisely from
// t's pointer bitmap; with t == NULL every aligned word is scanned conservatively.
// The runtime's own structures (scheduler tables, timer heap, channel lists ...)
// register themselves here. Panics when the table is full or addr is registered.
void gc_add_root(void *addr, size_t bytes, const gotype_t *t);

// Unregisters the root that starts at addr. Panics when there is none.
void gc_remove_root(void *addr);

// Goroutine stacks. The scheduler registers a provider; at each cycle the GC calls
// provider(visit, ctx), and the provider calls visit(lo, hi, ctx) once for every
// goroutine that is NOT the one running, with lo = its saved stack pointer and
// hi = the top (highest address, exclusive) of its stack. Contract with the context
// switch: it pushes the callee-saved registers (rbx, rbp, r12-r15) on the goroutine's
// own stack BEFORE saving rsp, so [saved_sp, top) covers the saved registers too.
// Every word in [lo, hi) is scanned conservatively. lo and hi must be 8-aligned.
typedef void (*gc_range_fn)(const void *lo, const void *hi, void *ctx);
typedef void (*gc_stack_provider_fn)(gc_range_fn visit, void *ctx);
void gc_set_stack_provider(gc_stack_provider_fn provider);

// The running context's stack is scanned by the GC itself: it spills the registers
// onto the stack (setjmp), then scans from its own stack pointer up to gc_stack_top.
// The scheduler sets gc_stack_top on every switch to the top of the stack of the
// goroutine about to run (the variable may be written directly, it is a plain
// store); the program (scenarios/main.c) sets it once to sys_stack_top(), the top
// of the program's stack. When it was never set, the thread's stack top from sys.
extern const void *gc_stack_top;
void gc_set_stack_top(const void *top);

// The top of the running stack: gc_stack_top, or sys_stack_top() when unset.
const void *gc_running_stack_top(void);

// Stack bytes in use (the sum of goroutine stack sizes), Go's maxStackScan, which
// gctrace prints as "# MB stacks". The scheduler keeps it current; when it never
// calls this, the stack bytes scanned by the last cycle are printed. (The heap goal
// uses the bytes actually scanned, Go 1.19's lastStackScan.)
void gc_set_stack_bytes(uint64_t bytes);

// A callback run during marking, for runtime structures that are easier to walk
// than to register (a list of blocked goroutines' argument blocks, say). It calls
// gc_mark_range()/gc_mark_ptr() on what it holds. At most 16 of them.
typedef void (*gc_root_scanner_fn)(void);
void gc_add_root_scanner(gc_root_scanner_fn fn);

// Only from a root scanner, during marking: marks the object p points into
// (interior pointers count; NULL and non-heap values are ignored), and scans
// [lo, hi) conservatively.
void gc_mark_ptr(const void *p);
void gc_mark_range(const void *lo, const void *hi);

// ---- collections and knobs (runtime.GC, runtime/debug) -----------------------

// Runs a full collection now: mark, then sweep (the sweep finishes lazily unless
// forced). forced = true is runtime.GC(): it is counted in NumForcedGC, printed
// with " (forced)" by gctrace, and sweeps everything before it returns, as Go's
// runtime.GC does. Must not be called from a root scanner or a cycle hook.
void gc_collect(bool forced);

// runtime.GC().
static inline void gc_run(void) { gc_collect(true); }

// debug.FreeOSMemory: a forced collection, then every free page is returned to
// the page layer (heap_scavenge(SIZE_MAX)), as Go's really does GC first.
void gc_free_os_memory(void);

// debug.SetGCPercent: GOGC; -1 (or any negative) turns the collector off except
// for the memory limit and forced cycles. Returns the previous value.
int gc_set_percent(int gogc);

// debug.SetMemoryLimit: the soft memory limit in bytes; a negative argument only
// reads it (math.MaxInt64 = no limit). Returns the previous value.
int64_t gc_set_memory_limit(int64_t bytes);

// Called at the start of every cycle, world stopped, before marking (sync.Pool's
// poolCleanup goes here), and at the end, after sweeping started. At most 16 each.
// Hooks must not allocate from the GC'd heap.
void gc_add_cycle_hook(void (*fn)(void));
void gc_add_cycle_end_hook(void (*fn)(void));

// Blocks (and unblocks) collections triggered by allocation, e.g. while a caller
// holds heap pointers only in places the GC does not scan. Nests. Forced cycles
// still run.
void gc_disable(void);
void gc_enable(void);

// ---- statistics -------------------------------------------------------------

// One cycle's numbers, valid after gc_collect() returns.
typedef struct gc_cycle_stats {
    uint64_t cycle;                  // 1 for the first cycle (NumGC after it)
    bool forced;                     // runtime.GC() / FreeOSMemory
    uint64_t pointer_slots_examined; // heap words whose bitmap bit said "pointer"
    uint64_t nonnil_pointers;        // of those, non-nil ones
    uint64_t words_scanned;          // heap words walked by the bitmap (ptrdata words)
    uint64_t objects_scanned;        // scan-class objects whose bitmap was walked
    uint64_t objects_marked;         // objects marked reachable (noscan included)
    uint64_t bytes_marked;           // their sizes (size-class bytes) = heap marked
    uint64_t root_words;             // words scanned in globals and stacks
    uint64_t stack_bytes;            // bytes of stacks scanned (running + provider)
    uint64_t globals_bytes;          // bytes of registered roots scanned
    uint64_t worklist_overflows;     // times the mark work list was full
    uint64_t scan_work;              // bytes of objects scanned (Go's heapScanWork)
    uint64_t objects_allocated_black; // objects allocated while marking (gcmode=inc)
    uint64_t barrier_shaded;         // objects the write barrier greyed
    bool incremental;                // marked in slices between mutator runs
    uint64_t assist_ns, bg_ns, idle_ns; // mark time in assists, background, idle turns
    uint64_t assist_work, bg_work;   // scan work bytes done by each
    uint64_t assists, bg_slices;     // how many assist / background slices ran
    uint64_t pause_start_ns;         // the pause that starts the cycle (roots)
    uint64_t pause_term_ns;          // mark termination's pause (inc: pause_ns is the
                                     // sum; stw: pause_ns is the whole cycle)
    uint64_t start_ns;               // sys_nanotime() at the start
    uint64_t pause_ns;               // stop-the-world time: start + termination pauses
    uint64_t mark_ns;                // time spent marking (inc: roots + every slice)
    uint64_t sweep_ns;               // eager sweeping done inside the pause (forced)
    uint64_t heap_before;            // heap live bytes when the cycle started
    uint64_t heap_at_term;           // heap live bytes at mark termination (inc)
    uint64_t heap_after;             // = bytes_marked
    uint64_t heap_goal;              // goal that this cycle was paced against
    uint64_t next_goal;              // goal computed at its end (NextGC)
} gc_cycle_stats_t;

// The last completed cycle (zeroes before the first one).
const gc_cycle_stats_t *gc_last_cycle(void);

// Every stop-the-world pause since gc_reset (gcmode=inc: two per cycle, the root
// scan and mark termination; gcmode=stw: one per cycle): how many, the median and
// p99 (over the last 4096) and the longest. rt/gc_pauses.c.
typedef struct gc_pause_stats {
    uint64_t count;
    uint64_t median_ns, p99_ns, max_ns;
} gc_pause_stats_t;
void gc_pause_stats(gc_pause_stats_t *out);

// The GC fields of runtime.MemStats, with Go's names and meanings (mstats.go): the
// collector writes mm/'s stats_gc (struct memstats_gc, mm/mstats.h), which
// heap_read_memstats copies into MemStats. PauseNs is circular: the pause of cycle
// N (1-based) is at PauseNs[(N+255)%256]; LastGC and PauseEnd are sys_nanotime()
// values (Go: Unix epoch ns); GCCPUFraction = GC time / time since gc_init, GC time
// being pauses, assists and background marking (idle marking excluded, as Go).
typedef struct memstats_gc gc_memstats_t;

// Copies the GC fields of MemStats into *out.
void gc_read_memstats(gc_memstats_t *out);

// Current pacer inputs/outputs, for reports: heapLive (marked + allocated since),
// the heap goal, and Go's trigger for the same state. gcmode=inc starts a cycle at
// the trigger and aims to end it at the goal; gcmode=stw starts at the goal (it
// stops the world, so its cycles end where they start). See rt/pacer.c.
uint64_t gc_heap_live(void);
uint64_t gc_trigger(void);
uint64_t gc_heap_goal(void);

// True when a collection is running (marking or eager sweep), or an incremental
// cycle is marking between its pauses.
bool gc_running(void);

// The background mark worker's turn (gcmode=inc; rt/gc_assist.c): the scheduler
// calls this at every yield, park and idle turn; idle = nothing else is runnable.
// Does nothing unless a cycle is marking. Must not be called from the collector.
void gc_bg_mark_turn(bool idle);

// The pacing clock of the incremental cycle's decisions (when the background worker
// takes a turn, how long it marks, the cons/mark ratio the next trigger follows).
// Off (the default): the wall clock, as Go. On: a work clock, one tick per byte
// allocated or scanned while marking, and an idle turn marks to the end (nothing
// else can run), so when a cycle ends depends only on what the program did, not on
// how the machine ran it. The scenario runner turns it on around each variant, as
// it paces the scavenger by allocation, so RESULT figures are the same every run.
// What is reported (gctrace's CPU fields, the pauses) is measured on the wall clock
// in both modes.
void gc_pace_by_work(bool on);

#endif
