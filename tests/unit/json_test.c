// JSON decoding against Go 1.19's encoding/json (decode.go). Expected results were
// printed by Go 1.19 for the same inputs into
//   type T struct { Name string; Tags []string; Notes *struct{ A, B string }; N int }
// first {"Name":"a","Tags":["a","b","c","d"],"Notes":{"A":"x","B":"y"},"N":5}, then
// {"Name":"b","Tags":["z"],"Notes":{"A":"q"}}: Name b, Tags [z] len 1 cap 4, the old
// array [z b c d], Notes the same pointer holding {q y}, N 5 (absent: kept).
// Allocations per Unmarshal measured with Go 1.19 (AllocsPerRun) into struct{Name
// string}: "hello" 5, "x" 4, "h\xc3\xa9llo" 5, "a\nb" 6, "a\xffb" 7 — the fixed base
// of 4 (decodeState, scanner, reflect) plus what json_decode does: 1, 0, 1, 2, 3.
#include "tests/unit/golib_test_util.h"

typedef struct notes {
    gostring_t A, B;
} notes_t;
typedef struct msg {
    gostring_t Name;
    goslice_t Tags;
    notes_t *Notes;
    int64_t N;
    bool OK;
    goslice_t Ids;
    notes_t Inner;
} msg_t;

static GOTYPE_STRUCT(notes_type, notes_t, "main.Notes", offsetof(notes_t, A), offsetof(notes_t, B));
static const json_field_t notes_fields[] = {
    {"A", offsetof(notes_t, A), JSON_STRING, NULL},
    {"B", offsetof(notes_t, B), JSON_STRING, NULL},
};
static const json_struct_t notes_desc = {"main.Notes", &notes_type, notes_fields, 2};
static const json_field_t msg_fields[] = {
    {"Name", offsetof(msg_t, Name), JSON_STRING, NULL},
    {"Tags", offsetof(msg_t, Tags), JSON_STRINGS, NULL},
    {"Notes", offsetof(msg_t, Notes), JSON_PTR, &notes_desc},
    {"N", offsetof(msg_t, N), JSON_INT, NULL},
    {"OK", offsetof(msg_t, OK), JSON_BOOL, NULL},
    {"Ids", offsetof(msg_t, Ids), JSON_INTS, NULL},
    {"Inner", offsetof(msg_t, Inner), JSON_STRUCT, &notes_desc},
};
static const json_struct_t msg_desc = {"main.T", NULL, msg_fields, sizeof msg_fields / sizeof msg_fields[0]};

static int decode(const char *s, msg_t *m, json_error_t *e) {
    return json_decode(s, strlen(s), &msg_desc, m, e);
}


static bool streq(gostring_t s, const char *want) { return str_eq(s, str_from_cstr(want)); }
static gostring_t tag(goslice_t s, int64_t i) { return ((gostring_t *)s.ptr)[i]; }


static void json_shorter_array_leaves_old_elements(void **state) {
    (void)state;
    msg_t mv = {0}; // on the stack: the GC scans it conservatively
    msg_t *m = &mv;
    json_error_t e;
    assert_int_equal(decode("{\"Name\":\"a\",\"Tags\":[\"a\",\"b\",\"c\",\"d\"],\"Notes\":{\"A\":\"x\",\"B\":\"y\"},\"N\":5}", m, &e), JSON_OK);
    goslice_t old = m->Tags;
    notes_t *np = m->Notes;
    assert_int_equal(old.len, 4);
    assert_int_equal(decode("{\"Name\":\"b\",\"Tags\":[\"z\"],\"Notes\":{\"A\":\"q\"}}", m, &e), JSON_OK);
    assert_true(streq(m->Name, "b"));
    assert_int_equal(m->Tags.len, 1);
    assert_int_equal(m->Tags.cap, 4);
    assert_ptr_equal(m->Tags.ptr, old.ptr); // the same array, reused
    assert_true(streq(tag(old, 0), "z"));
    assert_true(streq(tag(old, 1), "b")); // old elements past len stay, not zeroed
    assert_true(streq(tag(old, 3), "d"));
    assert_ptr_equal(m->Notes, np); // non-nil pointer decoded in place
    assert_true(streq(m->Notes->A, "q"));
    assert_true(streq(m->Notes->B, "y")); // absent sub-field kept
    assert_int_equal(m->N, 5);            // absent field kept
    assert_int_equal(json_stats.slices_reused, 1);
}

