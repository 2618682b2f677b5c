// churn for the peers: Boehm GC (-DUSE_BOEHM), glibc malloc with explicit free of the
// object leaving the window (default), mimalloc (-DUSE_MIMALLOC). Same work as
// bench/churn.c. Usage: churn_peer [N]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(USE_BOEHM)
#include "bench/boehm_pauses.h"
#define NEW() GC_MALLOC(sizeof(obj_t))
#define FREE(p) ((void)0)
#elif defined(USE_MIMALLOC)
#include <mimalloc.h>
#define NEW() mi_zalloc(sizeof(obj_t))
#define FREE(p) mi_free(p)
#else
#define NEW() calloc(1, sizeof(obj_t))
#define FREE(p) free(p)
#endif

#define WINDOW 100000

typedef struct obj {
    struct obj *next;
    int64_t a, b, c;
} obj_t;

static obj_t *ring[WINDOW];

int main(int argc, char **argv) {
#ifdef USE_BOEHM
    boehm_pauses_begin(); // first: GC_INIT() itself collects once
    GC_INIT();
#endif
    long n = argc > 1 ? atol(argv[1]) : 50000000L;
    obj_t *prev = NULL;
    int64_t sum = 0;
    for (long i = 0; i < n; i++) {
        obj_t *o = NEW();
        o->a = i;
        if (prev)
            prev->next = o;
        if (ring[i % WINDOW])
            FREE(ring[i % WINDOW]);
        ring[i % WINDOW] = o;
        prev = o;
        sum += ring[(i * 7) % WINDOW] ? ring[(i * 7) % WINDOW]->a & 1 : 0;
    }
    printf("churn objects=%ld window=%d checksum=%lld\n", n, WINDOW, (long long)sum);
#ifdef USE_BOEHM
    boehm_pauses_report("churn_boehm");
#endif
    return 0;
}
