// The residency report (see residency.h): walks a range with sys_query_range in
// small batches, folds N pages into each map cell, and prints the map, totals and
// the PAGES line. It formats its own numbers so that it needs no libc beyond
// what sys.h gives, and keeps under 1 KiB of stack (it runs on kernel stacks).
#include "mm/residency.h"

#define BATCH 256 // pages per sys_query_range call
#define MIB (1u << 20)

static const char legend_text[] =
    "legend: R all resident  r partly resident  f lazily freed  c committed only  "
    ". reserved only\n";
static int legend_done;

// ---- a line buffer with number formatting ----------------------------------

typedef struct line {
    char buf[192];
    size_t n;
    vm_res_emit_t emit;
    void *ctx;
} line_t;

static void flush(line_t *l) {
    if (l->n)
        l->emit(l->buf, l->n, l->ctx);
    l->n = 0;
}

static void put_char(line_t *l, char c) {
    if (l->n == sizeof l->buf)
        flush(l);
    l->buf[l->n++] = c;
}

static void put_str(line_t *l, const char *s) {
    while (*s)
        put_char(l, *s++);
}

static void put_dec(line_t *l, uint64_t v) {
    char d[20];
    int i = 0;
    do {
        d[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        put_char(l, d[--i]);
}

static void put_hex(line_t *l, uint64_t v) {
    put_str(l, "0x");
    for (int s = 44; s >= 0; s -= 4) // 12 digits: every canonical user/arena address
        put_char(l, "0123456789abcdef"[(v >> s) & 15]);
}

// pages of 4 KiB as MiB with two decimals, rounded down.
static void put_mib(line_t *l, uint64_t pages) {
    uint64_t hundredths = pages * 100 / (MIB / SYS_PAGE_SIZE);
    put_dec(l, hundredths / 100);
    put_char(l, '.');
    put_char(l, (char)('0' + hundredths / 10 % 10));
    put_char(l, (char)('0' + hundredths % 10));
    put_str(l, " MiB");
}

// A range name as one token for machine lines (spaces become '_').
static void put_token(line_t *l, const char *s) {
    if (!s || !*s)
        s = "anon";
    for (; *s; s++)
        put_char(l, (*s == ' ' || *s == '\t' || *s == '=') ? '_' : *s);
}

// ---- cells -----------------------------------------------------------------------

size_t vm_res_cell_pages(size_t npages) {
    size_t n = 1;
    while ((npages + n - 1) / n > (size_t)VM_RES_COLUMNS * VM_RES_MAX_ROWS)
        n *= 2;
    return n;
}

char vm_res_cell_char(const sys_page_counts_t *c, size_t pages) {
    uint64_t live = c->resident - c->lazyfree; // resident and committed
    if (c->reserved == 0)
        return ' ';
    if (live && live == pages)
        return 'R';
    if (live)
        return 'r';
    if (c->lazyfree)
        return 'f';
    if (c->committed)
        return 'c';
    return '.';
}

static const char *color_of(char ch) {
    switch (ch) {
    case 'R': return "\033[1;32m"; // bright green
    case 'r': return "\033[33m";   // yellow
    case 'f': return "\033[35m";   // magenta
    case 'c': return "\033[36m";   // cyan
    default: return "\033[2m";     // dim
    }
}

static void add_state(sys_page_counts_t *c, uint8_t s) {
    switch (s) {
    case SYS_PAGE_RESIDENT: c->resident++; c->committed++; c->reserved++; break;
    case SYS_PAGE_COMMITTED: c->committed++; c->reserved++; break;
    case SYS_PAGE_LAZYFREE: c->lazyfree++; c->resident++; c->reserved++; break;
    case SYS_PAGE_RESERVED: c->reserved++; break;
    default: break;
    }
}

static void add_counts(sys_page_counts_t *to, const sys_page_counts_t *c) {
    to->reserved += c->reserved;
    to->committed += c->committed;
    to->resident += c->resident;
    to->lazyfree += c->lazyfree;
}

// ---- the report ------------------------------------------------------------------

void vm_res_pages_line(vm_res_emit_t emit, void *ctx, const char *name,
                       const sys_page_counts_t *c) {
    line_t l = {.emit = emit, .ctx = ctx};
    put_str(&l, "PAGES range=");
    put_token(&l, name);
    put_str(&l, " reserved=");
    put_dec(&l, c->reserved);
    put_str(&l, " committed=");
    put_dec(&l, c->committed);
    put_str(&l, " resident=");
    put_dec(&l, c->resident);
    put_str(&l, " lazyfree=");
    put_dec(&l, c->lazyfree);
    put_char(&l, '\n');
    flush(&l);
}

// Fills cells[0..ncells) for [base, base + npages pages), per_cell pages a cell
// (the last cell may be short), adding every page's state to *total.
static void fill_cells(uintptr_t base, size_t npages, size_t per_cell, char *cells,
                       sys_page_counts_t *total) {
    uint8_t states[BATCH];
    size_t ncells = (npages + per_cell - 1) / per_cell;
    size_t page = 0, have = 0, used = 0; // states[used..have) are pages page-have+used..
    for (size_t cell = 0; cell < ncells; cell++) {
        sys_page_counts_t c = {0};
        size_t in_cell = npages - cell * per_cell < per_cell ? npages - cell * per_cell
                                                             : per_cell;
        for (size_t k = 0; k < in_cell; k++) {
            if (used == have) {
                have = npages - page < BATCH ? npages - page : BATCH;
                sys_query_range((const void *)(base + page * SYS_PAGE_SIZE), have, states);
                page += have;
                used = 0;
            }
            add_state(&c, states[used++]);
        }
        if (total)
            add_counts(total, &c);
        cells[cell] = vm_res_cell_char(&c, in_cell);
    }
}

void vm_res_cells(const void *addr, size_t npages, size_t per_cell, char *cells,
                  sys_page_counts_t *total) {
    fill_cells((uintptr_t)addr & ~(uintptr_t)(SYS_PAGE_SIZE - 1), npages,
               per_cell ? per_cell : 1, cells, total);
}

// Prints one map row: the address, the cells (coloured with VM_RES_COLOR), and under
// it the row of marks when it has any non-blank one.
static void put_row(line_t *l, uintptr_t addr, const char *cells, const char *marks, size_t n,
                    unsigned flags) {
    put_str(l, "  ");
    put_hex(l, addr);
    put_char(l, ' ');
    char last = 0;
    for (size_t i = 0; i < n; i++) {
        if ((flags & VM_RES_COLOR) && cells[i] != last)
            put_str(l, color_of(cells[i]));
        last = cells[i];
        put_char(l, cells[i]);
    }
    if (flags & VM_RES_COLOR)
        put_str(l, "\033[0m");
    put_char(l, '\n');
    flush(l);
    size_t blank = 0;
    while (marks && blank < n && marks[blank] == ' ')
        blank++;
    if (!marks || blank == n)
        return;
    put_str(l, "                 "); // under "  0x" and 12 digits and the space
    for (size_t i = 0; i < n; i++)
        put_char(l, marks[i]);
    put_char(l, '\n');
    flush(l);
}

// Prints the map rows of [base, base + npages pages), adding every page to *total;
// copies the cells to o->cells_out when asked.
static void map_rows(line_t *l, uintptr_t base, size_t npages, size_t per_cell,
                     unsigned flags, const vm_res_opts_t *o, sys_page_counts_t *total) {
    char cells[VM_RES_COLUMNS];
    size_t ncells = (npages + per_cell - 1) / per_cell;
    for (size_t row = 0; row * VM_RES_COLUMNS < ncells; row++) {
        size_t first = row * VM_RES_COLUMNS;
        size_t n = ncells - first < VM_RES_COLUMNS ? ncells - first : VM_RES_COLUMNS;
        size_t pages = npages - first * per_cell;
        if (pages > n * per_cell)
            pages = n * per_cell;
        uintptr_t addr = base + (uint64_t)first * per_cell * SYS_PAGE_SIZE;
        fill_cells(addr, pages, per_cell, cells, total);
        for (size_t i = 0; o && o->cells_out && i < n && first + i < o->cells_cap; i++)
            o->cells_out[first + i] = cells[i];
        put_row(l, addr, cells, o && o->marks ? o->marks + first : NULL, n, flags);
    }
}

// Counts [base, base + npages pages) without drawing.
static void count_only(uintptr_t base, size_t npages, sys_page_counts_t *total) {
    uint8_t states[BATCH];
    for (size_t p = 0; p < npages; p += BATCH) {
        size_t n = npages - p < BATCH ? npages - p : BATCH;
        sys_query_range((const void *)(base + p * SYS_PAGE_SIZE), n, states);
        for (size_t k = 0; k < n; k++)
            add_state(total, states[k]);
    }
}

static void put_total(line_t *l, const char *what, uint64_t pages) {
    put_str(l, what);
    put_dec(l, pages);
    put_str(l, " pages (");
    put_mib(l, pages);
    put_char(l, ')');
}

void vm_res_report_to(vm_res_emit_t emit, void *ctx, const char *name, const void *addr,
                      size_t bytes, unsigned flags, sys_page_counts_t *out) {
    vm_res_report_opts(emit, ctx, name, addr, bytes, flags, NULL, out);
}

void vm_res_report_opts(vm_res_emit_t emit, void *ctx, const char *name, const void *addr,
                        size_t bytes, unsigned flags, const vm_res_opts_t *o,
                        sys_page_counts_t *out) {
    line_t l = {.emit = emit, .ctx = ctx};
    uintptr_t base = (uintptr_t)addr & ~(uintptr_t)(SYS_PAGE_SIZE - 1);
    size_t npages = ((uintptr_t)addr + bytes - base + SYS_PAGE_SIZE - 1) / SYS_PAGE_SIZE;
    sys_page_counts_t total = {0};
    if (flags & VM_RES_NOMAP) {
        count_only(base, npages, &total);
    } else {
        if (!legend_done || (flags & VM_RES_LEGEND)) {
            put_str(&l, legend_text);
            legend_done = 1;
        }
        size_t per_cell = o && o->cell_pages ? o->cell_pages : vm_res_cell_pages(npages);
        put_str(&l, "residency ");
        put_str(&l, name ? name : "anon");
        put_str(&l, " [");
        put_hex(&l, base);
        put_str(&l, ", ");
        put_hex(&l, base + (uint64_t)npages * SYS_PAGE_SIZE);
        put_str(&l, "): ");
        put_dec(&l, npages);
        put_str(&l, " pages, one cell = ");
        put_dec(&l, per_cell);
        put_str(&l, per_cell == 1 ? " page (" : " pages (");
        put_dec(&l, per_cell * 4);
        put_str(&l, " KiB)\n");
        flush(&l);
        map_rows(&l, base, npages, per_cell, flags, o, &total);
    }
    put_total(&l, "  reserved ", total.reserved);
    put_total(&l, ", committed ", total.committed);
    put_char(&l, '\n');
    put_total(&l, "  resident ", total.resident);
    put_total(&l, ", lazyfree ", total.lazyfree);
    put_char(&l, '\n');
    flush(&l);
    vm_res_pages_line(emit, ctx, name, &total);
    if (out)
        *out = total;
}

static void to_console(const char *text, size_t len, void *ctx) {
    sys_write(text, len);
}

void vm_res_report(const char *name, const void *addr, size_t bytes, unsigned flags) {
    vm_res_report_to(to_console, NULL, name, addr, bytes, flags, NULL);
}
