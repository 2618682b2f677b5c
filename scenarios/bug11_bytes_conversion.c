// Bug 11: []byte(string) in a hot path.
// The story (the Go code, the fix, what to look at, why) is its .text, below.
#include "rt/runtime.h"
#include "golib/str.h"
#include "scenarios/scenario.h"
#include "scenarios/sc_util.h"

#define CALLS_PER_SCALE 20000

// Stands for sha256.Sum256: reads the bytes, keeps nothing (FNV-1a, 64-bit).
static __attribute__((noinline)) uint64_t sum(goslice_t b) {
    uint64_t h = 14695981039346656037ull;
    const uint8_t *p = b.ptr;
    for (int64_t i = 0; i < b.len; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

// Hashes k calls times; returns the mallocs made. view: the unsafe no-copy form.
static __attribute__((noinline)) uint64_t hash_keys(gostring_t k, int64_t calls, bool view,
                                                    uint64_t *out) {
    uint64_t m0 = sc_mallocs(), acc = 0;
    for (int64_t i = 0; i < calls; i++) {
        str_tmpbuf_t tmp; // the compiler's stack buffer for a non-escaping conversion
        goslice_t b = view ? (goslice_t){(void *)k.ptr, k.len, k.len} : str_to_bytes(k, &tmp);
        acc += sum(b);
    }
    *out = acc;
    return sc_mallocs() - m0;
}

// The variants' modes (sc_variant_t.mode).
enum bytes_mode { COPY_BYTES, UNSAFE_VIEW };

static void run(sc_run_t *r, int mode) {
    bool view = mode == UNSAFE_VIEW;
    static const char key64[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    gostring_t k16 = {(const uint8_t *)key64, 16}, k64 = {(const uint8_t *)key64, 64};
    int64_t calls = CALLS_PER_SCALE * sc_scale();
    uint64_t h16, h64;
    uint64_t m16 = hash_keys(k16, calls, view, &h16);
    sc_phase(r, "16-byte keys hashed");
    uint64_t m64 = hash_keys(k64, calls, view, &h64);
    sc_phase(r, "64-byte keys hashed");
    sc_key(r, "calls", calls);
    sc_key(r, "allocs_per_call_16", (int64_t)(m16 / (uint64_t)calls));
    sc_key(r, "allocs_per_call_64", (int64_t)(m64 / (uint64_t)calls));
    sc_say(r, "%lld hashes of a 16-byte key: %llu allocations; of a 64-byte key: %llu",
           (long long)calls, (unsigned long long)m16, (unsigned long long)m64);
}


static void checks(sc_results_t *res) {
    sc_check(res, "buggy_16_byte_key_uses_tmpbuf", sc_get(res, "buggy", "allocs_per_call_16"), "==", 0);
    sc_check(res, "buggy_64_byte_key_allocates", sc_get(res, "buggy", "allocs_per_call_64"), "==", 1);
    sc_check(res, "fixed_16", sc_get(res, "fixed", "allocs_per_call_16"), "==", 0);
    sc_check(res, "fixed_64", sc_get(res, "fixed", "allocs_per_call_64"), "==", 0);
}

static const sc_scenario_t bug11 = {
    .number = 11,
    .slug = "bytes_conversion",
    .title = "[]byte(string) conversion in hot path",
    .family = "escape and boxing",
    .go_versions = "all (tmpBuf since Go 1.5)",
    .text =
        "  for _, k := range keys { _ = sha256.Sum256([]byte(k)) }\n"
        "[]byte(k) copies, but when the slice does not escape the compiler passes a\n"
        "32-byte stack buffer: keys up to 32 bytes cost nothing, longer ones one\n"
        "allocation each (Go 1.19 measures 0 for 16 bytes, 1 for 64). The no-copy\n"
        "view unsafe.Slice(unsafe.StringData(k), len(k)) never allocates - safe only\n"
        "because the callee neither keeps nor writes the bytes.\n"
        "Look at: allocs_per_call_16 and allocs_per_call_64.",
    .variants = {
        {"buggy", "sha256.Sum256([]byte(k))", run, COPY_BYTES, NULL},
        {"fixed", "sha256.Sum256(unsafe.Slice(unsafe.StringData(k), len(k)))", run, UNSAFE_VIEW, NULL},
    },
    .ram_needed = 64ull << 20,
    .checks = checks,
};
SC_REGISTER(bug11);
