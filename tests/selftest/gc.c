// selftest=gc (part of all): the collector's promises checked in the kernel (and
// callable hosted): garbage cycles freed, a rooted list kept intact, an interior
// stack pointer keeps its object, noscan contents never followed, a tiny work list
// still marks everything, GOGC pacing, the gctrace format; gcverify and gcpoison on
// throughout. Uses a private heap, so it runs only when no runtime owns the heap.
#include "rt/alloc.h"
#include "rt/gc_internal.h"
#include "rt/types.h"
#include "mm/heap.h"
#include "sys/selftest.h"
#include "sys/sys.h"

#define ST_N 20000
#define ST_MASK 0x6b6b6b6b6b6b6b6bull

typedef struct st_node {
    int64_t key;
    struct st_node *next, *other;
} st_node_t;
static GOTYPE_STRUCT(st_node_type, st_node_t, "selftest.gcnode", offsetof(st_node_t, next),
                     offsetof(st_node_t, other));

static st_node_t *volatile st_root;
// A rooted object taking the heap's first 64 KiB: when the hosted arena is reserved
// at a 4 GiB-aligned address (about one run in a hundred), stale words of the
// harness with a zero low half equal the arena's base, and the conservative stack
// scan kept whatever lay there (the list's tail: "after dropping the list: 1031
// marked"). They now find this pin, which lives all along (tests/unit/gc_test_util.h
// pins the unit tests' arenas the same way).
static void *volatile st_pin;
static uintptr_t st_garbage[ST_N]; // hidden addresses: not pointers to the scan
static int st_failures;

#define ST_CHECK(cond, ...)                                                                    \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            sys_printf("selftest gc: FAILED %s: ", #cond);                                 \
            sys_printf(__VA_ARGS__);                                                       \
            sys_printf("\n");                                                              \
            st_failures++;                                                                 \
        }                                                                                  \
    } while (0)

// Zeroes the dead stack below the caller so stale pointers do not keep garbage.
__attribute__((noinline, no_sanitize_address)) static void st_clear_stack(void) {
    uint64_t buf[2048];
    for (size_t i = 0; i < 2048; i++)
        ((volatile uint64_t *)buf)[i] = 0;
}

__attribute__((noinline)) static void st_collect(void) {
    st_clear_stack();
    gc_collect(true);
}

__attribute__((noinline)) static bool st_alive(uintptr_t hidden) {
    volatile uintptr_t h = hidden;
    return heap_usable_size((void *)(h ^ ST_MASK)) != 0;
}

// A rooted list of ST_N nodes, and ST_N garbage nodes in 2-cycles.
__attribute__((noinline)) static void st_build(void) {
    st_node_t *head = NULL;
    for (int i = 0; i < ST_N; i++) {
        st_node_t *x = rt_new(&st_node_type);
        x->key = i;
        x->next = head;
        head = x;
        st_node_t *g = rt_new(&st_node_type);
        g->other = g;
        g->key = -1;
        st_garbage[i] = (uintptr_t)g ^ ST_MASK;
    }
    // A wide object: 256 children pushed at once overflow a small work list.
    st_node_t **fan = rt_newarray(&gotype_pointer, 256);
    for (int i = 0; i < 256; i++) {
        fan[i] = rt_new(&st_node_type);
        fan[i]->key = 1000000 + i;
    }
    head->other = (st_node_t *)fan;
    st_root = head;
}

// Returns how many of the wide object's children are intact.
__attribute__((noinline)) static int st_count_fan(void) {
    st_node_t **fan = (st_node_t **)st_root->other;
    int n = 0;
    for (int i = 0; i < 256; i++)
        n += fan[i] && fan[i]->key == 1000000 + i && st_alive((uintptr_t)fan[i] ^ ST_MASK);
    return n;
}

__attribute__((noinline)) static int st_count_list(void) {
    int n = 0;
    for (st_node_t *x = st_root; x; x = x->next, n++)
        if (x->key != ST_N - 1 - n)
            return -1;
    return n;
}

static void st_lists_and_cycles(void) {
    st_build();
    st_collect();
    ST_CHECK(st_count_list() == ST_N, "list of %d nodes", st_count_list());
    int alive = 0;
    for (int i = 0; i < ST_N; i++)
        alive += st_alive(st_garbage[i]);
    ST_CHECK(alive == 0, "%d of %d garbage cycles survived", alive, ST_N);
    ST_CHECK(gc_last_cycle()->objects_marked >= ST_N, "marked %llu",
             (unsigned long long)gc_last_cycle()->objects_marked);
    // The same list under a work list of 8 entries: overflow and rescans.
    size_t old = gc_set_worklist_cap(8);
    st_collect();
    gc_set_worklist_cap(old);
    ST_CHECK(gc_last_cycle()->worklist_overflows > 0, "no overflow with 8 entries");
    ST_CHECK(st_count_list() == ST_N, "list after overflow: %d", st_count_list());
    ST_CHECK(st_count_fan() == 256, "wide object after overflow: %d of 256", st_count_fan());
    st_root = NULL;
    st_collect();
    ST_CHECK(gc_last_cycle()->objects_marked < 64, "after dropping the list: %llu marked",
             (unsigned long long)gc_last_cycle()->objects_marked);
}

