// The heap profile as pprof's profile.proto (runtime/pprof protomem.go writes the
// same messages with protobuf.go; our own code): the profiler's records, scaled as
// scaleHeapSample does, streamed through a callback. See pprof.h.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "golib/pprof.h"
#include "rt/prof.h"
#include "sys/sys.h"

#define MAX_UFRAMES 8192  // distinct frames in one written profile (more share the last)
#define MAX_SYMNAMES 4096 // symbolized return addresses in one written profile
#define SYMNAME_BYTES 96  // one symbolized name
#define LN2 0.69314718055994530942

// profile.proto's field numbers (github.com/google/pprof/proto/profile.proto).
enum {
    PROFILE_SAMPLE_TYPE = 1, PROFILE_SAMPLE = 2, PROFILE_MAPPING = 3, PROFILE_LOCATION = 4,
    PROFILE_FUNCTION = 5, PROFILE_STRING_TABLE = 6, PROFILE_TIME_NANOS = 9,
    PROFILE_PERIOD_TYPE = 11, PROFILE_PERIOD = 12,
};
enum { WIRE_VARINT = 0, WIRE_BYTES = 2 };

// ---- scaling -------------------------------------------------------------------------------

// Returns e^x (no libm in the kernel).
static double expo(double x) {
    if (x < -700)
        return 0;
    int n = (int)(x / LN2 + (x < 0 ? -0.5 : 0.5));
    double r = x - n * LN2, term = 1, sum = 1;
    for (int k = 1; k < 30; k++) {
        term *= r / k;
        sum += term;
    }
    while (n > 0) { sum *= 2; n--; }
    while (n < 0) { sum /= 2; n++; }
    return sum;
}

// runtime/pprof protomem.go scaleHeapSample: undoes the sampling bias.
static void scale_sample(uint64_t count, uint64_t size, int64_t r, int64_t *oc, int64_t *os) {
    if (count == 0 || size == 0) {
        *oc = *os = 0;
        return;
    }
    if (r <= 1) {
        *oc = (int64_t)count;
        *os = (int64_t)size;
        return;
    }
    double avg = (double)size / (double)count;
    double scale = 1 / (1 - expo(-avg / (double)r));
    *oc = (int64_t)((double)count * scale);
    *os = (int64_t)((double)size * scale);
}

// Prints the top n sites (scaled like pprof shows them).
void pprof_print_top(size_t n) {
    static prof_site_stats_t s[PROF_MAX_SITES];
    size_t k = prof_sites(s, PROF_MAX_SITES);
    int64_t rate = prof_rate();
    sys_printf("heap profile (rate %lld): %zu sites\n", (long long)rate, k);
    sys_printf("%14s %14s %14s %14s  %s\n", "inuse_space", "inuse_objects", "alloc_space",
               "alloc_objects", "site");
    for (size_t i = 0; i < k && i < n; i++) {
        int64_t ic, is, ac, as;
        scale_sample(s[i].inuse_objects, s[i].inuse_space, rate, &ic, &is);
        scale_sample(s[i].alloc_objects, s[i].alloc_space, rate, &ac, &as);
        sys_printf("%14lld %14lld %14lld %14lld  %s\n", (long long)is, (long long)ic,
                   (long long)as, (long long)ac, s[i].name);
    }
}

// ---- protobuf encoding -----------------------------------------------------------------------

typedef struct pb {
    uint8_t b[8192];
    size_t n;
} pb_t;

