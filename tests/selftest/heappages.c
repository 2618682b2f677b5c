// selftest heappages (kernel only): heap_page_counts (mm/arena.c), the committed,
// resident and lazily freed pages of every scenario RESULT line, against the kernel's
// own books for each heap region: its vm range's counters, kept by every commit, release,
// demand-zero fault and reclaim, which vmk_check_range proves against a recount
// from the page tables. Exact equality after each step: a region filled to its last
// page, half of it freed, 8 MiB released with dontneed and the rest with free, the
// freed objects allocated again, a third region grown. (The host's exact test of
// the same counts is tests/unit/heap_page_counts_test.c, against Linux's view.)
#include <string.h>

#include "kernel/console.h"
#include "kernel/paging.h"
#include "kernel/vmk.h"
#include "mm/heap.h"
#include "sys/selftest.h"
#include "sys/sys.h"

#define OBJ_BYTES (1ull << 20)
#define MAX_OBJS 256
#define MAX_REGIONS 8
#define HEAP_NEEDS_RAM (2ull * HEAP_ARENA_BYTES) // a full region, two more started, metadata

static char *objs[MAX_OBJS];
static size_t nobjs;

// Adds b to a, field by field.
static void add_counts(sys_page_counts_t *a, const sys_page_counts_t *b) {
    a->reserved += b->reserved;
    a->committed += b->committed;
    a->resident += b->resident;
    a->lazyfree += b->lazyfree;
}

// heap_page_counts against the sum of the heap regions' range counters, each range
// checked against its page tables. Prints both; returns true when all agree.
static bool counts_agree(const char *when) {
    sys_page_counts_t heap, books = {0};
    heap_page_counts(&heap);
    uintptr_t bases[MAX_REGIONS];
    size_t bytes[MAX_REGIONS];
    size_t n = heap_arena_ranges(bases, bytes, MAX_REGIONS);
    bool ok = n <= MAX_REGIONS;
    for (size_t i = 0; i < n && i < MAX_REGIONS; i++) {
        vm_range_t *r = vmk_find(bases[i]);
        if (!r || r->base != bases[i] || r->npages * PAGE_4K != bytes[i]) {
            kprintf("  heap region %#lx+%zu is not one vm range\n", bases[i], bytes[i]);
            ok = false;
            continue;
        }
        ok &= vmk_check_range(r); // the counters agree with the page tables
        add_counts(&books, &r->c.pages);
    }
    bool same = heap.reserved == books.reserved && heap.committed == books.committed &&
                heap.resident == books.resident && heap.lazyfree == books.lazyfree;
    kprintf("  %s: heap_page_counts %lu/%lu/%lu/%lu, range counters %lu/%lu/%lu/%lu "
            "(reserved/committed/resident/lazyfree) %s\n",
            when, heap.reserved, heap.committed, heap.resident, heap.lazyfree, books.reserved,
            books.committed, books.resident, books.lazyfree, same ? "agree" : "DISAGREE");
    return ok && same;
}

// Allocates 1 MiB objects, touching the first `touch` bytes of each, until the heap
// has `regions` regions. False when the heap or the object table runs out.
static bool fill_until_regions(size_t regions, size_t touch) {
    uintptr_t bases[MAX_REGIONS];
    size_t bytes[MAX_REGIONS];
    while (heap_arena_ranges(bases, bytes, MAX_REGIONS) < regions) {
        char *p = nobjs < MAX_OBJS ? heap_malloc(OBJ_BYTES, NULL, true) : NULL;
        if (!p)
            return false;
        memset(p, 7, touch);
        objs[nobjs++] = p;
    }
    return true;
}

// The steps, each followed by the comparison.
static bool run_steps(void) {
    bool ok = counts_agree("empty heap");
    ok &= fill_until_regions(2, OBJ_BYTES) && counts_agree("a region full, a second started");
    for (size_t i = 0; i < nobjs; i += 2)
        heap_free(objs[i]);
    ok &= counts_agree("half freed");
    heap_scavenge_mode(8u << 20, SYS_RELEASE_DONTNEED);
    ok &= counts_agree("8 MiB released with dontneed");
    heap_scavenge_mode(SIZE_MAX, SYS_RELEASE_FREE);
    ok &= counts_agree("the rest released with free");
    for (size_t i = 0; i < nobjs; i += 2) {
        objs[i] = heap_malloc(OBJ_BYTES, NULL, true);
        if (!objs[i])
            return false;
        memset(objs[i], 9, OBJ_BYTES / 4);
    }
    ok &= counts_agree("reused, a quarter of each touched");
    ok &= fill_until_regions(3, PAGE_4K) && counts_agree("a third region, one page per object");
    return ok;
}

SELFTEST(heappages, true) {
    if (heap_ready()) {
        kprintf("selftest heappages: skipped (the heap is in use)\n");
        return true;
    }
    if (sys_ram_bytes() < HEAP_NEEDS_RAM) { // a region is filled to its last page
        kprintf("selftest heappages: skipped (needs %lu MiB of RAM, this machine has %lu)\n",
                (unsigned long)(HEAP_NEEDS_RAM >> 20), (unsigned long)(sys_ram_bytes() >> 20));
        return true;
    }
    heap_init();
    nobjs = 0;
    bool ok = run_steps();
    heap_destroy();
    return ok;
}
