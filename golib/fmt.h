// fmt: a Sprintf whose arguments arrive boxed as interfaces, as Go's
// fmt.Sprintf(format string, a ...any) receives them, so the boxing cost happens at
// the call site exactly as in Go (iface.h: convT64 allocates only for values >= 256),
// and an append-style typed formatter (strconv.AppendInt and friends) that boxes
// nothing.
//
// What Sprintf itself allocates, as Go 1.19: the printer and its buffer come from a
// pool (fmt/print.go ppFree, amortized: no allocation; here a static buffer, grown on
// the heap only past 64 KiB), and the result is string(p.buf): one allocation of the
// result's length, none for a result of 0 or 1 bytes (runtime/string.go). So with Go
// 1.19, Sprintf("%d", n) costs 2 allocations for n >= 256 and 0 for n = 7 (measured
// with testing.AllocsPerRun).
//
// Verbs: %v %d %s %q %x %X %o %b %c %t %p %f %F %e %E %g %G %%, flags - + # 0 space,
// width and precision (numbers or *), Go's error forms (%!d(string=hi), %!d(MISSING),
// %!(EXTRA int=5), <nil>). Slices of int, int64, uint64, int32, uint8/byte, bool,
// string and float64 print as Go's ([1 2 3]; []byte as text for %s %q %x); other
// slices and structs print their type name (the descriptors carry no field names).
#ifndef SPANLAB_RT_FMT_H
#define SPANLAB_RT_FMT_H

#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

typedef struct gofmt_stats {
    opcount_t sprintf; // what Sprintf allocated (not the boxing of its arguments)
    opcount_t append;  // typed appends (growth of the destination only)
} gofmt_stats_t;
extern gofmt_stats_t gofmt_stats;
void gofmt_stats_reset(void);
// Releases the pooled printer (a fresh runtime, or after a panic left it busy).
void gofmt_reset(void);

// fmt.Sprintf(format, args[0..nargs)...): the result as a new Go string.
gostring_t gofmt_sprintf(const char *format, const goiface_t *args, int nargs);

// FMT_SPRINTF("%d-%s", iface_box_int(n), iface_box_string(s))
#define FMT_SPRINTF(format, ...)                                                     \
    gofmt_sprintf((format), (const goiface_t[]){__VA_ARGS__},                          \
                (int)(sizeof((const goiface_t[]){__VA_ARGS__}) / sizeof(goiface_t)))

// Formats into a C buffer (no result allocation); returns the full length like
// snprintf. For reports and tests.
int64_t gofmt_bprintf(char *out, int64_t outlen, const char *format, const goiface_t *args,
                    int nargs);

// The typed formatter: each appends to dst (a []byte) and returns the new slice; it
// allocates only when dst must grow (growslice rule).
goslice_t gofmt_append_int(goslice_t dst, int64_t v, int base);
goslice_t gofmt_append_uint(goslice_t dst, uint64_t v, int base);
goslice_t gofmt_append_str(goslice_t dst, gostring_t s);
goslice_t gofmt_append_cstr(goslice_t dst, const char *s);
goslice_t gofmt_append_quote(goslice_t dst, gostring_t s);
goslice_t gofmt_append_bool(goslice_t dst, int v);
// strconv.AppendFloat(dst, v, fmtc, prec, 64) for fmtc 'f', 'e', 'g' (prec -1: shortest).
goslice_t gofmt_append_float(goslice_t dst, double v, char fmtc, int prec);

#endif
