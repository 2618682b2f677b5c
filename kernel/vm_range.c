// vm_range: virtual range allocator over a fixed window (design in vm_range.h).
//
// Invariants (vm_check verifies them):
//   - order[0..nlive) lists live slots by increasing base; live ranges are disjoint
//   - free[0..nfree) is sorted, each extent non-empty, no two extents touch
//   - live ranges and free extents together tile [lo, hi) exactly
//   - a slot is either live (in order) or spare (in spare), never both
// Reserve scans free extents lowest first (at most VM_MAX_RANGES + 1 of them);
// find is a binary search over order.
#include "kernel/vm_range.h"

#define PAGE_4K ((uintptr_t)SYS_PAGE_SIZE) // the hardware page, as everywhere in kernel/

void vm_init(vm_space_t *s, uintptr_t lo, uintptr_t hi) {
    if (lo % PAGE_4K || hi % PAGE_4K || lo >= hi)
        sys_panic("vm_init: bad window [0x%lx, 0x%lx)", (unsigned long)lo, (unsigned long)hi);
    *s = (vm_space_t){0};
    s->lo = lo;
    s->hi = hi;
    s->free[0] = (vm_extent_t){lo, hi};
    s->nfree = 1;
    for (size_t i = 0; i < VM_MAX_RANGES; i++)
        s->spare[i] = (uint16_t)(VM_MAX_RANGES - 1 - i);
    s->nspare = VM_MAX_RANGES;
}

