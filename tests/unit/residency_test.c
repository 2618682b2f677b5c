// Tests of the residency report (mm/residency.c) on the hosted sys: the map text,
// totals and PAGES line for ranges put into known states with real pages.
#include "mm/residency.h"
#include "tests/unit/test.h"

#define PG ((size_t)SYS_PAGE_SIZE)

static char out[1 << 16];
static size_t outn;

static void capture(const char *text, size_t len, void *ctx) {
    assert_true(outn + len < sizeof out);
    memcpy(out + outn, text, len);
    outn += len;
    out[outn] = 0;
}

static const char *report(const char *name, void *p, size_t bytes, unsigned flags,
                          sys_page_counts_t *c) {
    outn = 0;
    out[0] = 0;
    vm_res_report_to(capture, NULL, name, p, bytes, flags, c);
    return out;
}

static void res_cell_size_fits_sixteen_rows_of_64(void **st) {
    assert_int_equal(vm_res_cell_pages(64), 1);
    assert_int_equal(vm_res_cell_pages(1024), 1);
    assert_int_equal(vm_res_cell_pages(1025), 2);
    assert_int_equal(vm_res_cell_pages(262144), 256); // 1 GiB: one cell per MiB
    assert_int_equal(vm_res_cell_pages(262145), 512);
}

static void res_cell_char_follows_the_legend(void **st) {
    sys_page_counts_t all = {.reserved = 4, .committed = 4, .resident = 4};
    sys_page_counts_t part = {.reserved = 4, .committed = 4, .resident = 1};
    sys_page_counts_t lazy = {.reserved = 4, .committed = 0, .resident = 2, .lazyfree = 2};
    sys_page_counts_t com = {.reserved = 4, .committed = 3};
    sys_page_counts_t res = {.reserved = 4};
    sys_page_counts_t none = {0};
    assert_int_equal(vm_res_cell_char(&all, 4), 'R');
    assert_int_equal(vm_res_cell_char(&part, 4), 'r');
    assert_int_equal(vm_res_cell_char(&lazy, 4), 'f');
    assert_int_equal(vm_res_cell_char(&com, 4), 'c');
    assert_int_equal(vm_res_cell_char(&res, 4), '.');
    assert_int_equal(vm_res_cell_char(&none, 4), ' ');
}

static void res_map_shows_each_state_of_known_pages(void **st) {
    uint8_t *p = sys_reserve(64 * PG, PG, "known range");
    sys_commit(p, 32 * PG);
    for (size_t i = 0; i < 16; i++)
        p[i * PG] = 1;
    sys_release(p + 8 * PG, 4 * PG, SYS_RELEASE_FREE);
    sys_page_counts_t c;
    const char *t = report("known range", p, 64 * PG, VM_RES_LEGEND, &c);
    assert_non_null(strstr(t, "legend: R all resident"));
    assert_non_null(strstr(t, "64 pages, one cell = 1 page (4 KiB)\n"));
    assert_non_null(
        strstr(t, " RRRRRRRRffffRRRRcccccccccccccccc................................\n"));
    assert_non_null(strstr(t, "  reserved 64 pages (0.25 MiB), committed 28 pages (0.10 MiB)\n"));
    assert_non_null(strstr(t, "  resident 16 pages (0.06 MiB), lazyfree 4 pages (0.01 MiB)\n"));
    assert_non_null(
        strstr(t, "PAGES range=known_range reserved=64 committed=28 resident=16 lazyfree=4\n"));
    assert_int_equal(c.resident, 16);
    assert_null(strchr(t, '\033')); // plain unless asked

    // The legend is printed once; colour only on request.
    t = report("known", p, 64 * PG, VM_RES_COLOR, NULL);
    assert_null(strstr(t, "legend:"));
    assert_non_null(strstr(t, "\033[1;32mRRRRRRRR\033[35mffff"));
    assert_non_null(strstr(t, "\033[0m\n"));
    sys_unreserve(p, 64 * PG);
}

