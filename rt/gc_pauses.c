// Pause statistics: every stop-the-world pause since gc_reset (gcmode=inc: two per
// cycle, the root scan that starts it and mark termination; gcmode=stw: one, the
// whole cycle), for reports and benchmarks: count, median, p99 and max. The last
// GC_PAUSE_LOG pauses are kept (median and p99 are over those; count and max over
// all), in static memory: recording allocates nothing.
#include <stdlib.h>
#include "rt/gc_internal.h"

#define GC_PAUSE_LOG 4096

static uint64_t ring[GC_PAUSE_LOG];
static uint64_t scratch[GC_PAUSE_LOG];
static uint64_t count, maxv;

// See rt/gc_internal.h.
void gc_pause_record(uint64_t ns) {
    ring[count % GC_PAUSE_LOG] = ns;
    count++;
    if (ns > maxv)
        maxv = ns;
}

// See rt/gc_internal.h.
void gc_pause_reset(void) {
    count = 0;
    maxv = 0;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

// See rt/gc.h. Median: the middle one (the mean of the two middle ones for an even
// count); p99: nearest rank, the ceil(0.99 n)-th smallest, as bench/pauses.py.
void gc_pause_stats(gc_pause_stats_t *out) {
    *out = (gc_pause_stats_t){.count = count, .max_ns = maxv};
    size_t n = count < GC_PAUSE_LOG ? (size_t)count : GC_PAUSE_LOG;
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        scratch[i] = ring[i];
    qsort(scratch, n, sizeof scratch[0], cmp_u64);
    out->median_ns = n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
    size_t rank = (99 * n + 99) / 100; // ceil(0.99 n)
    out->p99_ns = scratch[rank - 1];
}
