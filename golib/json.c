// JSON into field-table structs with encoding/json's (Go 1.19) reuse semantics:
// a validating scan first (scanner.go checkValid), then a decode over valid input
// (decode.go object/array/literalStore). See json.h.
#include <stdio.h>
#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "golib/json.h"
#include "golib/str.h"
#include "golib/opcount.h"
#include "rt/runtime.h"
#include "sys/sys.h"

#define MAX_DEPTH 10000 // scanner.go maxNestingDepth

json_stats_t json_stats;

// Resets the counters.
void json_stats_reset(void) { memset(&json_stats, 0, sizeof json_stats); }

// A fresh runtime (rt_fresh): the counters start again.
RT_FRESH_HOOK(json) {
    json_stats_reset();
}

// Its counters, in the table opcount_print_all prints.
OPCOUNT_REGISTER(decode, "json.decode", &json_stats.decode);

// ---- the validating scanner -----------------------------------------------------------

typedef struct scan {
    const uint8_t *p;
    size_t n, i;
    json_error_t *err;
    uint8_t stack[MAX_DEPTH / 8 + 1]; // bit set: this level is an object
    int depth;
} scan_t;

// Formats Go's quoteChar(c) into out.
static void quote_char(char *out, size_t n, uint8_t c) {
    if (c == '\'')
        snprintf(out, n, "'\\''");
    else if (c == '"')
        snprintf(out, n, "'\"'");
    else if (c == '\\')
        snprintf(out, n, "'\\\\'");
    else if (c == '\n')
        snprintf(out, n, "'\\n'");
    else if (c == '\t')
        snprintf(out, n, "'\\t'");
    else if (c == '\r')
        snprintf(out, n, "'\\r'");
    else if (c < 0x20 || c >= 0x7f)
        snprintf(out, n, "'\\x%02x'", c);
    else
        snprintf(out, n, "'%c'", c);
}

// Records a syntax error at the current byte ("invalid character ... context") and
// returns -1; at the end of the input, "unexpected end of JSON input".
static int serr(scan_t *s, const char *context) {
    if (s->err) {
        s->err->kind = JSON_ERR_SYNTAX;
        if (s->i >= s->n) {
            s->err->offset = (int64_t)s->n;
            snprintf(s->err->msg, sizeof s->err->msg, "unexpected end of JSON input");
        } else {
            char q[16];
            quote_char(q, sizeof q, s->p[s->i]);
            s->err->offset = (int64_t)s->i + 1;
            snprintf(s->err->msg, sizeof s->err->msg, "invalid character %s %s", q, context);
        }
    }
    return -1;
}

static bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// Skips JSON whitespace.
static void skip_space(scan_t *s) {
    while (s->i < s->n && is_space(s->p[s->i]))
        s->i++;
}
static int peek(scan_t *s) { return s->i < s->n ? s->p[s->i] : -1; }
// True for a hexadecimal digit.
static bool is_hex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Scans a string starting at '"'; returns 0 or -1.
static int scan_string(scan_t *s) {
    s->i++;
    for (;;) {
        int c = peek(s);
        if (c < 0)
            return serr(s, "");
        if (c == '"') {
            s->i++;
            return 0;
        }
        if (c < 0x20)
            return serr(s, "in string literal");
        if (c == '\\') {
            s->i++;
            c = peek(s);
            if (c < 0)
                return serr(s, "");
            if (c == 'u') {
                s->i++;
                for (int k = 0; k < 4; k++) {
                    if (!is_hex(peek(s)))
                        return peek(s) < 0 ? serr(s, "")
                                           : serr(s, "in \\u hexadecimal character escape");
                    s->i++;
                }
                continue;
            }
            if (!strchr("\"\\/bfnrt", c))
                return serr(s, "in string escape code");
        }
        s->i++;
    }
}

