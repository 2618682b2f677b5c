// The labelled residency maps: each heap arena's map on its scenario's scale (the
// same pages per cell for every variant, so buggy and fixed line up cell for cell),
// with a row of marks under each map row saying which large object lies there:
// one letter per allocation site and type (A for the largest live object's, B for
// the next site ...), from the profiler's tracking of large objects
// (prof_large_objects; large = more than 32 KiB, an object with its own span).
// A cell shows the mark of the object that covers most of it; neighbouring objects
// of one site alternate upper and lower case (AAAAaaaaAAAA: three objects).
//
// Machine lines, after the human maps (tools/report.py draws them):
//   MAP bug=NN variant=V arena=I base=0x.. pages=N cell_pages=K cells=<a char per
//       cell, the map's> marks=<a char per cell, '-' where no object is marked>
//   MAPKEY bug=NN variant=V mark=A site=os.ReadFile type=[]uint8 objects=N bytes=B
//   OBJ bug=NN variant=V mark=A arena=I addr=0x.. bytes=B site=.. type=..
// Pages are 4 KiB. OBJ lines list the OBJ_LINES largest objects; MAPKEY counts
// every marked one.
#include "scenarios/maps.h"

#include <stdio.h>
#include <string.h>
#include "mm/heap.h"
#include "mm/residency.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "sys/sys.h"

#define MAX_ARENAS 16
#define MAX_CELLS 4096   // cells of one arena's map (a larger arena doubles its cells)
#define MAX_OBJECTS 1024 // live large objects considered, largest first
#define MAX_MARKS 12     // sites with a letter: A..L
#define OBJ_LINES 32

typedef struct map_key {
    char mark;
    const prof_object_t *first; // its largest object (site, type)
    size_t objects;
    uint64_t bytes;
} map_key_t;

static prof_object_t objs[MAX_OBJECTS];
static char obj_mark[MAX_OBJECTS]; // each object's letter, 0 = unmarked
static size_t nobjs;
static map_key_t keys[MAX_MARKS];
static size_t nkeys;
static char cells[MAX_CELLS], marks[MAX_CELLS];
static size_t best[MAX_CELLS]; // bytes of the cell covered by the object marked there

size_t sc_map_cell_pages(const sc_scenario_t *s) {
    uint64_t pages = sc_ram_needed(s) / SYS_PAGE_SIZE;
    return vm_res_cell_pages(pages ? (size_t)pages : 1);
}

// ---- marks --------------------------------------------------------------------------

