// Interfaces between the collector's own files (rt/gc*.c): the gctrace formatter,
// the mark work list, root scanning and the debug modes. Not for other modules.
#ifndef SPANLAB_GC_INTERNAL_H
#define SPANLAB_GC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/heap.h"
#include "rt/gc.h"
#include "rt/types.h"

// ---- gctrace (rt/gctrace.c) -----------------------------------------------------

// What one gctrace line says, in Go's units (mgc.go gcMarkTermination).
typedef struct gctrace_rec {
    uint64_t num;              // cycle number, 1-based (memstats.numgc after it)
    uint64_t start_ns;         // start of the cycle, ns since the runtime started
    double cpu_fraction;       // GCCPUFraction after the cycle
    uint64_t clock_ns[3];      // sweep termination, mark, mark termination (wall)
    uint64_t cpu_ns[5];        // sweep term, assist, dedicated+fractional, idle, mark term
    uint64_t heap0, heap1, heap2; // live heap at start, at mark termination, marked
    uint64_t goal;             // heap goal of this cycle
    uint64_t stacks;           // stack bytes (maxStackScan)
    uint64_t globals;          // global bytes (globalsScan)
    int procs;                 // P count
    bool forced;
} gctrace_rec_t;

#define GCTRACE_LINE_MAX 256 // bytes of one gctrace line (Go's is about 120)

// Formats r as Go's line plus '\n' into buf (NUL-terminated). Returns the length,
// or the length it would have had when buf is too small (like snprintf).
size_t gctrace_format(char *buf, size_t len, const gctrace_rec_t *r);

// Go's fmtNSAsMS: ns as milliseconds, whole ms from 10 ms up, else two significant
// digits with at most three decimals ("0.005", "1.2", "12"). Returns the length.
size_t gctrace_fmt_ms(char *buf, size_t len, uint64_t ns);

// ---- the cycle driver (rt/gc.c) and allocation (rt/alloc.c) ---------------------------

// heapLive at which rt_mallocgc calls gc_alloc_check_slow (the goal, or sooner to
// re-read the memory-limit goal).
extern uint64_t gc_next_check;

// Re-reads the goal and collects when heapLive reached it (not while disabled).
void gc_alloc_check_slow(void);

// gcstress's collection. gcmode=stw: a whole cycle. gcmode=inc: the cycle in
// progress terminates (its remaining marking done in that pause) and a new one
// starts, so the mutator always runs inside a cycle and every stress point after
// the first ends one.
void gc_stress_collect(void);

// gcmode: the stop-the-world or the incremental collector (sys/options.c "gcmode").
enum { GC_MODE_STW = 0, GC_MODE_INC = 1 };
extern int gc_mode;

// Mark termination of the incremental cycle in progress (rt/gc.c): drain, gcverify,
// start the sweep. Called by an assist or the background worker when no grey
// object is left; does nothing while collections are disabled (gc_disable).
void gc_mark_termination(void);

// The assist ratio now: scan work a byte of allocation must pay for (Go 1.19's
// assistWorkPerByte, from the pacer's expected work and the heap left to the goal).
double gc_assist_ratio(void);

// ---- the incremental cycle's mark work (rt/gc_assist.c) ---------------------------------

// A cycle's marking started (gc_marking is set): zero debt and credit, read the ratio.
void gc_assist_begin(void);

// rt_mallocgc's one hook while gc_marking: allocate p black, charge size bytes of
// allocation to the mutator's assist debt, and pay it off in mark work.
void gc_alloc_black_assist(void *p, size_t size);

// The allocation window's bytes left (rt/gc_assist.c: an allocation while marking
// only takes its size from it) and what is done when an allocation overdraws it:
// the charge, the assist and periodic-turn decisions, a new window.
extern int64_t gc_assist_left;
void gc_assist_window_spent(void);

// Mark work time of the cycle, by kind (gctrace's assist/background/idle CPU fields).
typedef struct gc_work_ns {
    uint64_t assist_ns, bg_ns, idle_ns;
    uint64_t assist_work, bg_work; // scan work bytes
    uint64_t assists, bg_slices;   // how many slices
} gc_work_ns_t;
extern gc_work_ns_t gc_work;

