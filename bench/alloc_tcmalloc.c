// Allocation benchmark: tcmalloc (libgoogle-perftools-dev; linked with -ltcmalloc,
// which replaces malloc). See bench/alloc_free.h.
#include <stdlib.h>
#define BENCH_NAME "tcmalloc"
#define BENCH_MALLOC(size) malloc(size)
#define BENCH_FREE(p) free(p)
#include "bench/alloc_free.h"
