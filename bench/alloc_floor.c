// Allocation benchmark: the memory floor, no allocator at all. "Objects" are cut from
// one region with a bump pointer, so what is left is what the memory itself costs
// for this benchmark's pattern (bench/alloc_common.h: N objects, the second word of
// each written), beside which the allocators' rows can be read:
//   bump       the bump pointer and the benchmark's own write: one cache line per
//              object touched (what a free-list malloc touches, its link and the
//              write sharing a line);
//   bump-zero  the same, but warm (the region given back) it zeroes each 8 KiB
//              block in one memset as the bump pointer enters it, as a zeroing
//              allocator must hand out reused memory (spanlab's dirty fresh spans,
//              Go's needzero): every byte of every object is written, not one line.
// Cold, both take fresh pages from the OS (zero already: nothing to clear), with
// the heap's page settings (MADV_NOHUGEPAGE, sys/linux_pages.c). The region is
// reused in address order warm, as spanlab's first-fit page allocator does.
// Options: bump | bump-zero.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define FLOOR_BLOCK 8192

static const char *floor_name = "floor"; // the row's name, from the option
#define BENCH_NAME floor_name

static char *region, *next, *block_end;
static size_t region_bytes;
static int zero_warm, reused; // reused: the warm phase (after bench_reuse)

static inline void *bench_alloc(size_t size) {
    char *p = next;
    if (p + size > block_end) { // a new 8 KiB block: no object crosses one
        p = block_end;
        if (p + FLOOR_BLOCK > region + region_bytes)
            return NULL;
        block_end = p + FLOOR_BLOCK;
        if (reused && zero_warm)
            memset(p, 0, FLOOR_BLOCK);
    }
    next = p + size;
    return p;
}

static int bench_init(int argc, char **argv, void **ptrs, size_t n, size_t size) {
    (void)ptrs;
    if (argc != 1 || (strcmp(argv[0], "bump") != 0 && strcmp(argv[0], "bump-zero") != 0)) {
        fprintf(stderr, "alloc_floor: want one option, bump or bump-zero (got %s)\n",
                argc ? argv[0] : "none");
        return 1;
    }
    floor_name = strcmp(argv[0], "bump") == 0 ? "floor-bump" : "floor-bump-zero";
    zero_warm = strcmp(argv[0], "bump-zero") == 0;
    // Whole blocks of whole objects, as spans: no object crosses a block.
    size_t per_block = FLOOR_BLOCK / size;
    region_bytes = (n + per_block - 1) / per_block * FLOOR_BLOCK;
    region = mmap(NULL, region_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                  -1, 0);
    if (region == MAP_FAILED) {
        fprintf(stderr, "alloc_floor: cannot map %zu bytes\n", region_bytes);
        return 1;
    }
    madvise(region, region_bytes, MADV_NOHUGEPAGE);
    next = block_end = region;
    return 0;
}

// Every object given back at once: the bump pointer starts over, the memory dirty.
static void bench_reuse(void **ptrs, size_t n) {
    (void)ptrs, (void)n;
    next = block_end = region;
    reused = 1;
}

static void bench_extra(void) {}

#include "bench/alloc_common.h"
