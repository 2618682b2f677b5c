// pg_: the physical 4 KiB frame allocator. Pure C, no x86: the kernel feeds it the
// usable ranges of the UEFI memory map, the host tests feed it made-up ones.
//
// A bitmap with one bit per frame (1 = free) and a summary with one bit per bitmap
// word (1 = the word has a free frame), so finding a free frame reads at most
// nframes/4096 summary words and usually one. Counts are exact: total = frames ever
// added, free = frames with their bit set, reserved = frames the caller reported
// as not usable (firmware, MMIO holes inside RAM, the kernel image).
#ifndef SPANLAB_MM_FRAMES_H
#define SPANLAB_MM_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PG_FRAME_SIZE 4096u
#define PG_NONE UINT64_MAX // "no frame": frame 0 is a real address

// Bytes of metadata pg_init needs to manage frames [0, nframes).
size_t pg_meta_bytes(uint64_t nframes);

// Starts with no frame usable. meta must hold pg_meta_bytes(nframes) bytes.
void pg_init(void *meta, uint64_t nframes);

// Moves the metadata to a new address (same contents): the kernel calls this when
// it switches from the loader's identity map to its own direct map.
void pg_move_meta(void *meta);

// Makes [phys, phys + count*4096) free and counts it in total. phys must be
// frame-aligned; frames at or beyond nframes are ignored and returned as the
// count dropped. Panics when a frame is already free (overlapping ranges).
uint64_t pg_add(uint64_t phys, uint64_t count);

// Counts frames that exist but are never handed out (for reports only).
void pg_note_reserved(uint64_t count);

// Returns the physical address of a free frame and marks it used, or PG_NONE.
uint64_t pg_alloc(void);

// Returns a frame from pg_alloc. Panics on a frame that is free or out of range.
void pg_free(uint64_t phys);

// True when the frame holding phys is free.
bool pg_is_free(uint64_t phys);

uint64_t pg_limit(void);    // frames the bitmap covers: every frame is below this
uint64_t pg_total(void);    // frames ever added
uint64_t pg_free_count(void);
uint64_t pg_used(void);     // total - free
uint64_t pg_reserved(void); // frames reported by pg_note_reserved

#endif
