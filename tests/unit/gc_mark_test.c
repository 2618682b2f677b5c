// The collector's basic promises, each with gcverify on: unreachable cycles are
// freed, interior pointers from the stack keep the whole object, noscan contents
// and the scalar words of scan objects are never followed, registered globals keep
// objects, pointer slots are counted, a tiny work list overflows and still marks
// everything.
#include "tests/unit/gc_test_util.h"
#include "rt/gc_internal.h" // gc_small_words_scanned

typedef struct node {
    int64_t key;
    struct node *left, *right;
} node_t;
static GOTYPE_STRUCT(node_type, node_t, "main.Node", offsetof(node_t, left),
                     offsetof(node_t, right));

// Each test starts with the arena's base pinned (gc_test_pin_arena_base): several
// want their objects dead, and the first object of a heap starts its arena.
static int setup(void **state) {
    (void)state;
    int r = gc_test_setup("gcverify=1");
    gc_test_pin_arena_base();
    return r;
}

static int teardown(void **state) {
    gc_test_unpin_arena_base();
    return gc_test_teardown(state);
}

// Allocates a two-node cycle and returns the first node, hidden.
__attribute__((noinline)) static uintptr_t make_cycle(uintptr_t *second) {
    node_t *a = rt_new(&node_type), *b = rt_new(&node_type);
    a->key = 1;
    b->key = 2;
    a->left = b;
    b->left = a;
    *second = HIDE(b);
    return HIDE(a);
}

static void gc_frees_unreachable_cycle(void **state) {
    uintptr_t b, a = make_cycle(&b);
    assert_true(gc_test_alive(a) && gc_test_alive(b));
    gc_test_collect();
    assert_false(gc_test_alive(a));
    assert_false(gc_test_alive(b));
    assert_true(gc_last_cycle()->objects_marked < 2 || !gc_test_alive(a));
}

static node_t *volatile global_node; // registered as a root below

__attribute__((noinline)) static uintptr_t make_global_chain(int n) {
    node_t *head = NULL;
    for (int i = 0; i < n; i++) {
        node_t *x = rt_new(&node_type);
        x->key = i;
        x->left = head;
        head = x;
    }
    global_node = head;
    return HIDE(head);
}

static void gc_registered_global_keeps_object(void **state) {
    gc_add_root((void *)&global_node, sizeof global_node, &gotype_pointer);
    uintptr_t h = make_global_chain(1000);
    gc_test_collect();
    assert_true(gc_test_alive(h));
    int n = 0;
    for (node_t *x = global_node; x; x = x->left, n++)
        assert_int_equal(x->key, 999 - n);
    assert_int_equal(n, 1000);
    assert_true(gc_last_cycle()->objects_marked >= 1000);
    global_node = NULL;
    gc_test_collect();
    assert_false(gc_test_alive(h));
    gc_remove_root((void *)&global_node);
}

// A typed root: only the words its bitmap marks as pointers are followed.
typedef struct rootrec {
    uintptr_t not_a_pointer;
    node_t *p;
} rootrec_t;
static GOTYPE_STRUCT(rootrec_type, rootrec_t, "rootrec", offsetof(rootrec_t, p));
static rootrec_t typed_root;

__attribute__((noinline)) static void fill_typed_root(uintptr_t *kept, uintptr_t *unkept) {
    node_t *a = rt_new(&node_type), *b = rt_new(&node_type);
    typed_root.p = a;
    typed_root.not_a_pointer = (uintptr_t)b; // a real address in a scalar word
    *kept = HIDE(a);
    *unkept = HIDE(b);
}

static void gc_typed_root_follows_only_pointer_words(void **state) {
    gc_add_root(&typed_root, sizeof typed_root, &rootrec_type);
    uintptr_t kept, unkept;
    fill_typed_root(&kept, &unkept);
    gc_test_collect();
    assert_true(gc_test_alive(kept));
    assert_false(gc_test_alive(unkept));
    gc_remove_root(&typed_root);
    typed_root = (rootrec_t){0};
}

