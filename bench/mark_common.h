// Shared by the mark throughput benchmarks (bench/mark.c on spanlab, bench/mark_boehm.c;
// the Go twin bench/gc_go/mark.go does the same): the object, the clock and the
// result line, so that every side reports the same quantity. The program builds a
// list of N = MiB x 2^20 / 64 objects of 64 bytes with collections off, then times
// three forced full collections on the monotonic wall clock and prints
//   mark objects=N live_bytes=B gc_ms=T
// B = N x sizeof(object), the bytes built and kept alive; T = the median collection.
// bench/run_gc.sh derives MB/s = B / 2^20 / T for every side alike.
#ifndef SPANLAB_MARK_COMMON_H
#define SPANLAB_MARK_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

typedef struct markb_obj {
    struct markb_obj *next;
    int64_t pad[7];
} markb_obj_t;

#define MARKB_COLLECTIONS 3

// Objects in a heap of mib MiB.
static long markb_objects(long mib) { return mib * (1L << 20) / (long)sizeof(markb_obj_t); }

// The monotonic clock in ns (Go's time.Now() reads the same one).
static uint64_t markb_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

// The middle one of the MARKB_COLLECTIONS (three) values.
static uint64_t markb_median3(const uint64_t v[MARKB_COLLECTIONS]) {
    uint64_t lo = v[0] < v[1] ? v[0] : v[1], hi = v[0] < v[1] ? v[1] : v[0];
    return v[2] < lo ? lo : v[2] > hi ? hi : v[2];
}

// Prints the result line without its newline (spanlab adds fields).
static void markb_print(long n, const uint64_t gc_ns[MARKB_COLLECTIONS]) {
    printf("mark objects=%ld live_bytes=%llu gc_ms=%.1f", n,
           (unsigned long long)(n * sizeof(markb_obj_t)), markb_median3(gc_ns) / 1e6);
}

#endif
