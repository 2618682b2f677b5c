// The portable half of the framebuffer console: pixel drawing into any 32-bit
// framebuffer in memory (RGBX, BGRX or a GOP bit mask; pitch may exceed width) and
// the text terminal on top of it (cursor, scrolling, UTF-8, a small ANSI colour
// subset, PASS/FAIL highlighting). It touches nothing but the memory it is given,
// so host tests drive it on a buffer; kernel/fbcon.c points it at the GOP screen.
#ifndef SPANLAB_KERNEL_FBCON_RENDER_H
#define SPANLAB_KERNEL_FBCON_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/font.h"

// ---- pixels ---------------------------------------------------------------

typedef struct fb_surface {
    uint32_t *pixels;       // row y starts at pixels + y * pitch
    uint32_t width, height; // visible pixels
    uint32_t pitch;         // pixels per scanline, >= width
    uint8_t shift[3];       // bit position of red, green, blue in a pixel
    uint8_t bits[3];        // width of each channel (8 for RGBX and BGRX)
} fb_surface_t;

// Sets up s for a framebuffer of the given boot_pixel_format (masks are used for
// BOOT_FB_BITMASK only). Returns false for a format it cannot draw (no
// framebuffer, or a mask that is not one contiguous run per channel).
bool fbr_surface_init(fb_surface_t *s, void *pixels, uint32_t width, uint32_t height,
                      uint32_t pitch, uint32_t format, uint32_t rmask, uint32_t gmask,
                      uint32_t bmask);

// The pixel value of colour 0xRRGGBB on s.
uint32_t fbr_pixel(const fb_surface_t *s, uint32_t rgb);

// Fills the rectangle (clipped to the surface) with pixel value px.
void fbr_fill(const fb_surface_t *s, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t px);

// Draws glyph g of f with its top-left corner at pixel (x, y): set bits in fg,
// clear bits in bg. The cell must lie inside the surface.
void fbr_glyph(const fb_surface_t *s, const struct font *f, uint32_t g, uint32_t x, uint32_t y,
               uint32_t fg, uint32_t bg);

// Moves pixel rows [dy, area) up to [0, area - dy) as whole scanlines (one memmove)
// and fills the freed rows at the bottom with bg.
void fbr_scroll(const fb_surface_t *s, uint32_t dy, uint32_t area, uint32_t bg);

// ---- text -----------------------------------------------------------------

#define FBTERM_MAX_PARAMS 8

typedef struct fbterm {
    fb_surface_t surf;   // where drawing happens: the screen itself, or a shadow in RAM
    fb_surface_t screen; // with a shadow: the real screen, written by fbterm_flush only
    bool shadowed;
    uint32_t dirty_lo, dirty_hi; // pixel rows of surf not yet copied to screen
    uint32_t jump;               // text rows a scroll moves (1, or more to batch)
    const struct font *font;
    uint32_t cols, rows; // character cells
    uint32_t cx, cy;     // cursor cell; cx == cols means "wrap before the next glyph"
    int fg, bg;          // palette index 0..15, -1 default
    bool bold, dim;
    uint32_t fg_px, bg_px; // current pixel values
    // escape parser: 0 text, 1 after ESC, 2 inside CSI
    int esc;
    int params[FBTERM_MAX_PARAMS], nparams;
    // UTF-8 decoder: code point so far and continuation bytes still expected
    uint32_t cp;
    int need;
    // the current line's last glyphs, for PASS/FAIL highlighting
    char recent[5];
    int nrecent;
    // what the current line is, from its first glyphs: 0 not known yet, 1 a
    // residency map row, 2 the map legend, -1 anything else (see fbcon_term.c)
    uint32_t lpos;
    int lkind;
    // the cursor: an underline in the bottom two pixel rows of its cell
    bool cursor_shown;
    uint32_t cursor_x, cursor_y;
    uint64_t scrolls, glyphs_drawn;
} fbterm_t;

// The palette (xterm-like), and the default colours.
#define FBTERM_DEFAULT_FG 0xc0c0c0u
#define FBTERM_DEFAULT_BG 0x000000u
#define FBTERM_PASS 0x30e030u // PASS in green
#define FBTERM_FAIL 0xff4040u // FAIL in red
extern const uint32_t fbterm_palette[16];

// Starts a terminal on surface s with font f and clears the screen. With shadow
// (same size and format as s, pitch = width), drawing and scrolling happen in the
// shadow, in RAM, and fbterm_flush copies changed rows to s: the screen is then
// only ever written, never read (reads from a real framebuffer are uncached and
// very slow). jump is 1 (scroll one text row at a time) until the caller sets it.
void fbterm_init(fbterm_t *t, const fb_surface_t *s, const fb_surface_t *shadow,
                 const struct font *f);

// Draws len bytes of text (UTF-8, \n \r \t \b, ESC[...m colours, ESC[2J, ESC[H,
// ESC[K), scrolling by t->jump whole text rows when the cursor passes the last
// one, then draws the cursor where the next glyph will go and flushes.
void fbterm_write(fbterm_t *t, const char *buf, size_t len);

// Copies the shadow's changed pixel rows to the screen (nothing without a shadow).
void fbterm_flush(fbterm_t *t);

#endif
