// heap_page_counts (mm/arena.c), the committed/resident/lazily-freed pages of every
// RESULT line, against a count that shares nothing with the page layer: Linux's own
// view of each heap region, page by page, from /proc/self/maps (a page is committed
// when its mapping is read-write; released pages are PROT_NONE) and mincore (it
// holds a frame). Lazily freed = a frame under a PROT_NONE mapping. Exact equality,
// through filling a region to its last page, freeing, both release modes, reuse,
// and a second region.
#define _GNU_SOURCE
#include "tests/unit/test.h"

#include <sys/mman.h>

#include "mm/heap.h"

#define PAGE 4096u
#define MAX_MAPS 4096
#define OBJ_BYTES (1u << 20)
#define MAX_OBJS 256

typedef struct mapping {
    uintptr_t lo, hi;
    bool rw;
} mapping_t;

static mapping_t maps[MAX_MAPS];
static size_t nmaps;
static char *objs[MAX_OBJS];
static size_t nobjs;

// Reads /proc/self/maps into maps[] (sorted by address, as the kernel lists them).
static void read_maps(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    nmaps = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
            continue;
        assert_true(nmaps < MAX_MAPS);
        maps[nmaps++] = (mapping_t){lo, hi, perms[0] == 'r' && perms[1] == 'w'};
    }
    fclose(f);
}

// The mapping holding addr, or NULL.
static const mapping_t *mapping_of(uintptr_t addr) {
    size_t lo = 0, hi = nmaps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (addr < maps[mid].lo)
            hi = mid;
        else if (addr >= maps[mid].hi)
            lo = mid + 1;
        else
            return &maps[mid];
    }
    return NULL;
}

// Counts every heap region from /proc/self/maps and mincore alone.
static void linux_counts(sys_page_counts_t *out) {
    uintptr_t bases[64];
    size_t bytes[64];
    size_t n = heap_arena_ranges(bases, bytes, 64);
    assert_true(n <= 64);
    memset(out, 0, sizeof *out);
    read_maps();
    for (size_t r = 0; r < n; r++) {
        size_t npages = bytes[r] / PAGE;
        unsigned char *vec = malloc(npages);
        assert_non_null(vec);
        assert_int_equal(mincore((void *)bases[r], bytes[r], vec), 0);
        for (size_t i = 0; i < npages; i++) {
            const mapping_t *m = mapping_of(bases[r] + i * PAGE);
            assert_non_null(m); // a heap region is mapped whole
            bool frame = vec[i] & 1;
            out->reserved++;
            out->committed += m->rw;
            out->resident += frame;
            out->lazyfree += frame && !m->rw;
        }
        free(vec);
    }
}

// heap_page_counts must equal the Linux count exactly. Linux may reclaim a lazily
// freed frame at any moment, so the Linux count is taken before and after and the
// comparison retried when the two differ.
static void counts_agree(const char *when) {
    for (int attempt = 0; attempt < 5; attempt++) {
        sys_page_counts_t before, heap, after;
        linux_counts(&before);
        heap_page_counts(&heap);
        linux_counts(&after);
        if (memcmp(&before, &after, sizeof before) != 0)
            continue;
        print_message("%s: reserved %llu committed %llu resident %llu lazyfree %llu\n", when,
                      (unsigned long long)heap.reserved, (unsigned long long)heap.committed,
                      (unsigned long long)heap.resident, (unsigned long long)heap.lazyfree);
        assert_int_equal(heap.reserved, before.reserved);
        assert_int_equal(heap.committed, before.committed);
        assert_int_equal(heap.resident, before.resident);
        assert_int_equal(heap.lazyfree, before.lazyfree);
        return;
    }
    fail_msg("%s: the Linux count kept changing", when);
}

// Allocates 1 MiB objects, touching the first `touch` bytes of each, until the heap
// has `regions` regions.
static void fill_until_regions(size_t regions, size_t touch) {
    uintptr_t bases[8];
    size_t bytes[8];
    while (heap_arena_ranges(bases, bytes, 8) < regions) {
        assert_true(nobjs < MAX_OBJS);
        char *p = heap_malloc(OBJ_BYTES, NULL, true);
        assert_non_null(p);
        memset(p, 7, touch);
        objs[nobjs++] = p;
    }
}

// Whether the last page of some region holds a frame (the test's own check that a
// count dropping the last page of each region would be seen).
static bool some_region_ends_resident(void) {
    uintptr_t bases[8];
    size_t bytes[8];
    size_t n = heap_arena_ranges(bases, bytes, 8);
    for (size_t r = 0; r < n && r < 8; r++) {
        unsigned char v = 0;
        assert_int_equal(mincore((void *)(bases[r] + bytes[r] - PAGE), PAGE, &v), 0);
        if (v & 1)
            return true;
    }
    return false;
}

static void heap_page_counts_match_linux_exactly(void **state) {
    if (heap_ready())
        heap_destroy();
    heap_init();
    nobjs = 0;
    counts_agree("empty heap");
    fill_until_regions(2, OBJ_BYTES); // the first region full, to its last page
    assert_true(some_region_ends_resident());
    counts_agree("one region full to its last page, a second started");
    for (size_t i = 0; i < nobjs; i += 2) // free every other object: committed, resident
        heap_free(objs[i]);
    counts_agree("half freed");
    heap_scavenge_mode(8u << 20, SYS_RELEASE_DONTNEED);
    counts_agree("8 MiB released with MADV_DONTNEED");
    heap_scavenge_mode(SIZE_MAX, SYS_RELEASE_FREE);
    counts_agree("the rest released with MADV_FREE");
    for (size_t i = 0; i < nobjs; i += 2) { // reuse: lazily freed pages committed again
        objs[i] = heap_malloc(OBJ_BYTES, NULL, true);
        assert_non_null(objs[i]);
        memset(objs[i], 9, OBJ_BYTES / 4);
    }
    counts_agree("reused, a quarter of each touched");
    fill_until_regions(3, PAGE);
    counts_agree("third region, one page per object touched");
    heap_destroy();
}

RUN_TESTS(cmocka_unit_test(heap_page_counts_match_linux_exactly))