static void res_map_folds_pages_into_cells_for_big_ranges(void **st) {
    size_t n = 4096; // 4 pages a cell, 1024 cells, 16 rows
    uint8_t *p = sys_reserve(n * PG, PG, "big");
    sys_commit(p, n * PG);
    for (size_t i = 0; i < 8; i++) // cells 0, 1: every page
        p[i * PG] = 1;
    p[8 * PG] = 1; // cell 2: one page of four
    const char *t = report("big", p, n * PG, 0, NULL);
    assert_non_null(strstr(t, "4096 pages, one cell = 4 pages (16 KiB)\n"));
    assert_non_null(strstr(t, " RRrccc"));
    size_t rows = 0;
    for (const char *s = t; (s = strstr(s, "\n  0x")) != NULL; s++)
        rows++;
    assert_int_equal(rows, 16);
    assert_non_null(strstr(t, "PAGES range=big reserved=4096 committed=4096 resident=9 lazyfree=0"));
    sys_unreserve(p, n * PG);
}

static void res_nomap_prints_totals_and_pages_line_only(void **st) {
    uint8_t *p = sys_reserve(16 * PG, PG, "quiet");
    sys_commit(p, 16 * PG);
    p[0] = 1;
    sys_release(p, PG, SYS_RELEASE_DONTNEED);
    const char *t = report("quiet", p, 16 * PG, VM_RES_NOMAP, NULL);
    assert_null(strstr(t, "residency"));
    assert_non_null(strstr(t, "PAGES range=quiet reserved=16 committed=15 resident=0 lazyfree=0\n"));
    sys_unreserve(p, 16 * PG);
}

static void res_pages_outside_any_range_are_blank_and_uncounted(void **st) {
    uint8_t *p = sys_reserve(8 * PG, PG, "edge");
    // Report 8 pages starting 4 pages before the range: 4 blank cells.
    const char *t = report("edge", p - 4 * PG, 8 * PG, 0, NULL);
    assert_non_null(strstr(t, "     ....\n"));
    assert_non_null(strstr(t, "reserved=4 committed=0"));
    sys_unreserve(p, 8 * PG);
}

// A caller's scale, marks under the rows that have any, and the cells handed back:
// the same characters vm_res_cells gives.
static void res_opts_fix_the_scale_and_print_marks(void **st) {
    uint8_t *p = sys_reserve(512 * PG, PG, "opts range");
    sys_commit(p, 256 * PG);
    for (size_t i = 0; i < 64; i++)
        p[i * PG] = 1;
    char marks[128], cells[128], again[128];
    memset(marks, ' ', sizeof marks);
    memset(marks + 2, 'A', 3); // row 0 only
    vm_res_opts_t o = {.cell_pages = 4, .marks = marks, .cells_out = cells, .cells_cap = 128};
    outn = 0;
    out[0] = 0;
    vm_res_report_opts(capture, NULL, "opts range", p, 512 * PG, 0, &o, NULL);
    assert_non_null(strstr(out, "512 pages, one cell = 4 pages (16 KiB)\n"));
    const char *row0 = strstr(out, "RRRRRRRRRRRRRRRRcccc"); // 64 resident pages = 16 cells
    assert_non_null(row0);
    const char *next = strchr(row0, '\n') + 1;
    assert_memory_equal(next, "                   AAA  ", 24); // under cells 2..4
    const char *row1 = strchr(next, '\n') + 1;
    assert_memory_equal(row1, "  0x", 4); // row 1: no marks, no mark row
    assert_null(strstr(strchr(row1, '\n') + 1, "AAA"));
    vm_res_cells(p, 512, 4, again, NULL);
    assert_memory_equal(cells, again, 128);
    assert_int_equal(cells[0], 'R');
    assert_int_equal(cells[16], 'c');
    assert_int_equal(cells[127], '.');
    sys_unreserve(p, 512 * PG);
}

RUN_TESTS(cmocka_unit_test(res_opts_fix_the_scale_and_print_marks),
          cmocka_unit_test(res_cell_size_fits_sixteen_rows_of_64),
          cmocka_unit_test(res_cell_char_follows_the_legend),
          cmocka_unit_test(res_map_shows_each_state_of_known_pages),
          cmocka_unit_test(res_map_folds_pages_into_cells_for_big_ranges),
          cmocka_unit_test(res_nomap_prints_totals_and_pages_line_only),
          cmocka_unit_test(res_pages_outside_any_range_are_blank_and_uncounted))
