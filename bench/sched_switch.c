// Goroutine switch cost: two goroutines call Gosched in turn, N times each, so every
// Gosched is one switch. Prints "sched_switch n=N ns_per_switch=X". The Go twin is
// bench/sched_go/switch.go (GOMAXPROCS=1). Usage: sched_switch [N]
#include <stdio.h>
#include <stdlib.h>
#include "rt/sched.h"
#include "sys/sys.h"

static long n = 5000000;

static void yielder(void *arg) {
    (void)arg;
    for (long i = 0; i < n; i++)
        sched_gosched();
}

static void bench_main(void *arg) {
    (void)arg;
    sched_go(yielder, NULL, 0);
    sched_gosched(); // both running
    uint64_t t0 = sys_nanotime();
    for (long i = 0; i < n; i++)
        sched_gosched();
    uint64_t t1 = sys_nanotime();
    sched_stats_t st;
    sched_get_stats(&st);
    printf("sched_switch n=%ld ns_per_switch=%.2f\n", n, (double)(t1 - t0) / (2.0 * n));
}

int main(int argc, char **argv) {
    if (argc > 1)
        n = atol(argv[1]);
    sched_run_main(bench_main, NULL);
    return 0;
}
