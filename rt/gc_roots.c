// GC roots: registered globals (precise when typed, else conservative), root
// scanners for runtime structures, goroutine stacks from the scheduler's provider,
// and the running stack with its registers (conservative). See rt/gc.h for the
// contract with the scheduler's context switch.
#include "rt/gc_internal.h"
#include "sys/sys.h"

#define MAX_ROOTS 1024
#define MAX_SCANNERS 16

typedef struct root {
    void *addr;
    size_t bytes;
    const gotype_t *type;
} root_t;

static root_t roots[MAX_ROOTS];
static size_t nroots;
static uint64_t roots_bytes;
static gc_root_scanner_fn scanners[MAX_SCANNERS];
static size_t nscanners;
static gc_stack_provider_fn stack_provider;
static uint64_t declared_stack_bytes;
static bool stack_bytes_declared;

const void *gc_stack_top;
bool gc_test_skip_running_stack;

// Registers [addr, addr+bytes) as a root; panics when full or already there.
void gc_add_root(void *addr, size_t bytes, const gotype_t *t) {
    if (!addr || !bytes)
        sys_panic("gc_add_root: empty root %p+%zu", addr, bytes);
    if (t && (t->size == 0 || bytes % t->size))
        sys_panic("gc_add_root: %zu bytes is not a whole number of %s (%zu bytes)", bytes,
                  t->name, t->size);
    for (size_t i = 0; i < nroots; i++)
        if (roots[i].addr == addr)
            sys_panic("gc_add_root: %p registered twice", addr);
    if (nroots == MAX_ROOTS)
        sys_panic("gc_add_root: more than %d roots", MAX_ROOTS);
    roots[nroots++] = (root_t){addr, bytes, t};
    roots_bytes += bytes;
}

// Unregisters the root starting at addr; panics when there is none.
void gc_remove_root(void *addr) {
    for (size_t i = 0; i < nroots; i++) {
        if (roots[i].addr == addr) {
            roots_bytes -= roots[i].bytes;
            roots[i] = roots[--nroots];
            return;
        }
    }
    sys_panic("gc_remove_root: %p is not a root", addr);
}

// Bytes of registered roots (globalsScan).
uint64_t gc_roots_bytes(void) { return roots_bytes; }

void gc_set_stack_provider(gc_stack_provider_fn provider) { stack_provider = provider; }

void gc_set_stack_top(const void *top) { gc_stack_top = top; }

// See rt/gc.h.
void gc_set_stack_bytes(uint64_t bytes) {
    declared_stack_bytes = bytes;
    stack_bytes_declared = true;
}

uint64_t gc_declared_stack_bytes(void) { return declared_stack_bytes; }
bool gc_stack_bytes_declared(void) { return stack_bytes_declared; }

// Adds a root scanner; panics beyond MAX_SCANNERS.
void gc_add_root_scanner(gc_root_scanner_fn fn) {
    if (nscanners == MAX_SCANNERS)
        sys_panic("gc_add_root_scanner: more than %d scanners", MAX_SCANNERS);
    scanners[nscanners++] = fn;
}

// Root scanners' entry points: mark one value, scan one range.
void gc_mark_ptr(const void *p) {
    if (p)
        gc_mark_value((uintptr_t)p, false);
}

void gc_mark_range(const void *lo, const void *hi) { gc_scan_conservative(lo, hi); }

// See gc.h.
const void *gc_running_stack_top(void) { return gc_stack_top ? gc_stack_top : sys_stack_top(); }

static void visit_stack(const void *lo, const void *hi, void *ctx) {
    if ((uintptr_t)lo > (uintptr_t)hi)
        sys_panic("gc: stack provider gave an inverted range [%p, %p)", lo, hi);
    gc_cur.stack_bytes += (uintptr_t)hi - (uintptr_t)lo;
    gc_scan_conservative(lo, hi);
}

// The running stack's lowest address to scan, set by gc_collect for one cycle.
static const void *running_lo;

// Sets the low end of the running stack for this cycle: the frame of the function
// that gc_collect called after spilling the mutator's callee-saved registers into
// its own frame (setjmp + __builtin_unwind_init). Everything from there up to
// gc_stack_top is the mutator's: its frames and its registers. The collector's own
// frames lie below and are never scanned, so stale values the collector leaves in
// them cannot keep garbage alive, and gcverify sees exactly what marking saw.
void gc_set_running_lo(const void *lo) {
    const void *top = gc_running_stack_top();
    if ((uintptr_t)lo >= (uintptr_t)top)
        sys_panic("gc: stack pointer %p is above the stack top %p (stale gc_stack_top?)", lo,
                  top);
    running_lo = lo;
}

// Scans every root and counts globals and stack bytes.
void gc_scan_roots(void) {
    for (size_t i = 0; i < nroots; i++) {
        root_t *r = &roots[i];
        gc_cur.globals_bytes += r->bytes;
        if (r->type)
            gc_scan_typed(r->addr, r->bytes / r->type->size, r->type);
        else
            gc_scan_conservative(r->addr, (char *)r->addr + r->bytes);
    }
    for (size_t i = 0; i < nscanners; i++)
        scanners[i]();
    if (stack_provider)
        stack_provider(visit_stack, NULL);
    if (!gc_test_skip_running_stack)
        visit_stack(running_lo, gc_running_stack_top(), NULL);
}

typedef struct each_ctx {
    void (*fn)(const void *lo, const void *hi, const gotype_t *t, void *ctx);
    void *ctx;
} each_ctx_t;

static void each_stack(const void *lo, const void *hi, void *ctxp) {
    each_ctx_t *c = ctxp;
    c->fn(lo, hi, NULL, c->ctx);
}

// Visits every root range (root scanners excepted: they mark directly).
void gc_for_each_root(void (*fn)(const void *lo, const void *hi, const gotype_t *t, void *ctx),
                      void *ctx) {
    for (size_t i = 0; i < nroots; i++)
        fn(roots[i].addr, (char *)roots[i].addr + roots[i].bytes, roots[i].type, ctx);
    each_ctx_t c = {fn, ctx};
    if (stack_provider)
        stack_provider(each_stack, &c);
    if (!gc_test_skip_running_stack)
        fn(running_lo, gc_running_stack_top(), NULL, ctx);
}
