// Per-operation allocation counts of the models of Go's library (see opcount.h).
#include "golib/opcount.h"
#include "rt/panic.h"
#include "sys/sys.h"

// An empty registration, so that the table exists in every program that links this
// file, whichever modules it has.
__attribute__((used, section("spanlab_opcounts"), aligned(8))) static const opcount_entry_t
    opcount_none[0];

extern const opcount_entry_t __start_spanlab_opcounts[];
extern const opcount_entry_t __stop_spanlab_opcounts[];

// Returns the mallocs since m and adds the operation to *c.
uint64_t opcount_end(opcount_t *c, opcount_mark_t m) {
    uint64_t n = prof_mallocs() - m.mallocs;
    if (c) {
        c->calls++;
        c->mallocs += n;
        c->bytes += prof_alloc_bytes() - m.bytes;
    }
    return n;
}

// Returns the average mallocs of fn over runs calls after one warm-up call.
uint64_t opcount_allocs_per_run(int runs, void (*fn)(void *), void *arg) {
    if (runs <= 0)
        rt_panic("opcount_allocs_per_run: runs %d", runs);
    fn(arg);
    uint64_t before = prof_mallocs();
    for (int i = 0; i < runs; i++)
        fn(arg);
    return (prof_mallocs() - before) / (uint64_t)runs;
}

// Prints one counter line.
void opcount_print(const char *name, const opcount_t *c) {
    unsigned long long per = c->calls ? c->mallocs / c->calls : 0;
    sys_printf("%s: calls=%llu mallocs=%llu bytes=%llu per_call=%llu\n", name,
               (unsigned long long)c->calls, (unsigned long long)c->mallocs,
               (unsigned long long)c->bytes, per);
}

// Prints every registered counter that saw a call.
void opcount_print_all(void) {
    for (const opcount_entry_t *e = __start_spanlab_opcounts; e < __stop_spanlab_opcounts; e++)
        if (e->counter->calls)
            opcount_print(e->name, e->counter);
}
