// meta: the heap's own metadata memory (Go's persistentalloc): arena structs,
// chunk bitmaps, span structs and their bits. Bump-allocated from 1 MiB blocks
// reserved and committed through sys, never freed one by one; heap_destroy
// returns every block. Untouched parts of a block cost no frames.
#include <string.h>
#include "mm/heap_internal.h"

#define META_BLOCK ((size_t)1 << 20)

typedef struct meta_block {
    struct meta_block *next;
    size_t bytes; // whole reservation
} meta_block_t;

static meta_block_t *blocks;   // every reservation, newest first
static uintptr_t cur, cur_end; // bump range in the newest small block

// Reserves and commits bytes (a multiple of 4 KiB); returns its base. Panics when
// sys refuses: the heap cannot run without its metadata.
static meta_block_t *meta_reserve(size_t bytes) {
    void *p = sys_reserve(bytes, SYS_PAGE_SIZE, "heap metadata");
    heap_check(p != NULL, "heap: out of address space for metadata (%zu bytes)", bytes);
    heap_check(sys_commit(p, bytes) == 0, "heap: cannot commit metadata");
    meta_block_t *b = p;
    b->bytes = bytes;
    b->next = blocks;
    blocks = b;
    return b;
}

// Zeroed metadata (fresh committed memory is zero); see heap_internal.h.
void *meta_alloc(size_t bytes, size_t align, uint64_t *stat) {
    if (stat)
        *stat += bytes;
    if (bytes > META_BLOCK / 4) { // big: its own reservation, page aligned
        size_t total = (bytes + sizeof(meta_block_t) + SYS_PAGE_SIZE - 1 + SYS_PAGE_SIZE) &
                       ~(size_t)(SYS_PAGE_SIZE - 1);
        meta_block_t *b = meta_reserve(total);
        return (uint8_t *)b + SYS_PAGE_SIZE;
    }
    uintptr_t p = (cur + align - 1) & ~(uintptr_t)(align - 1);
    if (!cur || p + bytes > cur_end) {
        meta_block_t *b = meta_reserve(META_BLOCK);
        cur = (uintptr_t)(b + 1);
        cur_end = (uintptr_t)b + META_BLOCK;
        p = (cur + align - 1) & ~(uintptr_t)(align - 1);
    }
    cur = p + bytes;
    return (void *)p;
}

// Unreserves every block (heap_destroy).
void meta_release_all(void) {
    while (blocks) {
        meta_block_t *b = blocks;
        blocks = b->next;
        sys_unreserve(b, b->bytes);
    }
    cur = cur_end = 0;
}