// Scans a number; returns 0 or -1.
static int scan_number(scan_t *s) {
    if (peek(s) == '-') {
        s->i++;
        if (!(peek(s) >= '0' && peek(s) <= '9'))
            return serr(s, "in numeric literal");
    }
    if (peek(s) == '0') {
        s->i++;
    } else {
        while (peek(s) >= '0' && peek(s) <= '9')
            s->i++;
    }
    if (peek(s) == '.') {
        s->i++;
        if (!(peek(s) >= '0' && peek(s) <= '9'))
            return serr(s, "after decimal point in numeric literal");
        while (peek(s) >= '0' && peek(s) <= '9')
            s->i++;
    }
    if (peek(s) == 'e' || peek(s) == 'E') {
        s->i++;
        if (peek(s) == '+' || peek(s) == '-')
            s->i++;
        if (!(peek(s) >= '0' && peek(s) <= '9'))
            return serr(s, "in exponent of numeric literal");
        while (peek(s) >= '0' && peek(s) <= '9')
            s->i++;
    }
    return 0;
}

// Scans the literal word (true, false, null) whose first byte matched.
static int scan_literal(scan_t *s, const char *word) {
    char ctx[48];
    for (size_t k = 1; word[k]; k++) {
        s->i++;
        if (peek(s) != word[k]) {
            snprintf(ctx, sizeof ctx, "in literal %s (expecting '%c')", word, word[k]);
            return serr(s, ctx);
        }
    }
    s->i++;
    return 0;
}

// Enters an object (obj) or array level.
static void push(scan_t *s, bool obj) {
    if (obj)
        s->stack[s->depth / 8] |= (uint8_t)(1u << (s->depth % 8));
    else
        s->stack[s->depth / 8] &= (uint8_t)~(1u << (s->depth % 8));
    s->depth++;
}
// True when the innermost open level is an object.
static bool top_is_obj(const scan_t *s) {
    return (s->stack[(s->depth - 1) / 8] >> ((s->depth - 1) % 8)) & 1;
}

// Validates the whole input iteratively (no recursion: depth up to 10000).
static int scan_all(scan_t *s) {
    skip_space(s);
value:
    switch (peek(s)) {
    case '{':
        if (s->depth >= MAX_DEPTH)
            goto deep;
        push(s, true);
        s->i++;
        skip_space(s);
        if (peek(s) == '}') {
            s->i++;
            s->depth--;
            goto after;
        }
        goto key;
    case '[':
        if (s->depth >= MAX_DEPTH)
            goto deep;
        push(s, false);
        s->i++;
        skip_space(s);
        if (peek(s) == ']') {
            s->i++;
            s->depth--;
            goto after;
        }
        goto value;
    case '"':
        if (scan_string(s))
            return -1;
        goto after;
    case 't':
        if (scan_literal(s, "true"))
            return -1;
        goto after;
    case 'f':
        if (scan_literal(s, "false"))
            return -1;
        goto after;
    case 'n':
        if (scan_literal(s, "null"))
            return -1;
        goto after;
    default:
        if (peek(s) == '-' || (peek(s) >= '0' && peek(s) <= '9')) {
            if (scan_number(s))
                return -1;
            goto after;
        }
        return serr(s, "looking for beginning of value");
    }
key:
    if (peek(s) != '"')
        return serr(s, "looking for beginning of object key string");
    if (scan_string(s))
        return -1;
    skip_space(s);
    if (peek(s) != ':')
        return serr(s, "after object key");
    s->i++;
    skip_space(s);
    goto value;
after:
    skip_space(s);
    if (s->depth == 0) {
        if (s->i < s->n)
            return serr(s, "after top-level value");
        return 0;
    }
    if (top_is_obj(s)) {
        if (peek(s) == ',') {
            s->i++;
            skip_space(s);
            goto key;
        }
        if (peek(s) == '}') {
            s->i++;
            s->depth--;
            goto after;
        }
        return serr(s, "after object key:value pair");
    }
    if (peek(s) == ',') {
        s->i++;
        skip_space(s);
        goto value;
    }
    if (peek(s) == ']') {
        s->i++;
        s->depth--;
        goto after;
    }
    return serr(s, "after array element");
deep:
    if (s->err) {
        s->err->kind = JSON_ERR_SYNTAX;
        s->err->offset = (int64_t)s->i + 1;
        snprintf(s->err->msg, sizeof s->err->msg, "exceeded max depth");
    }
    return -1;
}

