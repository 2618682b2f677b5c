// bytes.Buffer with Go 1.19's growth (bytes/buffer.go grow, growSlice), a memory
// reader and a synthetic decompressing reader for ReadFrom.
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "golib/buffer.h"
#include "golib/slice.h"
#include "golib/str.h"
#include "golib/opcount.h"
#include "rt/runtime.h"
#include "rt/panic.h"

buf_stats_t buf_stats;

// Resets the counters.
void buf_stats_reset(void) { memset(&buf_stats, 0, sizeof buf_stats); }

// A fresh runtime (rt_fresh): the counters start again.
RT_FRESH_HOOK(buffer) {
    buf_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(grow, "buf.grow", &buf_stats.grow);

// Returns len(b.buf) - b.off.
int64_t buf_len(const buf_t *b) { return b->buf.len - b->off; }

// Returns cap(b.buf).
int64_t buf_cap(const buf_t *b) { return b->buf.cap; }

// Empties the buffer, keeping its array.
void buf_reset(buf_t *b) {
    b->buf.len = 0;
    b->off = 0;
}

// buffer.go growSlice(b.buf[b.off:], b.off+n): a new array of at least
// max(len+off+n, 2*(cap-off)) bytes through append-make (size-class rounded) holding
// a copy of the unread bytes.
static goslice_t grow_slice(const buf_t *b, int64_t n) {
    int64_t m = buf_len(b);
    int64_t c = m + b->off + n;
    if (c < 2 * (b->buf.cap - b->off))
        c = 2 * (b->buf.cap - b->off);
    int64_t cap = slice_nextcap(1, 0, c);
    opcount_mark_t mk = opcount_begin();
    uint8_t *p = rt_mallocgc((size_t)cap, &gotype_uint8, true);
    opcount_end(&buf_stats.grow, mk);
    if (m)
        memcpy(p, (uint8_t *)b->buf.ptr + b->off, (size_t)m);
    buf_stats.bytes_copied += (uint64_t)m;
    goslice_t r = {p, m, cap};
    return r;
}

// Makes room for n more bytes (buffer.go grow); returns where they start.
static int64_t grow(buf_t *b, int64_t n) {
    int64_t m = buf_len(b);
    if (m == 0 && b->off != 0)
        buf_reset(b);
    if (n <= b->buf.cap - b->buf.len) { // tryGrowByReslice
        b->buf.len += n;
        return b->buf.len - n;
    }
    if (b->buf.ptr == NULL && n <= BUF_SMALL_SIZE) {
        opcount_mark_t mk = opcount_begin();
        GC_STORE(b->buf.ptr, rt_mallocgc(BUF_SMALL_SIZE, &gotype_uint8, true));
        opcount_end(&buf_stats.grow, mk);
        b->buf.len = n;
        b->buf.cap = BUF_SMALL_SIZE;
        return 0;
    }
    int64_t c = b->buf.cap;
    if (n <= c / 2 - m) {
        memmove(b->buf.ptr, (uint8_t *)b->buf.ptr + b->off, (size_t)m);
        buf_stats.slides++;
    } else if (c > INT64_MAX - c - n) {
        rt_panic("bytes.Buffer: too large");
    } else {
        GC_STORE(b->buf, grow_slice(b, n));
    }
    b->off = 0;
    b->buf.len = m + n;
    return m;
}

// Appends n bytes.
void buf_write(buf_t *b, const void *p, int64_t n) {
    if (n <= 0)
        return;
    int64_t at = grow(b, n);
    memcpy((uint8_t *)b->buf.ptr + at, p, (size_t)n);
}

// Appends s.
void buf_write_string(buf_t *b, gostring_t s) { buf_write(b, s.ptr, s.len); }

// Appends one byte.
void buf_write_byte(buf_t *b, uint8_t c) { buf_write(b, &c, 1); }

// Returns the unread bytes, aliasing the array.
goslice_t buf_bytes(const buf_t *b) {
    goslice_t r = {(uint8_t *)b->buf.ptr + b->off, buf_len(b), b->buf.cap - b->off};
    if (b->buf.ptr == NULL)
        r.ptr = NULL;
    return r;
}

// Returns a copy of the unread bytes as a string.
gostring_t buf_string(const buf_t *b) {
    return str_from_bytes((uint8_t *)b->buf.ptr + b->off, buf_len(b), NULL);
}

// Grows the capacity for n more bytes (Buffer.Grow).
void buf_grow(buf_t *b, int64_t n) {
    if (n < 0)
        rt_panic("bytes.Buffer.Grow: negative count");
    int64_t m = grow(b, n);
    b->buf.len = m;
}

// Reads up to n bytes; returns the count, *eof when the buffer was empty.
int64_t buf_read(buf_t *b, void *p, int64_t n, bool *eof) {
    *eof = false;
    if (buf_len(b) == 0) {
        buf_reset(b);
        *eof = n > 0;
        return 0;
    }
    int64_t k = buf_len(b) < n ? buf_len(b) : n;
    memcpy(p, (uint8_t *)b->buf.ptr + b->off, (size_t)k);
    b->off += k;
    return k;
}

// Reads r to EOF into b (Buffer.ReadFrom); returns the bytes read.
int64_t buf_read_from(buf_t *b, buf_reader_t *r) {
    int64_t total = 0;
    for (;;) {
        int64_t i = grow(b, BUF_MIN_READ);
        b->buf.len = i;
        bool eof = false;
        int64_t m = r->read(r, (uint8_t *)b->buf.ptr + i, b->buf.cap - i, &eof);
        if (m < 0)
            rt_panic("bytes.Buffer: reader returned negative count from Read");
        b->buf.len = i + m;
        total += m;
        if (eof)
            return total;
    }
}

// Reads r to EOF into b's spare capacity, growing with append(b[:cap], 0)[:len].
static goslice_t read_into(goslice_t b, buf_reader_t *r) {
    for (;;) {
        if (b.len == b.cap) { // append(data[:cap(data)], 0), then back to len
            int64_t len = b.len;
            b = slice_grow(&gotype_uint8, b, b.cap + 1);
            b.len = len;
        }
        bool eof = false;
        int64_t n = r->read(r, (uint8_t *)b.ptr + b.len, b.cap - b.len, &eof);
        if (n < 0)
            rt_panic("read: negative count from Read");
        b.len += n;
        if (eof)
            return b;
    }
}

// os.ReadFile's buffer for a file of Stat size size.
goslice_t buf_read_file(buf_reader_t *r, int64_t size) {
    int64_t cap = size + 1; // one byte for final read at EOF
    if (cap < 512)          // os/file.go: read at least 512 bytes
        cap = 512;
    return read_into(slice_make(&gotype_uint8, 0, cap), r);
}

// io.ReadAll.
goslice_t buf_read_all(buf_reader_t *r) { return read_into(slice_make(&gotype_uint8, 0, 512), r); }

// ---- readers ----------------------------------------------------------------------

// Returns up to n bytes of the remaining memory; EOF with a count of 0.
static int64_t mem_read(buf_reader_t *r, uint8_t *p, int64_t n, bool *eof) {
    buf_mem_reader_t *m = (buf_mem_reader_t *)r;
    int64_t k = m->len - m->pos;
    *eof = k == 0; // as bytes.Reader: io.EOF only from a read that finds nothing left
    if (k > n)
        k = n;
    memcpy(p, m->p + m->pos, (size_t)k);
    m->pos += k;
    return k;
}

// Sets m to read p[0..n).
void buf_mem_reader_init(buf_mem_reader_t *m, const void *p, int64_t n) {
    m->r.read = mem_read;
    GC_STORE(m->p, p);
    m->len = n;
    m->pos = 0;
}

// Expands records into p; returns the bytes produced (EOF when the input is done).
static int64_t inflate_read(buf_reader_t *r, uint8_t *p, int64_t n, bool *eof) {
    buf_inflate_reader_t *z = (buf_inflate_reader_t *)r;
    int64_t k = 0;
    while (k < n) {
        if (z->left == 0) {
            if (z->inpos + 5 > z->inlen)
                break;
            const uint8_t *rec = z->in + z->inpos;
            z->left = (uint32_t)rec[0] | (uint32_t)rec[1] << 8 | (uint32_t)rec[2] << 16 |
                      (uint32_t)rec[3] << 24;
            z->pattern = rec[4];
            z->done = 0;
            z->inpos += 5;
            continue;
        }
        p[k++] = (uint8_t)(z->pattern + z->done % 251);
        z->done++;
        z->left--;
    }
    *eof = k == 0 && n > 0; // (0, io.EOF) after the last data, as bytes.Reader
    return k;
}

// Sets z to expand the n bytes of records at compressed.
void buf_inflate_init(buf_inflate_reader_t *z, const void *compressed, int64_t n) {
    memset(z, 0, sizeof *z);
    z->r.read = inflate_read;
    z->in = compressed;
    z->inlen = n;
}

// Writes records for total bytes in runs of at most run; returns the bytes used.
int64_t buf_inflate_encode(uint8_t *out, int64_t outlen, uint64_t total, uint32_t run) {
    int64_t w = 0;
    uint8_t pattern = 'a';
    if (run == 0)
        return -1;
    while (total > 0) {
        uint32_t c = total < run ? (uint32_t)total : run;
        if (w + 5 > outlen)
            return -1;
        out[w] = (uint8_t)c;
        out[w + 1] = (uint8_t)(c >> 8);
        out[w + 2] = (uint8_t)(c >> 16);
        out[w + 3] = (uint8_t)(c >> 24);
        out[w + 4] = pattern;
        pattern = (uint8_t)(pattern == 'z' ? 'a' : pattern + 1);
        w += 5;
        total -= c;
    }
    return w;
}
