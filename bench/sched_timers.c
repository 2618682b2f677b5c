// Timer heap insert + delete: ROUNDS times, start 100,000 timers (time.AfterFunc
// with deadlines 1 h + a pseudo-random 0..1 s, so none fires) and then Stop them
// all. Prints "sched_timers timers=N rounds=R ns_per_insert_delete=X" (the cost of
// one AfterFunc + one Stop, allocation included, as in Go). Go twin:
// bench/sched_go/timers.go. Usage: sched_timers [N] [ROUNDS]
#include <stdio.h>
#include <stdlib.h>
#include "rt/alloc.h"
#include "rt/gc.h"
#include "rt/sched.h"
#include "rt/timer.h"
#include "rt/types.h"
#include "sys/sys.h"

static long n = 100000, rounds = 20;
static gotimer_t **timers; // a GC root (registered below)

static void never(void *arg) { (void)arg; }

static void bench_main(void *arg) {
    (void)arg;
    timers = rt_newarray(&gotype_pointer, (size_t)n);
    uint64_t x = 1, total = 0;
    for (long r = 0; r < rounds + 1; r++) {
        uint64_t t0 = sys_nanotime();
        for (long i = 0; i < n; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            int64_t d = TIMER_SEC(3600) + (int64_t)((x >> 33) % 1000000000ull);
            timers[i] = timer_after_func(d, never, NULL);
        }
        for (long i = 0; i < n; i++)
            timer_stop(timers[i]);
        uint64_t t1 = sys_nanotime();
        if (r > 0) // round 0 warms the heap up
            total += t1 - t0;
        if (timer_count() != 0)
            sys_panic("sched_timers: %llu timers left", (unsigned long long)timer_count());
    }
    printf("sched_timers timers=%ld rounds=%ld ns_per_insert_delete=%.2f\n", n, rounds,
           (double)total / ((double)n * rounds));
}

int main(int argc, char **argv) {
    if (argc > 1)
        n = atol(argv[1]);
    if (argc > 2)
        rounds = atol(argv[2]);
    gc_add_root(&timers, sizeof timers, &gotype_pointer);
    sched_run_main(bench_main, NULL);
    return 0;
}
