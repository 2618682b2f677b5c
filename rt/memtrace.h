// The memory trace (option trace=1): a time series of the runtime's memory, one
// machine line per sample, for plots (tools/report.py draws them):
//
//   TRACE <label> seq=N t_us=T ev=start|tick|gc|phase|end [name=NAME] [forced=0|1
//         pause_ns=P] num_gc=.. heap_alloc=.. heap_inuse=.. heap_sys=.. heap_released=..
//         next_gc=.. total_alloc=.. goroutines=.. timers=.. [committed_pages=..
//         resident_pages=.. lazyfree_pages=..] [dropped_ticks=.. dropped_gc=..]
//
// <label> is the caller's text (the scenario runner writes "bug=13 variant=buggy");
// t_us counts microseconds of sys_nanotime since mtrace_begin. Bytes are MemStats
// (HeapAlloc, HeapInuse, HeapSys, HeapReleased, NextGC, TotalAlloc); pages are 4 KiB
// pages of the heap arenas from the page layer (committed, resident, lazily freed).
// Every number is read at the moment of the sample.
//
// When: ev=start at mtrace_begin; ev=gc at the end of every GC cycle; ev=phase at
// each mtrace_phase (the caller names the moment, e.g. "after FreeOSMemory"); ev=end
// at mtrace_end; ev=tick in between, when heapLive has grown by a step (1/32 of the
// heap goal, 64 KiB to 8 MiB) since the last sample, or, at a scheduling point, when
// MTRACE_TICK_MS passed. Every MTRACE_DOUBLE_EVERY ticks both steps double, and a
// series has at most MTRACE_MAX_TICKS ticks and MTRACE_MAX_GC gc samples (the rest
// are counted in the end line's dropped_ticks / dropped_gc, not printed).
// Counting pages walks the page layer over every arena (the costly part), so only
// start, gc, phase and end samples carry the page keys; ticks read MemStats only.
//
// Nothing here knows what a scenario is: callers label the series and name phases.
#ifndef SPANLAB_RT_MEMTRACE_H
#define SPANLAB_RT_MEMTRACE_H

#include <stdbool.h>

#define MTRACE_MAX_TICKS 256
#define MTRACE_MAX_GC 256
#define MTRACE_TICK_MS 5
#define MTRACE_DOUBLE_EVERY 64

// Whether trace=1 was given.
bool mtrace_enabled(void);

// Starts a series labelled label (copied; at most 95 bytes, one line, key=value
// words) at t=0 and prints its start sample. Installs the collector's cycle-end
// hook, the allocation watch and the scheduler's tick hook on first use. Nothing
// happens when tracing is off.
void mtrace_begin(const char *label);

// Prints a phase sample named name (spaces and '=' become '_'), pages counted.
// Ignored outside a series.
void mtrace_phase(const char *name);

// Prints the end sample (pages counted, with the dropped counts) and ends the series.
void mtrace_end(void);

#endif
