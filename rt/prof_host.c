// Hosted-only half of the profiler: writes a profile file and names return
// addresses with dladdr (exported symbols only; link with -rdynamic for more).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include "rt/prof.h"

// prof_emit_fn for a FILE.
static void file_emit(const void *p, size_t n, void *ctx) {
    FILE *f = ctx;
    fwrite(p, 1, n, f);
}

// Names pc from the dynamic symbol table; false when unknown.
static bool host_symbolize(uintptr_t pc, char *buf, size_t len) {
    Dl_info info;
    if (dladdr((void *)pc, &info) && info.dli_sname) {
        snprintf(buf, len, "%s", info.dli_sname);
        return true;
    }
    return false;
}

// Writes the profile to path; returns 0, or -1 when the file cannot be written.
int prof_write_file(const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    prof_set_symbolizer(host_symbolize);
    prof_write_pprof(file_emit, f);
    return fclose(f) == 0 ? 0 : -1;
}

// Hosted programs name return addresses with dladdr from the start (when this file
// is linked in: spanlab-host links the whole library).
__attribute__((constructor)) static void prof_host_init(void) { prof_set_symbolizer(host_symbolize); }
