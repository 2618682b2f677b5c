// Mark throughput on spanlab's collector (see bench/mark_common.h for what is built
// and timed). Besides the common line it prints marked_bytes (what the collector
// counted) and mark_ms (the median mark phase). Usage: mark [MiB] [options...]
#include <stdlib.h>
#include "rt/gc_barrier.h"
#include "bench/gc_bench_util.h"
#include "bench/mark_common.h"
#include "rt/alloc.h"
#include "rt/types.h"
#include "sys/options.h"

static GOTYPE_STRUCT(obj_type, markb_obj_t, "main.Obj", offsetof(markb_obj_t, next));

static markb_obj_t *volatile head;

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 1024;
    opt_parse_argv(argc - 2, argv + 2);
    gcb_init();
    gc_add_root((void *)&head, sizeof head, &gotype_pointer);
    long n = markb_objects(mib);
    int old = gc_set_percent(-1); // build without collections
    markb_obj_t *tail = NULL;
    for (long i = 0; i < n; i++) {
        markb_obj_t *o = rt_new(&obj_type);
        o->pad[0] = i;
        if (tail)
            GC_STORE(tail->next, o);
        else
            head = o;
        tail = o;
    }
    tail = NULL;
    gc_set_percent(old);
    uint64_t gc_ns[MARKB_COLLECTIONS], mark_ns[MARKB_COLLECTIONS];
    for (int r = 0; r < MARKB_COLLECTIONS; r++) {
        uint64_t t0 = markb_now_ns();
        gc_collect(true);
        gc_ns[r] = markb_now_ns() - t0;
        mark_ns[r] = gc_last_cycle()->mark_ns;
    }
    markb_print(n, gc_ns);
    printf(" marked_bytes=%llu mark_ms=%.1f\n",
           (unsigned long long)gc_last_cycle()->bytes_marked, markb_median3(mark_ns) / 1e6);
    gcb_report("mark");
    return 0;
}
