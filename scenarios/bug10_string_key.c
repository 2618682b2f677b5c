// Bug 10: string([]byte) as a map key in a hot loop.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <stdio.h>
#include "golib/map.h"
#include "rt/runtime.h"
#include "golib/str.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define LINES_PER_SCALE 20000
#define DISTINCT_KEYS 100

static map_type_t map_str_int = MAP_TYPE("map[string]int", &gotype_string, &gotype_int64, MAP_KEY_STRING);
static map_t *seen;

enum how { NAMED_KEY, ASSIGN_CONV, LOOKUP_CONV };

// The scanner's buffer: line i is "user-<i mod 100>-session-key-0123456789" (a
// 36..37-byte line, longer than the 32-byte tmpBuf, as real lines are).
static int scan_line(int64_t i, char *buf, size_t len) {
    return snprintf(buf, len, "user-%lld-session-key-0123456789", (long long)(i % DISTINCT_KEYS));
}

// One pass over the input; returns the mallocs it made.
static __attribute__((noinline)) uint64_t pass(enum how how, int64_t lines) {
    char line[64];
    uint64_t m0 = sc_mallocs();
    for (int64_t i = 0; i < lines; i++) {
        int n = scan_line(i, line, sizeof line); // s.Scan(); b := s.Bytes()
        if (how == NAMED_KEY) {
            gostring_t key = str_from_bytes(line, n, NULL); // key := string(b)
            (*(int64_t *)map_assign_str(seen, key))++;       // seen[key]++
        } else if (how == ASSIGN_CONV) {
            (*(int64_t *)map_assign_bytes(seen, line, n))++; // seen[string(b)]++
        } else {
            int64_t *v = map_access_bytes(seen, line, n); // if seen[string(b)] > 0
            if (v && *v > 0)
                (*v)++;
        }
    }
    return sc_mallocs() - m0;
}

static void run(sc_run_t *r, int how) {
    rt_add_root(&seen, sizeof seen, &gotype_pointer);
    seen = map_make(&map_str_int, 0);
    int64_t lines = LINES_PER_SCALE * sc_scale();
    pass(NAMED_KEY, DISTINCT_KEYS); // warm-up: every key present, the map grown
    sc_phase(r, "warm-up done");
    uint64_t mallocs = pass(how, lines);
    sc_phase(r, "pass done");
    sc_key(r, "lines", lines);
    sc_key(r, "allocs_per_line", (int64_t)(mallocs / (uint64_t)lines));
    sc_key(r, "pass_mallocs", (int64_t)mallocs);
    sc_say(r, "%lld lines over %d distinct keys: %llu allocations", (long long)lines,
           DISTINCT_KEYS, (unsigned long long)mallocs);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_allocs_per_line_like_go119", sc_get(res, "buggy", "allocs_per_line"), "==", 1);
    sc_check(res, "assign_allocs_per_line_like_go119", sc_get(res, "assign", "allocs_per_line"), "==", 1);
    sc_check(res, "lookup_allocs_nothing", sc_get(res, "lookup", "pass_mallocs"), "==", 0);
}

static const sc_scenario_t bug10 = {
    .number = 10,
    .slug = "string_key",
    .title = "string([]byte) conversion in hot path",
    .family = "escape and boxing",
    .go_versions = "all (the read-only m[string(b)] case since Go 1.3)",
    .text =
        "  key := string(s.Bytes()); seen[key]++     // 1 allocation per line\n"
        "The original text's fix `seen[string(s.Bytes())]++` does NOT help in Go 1.19:\n"
        "the no-copy conversion (order.go mapKeyReplaceStrConv) applies to map index\n"
        "expressions that are only read; ++ assigns, so the key is converted with an\n"
        "allocation (variant assign). Only a read-only lookup is free (variant lookup).\n"
        "To count without allocating per line, look up first and convert only for a\n"
        "new key. Look at: allocs_per_line.",
    .variants = {
        {"buggy", "key := string(b); seen[key]++", run, NAMED_KEY, NULL},
        {"assign", "seen[string(b)]++ (the original text's fix)", run, ASSIGN_CONV, NULL},
        {"lookup", "read-only: if seen[string(b)] > 0 ...", run, LOOKUP_CONV, NULL},
    },
    .ram_needed = 64ull << 20,
    .checks = checks,
};
SC_REGISTER(bug10);
