// JSON decoding into a C struct described by a field table, with Go 1.19
// encoding/json's reuse semantics (encoding/json/decode.go):
//
//  - The whole input is checked first (checkValid): malformed JSON is a syntax error
//    with Go's message and byte offset, and nothing at all is written.
//  - Fields absent from the input keep whatever they held (no zeroing).
//  - Keys match the field name exactly, else case-insensitively (first match wins).
//  - A slice field is reused: elements are decoded into the existing array while it
//    has capacity; past it the array grows to cap + cap/2 (at least 4) by a fresh
//    MakeSlice that copies the old elements; at the end the length is set to the
//    number decoded and elements past it are left in the array, NOT zeroed. An empty
//    array `[]` sets an empty non-nil slice of capacity 0 (the old array is dropped);
//    `null` sets nil.
//  - A non-nil pointer-to-struct field is decoded in place (absent sub-fields keep
//    their values); a nil one gets a new zeroed struct; `null` sets it to nil.
//  - A value of the wrong JSON type for a field is skipped and remembered as an
//    UnmarshalTypeError ("json: cannot unmarshal string into Go struct field T.N of
//    type int", Offset just past the literal, or just past '{' / '[' of an object or
//    array); decoding goes on and the first such error is returned at the end. The
//    field path is as deep as the input nests (Go's FieldStack); when Go's message
//    would not fit in json_error_t.msg the path is shortened to
//    "Outer.[N more].Inner.F", so it says so and still names the failing field.
//  - Strings allocate as Go's: string(item) per value (none for "" or one byte), and
//    one more temporary when the string has escapes or invalid UTF-8 (unquoteBytes,
//    whose buffer doubles when invalid bytes expand to U+FFFD).
//  - Nesting: checkValid refuses more than 10000 levels ("exceeded max depth", as
//    scanner.go's maxNestingDepth). Decoding recurses once per nested struct field,
//    about 300 bytes of stack a level: a recursive type nested ~200 deep needs more
//    than a goroutine's 60 KiB stack, which ends in the guard page's stack-overflow
//    panic (Go's stacks grow instead). Unknown keys' values are skipped iteratively.
//  - Not modelled: Unmarshal's fixed overhead, 4 allocations per call in Go 1.19
//    (the decodeState, the scanner's stack, reflect) — json_decode allocates only
//    what it stores, so per-message counts are Go's minus 4.
#ifndef SPANLAB_RT_JSON_H
#define SPANLAB_RT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "golib/opcount.h"
#include "rt/types.h"

enum json_kind {
    JSON_STRING = 1, // gostring_t
    JSON_INT,        // int64_t
    JSON_BOOL,       // bool (1 byte)
    JSON_STRINGS,    // goslice_t of gostring_t ([]string)
    JSON_INTS,       // goslice_t of int64_t ([]int)
    JSON_PTR,        // pointer to a struct described by sub
    JSON_STRUCT,     // a struct embedded by value, described by sub
};

struct json_struct;
typedef struct json_field {
    const char *name; // the JSON key (Go: the field name or its json tag)
    size_t offset;    // offsetof the field in the C struct
    int kind;         // JSON_*
    const struct json_struct *sub; // JSON_PTR / JSON_STRUCT
} json_field_t;

typedef struct json_struct {
    const char *name;      // Go type name for errors ("T", "main.Notes")
    const gotype_t *type;  // its descriptor (to allocate it for JSON_PTR)
    const json_field_t *fields;
    size_t nfields;
} json_struct_t;

enum json_errkind { JSON_OK = 0, JSON_ERR_SYNTAX, JSON_ERR_TYPE };

typedef struct json_error {
    int kind;        // JSON_OK, JSON_ERR_SYNTAX, JSON_ERR_TYPE
    int64_t offset;  // SyntaxError.Offset (bytes read when the error was found) or
                     // UnmarshalTypeError.Offset (after the bad value)
    char msg[192];   // Go's Error() text
} json_error_t;

typedef struct json_stats {
    opcount_t decode;   // whole json_decode calls
    uint64_t slices_grown;    // MakeSlice calls
    uint64_t slices_reused;   // slice fields decoded into their existing array
    uint64_t strings;         // string values stored
} json_stats_t;
extern json_stats_t json_stats;
void json_stats_reset(void);

// json.Unmarshal(data[0..n), out) where out points at a struct described by st.
// Returns JSON_OK, or the error kind with *err filled (err may be NULL).
int json_decode(const void *data, size_t n, const json_struct_t *st, void *out,
                json_error_t *err);

// checkValid alone: JSON_OK or JSON_ERR_SYNTAX with the offset.
int json_valid(const void *data, size_t n, json_error_t *err);

#endif