// Heap objects: only the words their bitmap marks as pointers are followed, in the
// objects walked word by word (node_t, 3 words: a real address in its key; four_t,
// 4 words: pointers in the first and last, addresses in the two between) and in one
// walked by its set bits (wide_t, 8 words: addresses before and after its one
// pointer word). Words scanned are counted up to each object's last pointer word.
typedef struct wide {
    uintptr_t before[4];
    node_t *p;
    uintptr_t after[3];
} wide_t;
static GOTYPE_STRUCT(wide_type, wide_t, "main.Wide", offsetof(wide_t, p));
typedef struct four {
    node_t *first;
    uintptr_t mid[2];
    node_t *last;
} four_t;
static GOTYPE_STRUCT(four_type, four_t, "main.Four", offsetof(four_t, first),
                     offsetof(four_t, last));
static node_t *volatile small_holder;
static wide_t *volatile wide_holder;
static four_t *volatile four_holder;

__attribute__((noinline)) static void make_scalar_holders(uintptr_t kept[4], uintptr_t unkept[5]) {
    node_t *n = rt_new(&node_type), *k0 = rt_new(&node_type), *u0 = rt_new(&node_type);
    n->key = (int64_t)(uintptr_t)u0;
    n->right = k0;
    wide_t *w = rt_new(&wide_type);
    node_t *k1 = rt_new(&node_type), *u1 = rt_new(&node_type), *u2 = rt_new(&node_type);
    w->before[0] = (uintptr_t)u1;
    w->p = k1;
    w->after[2] = (uintptr_t)u2;
    four_t *q = rt_new(&four_type);
    node_t *k2 = rt_new(&node_type), *k3 = rt_new(&node_type);
    node_t *u3 = rt_new(&node_type), *u4 = rt_new(&node_type);
    q->first = k2;
    q->mid[0] = (uintptr_t)u3;
    q->mid[1] = (uintptr_t)u4;
    q->last = k3;
    small_holder = n;
    wide_holder = w;
    four_holder = q;
    kept[0] = HIDE(k0), kept[1] = HIDE(k1), kept[2] = HIDE(k2), kept[3] = HIDE(k3);
    unkept[0] = HIDE(u0), unkept[1] = HIDE(u1), unkept[2] = HIDE(u2);
    unkept[3] = HIDE(u3), unkept[4] = HIDE(u4);
}

static void gc_heap_scan_follows_only_pointer_words(void **state) {
    gc_add_root((void *)&small_holder, 8, &gotype_pointer);
    gc_add_root((void *)&wide_holder, 8, &gotype_pointer);
    gc_add_root((void *)&four_holder, 8, &gotype_pointer);
    uintptr_t kept[4], unkept[5];
    make_scalar_holders(kept, unkept);
    gc_test_collect();
    for (int i = 0; i < 4; i++)
        assert_true(gc_test_alive(kept[i]));
    for (int i = 0; i < 5; i++)
        assert_false(gc_test_alive(unkept[i]));
    // Scanned: the nodes n, k0 .. k3 (3 words, 2 pointer slots each), the wide
    // object (5 words, 1 slot) and the four-word object (4 words, 2 slots).
    const gc_cycle_stats_t *c = gc_last_cycle();
    assert_int_equal(c->objects_scanned, 7);
    assert_int_equal(c->words_scanned, 5 * 3 + 5 + 4);
    assert_int_equal(c->pointer_slots_examined, 5 * 2 + 1 + 2);
    small_holder = NULL;
    wide_holder = NULL;
    four_holder = NULL;
    gc_remove_root((void *)&small_holder);
    gc_remove_root((void *)&wide_holder);
    gc_remove_root((void *)&four_holder);
}

// The words-scanned table of small objects against its definition, 1 + the highest
// set bit, for every pointer mask of up to 4 words (the collections above reach two).
static void gc_small_words_table_is_highest_bit_plus_one(void **state) {
    (void)state;
    for (uint64_t bits = 1; bits < 16; bits++)
        assert_int_equal(gc_small_words_scanned(bits), 64 - __builtin_clzll(bits));
}