static void json_growth_uses_cap_plus_half_at_least_4(void **state) {
    (void)state;
    msg_t m = {0};
    json_error_t e;
    assert_int_equal(decode("{\"Ids\":[1,2,3,4,5,6,7]}", &m, &e), JSON_OK);
    // nil -> cap 4 (copy 0), then 4 + 2 = 6, then 6 + 3 = 9.
    assert_int_equal(m.Ids.len, 7);
    assert_int_equal(m.Ids.cap, 9);
    assert_int_equal(json_stats.slices_grown, 3);
    assert_int_equal(((int64_t *)m.Ids.ptr)[6], 7);
}

static void json_empty_array_sets_empty_slice_and_null_sets_nil(void **state) {
    (void)state;
    msg_t m = {0};
    json_error_t e;
    assert_int_equal(decode("{\"Tags\":[\"a\"],\"Notes\":{}}", &m, &e), JSON_OK);
    assert_non_null(m.Notes); // nil pointer: a new struct
    assert_int_equal(decode("{\"Tags\":[]}", &m, &e), JSON_OK);
    // Go 1.19 prints: json empty: false 0 0 (non-nil, len 0, cap 0)
    assert_non_null(m.Tags.ptr);
    assert_int_equal(m.Tags.len, 0);
    assert_int_equal(m.Tags.cap, 0);
    assert_int_equal(decode("{\"Tags\":null,\"Notes\":null,\"Name\":null}", &m, &e), JSON_OK);
    assert_null(m.Tags.ptr);
    assert_null(m.Notes);
}

static void json_syntax_error_reports_go_offset_and_writes_nothing(void **state) {
    (void)state;
    msg_t m = {0};
    m.Name = STR("keep");
    json_error_t e;
    // Go 1.19: invalid character '}' looking for beginning of value, Offset 23
    assert_int_equal(decode("{\"Name\":\"b\",\"Tags\":[1,}", &m, &e), JSON_ERR_SYNTAX);
    assert_int_equal(e.offset, 23);
    assert_string_equal(e.msg, "invalid character '}' looking for beginning of value");
    assert_true(streq(m.Name, "keep"));
    // Go 1.19: unexpected end of JSON input, Offset 11
    assert_int_equal(decode("{\"Name\":\"b\"", &m, &e), JSON_ERR_SYNTAX);
    assert_int_equal(e.offset, 11);
    assert_string_equal(e.msg, "unexpected end of JSON input");
    assert_int_equal(decode("{\"a\" 1}", &m, &e), JSON_ERR_SYNTAX);
    assert_string_equal(e.msg, "invalid character '1' after object key");
    assert_int_equal(decode("[1 2]", &m, &e), JSON_ERR_SYNTAX);
    assert_string_equal(e.msg, "invalid character '2' after array element");
    assert_int_equal(decode("{\"N\":tru}", &m, &e), JSON_ERR_SYNTAX);
    assert_string_equal(e.msg, "invalid character '}' in literal true (expecting 'e')");
    assert_int_equal(decode("{} x", &m, &e), JSON_ERR_SYNTAX);
    assert_string_equal(e.msg, "invalid character 'x' after top-level value");
    assert_true(streq(m.Name, "keep"));
}

static void json_type_error_skips_the_value_and_goes_on(void **state) {
    (void)state;
    msg_t m = {0};
    json_error_t e;
    // Go 1.19: json: cannot unmarshal string into Go struct field T.N of type int; Tags [k]
    assert_int_equal(decode("{\"Name\":\"b\",\"N\":\"str\",\"Tags\":[\"k\"]}", &m, &e), JSON_ERR_TYPE);
    assert_string_equal(e.msg, "json: cannot unmarshal string into Go struct field T.N of type int");
    assert_int_equal(m.Tags.len, 1);
    assert_true(streq(tag(m.Tags, 0), "k"));
    assert_int_equal(decode("{\"N\":1.5}", &m, &e), JSON_ERR_TYPE);
    assert_string_equal(e.msg, "json: cannot unmarshal number 1.5 into Go struct field T.N of type int");
    assert_int_equal(decode("{\"Notes\":{\"A\":[1]}}", &m, &e), JSON_ERR_TYPE);
    assert_string_equal(e.msg, "json: cannot unmarshal array into Go struct field Notes.Notes.A of type string");
    assert_int_equal(decode("\"str\"", &m, &e), JSON_ERR_TYPE);
    assert_string_equal(e.msg, "json: cannot unmarshal string into Go value of type main.T");
}

