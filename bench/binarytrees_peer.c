// binary-trees for the peers of spanlab's collector: Boehm GC (-DUSE_BOEHM, GC_MALLOC,
// no free), glibc malloc with explicit free (default) and mimalloc (-DUSE_MIMALLOC,
// mi_malloc/mi_free). Same program and output as bench/binarytrees.c.
#include <stdio.h>
#include <stdlib.h>
#if defined(USE_BOEHM)
#include "bench/boehm_pauses.h"
#define NEW() GC_MALLOC(sizeof(node_t))
#define FREE_TREE(n) ((void)0)
#elif defined(USE_MIMALLOC)
#include <mimalloc.h>
#define NEW() mi_malloc(sizeof(node_t))
#define FREE_TREE(n) free_tree(n)
#define FREE mi_free
#else
#define NEW() malloc(sizeof(node_t))
#define FREE_TREE(n) free_tree(n)
#define FREE free
#endif

typedef struct node {
    struct node *left, *right;
} node_t;

static node_t *bottom_up(int depth) {
    node_t *n = NEW();
    if (depth > 0) {
        n->left = bottom_up(depth - 1);
        n->right = bottom_up(depth - 1);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

static long check(const node_t *n) {
    return n->left ? 1 + check(n->left) + check(n->right) : 1;
}

#ifdef FREE
static void free_tree(node_t *n) {
    if (n->left) {
        free_tree(n->left);
        free_tree(n->right);
    }
    FREE(n);
}
#endif

int main(int argc, char **argv) {
#ifdef USE_BOEHM
    boehm_pauses_begin(); // first: GC_INIT() itself collects once
    GC_INIT();
#endif
    int n = argc > 1 ? atoi(argv[1]) : 21;
    int min_depth = 4, max_depth = n < min_depth + 2 ? min_depth + 2 : n;
    int stretch = max_depth + 1;
    node_t *t = bottom_up(stretch);
    printf("stretch tree of depth %d\t check: %ld\n", stretch, check(t));
    FREE_TREE(t);
    node_t *long_lived = bottom_up(max_depth);
    for (int d = min_depth; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + min_depth), sum = 0;
        for (long i = 0; i < iterations; i++) {
            t = bottom_up(d);
            sum += check(t);
            FREE_TREE(t);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, sum);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));
    FREE_TREE(long_lived);
#ifdef USE_BOEHM
    boehm_pauses_report("binarytrees_boehm");
#endif
    return 0;
}