// Returns a hidden 256-byte object; *interior_out gets a pointer 200 bytes inside.
__attribute__((noinline)) static uintptr_t make_big(char **interior_out) {
    char *p = rt_mallocgc(256, &gotype_pointer, true); // an array of 32 pointers
    *interior_out = p + 200;
    return HIDE(p);
}

static void gc_keeps_object_via_interior_stack_pointer(void **state) {
    char *volatile interior;
    char *tmp;
    uintptr_t h = make_big(&tmp);
    interior = tmp;
    tmp = NULL;
    gc_test_collect();
    assert_true(gc_test_alive(h)); // only `interior` (on this stack) points into it
    assert_ptr_equal((char *)SHOW(h) + 200, interior);
    interior = NULL;
    gc_test_collect();
    assert_false(gc_test_alive(h));
}

static uint8_t *volatile noscan_root;
static node_t *volatile scan_root;

__attribute__((noinline)) static void make_noscan_holder(uintptr_t *target, uintptr_t *control) {
    uint8_t *bytes = rt_newarray(&gotype_uint8, 64);
    node_t *t = rt_new(&node_type);
    memcpy(bytes + 8, &t, sizeof t); // an address inside pointer-free memory
    noscan_root = bytes;
    node_t *holder = rt_new(&node_type), *c = rt_new(&node_type);
    holder->left = c;
    scan_root = holder;
    *target = HIDE(t);
    *control = HIDE(c);
}

static void gc_never_follows_noscan_contents(void **state) {
    gc_add_root((void *)&noscan_root, 8, &gotype_pointer);
    gc_add_root((void *)&scan_root, 8, &gotype_pointer);
    uintptr_t target, control;
    make_noscan_holder(&target, &control);
    gc_test_collect();
    assert_false(gc_test_alive(target)); // only a noscan []byte held its address
    assert_true(gc_test_alive(control)); // the same link in a scan object keeps it
    assert_true(gc_test_alive(HIDE(noscan_root)));
    noscan_root = NULL;
    scan_root = NULL;
    gc_remove_root((void *)&noscan_root);
    gc_remove_root((void *)&scan_root);
}

static void *volatile array_root;

__attribute__((noinline)) static void make_counted(int n) {
    node_t **arr = rt_newarray(&gotype_pointer, (size_t)n);
    for (int i = 0; i < n; i++)
        arr[i] = rt_new(&node_type); // left and right stay nil
    array_root = arr;
}

// Every pointer slot of every reachable scan object is examined once, nil or not;
// words scanned are the words up to each object's last pointer word (ptrdata).
static void gc_counts_pointer_slots_and_words(void **state) {
    gc_add_root((void *)&array_root, 8, &gotype_pointer);
    make_counted(1000);
    gc_test_collect();
    const gc_cycle_stats_t *c = gc_last_cycle();
    assert_int_equal(c->pointer_slots_examined, 1000 + 2 * 1000);
    assert_int_equal(c->nonnil_pointers, 1000);
    assert_int_equal(c->words_scanned, 1000 + 3 * 1000);
    assert_int_equal(c->objects_scanned, 1001);
    assert_int_equal(c->objects_marked, 1001 + 1); // and the arena's pin (noscan)
    assert_int_equal(c->bytes_marked, 8192 + 1000 * 24 + (64 << 10)); // classes 8192, 24; the pin
    array_root = NULL;
    gc_remove_root((void *)&array_root);
}

__attribute__((noinline)) static void make_tree(node_t **slot, int depth) {
    if (depth == 0)
        return;
    node_t *x = rt_new(&node_type);
    x->key = depth;
    *slot = x;
    make_tree(&x->left, depth - 1);
    make_tree(&x->right, depth - 1);
}

__attribute__((noinline)) static int count_tree(const node_t *x) { return x ? 1 + count_tree(x->left) + count_tree(x->right) : 0; }

