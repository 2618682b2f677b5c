// font_: the bitmap console fonts the framebuffer console draws with. They are
// Debian's Terminus PSF fonts (console-setup-linux), converted at build time by
// tools/psf2c into build/gen/ and embedded; nothing here is drawn by hand.
#ifndef SPANLAB_KERNEL_FONT_H
#define SPANLAB_KERNEL_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct font_map_entry {
    uint32_t codepoint;
    uint32_t glyph;
};

struct font {
    const char *name;
    uint32_t width, height; // pixels per glyph cell
    uint32_t row_bytes;     // bytes per glyph row, most significant bit leftmost
    uint32_t glyphs;
    const uint8_t *bits;    // glyphs * height * row_bytes
    const struct font_map_entry *map; // Unicode code point -> glyph, sorted
    uint32_t map_len;
    uint32_t replacement;   // glyph for code points the font lacks (U+FFFD or '?')
    uint16_t ascii[128];    // glyph of each ASCII code point (the fast path)
};

extern const struct font font_terminus16; // 8x16, Uni2-Terminus16
extern const struct font font_terminus32; // 16x32, Uni2-Terminus32x16

// Terminus 16x32 drawn at twice its size (32x64), built by font_pick on first use.
extern struct font font_terminus32x2;

// The font for a screen: 8x16 up to 1600 pixels wide, 16x32 below 2560, and
// 16x32 scaled 2x from 2560 up (a 27" 4K screen at 8x16 draws glyphs 1.6 mm
// tall; 32x64 gives 120x33 cells there). Never NULL.
const struct font *font_pick(uint32_t width, uint32_t height);

// Makes dst a copy of src with every pixel doubled both ways, its bitmap in
// bits (cap bytes). Returns false (dst untouched) when bits is too small.
bool font_scale2x(const struct font *src, struct font *dst, uint8_t *bits, size_t cap);

// The glyph index for code point cp (the replacement glyph when it has none).
uint32_t font_glyph(const struct font *f, uint32_t cp);

// The bitmap of glyph g's row y (row_bytes bytes).
static inline const uint8_t *font_row(const struct font *f, uint32_t g, uint32_t y) {
    return f->bits + ((uint64_t)g * f->height + y) * f->row_bytes;
}

#endif
