// Mark throughput for Boehm GC (see bench/mark_common.h for what is built and
// timed): GC_MALLOC with collections disabled, then GC_gcollect(); its pauses as
// bench/boehm_pauses.h measures them. Usage:
// mark_boehm [MiB]
#include "bench/boehm_pauses.h"
#include <stdlib.h>
#include "bench/mark_common.h"

static markb_obj_t *volatile head;

int main(int argc, char **argv) {
    boehm_pauses_begin(); // first: GC_INIT() itself collects once
    GC_INIT();
    long mib = argc > 1 ? atol(argv[1]) : 1024;
    long n = markb_objects(mib);
    GC_disable();
    markb_obj_t *tail = NULL;
    for (long i = 0; i < n; i++) {
        markb_obj_t *o = GC_MALLOC(sizeof(markb_obj_t));
        o->pad[0] = i;
        if (tail)
            tail->next = o;
        else
            head = o;
        tail = o;
    }
    tail = NULL;
    GC_enable();
    uint64_t gc_ns[MARKB_COLLECTIONS];
    for (int r = 0; r < MARKB_COLLECTIONS; r++) {
        uint64_t t0 = markb_now_ns();
        GC_gcollect();
        gc_ns[r] = markb_now_ns() - t0;
    }
    markb_print(n, gc_ns);
    printf("\n");
    boehm_pauses_report("mark_boehm");
    return 0;
}
