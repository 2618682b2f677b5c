// Shared state of the hosted sys (sys/linux_pages.c, linux_rt.c, linux_fault.c, ...):
// the table of reserved ranges and their software page-state maps. Only the
// hosted build includes this; nothing above sys.h may.
#ifndef SPANLAB_LINUX_INTERNAL_H
#define SPANLAB_LINUX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sys/sys.h"

// The software state of one 4 KiB page; residency is never stored, mincore answers it.
enum {
    LX_RESERVED = 0,  // PROT_NONE, no frame (fresh, or released with DONTNEED)
    LX_COMMITTED = 1, // PROT_READ|PROT_WRITE
    LX_LAZY = 2,      // released with MADV_FREE, PROT_NONE; frame until reclaim
};

#define LX_MAX_RANGES 4096
#define LX_NAME_LEN 32

typedef struct lx_range {
    uintptr_t base;   // page aligned
    size_t npages;    // 4 KiB pages
    uint8_t *map;     // npages LX_* bytes (its own anonymous mapping)
    char name[LX_NAME_LEN];
} lx_range_t;

// The range holding addr, or NULL. Takes no lock: the fault handler calls it.
const lx_range_t *lx_find(uintptr_t addr);

// Writes the sys state of page `page` of r (one mincore call). Lock-free, best effort.
sys_page_state_t lx_page_state(const lx_range_t *r, size_t page);

// Names a state for diagnostics ("reserved", "committed", ...).
const char *lx_state_name(sys_page_state_t s);

// Installs the SIGSEGV/SIGBUS diagnostic handler (idempotent). linux_fault.c.
void lx_fault_install(void);
// Gives the calling thread an alternate signal stack unless it has one (ASan may):
// the fault handler and the tick run there (SA_ONSTACK), never on a goroutine stack.
void lx_ensure_alt_stack(void);

// Async-signal-safe formatting helpers for the fault and panic paths. linux_rt.c.
void lx_write_str(const char *s);
void lx_write_hex(uintptr_t v);
void lx_write_dec(uint64_t v);
void lx_backtrace(void);

// Records main()'s frame as the top of its thread's stack (sys_stack_top). linux_stack.c.
void lx_set_main_stack_top(const void *top);

#endif
