// The hosted page layer: sys.h's reserve/commit/release/query verbs on Linux.
//
// Mapping of states onto the kernel's (cf. Go's runtime/mem_linux.go):
//   reserve    mmap(PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE), aligned by
//              over-reserving and trimming; MADV_NOHUGEPAGE so that residency stays
//              exact at 4 KiB (one touch never faults in 2 MiB)
//   commit     mprotect(PROT_READ|PROT_WRITE)
//   release    madvise(MADV_DONTNEED or MADV_FREE), then mprotect(PROT_NONE): a
//              released page is not committed any more and touching it faults,
//              which catches use-after-release in the heap
//   unreserve  munmap
// Each range keeps a software map, one byte per page: reserved, committed, or
// lazily released (LX_*). Residency is never modelled: it comes from mincore, so a
// page's sys state is
//   map committed + mincore 1 -> RESIDENT     map committed + mincore 0 -> COMMITTED
//   map lazy      + mincore 1 -> LAZYFREE     map lazy      + mincore 0 -> RESERVED
//   map reserved              -> RESERVED     (DONTNEED dropped the frame)
// Linux keeps a MADV_FREE page's PTE (mincore says resident, smaps counts it under
// LazyFree:) until reclaim takes it or it is written; PROT_NONE stops the write.
// Invariants: ranges are sorted by base and disjoint; every page of a range is mapped
// (PROT_NONE at least), so mincore never sees a hole inside one.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/linux_internal.h"
#include "sys/options.h"
#include "sys/sys.h"

#define PAGE ((uintptr_t)SYS_PAGE_SIZE)
#define CHUNK_PAGES 4096 // mincore batch: 16 MiB of address space per call

static lx_range_t ranges[LX_MAX_RANGES];
static volatile size_t nranges;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

// ---- the range table -------------------------------------------------------