// Builds a tree, collects it under a tiny work list, then again under the usual
// one, and counts it (all in one frame that is gone when the test collects again).
// The two cycles mark the same heap: their counts of marked objects and bytes must
// agree (objects dropped by an overflow are counted when marked, rescans not again).
__attribute__((noinline)) static void overflow_round(uint64_t *overflows, uint64_t *marked,
                                                     int *counted) {
    make_tree((node_t **)&global_node, 14); // 16383 nodes
    size_t old = gc_set_worklist_cap(4);
    gc_test_collect();
    gc_set_worklist_cap(old);
    *overflows = gc_last_cycle()->worklist_overflows;
    *marked = gc_last_cycle()->objects_marked;
    uint64_t bytes = gc_last_cycle()->bytes_marked;
    gc_test_collect();
    assert_int_equal(gc_last_cycle()->worklist_overflows, 0);
    assert_int_equal(gc_last_cycle()->objects_marked, *marked);
    assert_int_equal(gc_last_cycle()->bytes_marked, bytes);
    *counted = count_tree(global_node);
}

// A work list of 4 entries overflows constantly; the rescan recovers every object.
static void gc_worklist_overflow_still_marks_everything(void **state) {
    gc_add_root((void *)&global_node, sizeof global_node, &gotype_pointer);
    uint64_t overflows, marked;
    int counted;
    overflow_round(&overflows, &marked, &counted);
    assert_true(overflows > 0);
    assert_true(marked >= 16383);
    assert_int_equal(counted, 16383);
    global_node = NULL;
    gc_test_collect();
    assert_true(gc_last_cycle()->objects_marked < 100);
    gc_remove_root((void *)&global_node);
}

static int hook_starts, hook_ends;
static void on_start(void) { hook_starts++; }
static void on_end(void) { hook_ends++; }

// NumGC, NumForcedGC, the PauseNs ring, PauseTotalNs, LastGC, NextGC, hooks.
static void gc_memstats_fields_follow_cycles(void **state) {
    static bool hooked;
    if (!hooked) {
        gc_add_cycle_hook(on_start);
        gc_add_cycle_end_hook(on_end);
        hooked = true;
    }
    int s0 = hook_starts, e0 = hook_ends;
    gc_collect(false);
    gc_collect(true);
    gc_collect(true);
    gc_memstats_t ms;
    gc_read_memstats(&ms);
    assert_int_equal(ms.NumGC, 3);
    assert_int_equal(ms.NumForcedGC, 2);
    assert_int_equal(hook_starts - s0, 3);
    assert_int_equal(hook_ends - e0, 3);
    uint64_t sum = ms.PauseNs[0] + ms.PauseNs[1] + ms.PauseNs[2];
    assert_int_equal(ms.PauseTotalNs, sum);
    assert_int_equal(ms.PauseNs[(ms.NumGC + 255) % 256], gc_last_cycle()->pause_ns);
    assert_int_equal(ms.LastGC, ms.PauseEnd[(ms.NumGC + 255) % 256]);
    assert_true(ms.PauseNs[2] > 0);
    assert_int_equal(ms.NextGC, gc_heap_goal());
    assert_true(ms.NextGC >= 4u << 20); // the heap minimum
    assert_true(ms.GCCPUFraction > 0 && ms.GCCPUFraction < 1);
    struct memstats full;
    heap_read_memstats(&full);
    assert_int_equal(full.NumGC, 3);
    assert_int_equal(full.PauseTotalNs, sum);
}

RUN_TESTS(cmocka_unit_test_setup_teardown(gc_frees_unreachable_cycle, setup, teardown),
          cmocka_unit_test_setup_teardown(gc_registered_global_keeps_object, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(gc_typed_root_follows_only_pointer_words, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(gc_heap_scan_follows_only_pointer_words, setup,
                                          teardown),
          cmocka_unit_test(gc_small_words_table_is_highest_bit_plus_one),
          cmocka_unit_test_setup_teardown(gc_keeps_object_via_interior_stack_pointer, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(gc_never_follows_noscan_contents, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(gc_counts_pointer_slots_and_words, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(gc_worklist_overflow_still_marks_everything, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(gc_memstats_fields_follow_cycles, setup,
                                          teardown))