// Returns JSON_OK when data is one valid JSON value, else a syntax error.
int json_valid(const void *data, size_t n, json_error_t *err) {
    static scan_t s; // large depth bitmap: static, one P
    memset(&s, 0, sizeof s);
    s.p = data;
    s.n = n;
    s.err = err;
    if (err)
        memset(err, 0, sizeof *err);
    return scan_all(&s) ? JSON_ERR_SYNTAX : JSON_OK;
}

// ---- decoding (input known valid) ---------------------------------------------------

// One field of the path to the value being decoded (Go's errorContext.FieldStack),
// kept in the frame of the decode_object call that matched it: the chain runs from
// the innermost field outwards, as deep as the input nests (up to MAX_DEPTH).
typedef struct dec_path {
    const char *name;
    const struct dec_path *outer;
} dec_path_t;

typedef struct dec {
    const uint8_t *p;
    size_t n, i;
    json_error_t *err; // first type error is saved here
    bool saved;
    const dec_path_t *path; // innermost matched field; NULL at the top level
    const char *structname;
} dec_t;

// Skips whitespace in the decoder.
static void dws(dec_t *d) {
    while (d->i < d->n && is_space(d->p[d->i]))
        d->i++;
}

// Skips one valid value (iteratively, strings aware).
static void skip_value(dec_t *d) {
    dws(d);
    int depth = 0;
    do {
        uint8_t c = d->p[d->i];
        if (c == '"') {
            d->i++;
            while (d->p[d->i] != '"') {
                if (d->p[d->i] == '\\')
                    d->i++;
                d->i++;
            }
            d->i++;
        } else if (c == '{' || c == '[') {
            depth++;
            d->i++;
        } else if (c == '}' || c == ']') {
            depth--;
            d->i++;
        } else if (c == ',' || c == ':' || is_space(c)) {
            d->i++;
        } else {
            while (d->i < d->n && !strchr(",}] \t\r\n", d->p[d->i]))
                d->i++;
        }
        if (depth > 0)
            dws(d);
    } while (depth > 0);
}

// Returns what JSON value starts here, by Go's UnmarshalTypeError.Value words.
static const char *value_word(dec_t *d) {
    switch (d->p[d->i]) {
    case '{': return "object";
    case '[': return "array";
    case '"': return "string";
    case 't': case 'f': return "bool";
    case 'n': return "null";
    default: return "number";
    }
}

// Writes the path's names, outermost first, joined by dots (Go's
// strings.Join(FieldStack, ".")) into buf[0..cap), cap >= 1. A path too long for
// buf is written as "<outermost>.[N more]" followed by as many of the innermost
// names as fit: it says that it was shortened and still ends where the error is.
// Returns buf.
static char *path_text(const dec_path_t *p, char *buf, size_t cap) {
    size_t names = 0, total = 0;
    const dec_path_t *outermost = p;
    for (const dec_path_t *q = p; q; q = q->outer) {
        total += strlen(q->name) + (names++ ? 1 : 0);
        outermost = q;
    }
    size_t kept = names, start = 0, end = total;
    if (total >= cap) {
        size_t head_max = strlen(outermost->name) + sizeof ".[18446744073709551615 more]";
        if (head_max >= cap) { // even the head does not fit: cut it
            snprintf(buf, cap, "%s.[%zu more]", outermost->name, names - 1);
            return buf;
        }
        size_t used = 0;
        const dec_path_t *q = p;
        for (kept = 0; kept + 1 < names && used + 1 + strlen(q->name) <= cap - 1 - head_max; kept++) {
            used += 1 + strlen(q->name);
            q = q->outer;
        }
        start = (size_t)snprintf(buf, cap, "%s.[%zu more]", outermost->name, names - 1 - kept);
        end = start + used;
    }
    buf[end] = 0;
    for (size_t k = 0; k < kept; k++, p = p->outer) { // innermost first, from the end
        size_t len = strlen(p->name);
        end -= len;
        memcpy(buf + end, p->name, len);
        if (end > start)
            buf[--end] = '.';
    }
    return buf;
}

