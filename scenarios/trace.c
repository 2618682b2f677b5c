// The scenario side of the memory trace (rt/memtrace.h): each variant's series is
// labelled with its bug and variant, and scenarios name their phases with sc_phase
// ("after runtime.GC()", "after FreeOSMemory") so that plots can mark them. Also
// turns on the profiler's tracking of large objects, which the labelled residency
// maps read (scenarios/maps.c).
#include "scenarios/trace.h"

#include <stdio.h>
#include "mm/heap.h"
#include "rt/memtrace.h"
#include "rt/prof.h"

void sc_watch_begin(const sc_run_t *r) {
    prof_track_large(HEAP_MAX_SMALL_SIZE + 1); // every object with a span of its own
    char label[96];
    snprintf(label, sizeof label, "bug=%02d variant=%s", r->scenario->number, r->variant->name);
    mtrace_begin(label);
}

void sc_watch_end(const sc_run_t *r) {
    (void)r;
    mtrace_end();
}

void sc_phase(sc_run_t *r, const char *name) {
    (void)r;
    mtrace_phase(name);
}
