// The incremental cycle's mark work between its two pauses (gcmode=inc): allocate
// black, mark assists charged to allocation, and the background mark worker's turns
// (Go's mgcmark.go gcAssistAlloc / gcmarknewobject and mgc.go gcBgMarkWorker).
//
// Allocate black. Every object allocated while gc_marking is marked at once and
// never queued: it holds nothing but nil or what the mutator stores through the
// barrier, and it must survive this cycle's sweep (rt_mallocgc's marking path does it
// inline, gc_alloc_black_assist_in in rt/gc_internal.h, its slow path calls
// gc_alloc_black_assist).
//
// Assists. Each allocated byte adds gc_assist_ratio() bytes of scan work to the
// allocating goroutine's debt (one P and no preemption, so one debt: the running
// goroutine is the one allocating). An allocation only takes its size from a window
// of bytes (Go's gcAssistBytes is such a count); the window ends where the debt
// would reach GC_ASSIST_MIN_WORK or the periodic turn falls, and only then are its
// bytes charged and the decisions below taken. Once the debt reaches that minimum, the
// allocation first takes what it can from the background worker's credit, then
// scans at least that much itself (Go's gcOverAssistWork: fewer, larger slices).
// The ratio is read again after every slice and every GC_PERIOD_BYTES of
// allocation, so a cycle that falls behind asks more of each byte, and one past its
// goal finishes in the next assist. At each such periodic turn a positive debt is
// paid in full 64 KiB slices, so a cycle with little to mark ends after a few turns
// (Go's dedicated worker would end it within milliseconds).
//
// The background worker. Go runs a dedicated worker for 25% of GOMAXPROCS (a
// fractional one below 4 Ps). spanlab has one CPU and no preemption, so the worker
// takes its turns where the scheduler already stops: every yield, park and idle
// turn of g0 calls gc_bg_mark_turn, and so does the periodic turn of allocation
// (a goroutine that allocates without ever yielding is preempted there, as Go's
// fractional worker preempts it). There it marks for up to GC_BG_SLICE_NS while its
// share of the cycle's time stays under 25% (PACER_GOAL_UTILIZATION); on an idle
// turn (nothing runnable) it marks regardless, as Go's idle worker. The work it does
// is credit assists draw on. It is not a G: it has no stack of its own, no goroutine
// id, and is not counted in NumGoroutine (Go's are system goroutines, hidden too).
//
// The decisions above (the worker's 25% share, its slice length, the utilisation
// the pacer's cons/mark controller reads) are taken on the pacing clock: the wall
// clock, or under gc_pace_by_work (rt/gc.h) a work clock that advances one tick per
// byte allocated or scanned while marking, on which an idle turn marks to the end.
// The *_ns figures gctrace prints are always wall time.
//
// When a slice leaves no grey object, it calls mark termination (rt/gc.c).
#include "rt/gc_barrier.h"
#include "rt/gc_internal.h"
#include "rt/pacer.h"
#include "sys/sys.h"

#define GC_ASSIST_MIN_WORK (64u << 10) // mgcmark.go gcOverAssistWork
#define GC_BG_SLICE_NS 200000ull       // one background turn: at most 0.2 ms
#define GC_BG_SLICE_WORK (16u << 10)   // scan work between clock reads
#define GC_PERIOD_BYTES (64u << 10)    // allocation between periodic turns

bool gc_marking;
gc_work_ns_t gc_work;

static double ratio;     // scan work per allocated byte
static double debt;      // scan work the mutator owes (negative: over-assisted)
static uint64_t credit;  // background work not yet drawn on by assists
static uint64_t since_turn; // bytes allocated since the last periodic turn
// The allocation window: an allocation only subtracts its size from gc_assist_left
// (rt/gc_internal.h); the bytes are charged (debt, the turn's count, the work clock)
// when the window is spent, which it is at the next point where something must be
// decided: the periodic turn, or the debt reaching GC_ASSIST_MIN_WORK.
int64_t gc_assist_left;
static int64_t window;

static bool pace_work;     // gc_pace_by_work: the pacing clock is the work clock
static uint64_t work_clock; // bytes allocated or scanned while marking
static uint64_t pace_t0;   // the pacing clock when marking started
static uint64_t pace_assist, pace_bg, pace_idle; // pacing-clock time of each kind of turn

// Bytes allocated in the current window, not charged yet.
static uint64_t uncharged(void) { return (uint64_t)(window - gc_assist_left); }

// The pacing clock now (see the top).
static uint64_t pace_now(void) { return pace_work ? work_clock + uncharged() : sys_nanotime(); }

// See rt/gc.h.
void gc_pace_by_work(bool on) { pace_work = on; }

