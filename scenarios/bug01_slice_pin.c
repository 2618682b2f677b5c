// Bug 1: a small slice of a large read pins the whole backing array.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <string.h>
#include "rt/gc.h"
#include "golib/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define FILE_BYTES_PER_SCALE (12u << 20) // the original text's 200 MiB file, scaled for TCG
#define ITERATIONS 8                     // the original text's 100 headers
#define HEADER_BYTES 64

static size_t file_bytes(void) { return (size_t)sc_scaled(FILE_BYTES_PER_SCALE); }

// os.ReadFile, as Go 1.19's os/file.go: size from Stat plus one byte for the
// final read at EOF (at least 512), make([]byte, 0, size), then read until EOF.
// The "file" is synthetic: bytes come from a counter, 32 KiB per read call.
static goslice_t read_file(size_t bytes) {
    PROF_SITE("os.ReadFile"); // the site pprof -inuse_space blames
    int64_t size = (int64_t)bytes + 1;
    if (size < 512)
        size = 512;
    goslice_t data = slice_make(&gotype_uint8, 0, size);
    uint8_t *p = data.ptr;
    for (size_t off = 0; off < bytes; off += 32768) {
        size_t n = bytes - off < 32768 ? bytes - off : 32768;
        memset(p + off, (int)(off >> 15), n);
        data.len += (int64_t)n;
    }
    return data;
}

// Header(path): data[:64] (buggy) or a copy of it (fixed: bytes.Clone).
static goslice_t header(bool copy_out) {
    PROF_SITE("main.Header");
    goslice_t data = read_file(file_bytes());
    goslice_t h = slice_reslice(data, 1, 0, HEADER_BYTES);
    if (!copy_out)
        return h;
    goslice_t c = slice_make(&gotype_uint8, HEADER_BYTES, HEADER_BYTES);
    slice_copy(c, h, 1);
    return c;
}

// hdrs = append(hdrs, Header("big.bin")) ITERATIONS times. A function of its own, so
// that no stale copy of a file pointer survives in a live frame: spanlab scans
// stacks conservatively, Go precisely (see docs/scenarios.md).
static __attribute__((noinline)) goslice_t collect_headers(bool copy_out) {
    goslice_t hdrs = slice_make(&gotype_slice, 0, ITERATIONS);
    for (int i = 0; i < ITERATIONS; i++) {
        goslice_t h = header(copy_out);
        hdrs = slice_append(&gotype_slice, hdrs, &h, 1);
    }
    return hdrs;
}

// The variants' modes (sc_variant_t.mode).
enum header_mode { KEEP_SLICE, KEEP_COPY };

// main(): collect the headers, runtime.GC(), then HeapAlloc.
static void run(sc_run_t *r, int mode) {
    bool copy_out = mode == KEEP_COPY;
    goslice_t hdrs = collect_headers(copy_out);
    sc_phase(r, "headers collected");
    uint64_t retained = sc_heap_alloc_after_gc();
    sc_phase(r, "after runtime.GC()");
    goslice_t first = *(goslice_t *)slice_index(hdrs, sizeof(goslice_t), 0);
    sc_key(r, "iterations", ITERATIONS);
    sc_key(r, "file_bytes", (int64_t)file_bytes());
    sc_key(r, "retained_bytes", (int64_t)retained);
    sc_key(r, "kept_cap", first.cap);
    sc_say(r, "%d headers of len %lld kept; after runtime.GC() HeapAlloc = %llu bytes",
           ITERATIONS, (long long)first.len, (unsigned long long)retained);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_retains_every_file", sc_get(res, "buggy", "retained_bytes"), ">=",
             ITERATIONS * sc_get(res, "buggy", "file_bytes"));
    sc_check(res, "buggy_kept_cap_is_size_plus_one", sc_get(res, "buggy", "kept_cap"), "==",
             sc_get(res, "buggy", "file_bytes") + 1);
    sc_check(res, "fixed_retains_under_1MiB", sc_get(res, "fixed", "retained_bytes"), "<", 1 << 20);
    sc_check(res, "fixed_kept_cap", sc_get(res, "fixed", "kept_cap"), "==", HEADER_BYTES);
    sc_check(res, "retained_ratio",
             sc_div(sc_get(res, "buggy", "retained_bytes"), sc_get(res, "fixed", "retained_bytes")),
             ">=", 100);
    sc_check(res, "buggy_resident_pages_cover_files", sc_get(res, "buggy", "resident_pages"), ">=",
             ITERATIONS * sc_get(res, "buggy", "file_bytes") / 4096);
}

static const sc_scenario_t bug01 = {
    .number = 1,
    .slug = "slice_pin",
    .title = "Slice of small range pinning a huge backing array",
    .family = "pinning",
    .go_versions = "all",
    .text =
        "  data, _ := os.ReadFile(path)   // 200 MiB\n"
        "  return data[:64], nil          // BUG: keeps data's whole array\n"
        "Fix: copy out (bytes.Clone(data[:64]) in Go 1.20+, make+copy before).\n"
        "A slice header is (ptr, len, cap); data[:64] keeps ptr, so the GC, which keeps\n"
        "an object alive when any pointer into it is reachable, keeps the whole array.\n"
        "Go 1.19's os.ReadFile allocates size+1 bytes (room for the read that sees EOF),\n"
        "so kept_cap is the file size plus one. Look at: retained_bytes and the arena\n"
        "maps (R = resident) after runtime.GC() in both variants.",
    .variants = {
        {"buggy", "keep data[:64] of each file", run, KEEP_SLICE, NULL},
        {"fixed", "keep a 64-byte copy of each header", run, KEEP_COPY, NULL},
    },
    .ram_needed = (uint64_t)FILE_BYTES_PER_SCALE * (ITERATIONS + 2),
    .checks = checks,
};
SC_REGISTER(bug01);
