// The runtime panic path, size-class rounding and allocation counting shared by the
// Go-semantics modules (see gosem.h).
#include <stdio.h>
#include "rt/buffer.h"
#include "rt/defer.h"
#include "rt/fmt.h"
#include "rt/gosem.h"
#include "rt/iface.h"
#include "rt/json.h"
#include "rt/map.h"
#include "rt/slice.h"
#include "rt/str.h"
#include "mm/heap.h"
#include "sys/sys.h"

// Returns the mallocs since m and adds the operation to *c.
uint64_t gosem_op_end(gosem_opcount_t *c, gosem_mark_t m) {
    uint64_t n = gosem_mallocs() - m.mallocs;
    if (c) {
        c->calls++;
        c->mallocs += n;
        c->bytes += gosem_alloc_bytes() - m.bytes;
    }
    return n;
}

// Returns the average mallocs of fn over runs calls after one warm-up call.
uint64_t gosem_allocs_per_run(int runs, void (*fn)(void *), void *arg) {
    if (runs <= 0)
        rt_panic("gosem_allocs_per_run: runs %d", runs);
    fn(arg);
    uint64_t before = gosem_mallocs();
    for (int i = 0; i < runs; i++)
        fn(arg);
    return (gosem_mallocs() - before) / (uint64_t)runs;
}

// Prints one counter line.
void gosem_print_opcount(const char *name, const gosem_opcount_t *c) {
    unsigned long long per = c->calls ? c->mallocs / c->calls : 0;
    sys_printf("%s: calls=%llu mallocs=%llu bytes=%llu per_call=%llu\n", name,
               (unsigned long long)c->calls, (unsigned long long)c->mallocs,
               (unsigned long long)c->bytes, per);
}

// Returns the size-class-rounded size (mm/heap.c implements Go's table).
size_t gosem_roundupsize(size_t size) { return heap_roundupsize(size); }

// Prints one counter when it saw calls.
static void print_if(const char *name, const gosem_opcount_t *c) {
    if (c->calls)
        gosem_print_opcount(name, c);
}

// Prints all modules' per-operation counters.
void gosem_print_stats(void) {
    print_if("slice.make", &slice_stats.make);
    print_if("slice.grow", &slice_stats.grow);
    if (slice_stats.reallocs)
        sys_printf("slice: reallocs=%llu bytes_copied=%llu bytes_allocated=%llu\n",
                   (unsigned long long)slice_stats.reallocs,
                   (unsigned long long)slice_stats.bytes_copied,
                   (unsigned long long)slice_stats.bytes_allocated);
    print_if("str.to_string", &str_stats.to_string);
    print_if("str.to_bytes", &str_stats.to_bytes);
    print_if("str.concat", &str_stats.concat);
    print_if("iface.convT64", &iface_stats.convT64);
    print_if("iface.convT32", &iface_stats.convT32);
    print_if("iface.convT16", &iface_stats.convT16);
    print_if("iface.convTstring", &iface_stats.convTstring);
    print_if("iface.convTslice", &iface_stats.convTslice);
    print_if("iface.convT", &iface_stats.convT);
    print_if("iface.direct", &iface_stats.direct);
    print_if("map.make", &map_stats.make);
    print_if("map.assign", &map_stats.assign);
    print_if("map.access", &map_stats.access);
    print_if("map.delete", &map_stats.remove);
    print_if("map.clear", &map_stats.clear);
    print_if("buf.grow", &buf_stats.grow);
    print_if("defer.push", &defer_stats.push);
    print_if("defer.closure", &defer_stats.closure);
    print_if("fmt.sprintf", &fmt_stats.sprintf);
    print_if("fmt.append", &fmt_stats.append);
    print_if("json.decode", &json_stats.decode);
}