// Saves the first type error ("json: cannot unmarshal X into Go struct field S.F of
// type T") with Go's UnmarshalTypeError.Offset. The path gets the room the rest of
// the message leaves in err->msg, so " of type T" always ends it.
static void type_error(dec_t *d, const char *what, const char *gotype, size_t offset) {
    bool first = !d->saved;
    d->saved = true;
    if (!first || d->err == NULL)
        return;
    d->err->kind = JSON_ERR_TYPE;
    d->err->offset = (int64_t)offset;
    if (d->path == NULL) {
        snprintf(d->err->msg, sizeof d->err->msg,
                 "json: cannot unmarshal %s into Go value of type %s", what, gotype);
        return;
    }
    const char *sn = strrchr(d->structname, '.'); // reflect.Type.Name(): unqualified
    sn = sn ? sn + 1 : d->structname;
    char *m = d->err->msg;
    size_t cap = sizeof d->err->msg, tail = sizeof " of type " - 1 + strlen(gotype);
    int n = snprintf(m, cap, "json: cannot unmarshal %s into Go struct field %s.", what, sn);
    size_t used = (size_t)n < cap ? (size_t)n : cap - 1;
    path_text(d->path, m + used, cap - used > tail + 1 ? cap - used - tail : 1);
    used += strlen(m + used);
    snprintf(m + used, cap - used, " of type %s", gotype);
}

// A value of the wrong JSON type for gotype: saves the type error with Go's offset
// (decode.go: just past '{' or '[' for an object or array, d.off; just past a
// literal, d.readIndex()) and skips the value.
static void wrong_type(dec_t *d, const char *gotype) {
    const char *what = value_word(d);
    size_t at = d->i;
    bool composite = d->p[at] == '{' || d->p[at] == '[';
    skip_value(d);
    type_error(d, what, gotype, composite ? at + 1 : d->i);
}

