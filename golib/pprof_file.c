// The heap profile as a file (hosted only): pprof_write into a FILE.
#include <stdio.h>
#include "golib/pprof.h"

// pprof_emit_fn for a FILE.
static void file_emit(const void *p, size_t n, void *ctx) {
    FILE *f = ctx;
    fwrite(p, 1, n, f);
}

// Writes the profile to path; returns 0, or -1 when the file cannot be written.
int pprof_write_file(const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    pprof_write(file_emit, f);
    return fclose(f) == 0 ? 0 : -1;
}
