// Hosted-only half of the profiler: writes a profile file.
#include <stdio.h>
#include "rt/prof.h"

// prof_emit_fn for a FILE.
static void file_emit(const void *p, size_t n, void *ctx) {
    FILE *f = ctx;
    fwrite(p, 1, n, f);
}

// Writes the profile to path; returns 0, or -1 when the file cannot be written.
int prof_write_file(const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    prof_write_pprof(file_emit, f);
    return fclose(f) == 0 ? 0 : -1;
}
