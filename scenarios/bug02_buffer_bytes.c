// Bug 2: bytes.Buffer.Bytes() hands out the buffer's whole array.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <string.h>
#include "golib/buffer.h"
#include "golib/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define DATA_BYTES_PER_SCALE (4u << 20) // the original text's ~50 MiB output, scaled for TCG
#define ITERATIONS 8                    // the original text's 50
#define KEEP_BYTES 4096

enum keep_mode { KEEP_SLICE, KEEP_THREEINDEX, KEEP_COPY };

static size_t data_bytes(void) { return (size_t)DATA_BYTES_PER_SCALE * (size_t)sc_scale(); }

// Decompress: io.Copy(&buf, gz) then buf.Bytes(); also reports the buffer's cap.
static goslice_t decompress(const uint8_t *gz, int64_t gzlen, int64_t *cap_out) {
    PROF_SITE("main.Decompress");
    buf_t buf = {0};
    buf_inflate_reader_t z;
    buf_inflate_init(&z, gz, gzlen);
    {
        PROF_SITE("bytes.(*Buffer).ReadFrom"); // io.Copy(&buf, gz): pprof blames its grow
        buf_read_from(&buf, &z.r);
    }
    *cap_out = buf_cap(&buf);
    return buf_bytes(&buf);
}

static uint8_t gz[4096]; // the "compressed" input: ~500 KiB in the original text, a few hundred bytes here

// The original text's main loop, in a function of its own so that no stale copy of a
// buffer pointer survives in a live frame (spanlab scans stacks conservatively).
static __attribute__((noinline)) goslice_t keep_headers(enum keep_mode mode, int64_t gzlen,
                                                        int64_t *buffer_cap_out) {
    goslice_t results = slice_make(&gotype_slice, 0, ITERATIONS);
    int64_t buffer_cap = 0;
    for (int i = 0; i < ITERATIONS; i++) {
        goslice_t b = decompress(gz, gzlen, &buffer_cap);
        goslice_t keep;
        if (mode == KEEP_SLICE) {
            keep = slice_reslice(b, 1, 0, KEEP_BYTES); // b[:4096]
        } else if (mode == KEEP_THREEINDEX) {
            keep = slice_reslice3(b, 1, 0, KEEP_BYTES, KEEP_BYTES); // b[:4096:4096]
        } else {
            keep = slice_make(&gotype_uint8, KEEP_BYTES, KEEP_BYTES); // copy
            slice_copy(keep, slice_reslice(b, 1, 0, KEEP_BYTES), 1);
        }
        results = slice_append(&gotype_slice, results, &keep, 1);
    }
    *buffer_cap_out = buffer_cap;
    return results;
}

static void run(sc_run_t *r, int mode) {
    int64_t gzlen = buf_inflate_encode(gz, sizeof gz, data_bytes(), 1 << 16);
    int64_t buffer_cap = 0;
    goslice_t results = keep_headers(mode, gzlen, &buffer_cap);
    sc_phase(r, "results kept");
    uint64_t retained = sc_heap_alloc_after_gc();
    sc_phase(r, "after runtime.GC()");
    goslice_t first = *(goslice_t *)slice_index(results, sizeof(goslice_t), 0);
    sc_key(r, "iterations", ITERATIONS);
    sc_key(r, "data_bytes", (int64_t)data_bytes());
    sc_key(r, "buffer_cap", buffer_cap);
    sc_key(r, "kept_cap", first.cap);
    sc_key(r, "retained_bytes", (int64_t)retained);
    sc_say(r, "%lld-byte compressed input -> %zu bytes, buffer cap %lld; kept %d x len %lld cap %lld",
           (long long)gzlen, data_bytes(), (long long)buffer_cap, ITERATIONS, (long long)first.len,
           (long long)first.cap);
    sc_say(r, "after runtime.GC(): HeapAlloc %llu bytes", (unsigned long long)retained);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buffer_cap_at_least_data", sc_get(res, "buggy", "buffer_cap"), ">=",
             sc_get(res, "buggy", "data_bytes"));
    sc_check(res, "buggy_kept_cap_is_buffer_cap", sc_get(res, "buggy", "kept_cap"), "==",
             sc_get(res, "buggy", "buffer_cap"));
    sc_check(res, "buggy_retains_every_buffer", sc_get(res, "buggy", "retained_bytes"), ">=",
             ITERATIONS * sc_get(res, "buggy", "buffer_cap"));
    sc_check(res, "threeindex_kept_cap", sc_get(res, "threeindex", "kept_cap"), "==", KEEP_BYTES);
    sc_check(res, "threeindex_retains_every_buffer", sc_get(res, "threeindex", "retained_bytes"),
             ">=", ITERATIONS * sc_get(res, "buggy", "buffer_cap"));
    sc_check(res, "fixed_retains_under_1MiB", sc_get(res, "fixed", "retained_bytes"), "<", 1 << 20);
}

static const sc_scenario_t bug02 = {
    .number = 2,
    .slug = "buffer_bytes",
    .title = "bytes.Buffer.Bytes() retaining full capacity",
    .family = "pinning",
    .go_versions = "all",
    .text =
        "  var buf bytes.Buffer; io.Copy(&buf, gz); return buf.Bytes()\n"
        "  results = append(results, b[:4096])   // BUG: keeps the whole buffer\n"
        "Bytes() aliases the buffer's array, whose cap is the largest the buffer grew to\n"
        "(ReadFrom doubles it). b[:4096] keeps that array. b[:4096:4096] shrinks cap but\n"
        "keeps ptr: the array is one noscan object and stays whole (variant threeindex).\n"
        "Only a copy into a fresh 4 KiB slice lets it go (variant fixed).\n"
        "Look at: buffer_cap, kept_cap and retained_bytes side by side.",
    .variants = {
        {"buggy", "keep b[:4096] of each result", run, KEEP_SLICE, NULL},
        {"threeindex", "keep b[:4096:4096] of each result", run, KEEP_THREEINDEX, NULL},
        {"fixed", "keep a 4 KiB copy of each result", run, KEEP_COPY, NULL},
    },
    .ram_needed = (uint64_t)DATA_BYTES_PER_SCALE * 2 * (ITERATIONS + 2),
    .checks = checks,
};
SC_REGISTER(bug02);
