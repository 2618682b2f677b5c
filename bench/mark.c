// Mark throughput: a live heap of SIZE MiB (default 1024) of 64-byte objects linked
// in a list (allocation order), then full forced collections, timed. Prints the
// collection time and MB marked per second (live bytes / full collection time, and
// live bytes / mark phase time). Usage: mark [MiB] [options...]
#include <stdio.h>
#include <stdlib.h>
#include "bench/gc_bench_util.h"
#include "rt/alloc.h"
#include "rt/types.h"
#include "sys/options.h"
#include "sys/sys.h"

typedef struct obj {
    struct obj *next;
    int64_t pad[7];
} obj_t;
static GOTYPE_STRUCT(obj_type, obj_t, "main.Obj", offsetof(obj_t, next));

static obj_t *volatile head;

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 1024;
    opt_parse_argv(argc - 2, argv + 2);
    gc_init();
    gc_add_root((void *)&head, sizeof head, &gotype_pointer);
    long n = mib * (1L << 20) / (long)sizeof(obj_t);
    int old = gc_set_percent(-1); // build without collections
    obj_t *tail = NULL;
    for (long i = 0; i < n; i++) {
        obj_t *o = rt_new(&obj_type);
        o->pad[0] = i;
        if (tail)
            tail->next = o;
        else
            head = o;
        tail = o;
    }
    tail = NULL;
    gc_set_percent(old);
    uint64_t best = UINT64_MAX, best_mark = UINT64_MAX, marked = 0;
    for (int r = 0; r < 3; r++) {
        uint64_t t0 = sys_nanotime();
        gc_collect(true);
        uint64_t dt = sys_nanotime() - t0;
        const gc_cycle_stats_t *c = gc_last_cycle();
        if (dt < best)
            best = dt;
        if (c->mark_ns < best_mark)
            best_mark = c->mark_ns;
        marked = c->bytes_marked;
    }
    printf("mark live_mb=%llu objects=%ld gc_ms=%.1f mark_ms=%.1f mb_per_s=%.0f "
           "mark_mb_per_s=%.0f\n",
           (unsigned long long)(marked >> 20), n, best / 1e6, best_mark / 1e6,
           (double)(marked >> 20) / (best / 1e9), (double)(marked >> 20) / (best_mark / 1e9));
    gcb_report("mark");
    return 0;
}
