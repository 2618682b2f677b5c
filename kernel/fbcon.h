// fbcon_: the framebuffer console, the kernel half. Draws every byte the console
// writes (kernel/console.c calls fbcon_write) on the GOP framebuffer the loader
// found, through the portable terminal in kernel/fbcon_render.h.
#ifndef SPANLAB_KERNEL_FBCON_H
#define SPANLAB_KERNEL_FBCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo.h"

// Starts the console on kboot.fb (kmain calls it once the direct map exists).
// Prints why when the framebuffer cannot be used; the console then stays serial-only.
void fbcon_init(void);

// The same for an explicit framebuffer. Returns false when there is none or its
// pixel format cannot be drawn.
bool fbcon_init_fb(const struct boot_framebuffer *fb);

// Draws len bytes. Output written before fbcon_init (up to 4 KiB) is kept and
// drawn when the console starts, so the screen shows the whole boot.
void fbcon_write(const char *buf, size_t len);

// True once the console draws on a screen.
bool fbcon_active(void);
// The console's font name and its size in character cells (hwinfo); false
// without a screen.
bool fbcon_geometry(const char **font, uint32_t *cols, uint32_t *rows);

// Prints what drawing cost so far: writes, glyphs, scrolls, milliseconds and the
// share of the time since boot (nothing without a screen). For the end of a run.
void fbcon_report(void);

#endif