// The cycle's mark utilisation so far on the pacing clock (gc_pace_by_work): the
// assist and background share, and the idle share, of the time since marking
// started (mgcpacer.go endCycle's inputs). False when no time has passed.
bool gc_assist_utilization(double *util, double *idle_util);

// Collections put off by the CPU limiter since gc_reset (rt/gc.c).
uint64_t gc_limiter_skips(void);

// Installs the collector's heap free hook, or none, as gcpoison, rt_free_hook and
// marking need (rt/gc.c); rt/alloc.c calls it after heap_init.
void gc_heap_ready(void);

// ---- marking (rt/gc_mark.c) -------------------------------------------------------

// The statistics of the cycle being run (counters are bumped while marking).
extern gc_cycle_stats_t gc_cur;

// Allocate-black of p, an object of span s: its mark bit, counted as marked bytes
// and allocated black unless it was marked already (never queued: it holds only nil
// or values stored through the barrier). True when newly marked.
static inline bool gc_mark_black_in(span_t *s, const void *p) {
    if (span_mark(s, span_slot_at(s, (uintptr_t)p - s->base)))
        return false;
    gc_cur.objects_marked++;
    gc_cur.bytes_marked += s->elemsize;
    gc_cur.objects_allocated_black++;
    return true;
}

// gc_alloc_black_assist for an object the heap's fast path took from span s (rt/alloc.c's
// alloc_marking), inline: no span lookup, no call unless the window is spent.
static inline void gc_alloc_black_assist_in(span_t *s, void *p, size_t size) {
    gc_mark_black_in(s, p);
    gc_assist_left -= (int64_t)size;
    if (__builtin_expect(gc_assist_left < 0, 0))
        gc_assist_window_spent();
}

// 1 + the index of the highest set bit of bits, a small object's pointer bits (1 to
// 15): the words scanned up to its last pointer word (rt/gc_mark.c's scan of objects
// of up to 4 words), from a table of 4-bit entries. Not bsr: on AMD Zen 3 it is 4
// cycles and several micro-ops (measured: 2.4 ns per bsr against 0.6 for tzcnt),
// and it was on every object's path.
static inline unsigned gc_small_words_scanned(uint64_t bits) {
    return (unsigned)(0x4444444433332210ull >> (bits * 4)) & 15;
}

// Debug modes, from the options at gc_init/gc_reset.
extern bool gc_opt_verify;
extern bool gc_opt_poison;
extern int64_t gc_opt_stress;
extern bool gc_opt_trace;

// Prepares a mark phase: empties the work list, reads the heap's address bounds.
void gc_mark_begin(void);

// Reads the heap's address bounds again (mark termination: the heap may have grown).
void gc_mark_read_bounds(void);

// Allocate-black: marks the new object containing p (counted as marked bytes, never
// queued: it holds only nil or values stored through the barrier). True when newly
// marked (a tiny block is marked by its first allocation of the cycle).
bool gc_mark_new_object(const void *p);

// Empties the marker's and allocate-black's one-entry span caches. gc_mark_begin
// does, and the free hook while marking: a span freed then (an explicit free) may
// come back as another span over the same pages.
void gc_mark_forget_spans(void);

// The barrier's shade: marks (grey) the allocated object v points into, if any.
void gc_shade(uintptr_t v);

// Scans queued objects until about budget bytes of scan work are done (or none is
// left). Returns the scan work done.
uint64_t gc_mark_some(uint64_t budget);

// True while grey objects remain (queued, or dropped by a work-list overflow).
bool gc_mark_work_left(void);

// Marks the object p points into (interior pointers count) if p is an allocated
// heap object; queues it for scanning when it has pointers. precise: p came from a
// pointer slot, so pointing at a free slot is a dangling pointer (panics under
// gcverify). Returns true when the object was newly marked.
bool gc_mark_value(uintptr_t p, bool precise);

// Scans [lo, hi) conservatively (every aligned word). Counts root words.
void gc_scan_conservative(const void *lo, const void *hi);

