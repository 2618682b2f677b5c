// Tests of the virtual range allocator (kernel/vm_range.c): lowest-fit aligned
// placement, coalescing, exhaustion, find-by-address, counters, and random
// reserve/free sequences checked page by page against a bitmap model.
#include "kernel/vm_range.h"
#include "tests/unit/test.h"

#define PG ((uintptr_t)SYS_PAGE_SIZE)
#define LO ((uintptr_t)0x00c000000000ull) // Go's first arena hint (runtime/malloc.go)

static vm_space_t space; // big: keep it off the stack

static void vm_reserve_places_lowest_fit_aligned(void **st) {
    vm_init(&space, LO, LO + 1024 * PG);
    vm_range_t *a = vm_reserve(&space, 3 * PG, PG, "a");
    assert_int_equal(a->base, LO);
    vm_range_t *b = vm_reserve(&space, PG, 8 * PG, "b");
    assert_int_equal(b->base, LO + 8 * PG); // aligned past a, pages 3..7 stay free
    vm_range_t *c = vm_reserve(&space, 5 * PG + 1, PG, "c"); // rounds up to 6 pages
    assert_int_equal(c->npages, 6);
    assert_int_equal(c->base, LO + 9 * PG); // 5 free pages at 3..7 are too few
    vm_range_t *d = vm_reserve(&space, 5 * PG, PG, "d");
    assert_int_equal(d->base, LO + 3 * PG); // now they fit exactly
    assert_string_equal(d->name, "d");
    assert_int_equal(d->c.pages.reserved, 5);
    vm_check(&space);
    assert_int_equal(vm_free_bytes(&space), (1024 - 15) * PG);
}

static void vm_find_maps_addresses_to_ranges(void **st) {
    vm_init(&space, LO, LO + 4096 * PG);
    vm_range_t *r[100];
    for (int i = 0; i < 100; i++)
        r[i] = vm_reserve(&space, (size_t)(i % 7 + 1) * PG, PG, "x");
    for (int i = 0; i < 100; i++) {
        assert_ptr_equal(vm_find(&space, r[i]->base), r[i]);
        assert_ptr_equal(vm_find(&space, r[i]->base + r[i]->npages * PG - 1), r[i]);
        assert_ptr_equal(vm_nth(&space, (size_t)i), r[i]);
    }
    uintptr_t end = r[99]->base + r[99]->npages * PG;
    assert_null(vm_find(&space, end));
    assert_null(vm_find(&space, LO - 1));
    vm_free(&space, r[50]);
    assert_null(vm_find(&space, r[50]->base));
    assert_int_equal(vm_count(&space), 99);
}

static void vm_free_coalesces_neighbours(void **st) {
    vm_init(&space, LO, LO + 64 * PG);
    vm_range_t *a = vm_reserve(&space, 16 * PG, PG, "a");
    vm_range_t *b = vm_reserve(&space, 16 * PG, PG, "b");
    vm_range_t *c = vm_reserve(&space, 16 * PG, PG, "c");
    assert_int_equal(space.nfree, 1); // the tail
    vm_free(&space, a);
    vm_free(&space, c); // merges with the tail
    assert_int_equal(space.nfree, 2);
    vm_free(&space, b); // merges both sides: the whole window again
    assert_int_equal(space.nfree, 1);
    assert_int_equal(space.free[0].base, LO);
    assert_int_equal(space.free[0].end, LO + 64 * PG);
    vm_check(&space);
    assert_non_null(vm_reserve(&space, 64 * PG, PG, "all"));
}

static void vm_reserve_returns_null_when_exhausted(void **st) {
    vm_init(&space, LO, LO + 16 * PG);
    assert_null(vm_reserve(&space, 17 * PG, PG, "big"));
    assert_non_null(vm_reserve(&space, 10 * PG, PG, "a"));
    assert_null(vm_reserve(&space, 7 * PG, PG, "b"));
    assert_null(vm_reserve(&space, PG, 32 * PG, "aligned")); // no 128 KiB boundary left
    assert_non_null(vm_reserve(&space, 6 * PG, PG, "c"));
    assert_null(vm_reserve(&space, PG, PG, "d"));
    assert_int_equal(vm_free_bytes(&space), 0);

    vm_init(&space, LO, LO + 2 * VM_MAX_RANGES * PG);
    for (int i = 0; i < VM_MAX_RANGES; i++)
        assert_non_null(vm_reserve(&space, PG, PG, "slot"));
    assert_null(vm_reserve(&space, PG, PG, "one too many")); // the table is full
    vm_check(&space);
}

