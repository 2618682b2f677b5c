// binary-trees (the Computer Language Benchmarks Game), on spanlab's collector:
// allocate and walk perfect binary trees, one long-lived tree beside many short-lived
// ones. Output format as the Benchmarks Game. Usage: binarytrees DEPTH [options...]
// (options as the command line: gctrace=1 gogc=N ...). Single-threaded.
#include <stdio.h>
#include <stdlib.h>
#include "rt/gc_barrier.h"
#include "bench/gc_bench_util.h"
#include "rt/alloc.h"
#include "rt/types.h"
#include "sys/options.h"

typedef struct node {
    struct node *left, *right;
} node_t;
static GOTYPE_STRUCT(node_type, node_t, "main.Node", offsetof(node_t, left),
                     offsetof(node_t, right));

static node_t *bottom_up(int depth) {
    node_t *n = rt_new(&node_type);
    if (depth > 0) {
        GC_STORE(n->left, bottom_up(depth - 1));
        GC_STORE(n->right, bottom_up(depth - 1));
    }
    return n;
}

static long check(const node_t *n) {
    return n->left ? 1 + check(n->left) + check(n->right) : 1;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 21;
    opt_parse_argv(argc - 2, argv + 2);
    gcb_init();
    int min_depth = 4, max_depth = n < min_depth + 2 ? min_depth + 2 : n;
    int stretch = max_depth + 1;
    printf("stretch tree of depth %d\t check: %ld\n", stretch, check(bottom_up(stretch)));
    node_t *volatile long_lived = bottom_up(max_depth);
    for (int d = min_depth; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + min_depth), sum = 0;
        for (long i = 0; i < iterations; i++)
            sum += check(bottom_up(d));
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, sum);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));
    gcb_report("binarytrees");
    return 0;
}