// Scans n values of type t at addr precisely (their pointer bitmap). Counts root words.
void gc_scan_typed(const void *addr, size_t n, const gotype_t *t);

// Scans queued objects until the work list is empty, recovering from work-list
// overflow by rescanning marked objects (see rt/gc_mark.c).
void gc_mark_drain(void);

// Sets the work list's capacity in entries (tests shrink it to force overflow);
// 0 restores the default. Returns the previous capacity.
size_t gc_set_worklist_cap(size_t entries);

// Calls fn(slot_value, slot_address) for every non-nil pointer slot of the object
// obj in span s (the same bitmap walk as marking, without counting). For gcverify.
struct span;
void gc_for_each_ptr_slot(void *obj, struct span *s,
                          void (*fn)(uintptr_t v, uintptr_t slot, void *ctx), void *ctx);

// ---- gcverify's barrier checker (rt/gc_shadow.c) -----------------------------------

// On from an incremental cycle's first pause to its termination under gcverify.
extern bool gc_shadow_on;
// Empties the shadow and turns it on.
void gc_shadow_begin(void);
// Records the non-nil pointer slots of an object the collector has just scanned.
void gc_shadow_record_object(uintptr_t obj, struct span *s);
// The barrier wrote slot (its shadow entry, if any, is flagged).
void gc_shadow_barrier(const void *slot);
// Mark termination: panics naming the first recorded slot that changed without a
// barrier; turns the shadow off.
void gc_shadow_check(void);

// True when v lies inside the heap's arenas as read by gc_mark_begin.
bool gc_in_heap_bounds(uintptr_t v);

// ---- roots (rt/gc_roots.c) ----------------------------------------------------------

// The running stack is scanned from lo up to gc_stack_top (see rt/gc_roots.c).
void gc_set_running_lo(const void *lo);

// Test hook: when set, the running stack is not scanned (the randomized model
// tests hold every live object in registered roots and check exact freeing, which a
// stale stack word would spoil). Never set outside tests.
extern bool gc_test_skip_running_stack;

// Scans every root: registered roots, root scanners, the stack provider's stacks
// and the running stack. Fills gc_cur.globals_bytes and stack_bytes.
void gc_scan_roots(void);

// Bytes of registered roots (Go's globalsScan).
uint64_t gc_roots_bytes(void);

// The stack bytes the scheduler declared with gc_set_stack_bytes (0 if never).
uint64_t gc_declared_stack_bytes(void);
bool gc_stack_bytes_declared(void);

// Visits every root word range as (lo, hi, precise type or NULL): for gcverify's
// independent reachability walk. fn gets conservative ranges with t NULL.
void gc_for_each_root(void (*fn)(const void *lo, const void *hi, const gotype_t *t,
                                 void *ctx),
                      void *ctx);

// ---- pause statistics (rt/gc_pauses.c) ----------------------------------------------

// Records one stop-the-world pause; forgets them all (gc_reset).
void gc_pause_record(uint64_t ns);
void gc_pause_reset(void);

// ---- verify and poison (rt/gc_verify.c) -----------------------------------------------

// After marking, world stopped: every pointer from a root or from a marked object
// to an allocated heap object targets a marked object (no black-to-white edge).
// Panics with the offending edge otherwise. check_stacks = false (an incremental
// cycle) leaves the conservative ranges out: they were scanned at the start, and
// a stack word written since may be a stale value below the old stack pointer.
void gc_verify_marked_closure(bool check_stacks);

// After a complete sweep: every allocated object is one that was marked (there are
// exactly `marked` objects) and the heap's own invariants hold.
void gc_verify_after_sweep(uint64_t marked);

// gcpoison: the heap free hook fills freed objects with GC_POISON; rt_mallocgc
// checks that a reused slot (one in a span that held freed objects) holds only
// poison or zero words. Both touch only the resident pages of the object, so the
// page counts are what they are without gcpoison.
#define GC_POISON 0xdeadbeefdeadbeefull
void gc_poison_fill(void *obj, size_t size);
void gc_poison_check(void *obj, size_t size);

// The heap free hook the collector installs (poison + rt_free_hook).
void gc_free_hook(void *obj, size_t size);

#endif
