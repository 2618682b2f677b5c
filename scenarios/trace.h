// What watches a scenario variant while it runs (scenarios/trace.c): its memory
// trace series and the sites of its large objects, for the labelled maps.
#ifndef SPANLAB_SC_TRACE_H
#define SPANLAB_SC_TRACE_H

#include "scenarios/runner_internal.h"

// Before the variant, in its fresh runtime: starts the TRACE series labelled
// "bug=NN variant=NAME" (trace=1) and tracks every large object's site.
void sc_watch_begin(const sc_run_t *r);

// After the variant, before its report: the series' end sample.
void sc_watch_end(const sc_run_t *r);

#endif