static void vm_total_sums_ranges_and_retired_events(void **st) {
    vm_init(&space, LO, LO + 64 * PG);
    vm_range_t *a = vm_reserve(&space, 8 * PG, PG, "a");
    vm_range_t *b = vm_reserve(&space, 4 * PG, PG, "b");
    a->c.pages.committed = 5;
    a->c.pages.resident = 3;
    a->c.faults = 3;
    a->c.pt_pages = 1;
    b->c.pages.resident = 2;
    b->c.pages.lazyfree = 2;
    b->c.faults = 4;
    b->c.reclaimed = 1;
    vm_counters_t t;
    vm_total(&space, &t);
    assert_int_equal(t.pages.reserved, 12);
    assert_int_equal(t.pages.committed, 5);
    assert_int_equal(t.pages.resident, 5);
    assert_int_equal(t.pages.lazyfree, 2);
    assert_int_equal(t.faults, 7);
    vm_free(&space, b);
    vm_total(&space, &t);
    assert_int_equal(t.pages.reserved, 8);
    assert_int_equal(t.pages.lazyfree, 0);
    assert_int_equal(t.faults, 7); // events survive the range
    assert_int_equal(t.reclaimed, 1);
    assert_int_equal(t.pt_pages, 1);
}

// The model: one byte per page of the window, the owner's id + 1 or 0 when free.
#define MODEL_PAGES 8192
static uint16_t model[MODEL_PAGES];

// Lowest aligned run of npages free pages in the model, or -1.
static long model_fit(size_t npages, size_t align_pages) {
    for (size_t at = 0; at + npages <= MODEL_PAGES; at += align_pages) {
        size_t k = 0;
        while (k < npages && model[at + k] == 0)
            k++;
        if (k == npages)
            return (long)at;
    }
    return -1;
}

static void vm_random_sequences_match_bitmap_model(void **st) {
    vm_init(&space, LO, LO + MODEL_PAGES * PG);
    memset(model, 0, sizeof model);
    vm_range_t *live[VM_MAX_RANGES];
    size_t nlive = 0;
    srand(12345);
    for (int step = 0; step < 20000; step++) {
        if (nlive > 0 && (rand() % 100 < 45 || nlive == VM_MAX_RANGES)) {
            size_t i = (size_t)rand() % nlive;
            vm_range_t *r = live[i];
            size_t first = (r->base - LO) / PG;
            for (size_t k = 0; k < r->npages; k++) {
                assert_int_equal(model[first + k], r->slot + 1);
                model[first + k] = 0;
            }
            vm_free(&space, r);
            live[i] = live[--nlive];
        } else {
            size_t npages = (size_t)(rand() % 4 == 0 ? rand() % 200 + 1 : rand() % 8 + 1);
            size_t align = (size_t)1 << (rand() % 5); // 1..16 pages
            long want = model_fit(npages, align);
            vm_range_t *r = vm_reserve(&space, npages * PG, align * PG, "rnd");
            if (want < 0) {
                assert_null(r);
                continue;
            }
            assert_non_null(r);
            assert_int_equal(r->base, LO + (uintptr_t)want * PG); // lowest fit
            for (size_t k = 0; k < npages; k++) {
                assert_int_equal(model[want + (long)k], 0); // no overlap
                model[want + (long)k] = (uint16_t)(r->slot + 1);
            }
            live[nlive++] = r;
        }
        if (step % 97 == 0) {
            vm_check(&space);
            for (size_t p = 0; p < MODEL_PAGES; p += 13) {
                vm_range_t *r = vm_find(&space, LO + p * PG + 5);
                if (model[p] == 0)
                    assert_null(r);
                else
                    assert_int_equal(r->slot + 1, model[p]);
            }
        }
    }
    vm_check(&space);
}

RUN_TESTS(cmocka_unit_test(vm_reserve_places_lowest_fit_aligned),
          cmocka_unit_test(vm_find_maps_addresses_to_ranges),
          cmocka_unit_test(vm_free_coalesces_neighbours),
          cmocka_unit_test(vm_reserve_returns_null_when_exhausted),
          cmocka_unit_test(vm_total_sums_ranges_and_retired_events),
          cmocka_unit_test(vm_random_sequences_match_bitmap_model))