static void json_keys_match_case_insensitively_and_unknown_keys_are_skipped(void **state) {
    (void)state;
    msg_t m = {0};
    json_error_t e;
    assert_int_equal(decode("{\"name\":\"lower\",\"extra\":{\"deep\":[1,{\"x\":\"]\"}]},\"ok\":true,"
                            "\"inner\":{\"a\":\"in\"}}", &m, &e), JSON_OK);
    assert_true(streq(m.Name, "lower"));
    assert_true(m.OK);
    assert_true(streq(m.Inner.A, "in"));
}

static void json_strings_allocate_like_go(void **state) {
    (void)state;
    msg_t m = {0};
    json_error_t e;
    opcount_mark_t mk = opcount_begin();
    assert_int_equal(decode("{\"Name\":\"hello\"}", &m, &e), JSON_OK);
    assert_int_equal(opcount_end(NULL, mk), 1); // string(item)
    mk = opcount_begin();
    assert_int_equal(decode("{\"Name\":\"x\"}", &m, &e), JSON_OK);
    assert_int_equal(opcount_end(NULL, mk), 0); // one byte: staticuint64s
    mk = opcount_begin();
    assert_int_equal(decode("{\"Name\":\"a\\nb\\u00e9\\ud83d\\ude00\"}", &m, &e), JSON_OK);
    assert_int_equal(opcount_end(NULL, mk), 2); // unquoteBytes' buffer + string
    assert_true(streq(m.Name, "a\nb\xc3\xa9\xf0\x9f\x98\x80"));
    mk = opcount_begin();
    assert_int_equal(decode("{\"Name\":\"h\xc3\xa9llo\"}", &m, &e), JSON_OK);
    assert_int_equal(opcount_end(NULL, mk), 1); // valid UTF-8 stays on the fast path
    mk = opcount_begin();
    assert_int_equal(decode("{\"Name\":\"a\xff" "b\"}", &m, &e), JSON_OK);
    // Invalid byte: coerced to U+FFFD in unquoteBytes' buffer, which is then too
    // short for the next byte and doubled: 3, as Go 1.19 (7 - Unmarshal's base 4).
    assert_int_equal(opcount_end(NULL, mk), 3);
    assert_true(streq(m.Name, "a\xef\xbf\xbd" "b"));
}

static void json_random_mutations_never_crash(void **state) {
    (void)state;
    static const char base[] = "{\"Name\":\"a\\\"b\",\"Tags\":[\"x\",\"y\"],\"Notes\":{\"A\":\"q\"},"
                               "\"N\":-12,\"OK\":false,\"Ids\":[1,2,3],\"Inner\":{\"B\":\"w\"}}";
    static const char alphabet[] = "{}[]\",:\\ 0123456789-+.eEtrufalsn\x01\xff";
    uint64_t r = 12345;
    char buf[sizeof base];
    msg_t m = {0};
    for (int it = 0; it < 20000; it++) {
        memcpy(buf, base, sizeof base);
        size_t n = sizeof base - 1;
        int edits = 1 + (int)(it % 4);
        for (int k = 0; k < edits; k++) {
            r ^= r << 13; r ^= r >> 7; r ^= r << 17;
            size_t pos = (size_t)(r % n);
            buf[pos] = alphabet[(r >> 20) % (sizeof alphabet - 1)];
            if ((r >> 40) % 8 == 0)
                n = pos + 1; // truncate
        }
        json_error_t e;
        int rc = json_decode(buf, n, &msg_desc, &m, &e);
        assert_true(rc == JSON_OK || rc == JSON_ERR_SYNTAX || rc == JSON_ERR_TYPE);
        if (rc == JSON_ERR_SYNTAX)
            assert_true(e.offset >= 0 && e.offset <= (int64_t)n);
    }
}

static void json_depth_limit_is_an_error_not_a_crash(void **state) {
    (void)state;
    static char deep[30001];
    memset(deep, '[', 30000);
    json_error_t e;
    msg_t m = {0};
    assert_int_equal(json_decode(deep, 30000, &msg_desc, &m, &e), JSON_ERR_SYNTAX);
    assert_string_equal(e.msg, "exceeded max depth");
}

// A recursive type, as Go's `type Node struct { A *Node; N int }`.
typedef struct node {
    struct node *A;
    int64_t N;
} node_t;
static GOTYPE_STRUCT(node_type, node_t, "main.Node", offsetof(node_t, A));
static const json_struct_t node_desc;
static const json_field_t node_fields[] = {
    {"A", offsetof(node_t, A), JSON_PTR, &node_desc},
    {"N", offsetof(node_t, N), JSON_INT, NULL},
};
static const json_struct_t node_desc = {"main.Node", &node_type, node_fields, 2};