__attribute__((noinline)) static uintptr_t st_make_big(char **interior) {
    char *p = rt_mallocgc(1024, &gotype_pointer, true);
    *interior = p + 1000;
    return (uintptr_t)p ^ ST_MASK;
}

static void st_interior(void) {
    char *tmp;
    uintptr_t h = st_make_big(&tmp);
    char *volatile interior = tmp;
    tmp = NULL;
    st_collect();
    ST_CHECK(st_alive(h), "object kept only by an interior stack pointer was freed");
    interior = NULL;
    st_collect();
    ST_CHECK(!st_alive(h), "object survived after its interior pointer was cleared");
    (void)interior;
}

static uint8_t *volatile st_bytes;

__attribute__((noinline)) static uintptr_t st_make_noscan(void) {
    uint8_t *b = rt_newarray(&gotype_uint8, 64);
    st_node_t *t = rt_new(&st_node_type);
    __builtin_memcpy(b + 16, &t, sizeof t);
    st_bytes = b;
    return (uintptr_t)t ^ ST_MASK;
}

static void st_noscan(void) {
    uintptr_t h = st_make_noscan();
    st_collect();
    ST_CHECK(!st_alive(h), "an address inside a noscan []byte kept an object");
    st_bytes = NULL;
}

static void st_pacing(void) {
    uint32_t gc0 = stats_gc.NumGC;
    for (int i = 0; i < 65536; i++) // 32 MiB of garbage against a 4 MiB goal
        rt_mallocgc(512, NULL, true);
    uint32_t n = stats_gc.NumGC - gc0;
    ST_CHECK(n >= 5 && n <= 12, "%u cycles for 32 MiB of garbage with GOGC=100", n);
    ST_CHECK(stats_gc.NextGC >= (4u << 20), "NextGC %llu below the heap minimum",
             (unsigned long long)stats_gc.NextGC);
    ST_CHECK(stats_gc.PauseNs[(stats_gc.NumGC + 255) % 256] > 0, "no pause recorded");
}

static void st_trace_format(void) {
    gctrace_rec_t r = {.num = 1, .start_ns = 5000000, .clock_ns = {1000, 2000000, 3000},
                       .cpu_ns = {1000, 0, 2000000, 0, 3000}, .heap0 = 4 << 20,
                       .heap1 = 4 << 20, .heap2 = 1 << 20, .goal = 4 << 20, .procs = 1,
                       .forced = true};
    char buf[200];
    gctrace_format(buf, sizeof buf, &r);
    const char *want = "gc 1 @0.005s 0%: 0.001+2.0+0.003 ms clock, 0.001+0/2.0/0+0.003 ms cpu, "
                       "4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P (forced)\n";
    size_t i = 0;
    while (want[i] && buf[i] == want[i])
        i++;
    ST_CHECK(want[i] == 0 && buf[i] == 0, "gctrace line differs at %zu: %s", i, buf);
}

// Returns true when every check held.
bool gc_selftest(void);
bool gc_selftest(void) {
    if (heap_ready()) {
        sys_printf("selftest gc: skipped (the heap is in use)\n");
        return true;
    }
    st_failures = 0;
    heap_init();
    gc_reset();
    bool verify = gc_opt_verify, poison = gc_opt_poison;
    gc_opt_verify = gc_opt_poison = true;
    rt_alloc_refold();
    gc_add_root((void *)&st_pin, sizeof st_pin, &gotype_pointer);
    gc_add_root((void *)&st_root, sizeof st_root, &gotype_pointer);
    gc_add_root((void *)&st_bytes, sizeof st_bytes, &gotype_pointer);
    st_pin = rt_mallocgc(64 << 10, NULL, false);
    ST_CHECK(((uintptr_t)st_pin & (HEAP_ARENA_BYTES - 1)) == 0, "the pin %p does not start "
             "its arena", st_pin);
    st_lists_and_cycles();
    st_interior();
    st_noscan();
    st_pacing();
    st_trace_format();
    st_pin = NULL;
    gc_remove_root((void *)&st_pin);
    gc_remove_root((void *)&st_root);
    gc_remove_root((void *)&st_bytes);
    sys_printf("selftest gc: %u cycles, last pause %llu us, %d failures\n", stats_gc.NumGC,
               (unsigned long long)(gc_last_cycle()->pause_ns / 1000), st_failures);
    gc_opt_verify = verify;
    gc_opt_poison = poison;
    rt_alloc_refold();
    heap_destroy();
    gc_reset();
    return st_failures == 0;
}

SELFTEST(gc, true) { return gc_selftest(); }
