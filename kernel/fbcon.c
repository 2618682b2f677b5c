// The framebuffer console, kernel half: binds the portable terminal
// (fbcon_render.h) to the GOP framebuffer through the direct map, keeps the text
// written before it started, guards against re-entry (a fault while drawing must
// not draw again), and measures itself (selftest=fbcon).
#include "kernel/fbcon.h"

#include <stdio.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/fbcon_render.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "sys/selftest.h"
#include "sys/sys.h"

static fbterm_t term;
static bool active;
static int busy;
static uint64_t fb_phys;

// Output from before fbcon_init, replayed when the screen starts.
static char early[4096];
static size_t early_len;

static const char *format_name(uint32_t f) {
    switch (f) {
    case BOOT_FB_RGBX: return "RGBX";
    case BOOT_FB_BGRX: return "BGRX";
    case BOOT_FB_BITMASK: return "bitmask";
    default: return "none";
    }
}

bool fbcon_init_fb(const struct boot_framebuffer *fb) {
    if (!fb || fb->base == 0 || fb->format == BOOT_FB_NONE) {
        early_len = 0;
        return false;
    }
    fb_surface_t s;
    if (!fbr_surface_init(&s, pt_phys_to_virt(fb->base), fb->width, fb->height,
                          fb->pixels_per_scanline, fb->format, fb->red_mask, fb->green_mask,
                          fb->blue_mask) ||
        (uint64_t)fb->pixels_per_scanline * fb->height * 4 > fb->size) {
        early_len = 0;
        kprintf("fbcon: cannot draw on the %ux%u %s framebuffer (pitch %u, %lu bytes): "
                "serial only\n",
                fb->width, fb->height, format_name(fb->format), fb->pixels_per_scanline,
                (unsigned long)fb->size);
        return false;
    }
    fb_phys = fb->base;
    fbterm_init(&term, &s, font_pick(fb->width, fb->height));
    active = true;
    fbcon_write(early, early_len);
    early_len = 0;
    kprintf("fbcon: %ux%u %s pitch %u at 0x%lx, font %s %ux%u, %ux%u cells\n", fb->width,
            fb->height, format_name(fb->format), fb->pixels_per_scanline, (unsigned long)fb->base,
            term.font->name, term.font->width, term.font->height, term.cols, term.rows);
    return true;
}

void fbcon_init(void) { fbcon_init_fb(&kboot.fb); }

bool fbcon_active(void) { return active; }

void fbcon_write(const char *buf, size_t len) {
    if (!active) {
        size_t room = sizeof early - early_len;
        size_t n = len < room ? len : room;
        memcpy(early + early_len, buf, n);
        early_len += n;
        return;
    }
    if (busy)
        return; // re-entered from a fault inside the drawing: serial has the text
    busy = 1;
    term.surf.pixels = pt_phys_to_virt(fb_phys);
    fbterm_write(&term, buf, len);
    busy = 0;
}

// Reads back cell (cx, cy) from the screen: true when its pixels are exactly
// glyph g in pixel values fg and bg.
static bool cell_shows(uint32_t cx, uint32_t cy, uint32_t g, uint32_t fg, uint32_t bg) {
    const struct font *f = term.font;
    for (uint32_t r = 0; r < f->height; r++) {
        const uint8_t *row = font_row(f, g, r);
        const uint32_t *p = term.surf.pixels + (uint64_t)(cy * f->height + r) * term.surf.pitch +
                            cx * f->width;
        for (uint32_t x = 0; x < f->width; x++) {
            bool on = row[x / 8] & (0x80 >> (x % 8));
            if (p[x] != (on ? fg : bg))
                return false;
        }
    }
    return true;
}

// selftest=fbcon: draws two screens of text through the terminal (so every line
// after the first screen scrolls), times it, times bare scrolls, and reads the
// last line back from the framebuffer to check the glyphs landed.
SELFTEST(fbcon, true) {
    if (!active) {
        kprintf("  no framebuffer console (no GOP, or QEMU without a display): nothing to test\n");
        return true;
    }
    char line[160];
    uint32_t n = term.rows * 2;
    uint64_t scrolls0 = term.scrolls, glyphs0 = term.glyphs_drawn;
    uint64_t t0 = sys_nanotime();
    for (uint32_t i = 0; i < n; i++) {
        int len = snprintf(line, sizeof line, "fbcon line %3u: the quick brown fox jumps over "
                                              "the lazy dog 0123456789 PASS FAIL\n", i);
        fbcon_write(line, (size_t)len);
    }
    uint64_t t1 = sys_nanotime();
    uint64_t scrolls = term.scrolls - scrolls0, glyphs = term.glyphs_drawn - glyphs0;
    // Bare scrolls: one text row each, the whole text area moved.
    const int reps = 16;
    uint32_t bg = fbr_pixel(&term.surf, FBTERM_DEFAULT_BG);
    uint64_t t2 = sys_nanotime();
    for (int i = 0; i < reps; i++)
        fbr_scroll(&term.surf, term.font->height, term.rows * term.font->height, bg);
    uint64_t t3 = sys_nanotime();
    uint64_t moved = (uint64_t)(term.rows - 1) * term.font->height * term.surf.pitch * 4;
    uint64_t scroll_ns = (t3 - t2) / reps;
    // The marker goes on the (now empty) last line: read it back.
    term.cx = 0;
    fbcon_write("Ab9", 3);
    uint32_t fg = term.fg_px, y = term.cy;
    bool ok = cell_shows(0, y, font_glyph(term.font, 'A'), fg, term.bg_px) &&
              cell_shows(1, y, font_glyph(term.font, 'b'), fg, term.bg_px) &&
              cell_shows(2, y, font_glyph(term.font, '9'), fg, term.bg_px);
    fbcon_write("\n", 1);
    kprintf("  %u lines (%lu glyphs, %lu scrolls) in %lu us: %lu us per line\n", n,
            (unsigned long)glyphs, (unsigned long)scrolls, (unsigned long)((t1 - t0) / 1000),
            (unsigned long)((t1 - t0) / 1000 / n));
    kprintf("  one scroll moves %lu KiB in %lu us (%lu MiB/s); glyphs read back: %s\n",
            (unsigned long)(moved >> 10), (unsigned long)(scroll_ns / 1000),
            (unsigned long)(scroll_ns ? moved * 1000000 / (scroll_ns / 1000 + 1) >> 20 : 0),
            ok ? "match the font" : "WRONG");
    return ok && scrolls >= term.rows;
}
