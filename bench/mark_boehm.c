// Mark throughput for Boehm GC: the same list of 64-byte objects as bench/mark.c,
// then GC_gcollect() timed. Usage: mark_boehm [MiB]
#include <gc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct obj {
    struct obj *next;
    int64_t pad[7];
} obj_t;

static obj_t *volatile head;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
    GC_INIT();
    long mib = argc > 1 ? atol(argv[1]) : 1024;
    long n = mib * (1L << 20) / (long)sizeof(obj_t);
    GC_disable();
    obj_t *tail = NULL;
    for (long i = 0; i < n; i++) {
        obj_t *o = GC_MALLOC(sizeof(obj_t));
        o->pad[0] = i;
        if (tail)
            tail->next = o;
        else
            head = o;
        tail = o;
    }
    tail = NULL;
    GC_enable();
    uint64_t best = UINT64_MAX;
    for (int r = 0; r < 3; r++) {
        uint64_t t0 = now_ns();
        GC_gcollect();
        uint64_t dt = now_ns() - t0;
        if (dt < best)
            best = dt;
    }
    long live_mb = (long)(n * (long)sizeof(obj_t) >> 20);
    printf("mark live_mb=%ld objects=%ld gc_ms=%.1f mb_per_s=%.0f\n", live_mb, n, best / 1e6,
           (double)live_mb / (best / 1e9));
    return 0;
}