// Index in order[] of the first live range whose end is above addr.
static size_t first_above(const vm_space_t *s, uintptr_t addr) {
    size_t lo = 0, hi = s->nlive;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const vm_range_t *r = &s->table[s->order[mid]];
        if (r->base + r->npages * PAGE_4K <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

vm_range_t *vm_find(const vm_space_t *s, uintptr_t addr) {
    size_t i = first_above(s, addr);
    if (i < s->nlive && s->table[s->order[i]].base <= addr)
        return (vm_range_t *)&s->table[s->order[i]];
    return NULL;
}

vm_range_t *vm_nth(const vm_space_t *s, size_t i) {
    return i < s->nlive ? (vm_range_t *)&s->table[s->order[i]] : NULL;
}

size_t vm_count(const vm_space_t *s) {
    return s->nlive;
}

// Removes free[i], shifting the rest down.
static void free_remove(vm_space_t *s, size_t i) {
    for (size_t k = i; k + 1 < s->nfree; k++)
        s->free[k] = s->free[k + 1];
    s->nfree--;
}

// Inserts e at free[i], shifting the rest up.
static void free_insert(vm_space_t *s, size_t i, vm_extent_t e) {
    if (s->nfree == VM_MAX_RANGES + 1)
        sys_panic("vm: free list overflow (invariant broken)");
    for (size_t k = s->nfree; k > i; k--)
        s->free[k] = s->free[k - 1];
    s->free[i] = e;
    s->nfree++;
}

// Carves [base, end) out of free[i], which holds it, leaving head and tail free.
static void free_carve(vm_space_t *s, size_t i, uintptr_t base, uintptr_t end) {
    vm_extent_t f = s->free[i];
    free_remove(s, i);
    if (end < f.end)
        free_insert(s, i, (vm_extent_t){end, f.end});
    if (f.base < base)
        free_insert(s, i, (vm_extent_t){f.base, base});
}

static void copy_name(char *dst, const char *src) {
    size_t i = 0;
    if (!src)
        src = "anon";
    for (; i + 1 < VM_NAME_LEN && src[i]; i++)
        dst[i] = src[i];
    for (; i < VM_NAME_LEN; i++)
        dst[i] = 0;
}

vm_range_t *vm_reserve(vm_space_t *s, size_t bytes, size_t align, const char *name) {
    if (align < PAGE_4K)
        align = PAGE_4K;
    if (align & (align - 1))
        sys_panic("vm_reserve: alignment 0x%lx is not a power of two", (unsigned long)align);
    if (bytes == 0 || bytes > s->hi - s->lo || s->nspare == 0)
        return NULL;
    uintptr_t size = (bytes + PAGE_4K - 1) & ~(PAGE_4K - 1);
    for (size_t i = 0; i < s->nfree; i++) {
        vm_extent_t f = s->free[i];
        uintptr_t base = (f.base + align - 1) & ~(uintptr_t)(align - 1);
        if (base < f.base || base >= f.end || f.end - base < size)
            continue;
        free_carve(s, i, base, base + size);
        uint16_t slot = s->spare[--s->nspare];
        vm_range_t *r = &s->table[slot];
        *r = (vm_range_t){.base = base, .npages = size / PAGE_4K, .slot = slot, .live = true};
        r->c.pages.reserved = size / PAGE_4K;
        copy_name(r->name, name);
        size_t at = first_above(s, base);
        for (size_t k = s->nlive; k > at; k--)
            s->order[k] = s->order[k - 1];
        s->order[at] = slot;
        s->nlive++;
        return r;
    }
    return NULL;
}

void vm_free(vm_space_t *s, vm_range_t *r) {
    if (r < s->table || r >= s->table + VM_MAX_RANGES || !r->live)
        sys_panic("vm_free: %p is not a live range", (void *)r);
    size_t at = first_above(s, r->base);
    if (at >= s->nlive || s->order[at] != r->slot)
        sys_panic("vm_free: range %s not in the order index", r->name);
    for (size_t k = at; k + 1 < s->nlive; k++)
        s->order[k] = s->order[k + 1];
    s->nlive--;

    // Put [base, end) back, merging with the free extents on either side.
    vm_extent_t e = {r->base, r->base + r->npages * PAGE_4K};
    size_t i = 0;
    while (i < s->nfree && s->free[i].base < e.base)
        i++;
    if (i < s->nfree && s->free[i].base == e.end) {
        e.end = s->free[i].end;
        free_remove(s, i);
    }
    if (i > 0 && s->free[i - 1].end == e.base) {
        s->free[i - 1].end = e.end;
    } else {
        free_insert(s, i, e);
    }

    s->retired.faults += r->c.faults;
    s->retired.reclaimed += r->c.reclaimed;
    s->retired.pt_pages += r->c.pt_pages;
    r->live = false;
    s->spare[s->nspare++] = r->slot;
}

static void add_counters(vm_counters_t *to, const vm_counters_t *c) {
    to->pages.reserved += c->pages.reserved;
    to->pages.committed += c->pages.committed;
    to->pages.resident += c->pages.resident;
    to->pages.lazyfree += c->pages.lazyfree;
    to->faults += c->faults;
    to->reclaimed += c->reclaimed;
    to->pt_pages += c->pt_pages;
}

void vm_total(const vm_space_t *s, vm_counters_t *out) {
    *out = s->retired;
    for (size_t i = 0; i < s->nlive; i++)
        add_counters(out, &s->table[s->order[i]].c);
}

size_t vm_free_bytes(const vm_space_t *s) {
    size_t n = 0;
    for (size_t i = 0; i < s->nfree; i++)
        n += s->free[i].end - s->free[i].base;
    return n;
}

void vm_check(const vm_space_t *s) {
    uintptr_t at = s->lo;
    size_t li = 0, fi = 0;
    // Walk live ranges and free extents merged by address: they must tile the window.
    while (li < s->nlive || fi < s->nfree) {
        const vm_range_t *r = li < s->nlive ? &s->table[s->order[li]] : NULL;
        if (r && !r->live)
            sys_panic("vm_check: slot %u in order but not live", r->slot);
        if (r && r->base == at) {
            at += r->npages * PAGE_4K;
            li++;
            continue;
        }
        if (fi < s->nfree && s->free[fi].base == at) {
            if (s->free[fi].end <= at)
                sys_panic("vm_check: empty free extent at 0x%lx", (unsigned long)at);
            if (fi > 0 && s->free[fi - 1].end == at)
                sys_panic("vm_check: adjacent free extents at 0x%lx", (unsigned long)at);
            at = s->free[fi].end;
            fi++;
            continue;
        }
        sys_panic("vm_check: gap or overlap at 0x%lx", (unsigned long)at);
    }
    if (at != s->hi)
        sys_panic("vm_check: ranges end at 0x%lx, window at 0x%lx", (unsigned long)at,
                  (unsigned long)s->hi);
    if (s->nlive + s->nspare != VM_MAX_RANGES)
        sys_panic("vm_check: %lu live + %lu spare slots", (unsigned long)s->nlive, (unsigned long)s->nspare);
}
