// Bug 10: string([]byte) as a map key in a hot loop.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include <stdio.h>
#include "golib/map.h"
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "rt/runtime.h"
#include "golib/str.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define LINES_PER_SCALE 20000
#define DISTINCT_KEYS 100

static map_type_t map_str_int = MAP_TYPE("map[string]int", &gotype_string, &gotype_int64, MAP_KEY_STRING);
static map_type_t map_str_ptr = MAP_TYPE("map[string]*int", &gotype_string, &gotype_pointer, MAP_KEY_STRING);
static map_t *seen, *counts;
static int64_t found;

enum how { NAMED_KEY, ASSIGN_CONV, LOOKUP_CONV, POINTER_VALUE };

// The scanner's buffer: line i is "user-<i mod 100>-session-key-0123456789" (29 or
// 30 bytes; an escaping conversion never uses the compiler's 32-byte tmpBuf).
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
        } else if (how == LOOKUP_CONV) {
            int64_t *v = map_access_bytes(seen, line, n); // if seen[string(b)] > 0
            if (v && *v > 0)                              //     { found++ }
                found++;
        } else {
            int64_t **p = map_access_bytes(counts, line, n); // p := counts[string(b)]
            if (p && *p) {
                (**p)++; // *p++
            } else {     // n := 1; counts[string(b)] = &n
                int64_t *one = rt_new(&gotype_int64);
                *one = 1;
                int64_t **slot = map_assign_bytes(counts, line, n);
                GC_STORE(*slot, one);
            }
        }
    }
    return sc_mallocs() - m0;
}

static void run(sc_run_t *r, int how) {
    rt_add_root(&seen, sizeof seen, &gotype_pointer);
    rt_add_root(&counts, sizeof counts, &gotype_pointer);
    seen = map_make(&map_str_int, 0);
    counts = map_make(&map_str_ptr, 0);
    found = 0;
    int64_t lines = LINES_PER_SCALE * sc_scale();
    // warm-up: every key present, the map grown
    pass(how == POINTER_VALUE ? POINTER_VALUE : NAMED_KEY, DISTINCT_KEYS);
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
    sc_check(res, "pointer_counts_without_allocating", sc_get(res, "pointer", "pass_mallocs"), "==", 0);
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
        "allocation (variant assign). Here the original text and real Go disagree: the\n"
        "fix runs different code from the bug (one conversion inside the map assignment\n"
        "instead of a named string) with the same count, 1 allocation and 32 bytes a\n"
        "line in Go 1.19. Only a read-only lookup is free (variant lookup). To count\n"
        "without allocating per line, keep *int values and look up first, converting\n"
        "only for a new key (variant pointer):\n"
        "  if p := counts[string(b)]; p != nil { *p++ } else { n := 1; counts[string(b)] = &n }\n"
        "Look at: allocs_per_line.",
    .variants = {
        {"buggy", "key := string(b); seen[key]++", run, NAMED_KEY, NULL},
        {"assign", "seen[string(b)]++ (the original text's fix)", run, ASSIGN_CONV, NULL},
        {"lookup", "read-only: if seen[string(b)] > 0 ...", run, LOOKUP_CONV, NULL},
        {"pointer", "map[string]*int, looked up first", run, POINTER_VALUE, NULL},
    },
    .ram_needed = 64ull << 20,
    .checks = checks,
};
SC_REGISTER(bug10);
