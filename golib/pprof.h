// pprof_: the heap profile in pprof's format (runtime/pprof protomem.go and
// protobuf.go): the profiler's records (rt/prof.h) as a profile.proto (uncompressed
// protobuf, which `go tool pprof` accepts), with sample types alloc_objects/count,
// alloc_space/bytes, inuse_objects/count, inuse_space/bytes, period_type space/bytes
// and period = rate; sampled values are scaled as Go's scaleHeapSample when rate > 1.
// Streamed through a callback: to a file on the host (pprof_write_file,
// golib/pprof_file.c), over the console as base64 between BEGIN/END lines
// (pprof_write_console), which tools/serial2pprof turns back into a file.
#ifndef SPANLAB_GOLIB_PPROF_H
#define SPANLAB_GOLIB_PPROF_H

#include <stddef.h>
#include <stdint.h>

// Streams the profile.proto bytes through emit (called many times, in order).
typedef void (*pprof_emit_fn)(const void *p, size_t n, void *ctx);
void pprof_write(pprof_emit_fn emit, void *ctx);

// Writes the profile over the console as base64 lines (76 columns) between
//   -----BEGIN SPANLAB PPROF <name>-----
//   -----END SPANLAB PPROF <name>-----
// (tools/serial2pprof extracts it).
void pprof_write_console(const char *name);

// Hosted only (golib/pprof_file.c): writes the profile to path; returns 0 or -1.
int pprof_write_file(const char *path);

// Prints the sites like `go tool pprof -top` (sampled values scaled), n lines at most.
void pprof_print_top(size_t n);

#endif
