// The heap profile over the console: pprof_write's bytes as base64 lines between
// BEGIN and END lines (see pprof.h), which tools/serial2pprof turns back into a file.
#include <stdint.h>
#include <string.h>
#include "golib/pprof.h"
#include "sys/sys.h"

#define B64_GROUP 57 // input bytes per line: 76 base64 columns

typedef struct b64 {
    uint8_t in[B64_GROUP];
    size_t n;
} b64_t;

// Writes one base64 line for the n (<= 57) bytes in.
static void b64_line(const uint8_t *in, size_t n) {
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[80];
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = al[v >> 18];
        out[o++] = al[(v >> 12) & 63];
        out[o++] = i + 1 < n ? al[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? al[v & 63] : '=';
    }
    out[o++] = '\n';
    sys_write(out, o);
}

// pprof_emit_fn for the console: buffers 57-byte groups into base64 lines.
static void b64_emit(const void *p, size_t n, void *ctx) {
    b64_t *b = ctx;
    const uint8_t *s = p;
    while (n) {
        size_t k = sizeof b->in - b->n < n ? sizeof b->in - b->n : n;
        memcpy(b->in + b->n, s, k);
        b->n += k;
        s += k;
        n -= k;
        if (b->n == sizeof b->in) {
            b64_line(b->in, b->n);
            b->n = 0;
        }
    }
}

// Writes the profile as a base64 block on the console.
void pprof_write_console(const char *name) {
    b64_t b = {.n = 0};
    sys_printf("-----BEGIN SPANLAB PPROF %s-----\n", name);
    pprof_write(b64_emit, &b);
    if (b.n)
        b64_line(b.in, b.n);
    sys_printf("-----END SPANLAB PPROF %s-----\n", name);
}
