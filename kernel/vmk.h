// vmk: the kernel's page layer (sys_reserve ... sys_count on our own page tables).
// The ranges and their counters live in a vm_space_t (kernel/vm_range.h); the page
// tables are the truth about every page (see kernel/paging.h for the PTE bits):
//   reserved  no PTE (or 0)           committed  PTE_DEMAND, not present
//   resident  present, writable        lazyfree   present, read-only, PTE_LAZY
// Counters change with every transition so they are exact; vmk_check_range
// recounts a range from the page tables and compares.
#ifndef SPANLAB_KERNEL_VMK_H
#define SPANLAB_KERNEL_VMK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vm_range.h"
#include "sys/sys.h"

// Below this many free frames, lazily freed frames are reclaimed before any
// frame is handed out (page-table pages need a little slack).
#define VMK_LOW_WATER 64
// Frames reclaimed per pass when the low-water mark is hit.
#define VMK_RECLAIM_BATCH 256

// Sets up the runtime window [PT_RUNTIME_BASE, PT_RUNTIME_END).
void vmk_init(void);

// The range holding addr, or NULL.
vm_range_t *vmk_find(uintptr_t addr);
// The i-th live range in address order, or NULL.
vm_range_t *vmk_nth(size_t i);

// Returns a frame for `what` (a fault at addr, a page table ...): reclaims lazily
// freed frames when free frames run low, and ends the run with the out-of-memory
// report when none is left. Never returns PG_NONE.
uint64_t vmk_alloc_frame(const char *what, uintptr_t addr);

// Counts [addr, addr+bytes) from the page tables alone (no counters), adding to
// *out; also verifies every present PTE's frame is allocated in pg_. Returns the
// number of frames found free in pg_ (0 when consistent).
uint64_t vmk_walk_counts(uintptr_t addr, size_t bytes, sys_page_counts_t *out);

// Recounts r from its page tables and compares with its counters; prints any
// difference. Returns true when they agree exactly.
bool vmk_check_range(const vm_range_t *r);

// Totals over every range (live and retired) plus kernel-wide events.
void vmk_totals(vm_counters_t *out);
uint64_t vmk_lazy_total(void);
uint64_t vmk_reclaimed_total(void);

// The message of rt's fault explainer for addr (sys_set_fault_explainer), or NULL.
const char *sys_kernel_explain_fault(uintptr_t addr);

// Prints the totals line (ranges, page states, frames, page tables, events).
void vmk_print_totals(const char *prefix);

#endif
