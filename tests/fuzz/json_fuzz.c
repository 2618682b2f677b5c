// libFuzzer target for the JSON decoder (golib/json.c) on the real hosted runtime, with
// a recursive type table: Node{Name string; N int; OK bool; Tags []string;
// Ids []int; Next, K *Node; Leaf struct{S string; I int}}. For every input:
//  - json_decode never crashes and agrees with json_valid on what is a syntax error;
//  - an error carries an offset inside the input and a bounded message; a type
//    error's field path names only fields of the table (or says it was shortened);
//  - a syntax error writes nothing;
//  - what was decoded, written back out as JSON by this file's encoder, is valid
//    JSON that decodes without error into a fresh Node equal to the first.
// Both Nodes are registered GC roots; every 64th input a forced collection with
// gcpoison runs between the decode and the comparison, so a reachable object the
// collector freed shows up as a difference (or an ASan report).
#include <string.h>
#include "mm/heap.h"
#include "rt/gc.h"
#include "golib/json.h"
#include "golib/str.h"
#include "sys/options.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

typedef struct leaf {
    gostring_t S;
    int64_t I;
} leaf_t;
typedef struct node {
    gostring_t Name;
    int64_t N;
    bool OK;
    goslice_t Tags, Ids;
    struct node *Next, *K;
    leaf_t Leaf;
} node_t;

static GOTYPE_STRUCT(node_type, node_t, "main.Node", offsetof(node_t, Name),
                     offsetof(node_t, Tags), offsetof(node_t, Ids), offsetof(node_t, Next),
                     offsetof(node_t, K), offsetof(node_t, Leaf.S));
static const json_field_t leaf_fields[] = {
    {"S", offsetof(leaf_t, S), JSON_STRING, NULL},
    {"I", offsetof(leaf_t, I), JSON_INT, NULL},
};
static const json_struct_t leaf_desc = {"main.Leaf", NULL, leaf_fields, 2};
static const json_struct_t node_desc;
static const json_field_t node_fields[] = {
    {"Name", offsetof(node_t, Name), JSON_STRING, NULL},
    {"N", offsetof(node_t, N), JSON_INT, NULL},
    {"OK", offsetof(node_t, OK), JSON_BOOL, NULL},
    {"Tags", offsetof(node_t, Tags), JSON_STRINGS, NULL},
    {"Ids", offsetof(node_t, Ids), JSON_INTS, NULL},
    {"Next", offsetof(node_t, Next), JSON_PTR, &node_desc},
    {"K", offsetof(node_t, K), JSON_PTR, &node_desc},
    {"Leaf", offsetof(node_t, Leaf), JSON_STRUCT, &leaf_desc},
};
static const json_struct_t node_desc = {"main.Node", &node_type, node_fields, 8};

static node_t roots[2]; // the decoded Node and its re-decoded copy (GC roots)

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    opt_parse("gcpoison=1");
    heap_init();
    gc_reset();
    gc_add_root(&roots[0], sizeof roots[0], &node_type);
    gc_add_root(&roots[1], sizeof roots[1], &node_type);
    return 0;
}

// ---- the encoder: a Node back to JSON (encoding/json's Marshal of the same type)

typedef struct out {
    char *p;
    size_t len, cap;
} out_t;

// Appends n bytes to o, growing it.
static void put(out_t *o, const void *s, size_t n) {
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->p = realloc(o->p, o->cap);
        FUZZ_CHECK(o->p != NULL, "out of memory for %zu bytes", o->cap);
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = 0;
}
static void puts_(out_t *o, const char *s) { put(o, s, strlen(s)); }

// Appends s as a JSON string: quotes, backslashes and control bytes escaped.
static void put_string(out_t *o, gostring_t s) {
    puts_(o, "\"");
    for (int64_t i = 0; i < s.len; i++) {
        uint8_t c = ((const uint8_t *)s.ptr)[i];
        char esc[8];
        if (c == '"' || c == '\\' || c < 0x20) {
            snprintf(esc, sizeof esc, c < 0x20 ? "\\u%04x" : "\\%c", c);
            puts_(o, esc);
        } else {
            put(o, &c, 1);
        }
    }
    puts_(o, "\"");
}

// Appends a []string or []int: null when nil, else its len elements.
static void put_slice(out_t *o, goslice_t s, bool strings) {
    if (s.ptr == NULL) {
        puts_(o, "null");
        return;
    }
    puts_(o, "[");
    for (int64_t i = 0; i < s.len; i++) {
        char num[24];
        if (i)
            puts_(o, ",");
        if (strings) {
            put_string(o, ((const gostring_t *)s.ptr)[i]);
        } else {
            snprintf(num, sizeof num, "%lld", (long long)((const int64_t *)s.ptr)[i]);
            puts_(o, num);
        }
    }
    puts_(o, "]");
}

static void put_node(out_t *o, const node_t *n);

// Appends a *Node: null or the object.
static void put_ptr(out_t *o, const node_t *n) {
    if (n)
        put_node(o, n);
    else
        puts_(o, "null");
}

