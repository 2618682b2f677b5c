// gcverify's barrier checker for incremental cycles: a shadow copy of every
// non-nil pointer slot an incremental cycle scans, compared at mark termination.
// A slot whose value changed after its object was scanned must have been written
// through the barrier (GC_STORE, gc_memmove_ptrs, gc_memclr_ptrs), which flags its
// shadow entry; a changed slot without the flag is an unbarriered pointer store,
// reported with the object, the field's offset and both values. (Stores before the
// scan, or into objects allocated black, are not seen: they need no barrier.)
//
// The shadow is an open-addressing table in static memory (no allocation while
// marking); when it fills, further slots are not recorded and the check says so in
// its count, never silently passing a slot it did not record.
#include "rt/gc_internal.h"
#include "mm/heap.h"
#include "sys/sys.h"

#define SHADOW_BITS 16
#define SHADOW_SIZE (1u << SHADOW_BITS)
#define SHADOW_MAX (SHADOW_SIZE / 4 * 3) // keep probes short

typedef struct shadow_entry {
    uintptr_t slot; // slot address | 1 when a barrier wrote it; 0 = empty
    uintptr_t val;  // the value the scan saw
} shadow_entry_t;

static shadow_entry_t tab[SHADOW_SIZE];
static size_t used;
bool gc_shadow_on;
uint64_t gc_shadow_dropped; // slots not recorded (table full) this cycle

static size_t hash(uintptr_t slot) {
    return (size_t)((slot >> 3) * 0x9e3779b97f4a7c15ull >> (64 - SHADOW_BITS));
}

// The entry of slot, or the empty one where it would go.
static shadow_entry_t *find(uintptr_t slot) {
    for (size_t h = hash(slot);; h = (h + 1) & (SHADOW_SIZE - 1)) {
        shadow_entry_t *e = &tab[h];
        if (e->slot == 0 || (e->slot & ~(uintptr_t)1) == slot)
            return e;
    }
}

// See rt/gc_internal.h.
void gc_shadow_begin(void) {
    __builtin_memset(tab, 0, sizeof tab);
    used = 0;
    gc_shadow_dropped = 0;
    gc_shadow_on = true;
}

static void record(uintptr_t v, uintptr_t slot, void *ctx) {
    (void)ctx;
    shadow_entry_t *e = find(slot);
    if (e->slot == 0) {
        if (used == SHADOW_MAX) {
            gc_shadow_dropped++;
            return;
        }
        used++;
    }
    e->slot = slot; // a (re)scan starts the slot's history again
    e->val = v;
}

// See rt/gc_internal.h.
void gc_shadow_record_object(uintptr_t obj, struct span *s) {
    gc_for_each_ptr_slot((void *)obj, s, record, NULL);
}

// See rt/gc_internal.h.
void gc_shadow_barrier(const void *slot) {
    shadow_entry_t *e = find((uintptr_t)slot);
    if (e->slot)
        e->slot |= 1;
}

// See rt/gc_internal.h.
void gc_shadow_check(void) {
    gc_shadow_on = false;
    for (size_t i = 0; i < SHADOW_SIZE; i++) {
        shadow_entry_t *e = &tab[i];
        if (e->slot == 0 || (e->slot & 1))
            continue;
        uintptr_t now = *(const uintptr_t *)e->slot;
        if (now == e->val)
            continue;
        span_t *s = heap_span_of((const void *)e->slot);
        void *obj = s ? span_object_of(s, (const void *)e->slot, NULL) : NULL;
        sys_panic("gcverify: unbarriered pointer store: object %p (%zu bytes) field +%zu "
                  "changed from %#lx to %#lx after the collector scanned it, with no write "
                  "barrier (GC_STORE / gc_memmove_ptrs)",
                  obj, s ? s->elemsize : 0, (size_t)(e->slot - (uintptr_t)obj),
                  (unsigned long)e->val, (unsigned long)now);
    }
}