// Returns the 4-hex-digit value at p.
static uint32_t hex4(const uint8_t *p) {
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        uint8_t c = p[k];
        v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

// Writes rune r as UTF-8 at o; returns the bytes written.
static int put_utf8(uint8_t *o, uint32_t r) {
    if (r < 0x80) { o[0] = (uint8_t)r; return 1; }
    if (r < 0x800) { o[0] = (uint8_t)(0xc0 | r >> 6); o[1] = (uint8_t)(0x80 | (r & 0x3f)); return 2; }
    if (r < 0x10000) {
        o[0] = (uint8_t)(0xe0 | r >> 12); o[1] = (uint8_t)(0x80 | ((r >> 6) & 0x3f));
        o[2] = (uint8_t)(0x80 | (r & 0x3f));
        return 3;
    }
    o[0] = (uint8_t)(0xf0 | r >> 18); o[1] = (uint8_t)(0x80 | ((r >> 12) & 0x3f));
    o[2] = (uint8_t)(0x80 | ((r >> 6) & 0x3f)); o[3] = (uint8_t)(0x80 | (r & 0x3f));
    return 4;
}

// unicode/utf8.DecodeRune: the rune at p[0..n) and its length; (U+FFFD, 1) when the
// bytes are not valid UTF-8 (overlong forms, surrogates, above U+10FFFF, truncated).
static int utf8_decode(const uint8_t *p, size_t n, uint32_t *r) {
    uint8_t c = p[0];
    *r = 0xfffd;
    if (c < 0x80) {
        *r = c;
        return 1;
    }
    int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (len == 0 || c > 0xf4 || (size_t)len > n)
        return 1;
    uint32_t v = c & (0x7f >> len);
    for (int k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 1;
        v = v << 6 | (p[k] & 0x3f);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
        return 1;
    *r = v;
    return len;
}

// unquoteBytes: the contents of the string at d->i (a '"'), moving past it. Returns a
// view of the input when there is nothing to unquote, else a new buffer (allocated,
// doubled when invalid bytes expand to U+FFFD). *n is the length.
static const uint8_t *unquote(dec_t *d, size_t *n) {
    size_t start = ++d->i;
    bool slow = false;
    while (d->p[d->i] != '"') {
        uint8_t c = d->p[d->i];
        if (c == '\\') {
            slow = true;
            d->i += 2;
        } else if (c >= 0x80) {
            uint32_t r;
            int len = utf8_decode(d->p + d->i, d->n - d->i, &r);
            if (r == 0xfffd && len == 1)
                slow = true; // invalid UTF-8: coerced in the slow path
            d->i += (size_t)len;
        } else {
            d->i++;
        }
    }
    size_t end = d->i++;
    if (!slow) {
        *n = end - start;
        return d->p + start;
    }
    // unquoteBytes: b := make([]byte, len(s)+2*utf8.UTFMax), doubled when short.
    size_t cap = end - start + 8;
    uint8_t *b = rt_mallocgc(cap, &gotype_uint8, false);
    size_t w = 0;
    for (size_t k = start; k < end;) {
        if (w >= cap - 8) {
            size_t ncap = (cap + 4) * 2;
            uint8_t *nb = rt_mallocgc(ncap, &gotype_uint8, false);
            memcpy(nb, b, w);
            b = nb;
            cap = ncap;
        }
        uint8_t c = d->p[k];
        if (c >= 0x80) {
            uint32_t r;
            k += (size_t)utf8_decode(d->p + k, end - k, &r);
            w += (size_t)put_utf8(b + w, r);
            continue;
        }
        if (c != '\\') {
            b[w++] = c;
            k++;
            continue;
        }
        c = d->p[k + 1];
        k += 2;
        switch (c) {
        case 'b': b[w++] = '\b'; break;
        case 'f': b[w++] = '\f'; break;
        case 'n': b[w++] = '\n'; break;
        case 'r': b[w++] = '\r'; break;
        case 't': b[w++] = '\t'; break;
        case 'u': {
            uint32_t r = hex4(d->p + k);
            k += 4;
            if (r >= 0xd800 && r < 0xdc00) { // a surrogate pair, or U+FFFD
                if (k + 6 <= end && d->p[k] == '\\' && d->p[k + 1] == 'u') {
                    uint32_t r2 = hex4(d->p + k + 2);
                    if (r2 >= 0xdc00 && r2 < 0xe000) {
                        r = 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00);
                        k += 6;
                    } else {
                        r = 0xfffd;
                    }
                } else {
                    r = 0xfffd;
                }
            } else if (r >= 0xdc00 && r < 0xe000) {
                r = 0xfffd;
            }
            w += (size_t)put_utf8(b + w, r);
            break;
        }
        default: b[w++] = c; // \" \\ \/
        }
    }
    *n = w;
    return b;
}

// Reads the string at d->i into a new Go string (string(unquoteBytes(item))): one
// allocation, or two when it has escapes or invalid UTF-8.
static gostring_t read_string(dec_t *d) {
    size_t n;
    const uint8_t *p = unquote(d, &n);
    json_stats.strings++;
    return str_from_bytes(p, (int64_t)n, NULL);
}

// Parses an integer literal; returns false when it is not an int64 (fraction,
// exponent or overflow: Go's "number 1.5" type error).
static bool read_int(dec_t *d, int64_t *out) {
    size_t s = d->i;
    while (d->i < d->n && strchr("+-0123456789.eE", d->p[d->i]))
        d->i++;
    bool neg = d->p[s] == '-';
    uint64_t v = 0;
    for (size_t k = s + neg; k < d->i; k++) {
        uint8_t c = d->p[k];
        if (c < '0' || c > '9')
            return false;
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (c - '0');
    }
    if ((!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX + 1))
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static void decode_object(dec_t *d, const json_struct_t *st, uint8_t *out);

// Decodes a number/string/bool/null/array/object value into a field of kind k.
static void decode_field(dec_t *d, const json_field_t *f, uint8_t *slot) {
    dws(d);
    uint8_t c = d->p[d->i];
    static const char *const type_names[] = {"", "string", "int", "bool", "[]string", "[]int", "*struct", "struct"};
    const char *tn = f->kind == JSON_PTR || f->kind == JSON_STRUCT ? (f->sub ? f->sub->name : "struct")
                                                                   : type_names[f->kind];
    if (c == 'n') { // null: nil for pointers and slices, no effect otherwise
        d->i += 4;
        if (f->kind == JSON_PTR)
            GC_STORE(*(void **)slot, NULL);
        else if (f->kind == JSON_STRINGS || f->kind == JSON_INTS)
            gc_memclr_ptrs(slot, sizeof(goslice_t));
        return;
    }
    switch (f->kind) {
    case JSON_STRING:
        if (c != '"')
            break;
        GC_STORE(*(gostring_t *)slot, read_string(d));
        return;
    case JSON_INT: {
        if (c != '-' && (c < '0' || c > '9'))
            break;
        size_t s = d->i;
        int64_t v;
        if (!read_int(d, &v)) {
            char what[80];
            snprintf(what, sizeof what, "number %.*s", (int)(d->i - s < 60 ? d->i - s : 60), d->p + s);
            type_error(d, what, tn, d->i);
            return;
        }
        *(int64_t *)slot = v;
        return;
    }
    case JSON_BOOL:
        if (c != 't' && c != 'f')
            break;
        *(uint8_t *)slot = c == 't';
        d->i += c == 't' ? 4 : 5;
        return;
    case JSON_STRINGS:
    case JSON_INTS: {
        if (c != '[')
            break;
        bool strs = f->kind == JSON_STRINGS;
        const gotype_t *et = strs ? &gotype_string : &gotype_int64;
        size_t es = et->size;
        goslice_t *sl = (goslice_t *)slot;
        goslice_t v = *sl;
        int64_t i = 0;
        d->i++;
        dws(d);
        bool reused = v.cap > 0;
        while (d->p[d->i] != ']') {
            if (i >= v.cap) { // decode.go array: newcap = cap + cap/2, at least 4
                int64_t nc = v.cap + v.cap / 2;
                if (nc < 4)
                    nc = 4;
                void *arr = rt_newarray(et, (size_t)nc);
                if (v.len)
                    gc_memmove_ptrs(arr, v.ptr, (size_t)v.len * es);
                v.ptr = arr;
                v.cap = nc;
                GC_STORE(*sl, v);
                json_stats.slices_grown++;
                reused = false;
            }
            if (i >= v.len) {
                v.len = i + 1;
                GC_STORE(*sl, v);
            }
            uint8_t *elem = (uint8_t *)v.ptr + (size_t)i * es;
            dws(d);
            uint8_t ec = d->p[d->i];
            if (ec == 'n') {
                d->i += 4; // null element: no effect
            } else if (strs && ec == '"') {
                GC_STORE(*(gostring_t *)elem, read_string(d));
            } else if (!strs && (ec == '-' || (ec >= '0' && ec <= '9'))) {
                size_t s = d->i;
                int64_t iv;
                if (read_int(d, &iv)) {
                    *(int64_t *)elem = iv;
                } else {
                    char what[80];
                    snprintf(what, sizeof what, "number %.*s", (int)(d->i - s < 60 ? d->i - s : 60), d->p + s);
                    type_error(d, what, strs ? "string" : "int", d->i);
                }
            } else {
                wrong_type(d, strs ? "string" : "int");
            }
            i++;
            dws(d);
            if (d->p[d->i] == ',') {
                d->i++;
                dws(d);
            }
        }
        d->i++;
        if (i < v.len) { // shorter: set the length; old elements stay in the array
            v.len = i;
            GC_STORE(*sl, v);
        }
        if (i == 0) { // reflect.MakeSlice(T, 0, 0): empty, non-nil, capacity 0
            static uint64_t zerobase;
            goslice_t e = {&zerobase, 0, 0};
            GC_STORE(*sl, e);
            reused = false;
        }
        if (reused)
            json_stats.slices_reused++;
        return;
    }
    case JSON_PTR:
        if (c != '{')
            break;
        if (*(void **)slot == NULL) {
            if (f->sub->type == NULL)
                sys_panic("json: field %s: struct %s has no type descriptor to allocate it",
                          f->name, f->sub->name);
            GC_STORE(*(void **)slot, rt_new(f->sub->type));
        }
        decode_object(d, f->sub, *(uint8_t **)slot);
        return;
    case JSON_STRUCT:
        if (c != '{')
            break;
        decode_object(d, f->sub, slot);
        return;
    }
    wrong_type(d, tn);
}

// Returns true when the key equals name, ASCII case folded.
static bool fold_eq(const uint8_t *k, size_t kn, const char *name) {
    size_t n = strlen(name);
    if (n != kn)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t a = k[i], b = (uint8_t)name[i];
        if (a >= 'A' && a <= 'Z')
            a |= 0x20;
        if (b >= 'A' && b <= 'Z')
            b |= 0x20;
        if (a != b)
            return false;
    }
    return true;
}

// Decodes an object (at '{') into out, a struct described by st.
static void decode_object(dec_t *d, const json_struct_t *st, uint8_t *out) {
    const char *outer = d->structname;
    d->i++;
    dws(d);
    while (d->p[d->i] != '}') {
        // The key: matched in place when it has no escapes or invalid UTF-8 (Go's
        // unquoteBytes returns a subslice); otherwise unquoted into a new buffer.
        size_t ks = d->i + 1, k = ks;
        bool plain = true;
        while (d->p[k] != '"') {
            if (d->p[k] == '\\') {
                plain = false;
                k++;
            } else if (d->p[k] >= 0x80) {
                uint32_t r;
                int n = utf8_decode(d->p + k, d->n - k, &r);
                if (r == 0xfffd && n == 1)
                    plain = false;
                k += (size_t)n - 1;
            }
            k++;
        }
        const uint8_t *key = d->p + ks;
        size_t klen = k - ks;
        if (plain) {
            d->i = k + 1;
        } else {
            key = unquote(d, &klen); // moves d->i past the key
        }
        dws(d);
        d->i++; // ':'
        dws(d);
        const json_field_t *f = NULL;
        for (size_t j = 0; j < st->nfields; j++) {
            const json_field_t *ff = &st->fields[j];
            if (strlen(ff->name) == klen && memcmp(ff->name, key, klen) == 0) {
                f = ff;
                break;
            }
            if (f == NULL && fold_eq(key, klen, ff->name))
                f = ff;
        }
        if (f) {
            dec_path_t level = {f->name, d->path};
            d->structname = st->name;
            d->path = &level;
            decode_field(d, f, out + f->offset);
            d->path = level.outer;
            d->structname = outer;
        } else {
            skip_value(d);
        }
        dws(d);
        if (d->p[d->i] == ',') {
            d->i++;
            dws(d);
        }
    }
    d->i++;
}

// json.Unmarshal into a field-table struct; see json.h.
int json_decode(const void *data, size_t n, const json_struct_t *st, void *out,
                json_error_t *err) {
    opcount_mark_t m = opcount_begin();
    int r = json_valid(data, n, err);
    if (r != JSON_OK) {
        opcount_end(&json_stats.decode, m);
        return r;
    }
    dec_t d = {.p = data, .n = n, .err = err, .structname = st->name};
    dws(&d);
    if (d.p[d.i] == '{') {
        decode_object(&d, st, out);
    } else if (d.p[d.i] != 'n') { // null: no effect
        wrong_type(&d, st->name);
    }
    opcount_end(&json_stats.decode, m);
    return d.saved && err ? err->kind : (d.saved ? JSON_ERR_TYPE : JSON_OK);
}
