// The page layer's cost benchmark on the Linux host: first-touch fault and release
// cost per 4 KiB page through the hosted sys (bench/vm_bench.c prints the lines).
// Usage: build/bench/fault_cost [pages=4096] [rounds=5]; exits 1 if a check failed.
#include <stdio.h>
#include <stdlib.h>

#include "bench/vm_bench.h"
#include "sys/sys.h"

int main(int argc, char **argv) {
    size_t pages = argc > 1 ? strtoul(argv[1], NULL, 0) : 4096;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (pages == 0) {
        fprintf(stderr, "usage: %s [pages] [rounds]\n", argv[0]);
        return 2;
    }
    sys_exit(vm_bench_run(pages, rounds));
}
