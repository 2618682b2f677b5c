// Bug 17: json.Unmarshal into a reused struct keeps what the new message omits.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <stdio.h>
#include <string.h>
#include "rt/gc_barrier.h"
#include "rt/alloc.h"
#include "golib/json.h"
#include "rt/runtime.h"
#include "golib/slice.h"
#include "rt/types.h"
#include "rt/prof.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"
#include "sys/sys.h"

#define MESSAGES 40
#define FIRST_TAGS 200
#define BODY_PER_SCALE (256 * 1024) // bytes of the first message's Notes.Body

typedef struct notes {
    gostring_t body;
} notes_t;
typedef struct doc {
    gostring_t id;
    goslice_t tags; // []string
    notes_t *notes;
} doc_t;
static GOTYPE_STRUCT(notes_type, notes_t, "main.Notes", offsetof(notes_t, body));
static GOTYPE_STRUCT(doc_type, doc_t, "main.Doc", offsetof(doc_t, id), offsetof(doc_t, tags),
                     offsetof(doc_t, notes));

static const json_field_t notes_fields[] = {{"Body", offsetof(notes_t, body), JSON_STRING, NULL}};
static const json_struct_t notes_json = {"main.Notes", &notes_type, notes_fields, 1};
static const json_field_t doc_fields[] = {
    {"ID", offsetof(doc_t, id), JSON_STRING, NULL},
    {"Tags", offsetof(doc_t, tags), JSON_STRINGS, NULL},
    {"Notes", offsetof(doc_t, notes), JSON_PTR, &notes_json},
};
static const json_struct_t doc_json = {"main.Doc", &doc_type, doc_fields, 3};

static goslice_t raw;      // the messages' bytes, one after another ([]byte)
static size_t offsets[MESSAGES + 1];
static doc_t *processed;   // what process() kept: the last Doc it saw (a copy)

// Writes the messages: the first with FIRST_TAGS tags and a big Notes.Body, the
// others with two tags and no Notes.
static __attribute__((noinline)) void make_messages(void) {
    PROF_SITE("main.main"); // the input
    size_t body = (size_t)BODY_PER_SCALE * (size_t)sc_scale();
    size_t cap = body + 64 * FIRST_TAGS + 256 * MESSAGES;
    raw = slice_make(&gotype_uint8, (int64_t)cap, (int64_t)cap);
    char *p = raw.ptr;
    size_t n = 0;
    for (int m = 0; m < MESSAGES; m++) {
        offsets[m] = n;
        n += (size_t)snprintf(p + n, cap - n, "{\"ID\":\"msg-%d\",\"Tags\":[", m);
        int tags = m == 0 ? FIRST_TAGS : 2;
        for (int t = 0; t < tags; t++)
            n += (size_t)snprintf(p + n, cap - n, "%s\"tag-%d-%d-padding-to-make-it-longer\"",
                                  t ? "," : "", m, t);
        n += (size_t)snprintf(p + n, cap - n, "]");
        if (m == 0) {
            n += (size_t)snprintf(p + n, cap - n, ",\"Notes\":{\"Body\":\"");
            memset(p + n, 'x', body);
            n += body;
            n += (size_t)snprintf(p + n, cap - n, "\"}");
        }
        n += (size_t)snprintf(p + n, cap - n, "}");
    }
    offsets[MESSAGES] = n;
}

static void process(const doc_t *d) { GC_STORE(*processed, *d); }

static __attribute__((noinline)) void pipeline(bool reuse, doc_t *out) {
    doc_t *d = rt_new(&doc_type); // var d Doc (its address is taken: on the heap)
    for (int m = 0; m < MESSAGES; m++) {
        if (!reuse)
            d = rt_new(&doc_type); // d := Doc{} per message
        json_error_t err;
        PROF_SITE("encoding/json.Unmarshal");
        if (json_decode((char *)raw.ptr + offsets[m], offsets[m + 1] - offsets[m], &doc_json, d,
                        &err) != JSON_OK)
            sys_panic("bug17: message %d: %s", m, err.msg);
        process(d);
    }
    *out = *d;
}