// Decodes depth levels of {"A": ...} around {"N":"x"} (a string for an int) into a
// fresh Node and returns the error (a static buffer).
static const json_error_t *deep_type_error(int depth) {
    static char in[6 * 10000 + 16];
    static json_error_t e;
    size_t n = 0;
    for (int k = 0; k < depth; k++)
        n += (size_t)sprintf(in + n, "{\"A\":");
    n += (size_t)sprintf(in + n, "{\"N\":\"x\"}");
    for (int k = 0; k < depth; k++)
        in[n++] = '}';
    node_t root = {0};
    assert_int_equal(json_decode(in, n, &node_desc, &root, &e), JSON_ERR_TYPE);
    return &e;
}

// The field path of a type error as deep as the input nests: Go 1.19 names every
// field (FieldStack); the decoder used to keep 32 names and then read past them.
static void json_type_error_path_deeper_than_32_fields_is_go_s(void **state) {
    (void)state;
    // Go 1.19 prints, for 40 levels: "json: cannot unmarshal string into Go struct field
    // Node.A.A(...40 times).N of type int", Offset 208 (just past "x").
    char want[192];
    size_t n = (size_t)sprintf(want, "json: cannot unmarshal string into Go struct field Node");
    for (int k = 0; k < 40; k++)
        n += (size_t)sprintf(want + n, ".A");
    sprintf(want + n, ".N of type int");
    const json_error_t *e = deep_type_error(40);
    assert_string_equal(e->msg, want);
    assert_int_equal(e->offset, 208);
    e = deep_type_error(1);
    assert_string_equal(e->msg, "json: cannot unmarshal string into Go struct field Node.A.N of type int");
    assert_int_equal(e->offset, 13); // Go 1.19: 13
}

// Go's message for 4999 levels is 10067 bytes; json_error_t keeps 192, so the path is
// shortened visibly and still names where the error is.
static void json_type_error_path_too_long_says_it_was_shortened(void **state) {
    (void)state;
    const json_error_t *e = deep_type_error(4999);
    assert_int_equal(e->offset, 25003); // Go 1.19: 25003
    const char *head = "json: cannot unmarshal string into Go struct field Node.A.[";
    assert_memory_equal(e->msg, head, strlen(head));
    const char *more = strchr(e->msg, '[');
    unsigned long omitted = strtoul(more + 1, NULL, 10);
    const char *tail = ".A.A.N of type int";
    size_t len = strlen(e->msg);
    assert_string_equal(e->msg + len - strlen(tail), tail);
    // Every name is there or counted: 4999 A's and N = the outer A, the omitted ones,
    // and the ".A" / ".N" kept after "more]".
    size_t kept = 0;
    for (const char *p = strstr(more, "more]") + 5; *p == '.'; p += 2)
        kept++;
    assert_int_equal(1 + omitted + kept, 5000);
    assert_true(len < sizeof e->msg);
}

// Appends hex of n bytes at p to out.
static size_t put_hex(char *out, size_t o, const void *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(out + o, "%02x", ((const uint8_t *)p)[i]);
    return o;
}

