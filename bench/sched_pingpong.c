// Unbuffered channel ping-pong: main sends on ping, the partner receives and answers
// on pong; one round trip is two sends, two receives and two switches. Prints
// "sched_pingpong n=N ns_per_roundtrip=X". Go twin: bench/sched_go/pingpong.go.
// Usage: sched_pingpong [N]
#include <stdio.h>
#include <stdlib.h>
#include "rt/chan.h"
#include "rt/sched.h"
#include "rt/types.h"
#include "sys/sys.h"

static long n = 2000000;
typedef struct pp { chan_t *ping, *pong; } pp_t;

static void partner(void *arg) {
    pp_t *p = arg;
    int64_t v;
    for (long i = 0; i < n; i++) {
        chan_recv(p->ping, &v);
        chan_send(p->pong, &v);
    }
}

static void bench_main(void *arg) {
    (void)arg;
    pp_t p = {chan_make(&gotype_int64, 0), chan_make(&gotype_int64, 0)};
    sched_go(partner, &p, sizeof p);
    uint64_t t0 = sys_nanotime();
    for (int64_t i = 0; i < n; i++) {
        int64_t v;
        chan_send(p.ping, &i);
        chan_recv(p.pong, &v);
        if (v != i)
            sys_panic("pingpong: got %lld want %lld", (long long)v, (long long)i);
    }
    uint64_t t1 = sys_nanotime();
    printf("sched_pingpong n=%ld ns_per_roundtrip=%.2f\n", n, (double)(t1 - t0) / n);
}

int main(int argc, char **argv) {
    if (argc > 1)
        n = atol(argv[1]);
    sched_run_main(bench_main, NULL);
    return 0;
}
