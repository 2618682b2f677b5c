// The allocation profiler: Go's heap profile (runtime/mprof.go, runtime/pprof) for
// spanlab. Every allocation goes through rt/alloc.c's rt_alloc_hook, every free
// through rt_free_hook; this module installs both.
//
// Counting: every allocation is counted (prof_mallocs, prof_alloc_bytes) whatever
// the sampling rate: that is how the models of Go's library measure their per-operation
// allocations. Sampling: like runtime.MemProfileRate (option memprofilerate, default
// 512 KiB): on average one sample per `rate` bytes allocated, at exponentially
// distributed intervals; rate 1 samples every allocation, 0 none. A sampled object
// is remembered (address -> site) until it is freed, for the in-use numbers.
//
// Sites: a sample is attributed to a stack of frames. When code has named its site
// with PROF_SITE("main.handler") (a stack of tokens, innermost last), the frames are
// those tokens; otherwise the frames are return addresses, walked through frame
// pointers from rt_mallocgc's caller (bounded by gc_stack_top when known, else only
// that one frame), named by sys_symbolize: the kernel's symbol table in the kernel,
// dladdr on the host, else "0x<pc>".
//
// Per site: alloc_objects, alloc_space, inuse_objects, inuse_space, as Go's
// MemProfileRecord. Differences from Go, documented: the in-use numbers are current
// (Go reports them as of the last completed GC cycle).
//
// Records: each site's bucket (its frames and counts, Go's runtime.MemProfileRecord)
// is read with prof_record; golib/pprof.c writes them as a pprof profile.
#ifndef SPANLAB_RT_PROF_H
#define SPANLAB_RT_PROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/gotype.h"

// Installs the allocation and free hooks (idempotent; every prof_ call does it).
// Reads the rate from the memprofilerate option.
void prof_init(void);

// Objects and bytes allocated through rt_mallocgc so far (all sites, every
// allocation, independent of the sampling rate), as the allocation hook saw them.
// Bytes are the requested sizes. The models of Go's library measure their
// operations with them (golib/opcount.h).
uint64_t prof_mallocs(void);
uint64_t prof_alloc_bytes(void);

// Sets the sampling rate in bytes (runtime.MemProfileRate); returns the old one.
int64_t prof_set_rate(int64_t rate);
int64_t prof_rate(void);

// Forgets every sample and site (a fresh runtime: rt_fresh calls it) and re-reads
// memprofilerate; the allocation counters keep counting.
void prof_reset(void);

// ---- sites --------------------------------------------------------------------------

// Enters/leaves a named site (a static string, e.g. "main.handler"). Nested sites
// form the sample's stack, one stack per goroutine. At most 32 deep.
void prof_site_push(const char *name);
void prof_site_pop(void);
static inline void prof_site_cleanup_(const char **p) { (void)p; prof_site_pop(); }
#define PROF_SITE_CAT2_(a, b) a##b
#define PROF_SITE_CAT_(a, b) PROF_SITE_CAT2_(a, b)
// Names the site for the rest of the C scope.
#define PROF_SITE(name)                                                                 \
    const char *PROF_SITE_CAT_(prof_site_, __LINE__)                                    \
        __attribute__((cleanup(prof_site_cleanup_), unused)) = (name);                  \
    prof_site_push(name)

// ---- what was recorded ------------------------------------------------------------------

typedef struct prof_site_stats {
    const char *name;      // leaf frame's name (token or symbol)
    uint64_t alloc_objects, alloc_space, inuse_objects, inuse_space; // raw sampled counts
} prof_site_stats_t;

// Number of sites with samples; fills out[0..n) sorted by inuse_space, then
// alloc_space (descending). Returns the number of sites filled.
size_t prof_sites(prof_site_stats_t *out, size_t n);

// Totals of every allocation and free seen (not sampled).
typedef struct prof_totals {
    uint64_t mallocs, frees, alloc_bytes, free_bytes;
    uint64_t samples, sampled_live;
} prof_totals_t;
void prof_totals(prof_totals_t *out);

// ---- which object is where -------------------------------------------------------------

// Tracks every allocation of at least min_bytes (after size-class rounding) until it
// is freed, with its site (the innermost PROF_SITE name, else the allocating
// function) and type, whatever the sampling rate; tracked objects are not samples
// and change no profile number. 0 turns tracking off. Kept across prof_reset (the
// tracked objects themselves are forgotten there, with their heap).
void prof_track_large(size_t min_bytes);

typedef struct prof_object {
    uintptr_t addr;   // the object's first byte
    size_t size;      // bytes it occupies (size-class or page rounded)
    const char *site; // leaf site name, as the profile names it
    const char *type; // its type's name, NULL for untyped bytes
    bool array;       // it holds several values of type (a backing array)
} prof_object_t;

// Fills out with the n largest live tracked objects, largest first; returns how many.
size_t prof_large_objects(prof_object_t *out, size_t n);

// ---- records (Go's runtime.MemProfile) --------------------------------------------------

#define PROF_MAX_SITES 4096 // buckets; more sites fold into the last one, "(other)"
#define PROF_MAX_FRAMES 16  // frames of one bucket's stack

typedef struct prof_record {
    uint64_t alloc_objects, alloc_bytes, free_objects, free_bytes; // raw sampled counts
    int nframes;
    uint16_t pcmask;                    // bit i: frames[i] is a return address
    uintptr_t frames[PROF_MAX_FRAMES];  // leaf first; else a PROF_SITE name (const char *)
} prof_record_t;

// Buckets so far; prof_record(i, out) copies bucket i < prof_record_count(). A bucket
// with no allocation is a site known only from a tracked large object (no sample).
size_t prof_record_count(void);
void prof_record(size_t i, prof_record_t *out);

// Writes the function name of a return address (sys_symbolize, else "0x<pc>").
void prof_frame_name(uintptr_t pc, char *buf, size_t len);

// The hook entry points (installed by prof_init; exposed for tests).
void prof_on_alloc(void *p, size_t size, const gotype_t *t);
void prof_on_free(void *p, size_t size);

#endif