// Appends every field of n.
static void put_node(out_t *o, const node_t *n) {
    char num[64];
    puts_(o, "{\"Name\":");
    put_string(o, n->Name);
    snprintf(num, sizeof num, ",\"N\":%lld,\"OK\":%s,\"Tags\":", (long long)n->N,
             n->OK ? "true" : "false");
    puts_(o, num);
    put_slice(o, n->Tags, true);
    puts_(o, ",\"Ids\":");
    put_slice(o, n->Ids, false);
    puts_(o, ",\"Next\":");
    put_ptr(o, n->Next);
    puts_(o, ",\"K\":");
    put_ptr(o, n->K);
    puts_(o, ",\"Leaf\":{\"S\":");
    put_string(o, n->Leaf.S);
    snprintf(num, sizeof num, ",\"I\":%lld}}", (long long)n->Leaf.I);
    puts_(o, num);
}

// ---- invariants

// True when two decoded slices hold the same elements (nil only equals nil).
static bool slice_eq(goslice_t a, goslice_t b, bool strings) {
    if ((a.ptr == NULL) != (b.ptr == NULL) || a.len != b.len)
        return false;
    for (int64_t i = 0; i < a.len; i++) {
        bool same = strings ? str_eq(((gostring_t *)a.ptr)[i], ((gostring_t *)b.ptr)[i])
                            : ((int64_t *)a.ptr)[i] == ((int64_t *)b.ptr)[i];
        if (!same)
            return false;
    }
    return true;
}

// True when two Node trees are equal field by field.
static bool node_eq(const node_t *a, const node_t *b) {
    if (!a || !b)
        return a == b;
    return str_eq(a->Name, b->Name) && a->N == b->N && a->OK == b->OK &&
           slice_eq(a->Tags, b->Tags, true) && slice_eq(a->Ids, b->Ids, false) &&
           node_eq(a->Next, b->Next) && node_eq(a->K, b->K) &&
           str_eq(a->Leaf.S, b->Leaf.S) && a->Leaf.I == b->Leaf.I;
}

// Checks a type error's message: Go's frame around a path of the table's field
// names, or of a struct name, names and "[N more]" when it was shortened.
static void check_type_message(const char *msg) {
    static const char *const names[] = {"Name", "N", "OK", "Tags", "Ids", "Next", "K",
                                        "Leaf", "S", "I"};
    FUZZ_CHECK(strncmp(msg, "json: cannot unmarshal ", 23) == 0 && strstr(msg, " of type "),
               "'%s'", msg);
    const char *field = strstr(msg, "Go struct field ");
    if (!field)
        return; // "into Go value of type main.Node": the top level
    field += strlen("Go struct field ");
    char path[sizeof ((json_error_t *)0)->msg];
    size_t n = (size_t)(strstr(field, " of type ") - field);
    memcpy(path, field, n);
    path[n] = 0;
    int parts = 0;
    for (char *tok = strtok(path, "."); tok; tok = strtok(NULL, "."), parts++) {
        unsigned long more;
        char close = 0;
        bool known = parts == 0 ? strcmp(tok, "Node") == 0 || strcmp(tok, "Leaf") == 0
                                : sscanf(tok, "[%lu more%c", &more, &close) == 2 && close == ']';
        for (size_t k = 0; parts > 0 && k < sizeof names / sizeof names[0]; k++)
            known |= strcmp(tok, names[k]) == 0;
        FUZZ_CHECK(known, "'%s' in '%s'", tok, msg);
    }
    FUZZ_CHECK(parts >= 2, "no field in '%s'", msg);
}

// True when every byte of n is zero.
static bool all_zero(const void *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (((const uint8_t *)p)[i])
            return false;
    return true;
}

// Checks what json_decode returned for data[0..size) against json_valid and the
// error rules. Returns true when the Node holds a decoded value to round-trip.
static bool check_result(const uint8_t *data, size_t size, int rc, const json_error_t *e) {
    json_error_t v;
    int valid = json_valid(data, size, &v);
    FUZZ_CHECK(rc == JSON_OK || rc == JSON_ERR_SYNTAX || rc == JSON_ERR_TYPE, "rc %d", rc);
    FUZZ_CHECK((rc == JSON_ERR_SYNTAX) == (valid == JSON_ERR_SYNTAX), "decode %d, valid %d", rc,
               valid);
    if (rc == JSON_OK)
        return true;
    FUZZ_CHECK(e->kind == rc && e->offset >= 0 && e->offset <= (int64_t)size, "offset %lld of %zu",
               (long long)e->offset, size);
    FUZZ_CHECK(memchr(e->msg, 0, sizeof e->msg) && e->msg[0], "unterminated or empty message");
    if (rc == JSON_ERR_TYPE) {
        check_type_message(e->msg);
        return true;
    }
    FUZZ_CHECK(e->offset == v.offset && strcmp(e->msg, v.msg) == 0, "'%s' vs '%s'", e->msg, v.msg);
    FUZZ_CHECK(all_zero(&roots[0], sizeof roots[0]), "a syntax error wrote into the Node");
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static unsigned long inputs;
    static out_t enc;
    if (size > 8192)
        return 0; // keep single runs short
    json_error_t e;
    memset(roots, 0, sizeof roots);
    int rc = json_decode(data, size, &node_desc, &roots[0], &e);
    if (!check_result(data, size, rc, &e))
        return 0;
    if (++inputs % 64 == 0)
        gc_collect(true);
    enc.len = 0;
    put_node(&enc, &roots[0]);
    rc = json_decode(enc.p, enc.len, &node_desc, &roots[1], &e);
    FUZZ_CHECK(rc == JSON_OK, "the encoding does not decode: %s\n%s", e.msg, enc.p);
    FUZZ_CHECK(node_eq(&roots[0], &roots[1]), "decode(encode(x)) differs from x:\n%s", enc.p);
    return 0;
}
