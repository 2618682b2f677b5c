// bytes.Buffer (Go 1.19 bytes/buffer.go) and readers that fill it.
//
// Growth, as buffer.go grow(n): reuse the space when the buffer is empty (Reset);
// reslice when len+n fits the capacity; a nil buffer asking for n <= 64 bytes
// (smallBufferSize) gets make([]byte, n, 64); slide the data down when n fits in
// half the capacity minus the length; otherwise growSlice: c = max(len+n, 2*cap)
// bytes through append([]byte(nil), make([]byte, c)...), i.e. rounded up to the size
// class by growslice. ReadFrom grows by MinRead = 512 before every Read.
// Bytes() returns a slice aliasing the buffer: holding it keeps the whole array.
#ifndef SPANLAB_RT_BUFFER_H
#define SPANLAB_RT_BUFFER_H

#include <stdbool.h>
#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

#define BUF_SMALL_SIZE 64 // bytes/buffer.go smallBufferSize
#define BUF_MIN_READ 512  // bytes/buffer.go MinRead

// The zero value is an empty buffer ready to use (as Go's). buf's array is a heap
// pointer: keep the buf_t where the GC sees it (stack or a heap object's pointer word).
typedef struct buf {
    goslice_t buf; // contents are buf[off:len]
    int64_t off;   // read offset
} buf_t;

typedef struct buf_stats {
    opcount_t grow;  // reallocations by grow (growSlice / the first small make)
    uint64_t slides;       // grow() that slid the data down instead
    uint64_t bytes_copied; // bytes copied into new arrays
} buf_stats_t;
extern buf_stats_t buf_stats;
void buf_stats_reset(void);

void buf_write(buf_t *b, const void *p, int64_t n);
void buf_write_string(buf_t *b, gostring_t s);
void buf_write_byte(buf_t *b, uint8_t c);
// Bytes(): b.buf[b.off:] (aliases the array).
goslice_t buf_bytes(const buf_t *b);
// String(): a fresh copy (string(b.buf[b.off:])).
gostring_t buf_string(const buf_t *b);
int64_t buf_len(const buf_t *b);
int64_t buf_cap(const buf_t *b);
void buf_reset(buf_t *b);
// Grow(n): room for n more bytes without another allocation. Panics on n < 0.
void buf_grow(buf_t *b, int64_t n);
// Read(p): up to n bytes from the front; returns the count (0 and *eof at the end).
int64_t buf_read(buf_t *b, void *p, int64_t n, bool *eof);

// io.Reader: fills p[0..n) with up to n bytes, returns the count; sets *eof when the
// stream is done (possibly together with a last count > 0).
typedef struct buf_reader buf_reader_t;
struct buf_reader {
    int64_t (*read)(buf_reader_t *r, uint8_t *p, int64_t n, bool *eof);
};

// ReadFrom(r): reads until EOF, growing by MinRead; returns bytes read.
int64_t buf_read_from(buf_t *b, buf_reader_t *r);

// os.ReadFile's buffer logic (Go 1.19 os/file.go) for a file whose Stat size is
// size: make([]byte, 0, max(size+1, 512)) (one byte more for the read that sees EOF),
// then Read into the spare capacity, growing by append when full. Returns the data;
// its capacity is what the caller keeps alive.
goslice_t buf_read_file(buf_reader_t *r, int64_t size);

// io.ReadAll (Go 1.19 io/io.go): make([]byte, 0, 512), then append-grown.
goslice_t buf_read_all(buf_reader_t *r);

// A reader over memory (bytes.NewReader).
typedef struct buf_mem_reader {
    buf_reader_t r;
    const uint8_t *p;
    int64_t len, pos;
} buf_mem_reader_t;
void buf_mem_reader_init(buf_mem_reader_t *m, const void *p, int64_t n);

// A synthetic decompressing reader: a deterministic, tiny "compressed" input expands
// into a large output, as a gzip or flate reader would feed ReadFrom. The input is
// a sequence of records; each is a little-endian uint32 count and one pattern byte
// pb: the record expands to count bytes (pattern: byte i of the record is
// pb + (i mod 251), so the output is not a constant run). buf_inflate_encode writes
// the records for a total of `total` bytes in runs of at most run bytes.
typedef struct buf_inflate_reader {
    buf_reader_t r;
    const uint8_t *in;
    int64_t inlen, inpos; // next record
    uint32_t left;        // bytes left of the current record
    uint32_t done;        // bytes produced of the current record
    uint8_t pattern;
} buf_inflate_reader_t;
void buf_inflate_init(buf_inflate_reader_t *z, const void *compressed, int64_t n);
// Writes the records for total bytes into out (5 bytes per record); returns the
// bytes written, or -1 when out is too small.
int64_t buf_inflate_encode(uint8_t *out, int64_t outlen, uint64_t total, uint32_t run);

#endif