// See rt/gc_internal.h.
bool gc_assist_utilization(double *util, double *idle_util) {
    uint64_t dur = pace_now() - pace_t0;
    if (dur == 0)
        return false;
    *util = (double)(pace_assist + pace_bg) / (double)dur;
    *idle_util = (double)pace_idle / (double)dur;
    return true;
}

// See rt/gc_internal.h.
void gc_assist_begin(void) {
    gc_work = (gc_work_ns_t){0};
    work_clock += uncharged();
    gc_assist_left = window = 0; // the first allocation charges and opens a window
    debt = 0;
    credit = 0;
    since_turn = 0;
    pace_t0 = pace_now();
    pace_assist = pace_bg = pace_idle = 0;
    ratio = gc_assist_ratio();
}

// Scans about budget bytes; returns the work done, and terminates when none is left.
static uint64_t mark_slice(uint64_t budget, bool *finished) {
    uint64_t done = gc_mark_some(budget);
    work_clock += done;
    *finished = !gc_mark_work_left();
    return done;
}

// Opens the next window: the bytes until the periodic turn, or until the debt
// reaches GC_ASSIST_MIN_WORK if that comes first (at least one byte).
static void open_window(void) {
    double until = GC_PERIOD_BYTES - since_turn;
    if (ratio > 0) {
        double due = ((double)GC_ASSIST_MIN_WORK - debt) / ratio;
        if (due < until)
            until = due;
    }
    window = gc_assist_left = until < 1 ? 1 : (int64_t)until;
}

// Charges the window just spent.
static void charge(void) {
    uint64_t bytes = uncharged();
    work_clock += bytes;
    debt += (double)bytes * ratio;
    since_turn += bytes;
}

// The allocation window is spent: the periodic turn and the assist.
static void decide(void) {
    if (since_turn >= GC_PERIOD_BYTES) { // the periodic turn (see the top)
        since_turn = 0;
        ratio = gc_assist_ratio();
        gc_bg_mark_turn(false);
        if (!gc_marking)
            return; // the worker finished the cycle
        if (debt > 0 && debt < GC_ASSIST_MIN_WORK)
            debt = GC_ASSIST_MIN_WORK; // a small cycle ends in a few turns
    }
    if (debt < GC_ASSIST_MIN_WORK)
        return;
    uint64_t want = (uint64_t)debt;
    uint64_t take = credit < want ? credit : want;
    credit -= take;
    debt -= (double)take;
    if (debt < GC_ASSIST_MIN_WORK && gc_mark_work_left())
        return;
    uint64_t budget = debt > GC_ASSIST_MIN_WORK ? (uint64_t)debt : GC_ASSIST_MIN_WORK;
    uint64_t t = sys_nanotime(), pt = pace_now();
    bool finished;
    uint64_t done = mark_slice(budget, &finished);
    gc_work.assist_ns += sys_nanotime() - t;
    pace_assist += pace_now() - pt;
    gc_work.assist_work += done;
    gc_work.assists++;
    debt -= (double)done;
    if (debt < -(double)GC_ASSIST_MIN_WORK)
        debt = -(double)GC_ASSIST_MIN_WORK;
    if (finished)
        gc_mark_termination();
    else
        ratio = gc_assist_ratio();
}

// See rt/gc_internal.h.
void gc_assist_window_spent(void) {
    charge();
    decide();
    open_window();
}

// See rt/alloc.h's hook in rt_mallocgc. Per allocation: the mark, and the size taken
// from the window; when it is spent, the charge, the decision and a new window.
// (alloc_marking, the common case, does the same inline: gc_alloc_black_assist_in.)
void gc_alloc_black_assist(void *p, size_t size) {
    gc_mark_new_object(p);
    gc_assist_left -= (int64_t)size;
    if (__builtin_expect(gc_assist_left < 0, 0))
        gc_assist_window_spent();
}

// See rt/gc.h.
void gc_bg_mark_turn(bool idle) {
    if (!gc_marking)
        return;
    uint64_t t = sys_nanotime(), pt = pace_now();
    if (!idle && (double)(pace_bg + pace_idle) > (double)(pt - pace_t0) * PACER_GOAL_UTILIZATION)
        return;
    bool to_the_end = idle && pace_work; // the work clock does not move while idle
    uint64_t done = 0;
    bool finished = false;
    do
        done += mark_slice(GC_BG_SLICE_WORK, &finished);
    while (!finished && (to_the_end || pace_now() < pt + GC_BG_SLICE_NS));
    uint64_t now = sys_nanotime(), used = pace_now() - pt;
    if (idle) {
        gc_work.idle_ns += now - t;
        pace_idle += used;
    } else {
        gc_work.bg_ns += now - t;
        pace_bg += used;
    }
    gc_work.bg_work += done;
    gc_work.bg_slices++;
    credit += done;
    if (finished)
        gc_mark_termination();
}