// Index of the first range whose end is above addr (nranges when none).
static size_t first_above(uintptr_t addr) {
    size_t lo = 0, hi = nranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ranges[mid].base + ranges[mid].npages * PAGE <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const lx_range_t *lx_find(uintptr_t addr) {
    size_t i = first_above(addr);
    if (i < nranges && ranges[i].base <= addr)
        return &ranges[i];
    return NULL;
}

// The range holding all of [addr, addr+bytes), or NULL when any of it is outside one.
static lx_range_t *find_whole(uintptr_t addr, size_t bytes) {
    lx_range_t *r = (lx_range_t *)lx_find(addr);
    if (!r || bytes > r->base + r->npages * PAGE - addr)
        return NULL;
    return r;
}

const char *lx_state_name(sys_page_state_t s) {
    switch (s) {
    case SYS_PAGE_UNMAPPED: return "unmapped";
    case SYS_PAGE_RESERVED: return "reserved";
    case SYS_PAGE_COMMITTED: return "committed";
    case SYS_PAGE_RESIDENT: return "resident";
    case SYS_PAGE_LAZYFREE: return "lazyfree";
    }
    return "?";
}

// Combines the software map byte and the mincore bit into a sys state.
static sys_page_state_t combine(uint8_t soft, unsigned char incore) {
    if (soft == LX_COMMITTED)
        return (incore & 1) ? SYS_PAGE_RESIDENT : SYS_PAGE_COMMITTED;
    if (soft == LX_LAZY)
        return (incore & 1) ? SYS_PAGE_LAZYFREE : SYS_PAGE_RESERVED;
    return SYS_PAGE_RESERVED;
}

sys_page_state_t lx_page_state(const lx_range_t *r, size_t page) {
    unsigned char v = 0;
    if (mincore((void *)(r->base + page * PAGE), PAGE, &v) != 0)
        v = 0;
    return combine(r->map[page], v);
}

// ---- reserve / unreserve -------------------------------------------------------

// Maps bytes of PROT_NONE aligned to align; returns NULL when mmap fails.
static void *map_aligned(size_t bytes, size_t align) {
    size_t extra = align > PAGE ? align - PAGE : 0;
    if (bytes + extra < bytes)
        return NULL;
    uint8_t *p = mmap(NULL, bytes + extra, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    uintptr_t start = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
    size_t head = start - (uintptr_t)p, tail = extra - head;
    if (head)
        munmap(p, head);
    if (tail)
        munmap((void *)(start + bytes), tail);
    return (void *)start;
}

void *sys_reserve(size_t bytes, size_t align, const char *name) {
    if (bytes == 0 || bytes % PAGE || align < PAGE || (align & (align - 1)))
        sys_panic("sys_reserve: bad size %zu or alignment %zu", bytes, align);
    lx_fault_install();
    void *p = map_aligned(bytes, align);
    if (!p)
        return NULL;
    madvise(p, bytes, MADV_NOHUGEPAGE);
    size_t npages = bytes / PAGE;
    uint8_t *map = mmap(NULL, npages, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) {
        munmap(p, bytes);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    if (nranges == LX_MAX_RANGES) {
        pthread_mutex_unlock(&lock);
        munmap(map, npages);
        munmap(p, bytes);
        return NULL;
    }
    size_t i = first_above((uintptr_t)p);
    memmove(&ranges[i + 1], &ranges[i], (nranges - i) * sizeof ranges[0]);
    lx_range_t *r = &ranges[i];
    r->base = (uintptr_t)p;
    r->npages = npages;
    r->map = map;
    strncpy(r->name, name ? name : "anon", LX_NAME_LEN - 1);
    r->name[LX_NAME_LEN - 1] = 0;
    nranges++;
    pthread_mutex_unlock(&lock);
    return p;
}

void sys_unreserve(void *addr, size_t bytes) {
    pthread_mutex_lock(&lock);
    size_t i = first_above((uintptr_t)addr);
    if (i == nranges || ranges[i].base != (uintptr_t)addr ||
        ranges[i].npages != (bytes + PAGE - 1) / PAGE) {
        pthread_mutex_unlock(&lock);
        sys_panic("sys_unreserve: %p+%zu is not a whole reserved range", addr, bytes);
    }
    lx_range_t r = ranges[i];
    memmove(&ranges[i], &ranges[i + 1], (nranges - i - 1) * sizeof ranges[0]);
    nranges--;
    pthread_mutex_unlock(&lock);
    munmap(r.map, r.npages);
    if (munmap((void *)r.base, r.npages * PAGE) != 0)
        sys_panic("sys_unreserve: munmap %p: errno %d", addr, errno);
}

// ---- commit / release ------------------------------------------------------------

// Commit rounds outward to whole pages: every byte asked for becomes usable.
int sys_commit(void *addr, size_t bytes) {
    uintptr_t lo = (uintptr_t)addr & ~(PAGE - 1);
    uintptr_t hi = ((uintptr_t)addr + bytes + PAGE - 1) & ~(PAGE - 1);
    if (hi <= lo)
        return bytes == 0 ? 0 : -1;
    pthread_mutex_lock(&lock);
    lx_range_t *r = find_whole(lo, hi - lo);
    if (!r) {
        pthread_mutex_unlock(&lock);
        return -1;
    }
    if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE) != 0)
        sys_panic("sys_commit: mprotect %p+%zu: errno %d (vm.max_map_count?)",
                  (void *)lo, (size_t)(hi - lo), errno);
    memset(r->map + (lo - r->base) / PAGE, LX_COMMITTED, (hi - lo) / PAGE);
    pthread_mutex_unlock(&lock);
    return 0;
}

// Linux skips (silently) MADV_FREE for a page that still sits in another CPU's
// per-CPU LRU-add batch: it was faulted in so recently that it is not on an LRU
// list yet, and such a page stays ordinary anonymous memory, never lazily freed.
// madvise drains only the calling CPU's batch; mlock drains every CPU's
// (lru_add_drain_all in Linux's mm/mlock.c), so one mlock/munlock of a private page before
// MADV_FREE makes every released page really lazyfree, and smaps' LazyFree agree
// with our count. Cost: about 5 us per release (measured); best effort when
// RLIMIT_MEMLOCK forbids it.
static void drain_lru_batches(void) {
    static uint8_t page[SYS_PAGE_SIZE] __attribute__((aligned(SYS_PAGE_SIZE)));
    page[0] = 1;
    if (syscall(SYS_mlock, page, sizeof page) == 0) // ASan's mlock is a no-op
        syscall(SYS_munlock, page, sizeof page);
}

// Release rounds inward: only pages wholly inside [addr, addr+bytes) are released,
// so a neighbour's bytes are never dropped.
int sys_release(void *addr, size_t bytes, sys_release_mode_t mode) {
    uintptr_t lo = ((uintptr_t)addr + PAGE - 1) & ~(PAGE - 1);
    uintptr_t hi = ((uintptr_t)addr + bytes) & ~(PAGE - 1);
    if (bytes == 0)
        return 0;
    pthread_mutex_lock(&lock);
    lx_range_t *r = find_whole((uintptr_t)addr, bytes);
    if (!r || hi <= lo) {
        pthread_mutex_unlock(&lock);
        return r ? 0 : -1;
    }
    // LAB 5 BEGIN: the advice of each release mode (MADV_FREE needs the LRU batches drained)
    if (mode == SYS_RELEASE_FREE)
        drain_lru_batches();
    int advice = mode == SYS_RELEASE_FREE ? MADV_FREE : MADV_DONTNEED;
    // LAB 5 STUB
    // // Stub: both modes drop the pages at once.
    // (void)drain_lru_batches;
    // int advice = MADV_DONTNEED;
    // LAB 5 END
    if (madvise((void *)lo, hi - lo, advice) != 0)
        sys_panic("sys_release: madvise %p+%zu: errno %d", (void *)lo, (size_t)(hi - lo),
                  errno);
    if (mprotect((void *)lo, hi - lo, PROT_NONE) != 0)
        sys_panic("sys_release: mprotect %p+%zu: errno %d (vm.max_map_count?)",
                  (void *)lo, (size_t)(hi - lo), errno);
    uint8_t *m = r->map + (lo - r->base) / PAGE;
    size_t n = (hi - lo) / PAGE;
    // LAB 5 BEGIN: the state each mode leaves a released page in (reserved or lazily freed)
    if (mode == SYS_RELEASE_DONTNEED) {
        memset(m, LX_RESERVED, n);
    } else {
        // A never-committed page stays reserved: it has no frame to free lazily.
        for (size_t i = 0; i < n; i++)
            if (m[i] == LX_COMMITTED)
                m[i] = LX_LAZY;
    }
    // LAB 5 STUB
    // memset(m, LX_RESERVED, n); // stub: as the stub's advice, both modes
    // LAB 5 END
    pthread_mutex_unlock(&lock);
    return 0;
}

// ---- queries ---------------------------------------------------------------------

// States of npages pages of r from page first, one mincore call per CHUNK_PAGES.
static void range_states(const lx_range_t *r, size_t first, size_t npages, uint8_t *out) {
    unsigned char vec[CHUNK_PAGES];
    while (npages) {
        size_t n = npages < CHUNK_PAGES ? npages : CHUNK_PAGES;
        if (mincore((void *)(r->base + first * PAGE), n * PAGE, vec) != 0)
            sys_panic("mincore %p+%zu pages: errno %d", (void *)(r->base + first * PAGE),
                      n, errno);
        for (size_t i = 0; i < n; i++)
            out[i] = (uint8_t)combine(r->map[first + i], vec[i]);
        first += n;
        npages -= n;
        out += n;
    }
}

// Fills states for [lo, lo + npages pages); caller holds the lock.
static void query_locked(uintptr_t lo, size_t npages, uint8_t *states) {
    memset(states, SYS_PAGE_UNMAPPED, npages);
    uintptr_t hi = lo + npages * PAGE;
    for (size_t i = first_above(lo); i < nranges && ranges[i].base < hi; i++) {
        const lx_range_t *r = &ranges[i];
        uintptr_t a = r->base > lo ? r->base : lo;
        uintptr_t rend = r->base + r->npages * PAGE;
        uintptr_t b = rend < hi ? rend : hi;
        range_states(r, (a - r->base) / PAGE, (b - a) / PAGE, states + (a - lo) / PAGE);
    }
}

sys_page_state_t sys_query(const void *addr) {
    uint8_t s;
    pthread_mutex_lock(&lock);
    query_locked((uintptr_t)addr & ~(PAGE - 1), 1, &s);
    pthread_mutex_unlock(&lock);
    return (sys_page_state_t)s;
}

void sys_query_range(const void *addr, size_t npages, uint8_t *states) {
    pthread_mutex_lock(&lock);
    query_locked((uintptr_t)addr & ~(PAGE - 1), npages, states);
    pthread_mutex_unlock(&lock);
}

// Adds one page of state s to *out, with the nesting sys.h defines.
static void tally(sys_page_counts_t *out, uint8_t s) {
    switch (s) {
    case SYS_PAGE_RESIDENT: out->resident++; // fall through
    case SYS_PAGE_COMMITTED: out->committed++; out->reserved++; break;
    case SYS_PAGE_LAZYFREE: out->lazyfree++; out->resident++; out->reserved++; break;
    case SYS_PAGE_RESERVED: out->reserved++; break;
    default: break;
    }
}

// Counts the pages overlapping [addr, addr+bytes).
void sys_count(const void *addr, size_t bytes, sys_page_counts_t *out) {
    uint8_t buf[CHUNK_PAGES];
    uintptr_t lo = (uintptr_t)addr & ~(PAGE - 1);
    uintptr_t hi = ((uintptr_t)addr + bytes + PAGE - 1) & ~(PAGE - 1);
    pthread_mutex_lock(&lock);
    while (lo < hi) {
        size_t n = (hi - lo) / PAGE < CHUNK_PAGES ? (hi - lo) / PAGE : CHUNK_PAGES;
        // Skip gaps between ranges quickly instead of page by page.
        size_t i = first_above(lo);
        if (i == nranges)
            break;
        if (ranges[i].base > lo) {
            lo = ranges[i].base;
            continue;
        }
        query_locked(lo, n, buf);
        for (size_t k = 0; k < n; k++)
            tally(out, buf[k]);
        lo += n * PAGE;
    }
    pthread_mutex_unlock(&lock);
}

void sys_count_all(sys_page_counts_t *out) {
    uint8_t buf[CHUNK_PAGES];
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nranges; i++) {
        const lx_range_t *r = &ranges[i];
        for (size_t p = 0; p < r->npages; p += CHUNK_PAGES) {
            size_t n = r->npages - p < CHUNK_PAGES ? r->npages - p : CHUNK_PAGES;
            range_states(r, p, n, buf);
            for (size_t k = 0; k < n; k++)
                tally(out, buf[k]);
        }
    }
    pthread_mutex_unlock(&lock);
}

// dontneed unless the command line said madv=free.
sys_release_mode_t sys_default_release_mode(void) {
    const char *m = opt_str("madv");
    return m && strcmp(m, "free") == 0 ? SYS_RELEASE_FREE : SYS_RELEASE_DONTNEED;
}
