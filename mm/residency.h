// The residency report: for any address range, an ASCII map of its page states,
// totals in pages and MiB, and one machine line
//   PAGES range=NAME reserved=N committed=N resident=N lazyfree=N
// (4 KiB pages, integers). Built on sys.h alone (sys_query_range), so the kernel
// and the hosted build print the same report from their own page tables / mincore.
//
// Map cells (one per N pages: N the smallest power of two that fits the range in
// VM_RES_MAX_ROWS lines of 64 cells, or the caller's N so that maps line up; an
// optional row of marks under each map row says, e.g., which object lies there):
//   R  every page resident        r  some pages resident
//   f  lazily freed (no resident page, at least one lazyfree)
//   c  committed, nothing resident     .  reserved only     (space) not reserved
#ifndef SPANLAB_RESIDENCY_H
#define SPANLAB_RESIDENCY_H

#include <stddef.h>
#include <stdint.h>

#include "sys/sys.h"

#define VM_RES_COLUMNS 64
#define VM_RES_MAX_ROWS 16

// Flags for the report.
#define VM_RES_COLOR 1u  // ANSI colours per state (framebuffer console); plain by default
#define VM_RES_LEGEND 2u // print the legend even if it was printed already
#define VM_RES_NOMAP 4u  // totals and the PAGES line only

// Receives report text (not NUL-terminated) as it is produced.
typedef void (*vm_res_emit_t)(const char *text, size_t len, void *ctx);

// Pages per map cell for a range of npages (a power of two, >= 1).
size_t vm_res_cell_pages(size_t npages);

// The map character for a cell whose pages have these counts (see the header);
// `pages` is how many pages the cell covers, unmapped ones included.
char vm_res_cell_char(const sys_page_counts_t *c, size_t pages);

// Writes the report for [addr, addr+bytes) named name to emit, and the counts to
// *out when out is not NULL. The legend goes out with the first report of the run
// (or with VM_RES_LEGEND).
void vm_res_report_to(vm_res_emit_t emit, void *ctx, const char *name, const void *addr,
                      size_t bytes, unsigned flags, sys_page_counts_t *out);

// The same report on the console (sys_write).
void vm_res_report(const char *name, const void *addr, size_t bytes, unsigned flags);

// Fills cells[0..ceil(npages / per_cell)) with the map characters of the cells of
// per_cell pages from addr (the last cell may be short), and adds every page's state
// to *total when total is not NULL.
void vm_res_cells(const void *addr, size_t npages, size_t per_cell, char *cells,
                  sys_page_counts_t *total);

// Choices for vm_res_report_opts (zero = as vm_res_report_to).
typedef struct vm_res_opts {
    size_t cell_pages; // pages per cell (0: the smallest that fits VM_RES_MAX_ROWS rows),
                       // so that maps of different ranges line up cell for cell
    const char *marks; // NULL, or one character per cell printed under each map row
                       // (rows whose marks are all blanks are not printed)
    char *cells_out;   // NULL, or receives the cell characters (up to cells_cap)
    size_t cells_cap;
} vm_res_opts_t;

// vm_res_report_to with these choices.
void vm_res_report_opts(vm_res_emit_t emit, void *ctx, const char *name, const void *addr,
                        size_t bytes, unsigned flags, const vm_res_opts_t *o,
                        sys_page_counts_t *out);

// Writes the PAGES machine line for counts c to emit.
void vm_res_pages_line(vm_res_emit_t emit, void *ctx, const char *name,
                       const sys_page_counts_t *c);

#endif
