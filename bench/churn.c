// churn: N 32-byte objects with one pointer each (default 50 M), of which only the
// last 100,000 stay alive (a ring of roots). Each new object is linked from the
// previous one, so pointers run from old to young and nothing older than the window
// is reachable. Measures allocation + collection under a steady live set.
// Usage: churn [N] [options...]
#include <stdio.h>
#include <stdlib.h>
#include "rt/gc_barrier.h"
#include "bench/gc_bench_util.h"
#include "rt/alloc.h"
#include "rt/types.h"
#include "sys/options.h"

#define WINDOW 100000

typedef struct obj {
    struct obj *next;
    int64_t a, b, c;
} obj_t;
static GOTYPE_STRUCT(obj_type, obj_t, "main.Obj", offsetof(obj_t, next));

static obj_t *ring[WINDOW];

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 50000000L;
    opt_parse_argv(argc - 2, argv + 2);
    gcb_init();
    gc_add_root(ring, sizeof ring, &gotype_pointer);
    obj_t *prev = NULL;
    int64_t sum = 0;
    for (long i = 0; i < n; i++) {
        obj_t *o = rt_new(&obj_type);
        o->a = i;
        if (prev)
            GC_STORE(prev->next, o);
        ring[i % WINDOW] = o;
        prev = o;
        sum += ring[(i * 7) % WINDOW] ? ring[(i * 7) % WINDOW]->a & 1 : 0;
    }
    printf("churn objects=%ld window=%d checksum=%lld\n", n, WINDOW, (long long)sum);
    gcb_report("churn");
    return 0;
}