// The variants' modes (sc_variant_t.mode).
enum doc_mode { FRESH_DOC, REUSE_DOC };

static void run(sc_run_t *r, int mode) {
    bool reuse = mode == REUSE_DOC;
    rt_add_root(&raw, sizeof raw, &gotype_slice);
    rt_add_root(&processed, sizeof processed, &gotype_pointer);
    make_messages();
    sc_phase(r, "messages made");
    processed = rt_new(&doc_type);
    doc_t last;
    pipeline(reuse, &last);
    sc_phase(r, "every message decoded");
    raw = (goslice_t){0}; // the input is gone; what stays is what the Doc holds
    int64_t stale = 0;
    gostring_t *tags = last.tags.ptr;
    for (int64_t i = last.tags.len; i < last.tags.cap; i++)
        stale += tags[i].len > 0;
    uint64_t retained = sc_heap_alloc_after_gc();
    sc_phase(r, "input dropped, after runtime.GC()");
    sc_key(r, "messages", MESSAGES);
    sc_key(r, "stale_notes", last.notes != NULL);
    sc_key(r, "tags_len", last.tags.len);
    sc_key(r, "tags_cap", last.tags.cap);
    sc_key(r, "stale_elements", stale);
    sc_key(r, "retained_bytes", (int64_t)retained);
    sc_say(r, "after %d messages: Notes %s, Tags len %lld cap %lld (%lld old strings past len)",
           MESSAGES, last.notes ? "still set (from message 0)" : "nil", (long long)last.tags.len,
           (long long)last.tags.cap, (long long)stale);
    sc_say(r, "after runtime.GC(): HeapAlloc %llu bytes", (unsigned long long)retained);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_absent_notes_stay_stale", sc_get(res, "buggy", "stale_notes"), "==", 1);
    sc_check(res, "buggy_tags_len_is_new_count", sc_get(res, "buggy", "tags_len"), "==", 2);
    sc_check(res, "buggy_tags_cap_from_first_message", sc_get(res, "buggy", "tags_cap"), ">=", FIRST_TAGS);
    sc_check(res, "buggy_old_elements_left_in_place", sc_get(res, "buggy", "stale_elements"), "==", FIRST_TAGS - 2);
    sc_check(res, "buggy_retains_the_old_body",
             sc_get(res, "buggy", "retained_bytes") - sc_get(res, "fixed", "retained_bytes"), ">=",
             BODY_PER_SCALE);
    sc_check(res, "fixed_notes_nil", sc_get(res, "fixed", "stale_notes"), "==", 0);
    sc_check(res, "fixed_no_stale_elements", sc_get(res, "fixed", "stale_elements"), "==", 0);
}

static const sc_scenario_t bug17 = {
    .number = 17,
    .slug = "json_reuse",
    .title = "JSON unmarshal into reused struct retaining old pointers",
    .family = "accounting and lifecycle",
    .go_versions = "all",
    .text =
        "  var d Doc\n"
        "  for _, raw := range messages { json.Unmarshal(raw, &d); process(d) }\n"
        "encoding/json writes only the fields present: an absent Notes keeps the old\n"
        "pointer and its Body; a shorter Tags reuses the array, sets the length and\n"
        "leaves the old strings past it in place (not zeroed: still reachable); a\n"
        "present Notes is decoded into the existing *Notes. Fix: d := Doc{} per message.\n"
        "Look at: stale_notes, tags_len/tags_cap, stale_elements, retained_bytes.",
    .variants = {
        {"buggy", "one Doc reused for every message", run, REUSE_DOC, NULL},
        {"fixed", "a fresh Doc per message", run, FRESH_DOC, NULL},
    },
    .ram_needed = 64ull << 20,
    .checks = checks,
};
SC_REGISTER(bug17);
