// Pixel drawing for the framebuffer console: colour conversion for every GOP
// pixel format, glyph blitting and whole-row scrolling. Portable (host-tested);
// built into the kernel without SSE, like all of kernel/.
#include "kernel/fbcon_render.h"

#include <string.h>

#include "boot/bootinfo.h"

// Finds the contiguous run of set bits in mask: false when it is empty or split.
static bool mask_run(uint32_t mask, uint8_t *shift, uint8_t *bits) {
    if (!mask)
        return false;
    uint8_t s = 0, n = 0;
    while (!(mask & 1))
        mask >>= 1, s++;
    while (mask & 1)
        mask >>= 1, n++;
    if (mask)
        return false;
    *shift = s;
    *bits = n > 16 ? 16 : n;
    return true;
}

bool fbr_surface_init(fb_surface_t *s, void *pixels, uint32_t width, uint32_t height,
                      uint32_t pitch, uint32_t format, uint32_t rmask, uint32_t gmask,
                      uint32_t bmask) {
    memset(s, 0, sizeof *s);
    if (!pixels || width == 0 || height == 0 || pitch < width)
        return false;
    s->pixels = pixels;
    s->width = width;
    s->height = height;
    s->pitch = pitch;
    s->bits[0] = s->bits[1] = s->bits[2] = 8;
    switch (format) {
    case BOOT_FB_RGBX: // byte 0 red: little-endian 0xXXBBGGRR
        s->shift[0] = 0, s->shift[1] = 8, s->shift[2] = 16;
        return true;
    case BOOT_FB_BGRX: // byte 0 blue: 0xXXRRGGBB
        s->shift[0] = 16, s->shift[1] = 8, s->shift[2] = 0;
        return true;
    case BOOT_FB_BITMASK:
        return mask_run(rmask, &s->shift[0], &s->bits[0]) &&
               mask_run(gmask, &s->shift[1], &s->bits[1]) &&
               mask_run(bmask, &s->shift[2], &s->bits[2]);
    default:
        return false;
    }
}

uint32_t fbr_pixel(const fb_surface_t *s, uint32_t rgb) {
    uint32_t px = 0;
    for (int c = 0; c < 3; c++) {
        uint32_t v = (rgb >> (16 - 8 * c)) & 0xff, n = s->bits[c];
        // Scale 8 bits to the channel's n: drop low bits, or widen repeating the top ones.
        v = n >= 8 ? v << (n - 8) | v >> (16 - n) : v >> (8 - n);
        px |= v << s->shift[c];
    }
    return px;
}

void fbr_fill(const fb_surface_t *s, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t px) {
    if (x >= s->width || y >= s->height)
        return;
    if (w > s->width - x)
        w = s->width - x;
    if (h > s->height - y)
        h = s->height - y;
    for (uint32_t r = 0; r < h; r++) {
        uint32_t *p = s->pixels + (uint64_t)(y + r) * s->pitch + x;
        for (uint32_t i = 0; i < w; i++)
            p[i] = px;
    }
}

// Two pixels at a time: the four fg/bg combinations of a pixel pair as one 64-bit
// store each, which halves the stores and drops the per-pixel branch.
typedef uint64_t __attribute__((may_alias, aligned(4))) pixel_pair_t;

void fbr_glyph(const fb_surface_t *s, const struct font *f, uint32_t g, uint32_t x, uint32_t y,
               uint32_t fg, uint32_t bg) {
    if (g >= f->glyphs)
        g = f->replacement;
    // Index: bit 1 = left pixel set, bit 0 = right pixel set (little-endian: left is low).
    const uint64_t pairs[4] = {(uint64_t)bg << 32 | bg, (uint64_t)fg << 32 | bg,
                               (uint64_t)bg << 32 | fg, (uint64_t)fg << 32 | fg};
    for (uint32_t r = 0; r < f->height; r++) {
        const uint8_t *row = font_row(f, g, r);
        uint32_t bits = 0;
        for (uint32_t b = 0; b < f->row_bytes; b++)
            bits = bits << 8 | row[b];
        bits <<= 32 - 8 * f->row_bytes; // leftmost pixel in bit 31
        uint32_t *p = s->pixels + (uint64_t)(y + r) * s->pitch + x;
        uint32_t i = 0;
        for (; i + 2 <= f->width; i += 2, bits <<= 2)
            *(pixel_pair_t *)(p + i) = pairs[bits >> 30];
        if (i < f->width)
            p[i] = (bits & 0x80000000u) ? fg : bg;
    }
}

void fbr_scroll(const fb_surface_t *s, uint32_t dy, uint32_t area, uint32_t bg) {
    if (area > s->height)
        area = s->height;
    if (dy >= area) {
        fbr_fill(s, 0, 0, s->width, area, bg);
        return;
    }
    // Whole scanlines, padding included: one contiguous move.
    memmove(s->pixels, s->pixels + (uint64_t)dy * s->pitch,
            (uint64_t)(area - dy) * s->pitch * sizeof(uint32_t));
    fbr_fill(s, 0, area - dy, s->width, dy, bg);
}