// Appends a base-128 varint.
static void pb_varint(pb_t *p, uint64_t v) {
    while (v >= 0x80) {
        p->b[p->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p->b[p->n++] = (uint8_t)v;
}

// Appends a field's key.
static void pb_key(pb_t *p, unsigned field, unsigned wire) {
    pb_varint(p, (uint64_t)field << 3 | wire);
}

// Appends a varint field.
static void pb_uint(pb_t *p, unsigned field, uint64_t v) {
    pb_key(p, field, WIRE_VARINT);
    pb_varint(p, v);
}

// Appends a length-delimited field (truncated to the buffer).
static void pb_bytes(pb_t *p, unsigned field, const void *s, size_t n) {
    if (n > sizeof p->b - p->n - 16)
        n = sizeof p->b - p->n - 16;
    pb_key(p, field, WIRE_BYTES);
    pb_varint(p, n);
    memcpy(p->b + p->n, s, n);
    p->n += n;
}

// ---- the writer ----------------------------------------------------------------------------

// A unique frame of the profile (one location and one function each).
typedef struct uframe {
    uintptr_t v;
    bool pc;
    const char *name;
} uframe_t;

typedef struct writer {
    pprof_emit_fn emit;
    void *ctx;
    int64_t rate;
    const char **strs; // string table: deduplicated, in order of first use
    size_t nstrs, capstrs;
    uframe_t *uf;      // unique frames, ids 1..nuf in order of first use
    size_t nuf, nsym;
} writer_t;

// Emits a top-level length-delimited field whose body is sub.
static void emit_msg(writer_t *w, unsigned field, const pb_t *sub) {
    pb_t hdr;
    hdr.n = 0;
    pb_key(&hdr, field, WIRE_BYTES);
    pb_varint(&hdr, sub->n);
    w->emit(hdr.b, hdr.n, w->ctx);
    w->emit(sub->b, sub->n, w->ctx);
}

// Returns the string-table index of s (adding it).
static uint64_t str_id(writer_t *w, const char *s) {
    for (size_t i = 0; i < w->nstrs; i++)
        if (strcmp(w->strs[i], s) == 0)
            return i;
    if (w->nstrs == w->capstrs)
        sys_panic("pprof: string table full");
    w->strs[w->nstrs] = s;
    return w->nstrs++;
}

// Returns the id of frame v (a return address when pc, else a site name), adding it.
static uint64_t frame_id(writer_t *w, uintptr_t v, bool pc) {
    static char names[MAX_SYMNAMES][SYMNAME_BYTES]; // symbolized pc names
    size_t k;
    for (k = 0; k < w->nuf; k++)
        if (w->uf[k].v == v && w->uf[k].pc == pc)
            return k + 1;
    if (w->nuf == MAX_UFRAMES)
        return w->nuf; // table full: the frame shares the last location
    w->uf[k] = (uframe_t){v, pc, pc ? "?" : (const char *)v};
    if (pc && w->nsym < MAX_SYMNAMES) {
        prof_frame_name(v, names[w->nsym], SYMNAME_BYTES);
        w->uf[k].name = names[w->nsym++];
    }
    w->nuf++;
    return k + 1;
}

// sample_type (1): the four values of every sample.
static void write_sample_types(writer_t *w) {
    static const char *const kinds[] = {"alloc_objects", "count", "alloc_space", "bytes",
                                        "inuse_objects", "count", "inuse_space", "bytes"};
    for (int i = 0; i < 4; i++) {
        pb_t m = {.n = 0};
        pb_uint(&m, 1, str_id(w, kinds[2 * i]));
        pb_uint(&m, 2, str_id(w, kinds[2 * i + 1]));
        emit_msg(w, PROFILE_SAMPLE_TYPE, &m);
    }
}

// sample (2) for one record: its frames' ids, the scaled values, the bytes label.
static void write_sample(writer_t *w, const prof_record_t *r) {
    static pb_t m, loc, val;
    loc.n = val.n = m.n = 0;
    for (int i = 0; i < r->nframes; i++)
        pb_varint(&loc, frame_id(w, r->frames[i], (r->pcmask >> i) & 1));
    int64_t v[4];
    scale_sample(r->alloc_objects, r->alloc_bytes, w->rate, &v[0], &v[1]);
    scale_sample(r->alloc_objects - r->free_objects, r->alloc_bytes - r->free_bytes, w->rate,
                 &v[2], &v[3]);
    for (int i = 0; i < 4; i++)
        pb_varint(&val, (uint64_t)v[i]);
    pb_bytes(&m, 1, loc.b, loc.n); // location_id, packed
    pb_bytes(&m, 2, val.b, val.n); // value, packed
    pb_t lab = {.n = 0};          // label bytes=<average object size>, as protomem.go writes
    pb_uint(&lab, 1, str_id(w, "bytes"));
    pb_uint(&lab, 3, r->alloc_bytes / r->alloc_objects);
    pb_bytes(&m, 3, lab.b, lab.n);
    emit_msg(w, PROFILE_SAMPLE, &m);
}

// mapping (3): one, with functions already symbolized; then location (4) and
// function (5) for every unique frame.
static void write_frames(writer_t *w) {
    pb_t m = {.n = 0};
    pb_uint(&m, 1, 1);
    pb_uint(&m, 2, 0x1000);
    pb_uint(&m, 3, 0x7fffffffffffffffull);
    pb_uint(&m, 5, str_id(w, "spanlab"));
    pb_uint(&m, 7, 1);
    pb_uint(&m, 8, 1);
    emit_msg(w, PROFILE_MAPPING, &m);
    for (size_t k = 0; k < w->nuf; k++) {
        pb_t line = {.n = 0};
        pb_uint(&line, 1, k + 1);
        m.n = 0;
        pb_uint(&m, 1, k + 1);
        pb_uint(&m, 2, 1);
        pb_uint(&m, 3, w->uf[k].pc ? w->uf[k].v : 0x1000 + 16 * (k + 1));
        pb_bytes(&m, 4, line.b, line.n);
        emit_msg(w, PROFILE_LOCATION, &m);
    }
    for (size_t k = 0; k < w->nuf; k++) {
        m.n = 0;
        pb_uint(&m, 1, k + 1);
        pb_uint(&m, 2, str_id(w, w->uf[k].name));
        pb_uint(&m, 3, str_id(w, w->uf[k].name));
        pb_uint(&m, 4, str_id(w, w->uf[k].pc ? "spanlab" : "spanlab-site"));
        emit_msg(w, PROFILE_FUNCTION, &m);
    }
}

// string_table (6), time_nanos (9), period_type (11) and period (12).
static void write_trailer(writer_t *w) {
    pb_t pt = {.n = 0}, m;
    pb_uint(&pt, 1, str_id(w, "space")); // interned before the table is written
    pb_uint(&pt, 2, str_id(w, "bytes"));
    for (size_t i = 0; i < w->nstrs; i++) {
        m.n = 0;
        pb_bytes(&m, PROFILE_STRING_TABLE, w->strs[i], strlen(w->strs[i]));
        w->emit(m.b, m.n, w->ctx);
    }
    m.n = 0;
    pb_uint(&m, PROFILE_TIME_NANOS, sys_nanotime()); // since boot: there is no wall clock
    w->emit(m.b, m.n, w->ctx);
    emit_msg(w, PROFILE_PERIOD_TYPE, &pt);
    m.n = 0;
    pb_uint(&m, PROFILE_PERIOD, (uint64_t)(w->rate > 0 ? w->rate : 1));
    w->emit(m.b, m.n, w->ctx);
}

// Streams the profile (see pprof.h).
void pprof_write(pprof_emit_fn emit, void *ctx) {
    static const char *strs[MAX_UFRAMES + 32];
    static uframe_t uf[MAX_UFRAMES];
    writer_t w = {emit, ctx, prof_rate(), strs, 0, sizeof strs / sizeof strs[0], uf, 0, 0};
    str_id(&w, "");
    write_sample_types(&w);
    for (size_t i = 0; i < prof_record_count(); i++) {
        prof_record_t r;
        prof_record(i, &r);
        if (r.alloc_objects) // else a site known only from a tracked large object
            write_sample(&w, &r);
    }
    write_frames(&w);
    write_trailer(&w);
}
