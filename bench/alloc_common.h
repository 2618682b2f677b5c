// Shared body of the allocation benchmarks (bench/alloc_*.c): for each of 16, 32, 64
// and 256 bytes, allocate N objects (N = argv[1], default 1000000) touching the first
// word of each and keeping it in an array: "cold" on fresh memory (first-touch page
// faults included, paid alike by every allocator), then free them all and allocate
// N again: "warm", the allocator's own fast path on memory it already has. Prints
// "ALLOC alloc=NAME size=S n=N cold_ns_per_obj=X warm_ns_per_obj=Y". Each program
// defines BENCH_NAME, bench_init(), bench_alloc(size), bench_free(p) first.
#ifndef SPANLAB_ALLOC_COMMON_H
#define SPANLAB_ALLOC_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *volatile bench_sink;

// This thread's CPU time (user + system, page faults included): unlike wall time it
// does not count the time other processes on a shared machine take the CPU away.
static uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define BENCH_BATCH 4096

static int bench_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

// Allocates n objects of size into ptrs, touching each, timed in batches of 4096;
// returns the median batch's ns per object (robust against other processes on a
// shared machine) and the overall mean through *mean.
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
            p[0] = i;
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

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    static const size_t sizes[] = {16, 32, 64, 256};
    void **ptrs = calloc(n, sizeof(void *));
    memset(ptrs, 1, n * sizeof(void *)); // fault the array in outside the timing
    bench_init();
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t size = sizes[k];
        double cold_mean, warm_mean;
        double cold = bench_phase(ptrs, n, size, &cold_mean);
        for (size_t i = 0; i < n; i++)
            bench_free(ptrs[i]);
        double warm = bench_phase(ptrs, n, size, &warm_mean);
        for (size_t i = 0; i < n; i++)
            bench_free(ptrs[i]);
        bench_sink = ptrs[n - 1];
        printf("ALLOC alloc=%s size=%zu n=%zu cold_ns_per_obj=%.2f warm_ns_per_obj=%.2f "
               "cold_mean=%.2f warm_mean=%.2f\n",
               BENCH_NAME, size, n, cold, warm, cold_mean, warm_mean);
    }
    free(ptrs);
    return 0;
}

#endif