// Builds the same description of the state as json_go119_cases.go's describe().
static void describe(const msg_t *t, int rc, const json_error_t *e, char *out) {
    size_t o = 0;
    if (rc == JSON_OK)
        o += (size_t)sprintf(out + o, "ok");
    else if (rc == JSON_ERR_SYNTAX)
        o += (size_t)sprintf(out + o, "S:%lld:%s", (long long)e->offset, e->msg);
    else
        o += (size_t)sprintf(out + o, "T:%lld:%s", (long long)e->offset, e->msg);
    o += (size_t)sprintf(out + o, ";Name=");
    o = put_hex(out, o, t->Name.ptr, (size_t)t->Name.len);
    if (t->Tags.ptr == NULL) {
        o += (size_t)sprintf(out + o, ";Tags=nil");
    } else {
        o += (size_t)sprintf(out + o, ";Tags=%lld/%lld:", (long long)t->Tags.len, (long long)t->Tags.cap);
        for (int64_t i = 0; i < t->Tags.cap; i++) {
            gostring_t g = tag(t->Tags, i);
            o = put_hex(out, o, g.ptr, (size_t)g.len);
            out[o++] = ',';
        }
    }
    if (t->Notes == NULL) {
        o += (size_t)sprintf(out + o, ";Notes=nil");
    } else {
        o += (size_t)sprintf(out + o, ";Notes=");
        o = put_hex(out, o, t->Notes->A.ptr, (size_t)t->Notes->A.len);
        out[o++] = ',';
        o = put_hex(out, o, t->Notes->B.ptr, (size_t)t->Notes->B.len);
    }
    o += (size_t)sprintf(out + o, ";N=%lld;OK=%s", (long long)t->N, t->OK ? "true" : "false");
    if (t->Ids.ptr == NULL) {
        o += (size_t)sprintf(out + o, ";Ids=nil");
    } else {
        o += (size_t)sprintf(out + o, ";Ids=%lld/%lld:", (long long)t->Ids.len, (long long)t->Ids.cap);
        for (int64_t i = 0; i < t->Ids.cap; i++)
            o += (size_t)sprintf(out + o, "%lld,", (long long)((int64_t *)t->Ids.ptr)[i]);
    }
    o += (size_t)sprintf(out + o, ";Inner=");
    o = put_hex(out, o, t->Inner.A.ptr, (size_t)t->Inner.A.len);
    out[o++] = ',';
    o = put_hex(out, o, t->Inner.B.ptr, (size_t)t->Inner.B.len);
    out[o] = 0;
}

// Runs tests/gocompare/json_go119_cases.go with Go 1.19 and checks every case: decode a
// first document, then the case into the same struct; the states must be identical
// (stale elements past len included) and so must the errors.
static void decode_agrees_with_go119_case_by_case(void **state) {
    (void)state;
    static const char first[] = "{\"Name\":\"first\",\"Tags\":[\"a\",\"b\",\"c\",\"d\",\"e\"],"
                                "\"Notes\":{\"A\":\"x\",\"B\":\"y\"},\"N\":5,\"OK\":true,"
                                "\"Ids\":[1,2,3],\"Inner\":{\"A\":\"i\"}}";
    FILE *p = popen("cd tests/gocompare && HOME=${HOME:-/tmp} GOCACHE=${GOCACHE:-/tmp/spanlab-gocache} "
                    "GOFLAGS= /usr/lib/go-1.19/bin/go run json_go119_cases.go", "r");
    assert_non_null(p);
    static char line[65536], in[4096], want[16384], got[16384];
    int cases = 0, bad = 0;
    while (fgets(line, sizeof line, p)) {
        char *sp = strchr(line, ' ');
        if (!sp)
            continue;
        *sp = 0;
        size_t n = unhex(line, in, sizeof in);
        size_t wn = unhex(sp + 1, want, sizeof want - 1);
        want[wn] = 0;
        msg_t m = {0};
        json_error_t e;
        assert_int_equal(json_decode(first, sizeof first - 1, &msg_desc, &m, &e), JSON_OK);
        int rc = json_decode(in, n, &msg_desc, &m, &e);
        describe(&m, rc, &e, got);
        cases++;
        if (strcmp(got, want) != 0 && bad++ < 10)
            fprintf(stderr, "input %.*s\n  got  %s\n  want %s\n", (int)n, in, got, want);
    }
    assert_int_equal(pclose(p), 0);
    fprintf(stderr, "%d cases from Go 1.19, %d differ\n", cases, bad);
    assert_true(cases > 400);
    assert_int_equal(bad, 0);
}

RUN_TESTS(GOLIB_TEST(decode_agrees_with_go119_case_by_case),
          GOLIB_TEST(json_shorter_array_leaves_old_elements),
          GOLIB_TEST(json_growth_uses_cap_plus_half_at_least_4),
          GOLIB_TEST(json_empty_array_sets_empty_slice_and_null_sets_nil),
          GOLIB_TEST(json_syntax_error_reports_go_offset_and_writes_nothing),
          GOLIB_TEST(json_type_error_skips_the_value_and_goes_on),
          GOLIB_TEST(json_keys_match_case_insensitively_and_unknown_keys_are_skipped),
          GOLIB_TEST(json_strings_allocate_like_go),
          GOLIB_TEST(json_random_mutations_never_crash),
          GOLIB_TEST(json_depth_limit_is_an_error_not_a_crash),
          GOLIB_TEST(json_type_error_path_deeper_than_32_fields_is_go_s),
          GOLIB_TEST(json_type_error_path_too_long_says_it_was_shortened))
