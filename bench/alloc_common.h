// The body of the allocation benchmarks (bench/alloc_*.c; Go twin bench/alloc_go):
// one process per object size. It allocates N objects of SIZE bytes (argv[1], 2),
// writes the second word of each (the first may be a pointer slot) and keeps it in
// an array, twice:
//   cold  the process's first N objects: fresh memory, first-touch faults included;
//   warm  after every object was given back by bench_reuse(): freed one by one
//         (malloc peers, heap_malloc) or, for the collected heap (rt_mallocgc,
//         rt_new), every reference dropped and a forced collection, as the Go twin
//         does with runtime.GC().
// Clock: CPU time of the whole process (CLOCK_PROCESS_CPUTIME_ID), so that work a
// runtime does on helper threads (Go's background mark workers and sweeper) is
// charged as spanlab's in-line collection is, while time other processes take the
// CPU away is not. Timed in batches of 4096 objects: the median batch (the fast
// path; collections fall in few batches) and the mean over all (collections
// included). Prints one line:
//   ALLOC alloc=NAME size=S n=N cold_ns_per_obj=X warm_ns_per_obj=Y cold_mean=A
//         warm_mean=B [num_gc=C]
// A program defines BENCH_NAME, bench_alloc(size), bench_init(argc, argv, ptrs, n,
// size) (the words after SIZE; nonzero = bad ones), bench_reuse(ptrs, n) and
// bench_extra() (more fields for the line), then includes this file; see
// bench/alloc_free.h and bench/alloc_gc.h for the two ways of giving back.
#ifndef SPANLAB_ALLOC_COMMON_H
#define SPANLAB_ALLOC_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_BATCH 4096

static uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bench_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

// Allocates n objects of size into ptrs, writing each, timed in batches; returns
// the median batch's ns per object and the overall mean through *mean.
static double bench_phase(void **ptrs, size_t n, size_t size, double *mean) {
    size_t nb = (n + BENCH_BATCH - 1) / BENCH_BATCH, b = 0;
    double *rate = malloc(nb * sizeof(double));
    uint64_t start = bench_now_ns();
    for (size_t i0 = 0; i0 < n; i0 += BENCH_BATCH, b++) {
        size_t i1 = i0 + BENCH_BATCH < n ? i0 + BENCH_BATCH : n;
        uint64_t t0 = bench_now_ns();
        for (size_t i = i0; i < i1; i++) {
            uint64_t *p = bench_alloc(size);
            if (!p) {
                fprintf(stderr, "%s: out of memory after %zu objects\n", BENCH_NAME, i);
                exit(1);
            }
            p[1] = i;
            ptrs[i] = p;
        }
        rate[b] = (double)(bench_now_ns() - t0) / (double)(i1 - i0);
    }
    *mean = (double)(bench_now_ns() - start) / (double)n;
    qsort(rate, nb, sizeof(double), bench_cmp);
    double med = rate[nb / 2];
    free(rate);
    return med;
}

// Reads N and SIZE; exits with a usage message on anything else.
static void bench_args(int argc, char **argv, size_t *n, size_t *size) {
    char *end1 = NULL, *end2 = NULL;
    if (argc >= 3) {
        *n = strtoull(argv[1], &end1, 10);
        *size = strtoull(argv[2], &end2, 10);
    }
    if (argc < 3 || *end1 || *end2 || *n == 0 || *size < 16 || *size > 256 || *size % 8) {
        fprintf(stderr, "usage: %s N SIZE [options]  (N > 0 objects; SIZE 16..256, a "
                        "multiple of 8)\n", argv[0]);
        exit(2);
    }
}

int main(int argc, char **argv) {
    size_t n, size;
    bench_args(argc, argv, &n, &size);
    void **ptrs = calloc(n, sizeof(void *));
    if (!ptrs) {
        fprintf(stderr, "%s: no memory for %zu pointers\n", BENCH_NAME, n);
        return 1;
    }
    for (size_t i = 0; i < n; i += 4096 / sizeof(void *)) // fault it in outside the timing
        ((void *volatile *)ptrs)[i] = NULL;
    if (bench_init(argc - 3, argv + 3, ptrs, n, size) != 0)
        return 2;
    double cold_mean, warm_mean;
    double cold = bench_phase(ptrs, n, size, &cold_mean);
    bench_reuse(ptrs, n);
    double warm = bench_phase(ptrs, n, size, &warm_mean);
    printf("ALLOC alloc=%s size=%zu n=%zu cold_ns_per_obj=%.2f warm_ns_per_obj=%.2f "
           "cold_mean=%.2f warm_mean=%.2f",
           BENCH_NAME, size, n, cold, warm, cold_mean, warm_mean);
    bench_extra();
    printf("\n");
    return 0;
}

#endif
