// vm_range: a portable allocator of virtual address ranges inside a window [lo, hi),
// with a fixed table of named range descriptors and per-range page counters.
//
// The kernel hands it its runtime window (Go's arena hint area, 0x00c000000000 up,
// runtime/malloc.go) and implements sys_reserve with it; the counters are the ones
// the page-fault handler and the reclaimer keep. It uses no dynamic memory and no
// libc, and is not locked: one caller at a time (the kernel runs on one CPU).
//
// Placement is lowest fit: a reservation goes at the lowest address in the window
// where an aligned run of that size is free. Freed ranges coalesce with free
// neighbours, so the free list never holds two adjacent extents.
#ifndef SPANLAB_VM_RANGE_H
#define SPANLAB_VM_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/sys.h"

#define VM_MAX_RANGES 1024 // live descriptors; the free list holds at most one more
#define VM_NAME_LEN 24

// Counters of a range, or of the whole space. pages nests as sys.h says; the
// events (faults, reclaimed) only grow; pt_pages are page-table pages charged here.
typedef struct vm_counters {
    sys_page_counts_t pages;
    uint64_t faults;    // page faults taken (demand-zero maps)
    uint64_t reclaimed; // lazily freed frames taken back under pressure
    uint64_t pt_pages;  // page-table pages allocated for this range
} vm_counters_t;

typedef struct vm_range {
    uintptr_t base;  // 4 KiB aligned
    size_t npages;   // 4 KiB pages
    char name[VM_NAME_LEN];
    vm_counters_t c; // the kernel fills these; vm_reserve sets c.pages.reserved
    uint16_t slot;   // index in the descriptor table (internal)
    bool live;
} vm_range_t;

typedef struct vm_extent {
    uintptr_t base, end;
} vm_extent_t;

typedef struct vm_space {
    uintptr_t lo, hi;
    vm_range_t table[VM_MAX_RANGES];   // descriptors; addresses stay put while live
    uint16_t order[VM_MAX_RANGES];     // slots of live ranges, sorted by base
    size_t nlive;
    vm_extent_t free[VM_MAX_RANGES + 1]; // free extents, sorted, never adjacent
    size_t nfree;
    uint16_t spare[VM_MAX_RANGES];     // unused slots (a stack)
    size_t nspare;
    vm_counters_t retired; // events and page-table pages of ranges already freed
} vm_space_t;

// Makes s manage [lo, hi) (both 4 KiB aligned, lo < hi) with nothing reserved.
// Panics on a bad window.
void vm_init(vm_space_t *s, uintptr_t lo, uintptr_t hi);

// Reserves bytes (rounded up to 4 KiB) aligned to align (a power of two; values
// below 4 KiB mean 4 KiB) at the lowest fitting address, named name (truncated).
// Returns the range, or NULL when no free extent fits or the table is full.
vm_range_t *vm_reserve(vm_space_t *s, size_t bytes, size_t align, const char *name);

// Returns r's addresses to the free list (coalescing) and its descriptor to the
// table; its events and pt_pages are added to s->retired. Panics if r is not live.
void vm_free(vm_space_t *s, vm_range_t *r);

// The live range holding addr, or NULL. O(log n).
vm_range_t *vm_find(const vm_space_t *s, uintptr_t addr);

// The i-th live range in address order (i < vm_count(s)), or NULL.
vm_range_t *vm_nth(const vm_space_t *s, size_t i);
size_t vm_count(const vm_space_t *s);

// Sum of every live range's counters plus s->retired, written to *out.
void vm_total(const vm_space_t *s, vm_counters_t *out);

// Free address space left in the window, in bytes.
size_t vm_free_bytes(const vm_space_t *s);

// Checks the invariants (sorted, disjoint, inside the window, free extents never
// adjacent, live + free cover the window exactly); panics naming the first broken.
void vm_check(const vm_space_t *s);

#endif