static bool same_str(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

// Lower-cases the marks of every second object of each letter in address order, so
// that neighbouring objects of one site stay apart on the map.
static void alternate_case(void) {
    for (size_t i = 0; i < nobjs; i++) {
        size_t below = 0; // objects with the same letter at lower addresses
        char upper = (char)(obj_mark[i] & ~0x20); // letters only: 0 stays 0
        for (size_t j = 0; upper && j < nobjs; j++)
            below += (obj_mark[j] & ~0x20) == upper && objs[j].addr < objs[i].addr;
        if (below % 2)
            obj_mark[i] = (char)(upper - 'A' + 'a');
    }
}

// Gives every object the letter of its site and type, new letters in size order.
static void assign_marks(void) {
    nkeys = 0;
    for (size_t i = 0; i < nobjs; i++) {
        const prof_object_t *o = &objs[i];
        size_t k = 0;
        while (k < nkeys && !(same_str(keys[k].first->site, o->site) &&
                              same_str(keys[k].first->type, o->type) &&
                              keys[k].first->array == o->array))
            k++;
        if (k == nkeys && nkeys < MAX_MARKS)
            keys[nkeys++] = (map_key_t){.mark = (char)('A' + k), .first = o};
        obj_mark[i] = k < nkeys ? keys[k].mark : 0;
        if (k < nkeys) {
            keys[k].objects++;
            keys[k].bytes += o->size;
        }
    }
    alternate_case();
}

// Fills marks[0..ncells) for the arena at base: each cell takes the letter of the
// marked object covering most of it.
static void paint_marks(uintptr_t base, size_t ncells, size_t per_cell) {
    size_t cell_bytes = per_cell * SYS_PAGE_SIZE;
    uintptr_t end = base + ncells * cell_bytes;
    memset(marks, ' ', ncells);
    memset(best, 0, ncells * sizeof best[0]);
    for (size_t i = 0; i < nobjs; i++) {
        uintptr_t lo = objs[i].addr, hi = objs[i].addr + objs[i].size;
        if (!obj_mark[i] || hi <= base || lo >= end)
            continue;
        lo = lo < base ? base : lo;
        hi = hi > end ? end : hi;
        for (size_t c = (lo - base) / cell_bytes; c * cell_bytes + base < hi; c++) {
            uintptr_t clo = base + c * cell_bytes, chi = clo + cell_bytes;
            size_t cover = (hi < chi ? hi : chi) - (lo > clo ? lo : clo);
            if (cover > best[c]) {
                best[c] = cover;
                marks[c] = obj_mark[i];
            }
        }
    }
}

// ---- machine lines ----------------------------------------------------------------------

// The object's type as Go writes it: []T for a backing array, "bytes" when untyped.
static const char *type_text(const prof_object_t *o, char *buf, size_t len) {
    snprintf(buf, len, "%s%s", o->array ? "[]" : "", o->type ? o->type : "bytes");
    return buf;
}

// Prints s as one token (blanks and '=' become '_'); "-" when empty.
static void put_token(const char *s) {
    char buf[128];
    size_t n = 0;
    for (; s && *s && n < sizeof buf; s++)
        buf[n++] = (*s == ' ' || *s == '=' || *s == '\t') ? '_' : *s;
    sys_write(n ? buf : "-", n ? n : 1);
}


static void map_line(const sc_run_t *r, size_t arena, uintptr_t base, size_t npages,
                     size_t per_cell, size_t ncells) {
    sys_printf("MAP bug=%02d variant=%s arena=%zu base=0x%llx pages=%zu cell_pages=%zu cells=",
               r->scenario->number, r->variant->name, arena, (unsigned long long)base, npages,
               per_cell);
    sys_write(cells, ncells);
    for (size_t c = 0; c < ncells; c++)
        marks[c] = marks[c] == ' ' ? '-' : marks[c];
    sys_write(" marks=", 7);
    sys_write(marks, ncells);
    sys_write("\n", 1);
}

// The arena holding addr (index into bases/bytes), or -1.
static int arena_of(uintptr_t addr, const uintptr_t *bases, const size_t *bytes, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (addr >= bases[i] && addr < bases[i] + bytes[i])
            return (int)i;
    return -1;
}

// The legend under the maps, then MAPKEY and OBJ lines.
static void legend(const sc_run_t *r, const uintptr_t *bases, const size_t *bytes, size_t n) {
    if (nkeys == 0)
        return;
    sys_printf("  marks: allocation sites of the live objects above 32 KiB (%zu objects)\n", nobjs);
    char type[80];
    for (size_t k = 0; k < nkeys; k++)
        sys_printf("    %c  %-28s %-16s %5zu object%s %9.1f MiB\n", keys[k].mark,
                   keys[k].first->site, type_text(keys[k].first, type, sizeof type),
                   keys[k].objects, keys[k].objects == 1 ? " " : "s",
                   (double)keys[k].bytes / (1024.0 * 1024.0));
    for (size_t k = 0; k < nkeys; k++) {
        sys_printf("MAPKEY bug=%02d variant=%s mark=%c site=", r->scenario->number,
                   r->variant->name, keys[k].mark);
        put_token(keys[k].first->site);
        sys_write(" type=", 6);
        put_token(type_text(keys[k].first, type, sizeof type));
        sys_printf(" objects=%zu bytes=%llu\n", keys[k].objects,
                   (unsigned long long)keys[k].bytes);
    }
    for (size_t i = 0; i < nobjs && i < OBJ_LINES; i++) {
        if (!obj_mark[i])
            continue;
        sys_printf("OBJ bug=%02d variant=%s mark=%c arena=%d addr=0x%llx bytes=%zu site=",
                   r->scenario->number, r->variant->name, obj_mark[i],
                   arena_of(objs[i].addr, bases, bytes, n), (unsigned long long)objs[i].addr,
                   objs[i].size);
        put_token(objs[i].site);
        sys_write(" type=", 6);
        put_token(type_text(&objs[i], type, sizeof type));
        sys_write("\n", 1);
    }
}

// ---- the maps ---------------------------------------------------------------------------

static void to_console(const char *text, size_t len, void *ctx) {
    (void)ctx;
    sys_write(text, len);
}

void sc_report_maps(const sc_run_t *r) {
    uintptr_t bases[MAX_ARENAS];
    size_t bytes[MAX_ARENAS];
    size_t n = heap_arena_ranges(bases, bytes, MAX_ARENAS);
    nobjs = prof_large_objects(objs, MAX_OBJECTS);
    assign_marks();
    for (size_t i = 0; i < n && i < MAX_ARENAS; i++) {
        size_t npages = bytes[i] / SYS_PAGE_SIZE;
        size_t per_cell = sc_map_cell_pages(r->scenario);
        while ((npages + per_cell - 1) / per_cell > MAX_CELLS)
            per_cell *= 2; // an arena far above the scenario's RAM need: coarser cells
        size_t ncells = (npages + per_cell - 1) / per_cell;
        paint_marks(bases[i], ncells, per_cell);
        char name[32];
        snprintf(name, sizeof name, "arena%zu", i);
        vm_res_opts_t o = {.cell_pages = per_cell, .marks = marks, .cells_out = cells,
                           .cells_cap = MAX_CELLS};
        vm_res_report_opts(to_console, NULL, name, (const void *)bases[i], bytes[i], 0, &o, NULL);
        map_line(r, i, bases[i], npages, per_cell, ncells);
    }
    if (n > MAX_ARENAS)
        sys_printf("  | (%zu more arenas not shown)\n", n - MAX_ARENAS);
    legend(r, bases, bytes, n < MAX_ARENAS ? n : MAX_ARENAS);
}
