// The text terminal of the framebuffer console: a cursor over a grid of glyph
// cells, scrolling by whole text rows, UTF-8 decoding, and the ANSI subset that
// spanlab's portable code emits so the same text can go to serial:
//   ESC[<n;...>m  0 reset, 1 bold, 2 dim, 22 normal, 30-37/90-97 foreground,
//                 39 default, 40-47/100-107 background, 49 default
//   ESC[2J clear, ESC[H / ESC[<row;col>H cursor, ESC[K erase to end of line;
//   other sequences are parsed and ignored.
// The words PASS and FAIL (a word start, then those four capitals) are drawn in
// green and red when no explicit colour is set: the serial text stays plain. So
// are the cells of residency map rows ("  0x<12 hex digits> " then one character
// per cell, mm/residency.h) and the state letters of its "legend: " line, in the
// colours mm/residency.c uses with VM_RES_COLOR: R green, r yellow, f magenta,
// c cyan, . dim.
#include <string.h>

#include "kernel/fbcon_render.h"

const uint32_t fbterm_palette[16] = {
    0x000000, 0xcd3030, 0x30c030, 0xcdcd00, 0x4070f0, 0xcd30cd, 0x00c0c0, 0xc0c0c0,
    0x707070, 0xff4040, 0x40ff40, 0xffff50, 0x70a0ff, 0xff60ff, 0x50ffff, 0xffffff,
};

// Recomputes the pixel values of the current attributes.
static void update_colors(fbterm_t *t) {
    uint32_t fg = FBTERM_DEFAULT_FG, bg = FBTERM_DEFAULT_BG;
    if (t->fg >= 0)
        fg = fbterm_palette[t->bold && t->fg < 8 ? t->fg + 8 : t->fg];
    else if (t->bold)
        fg = 0xffffff;
    if (t->dim) // half intensity
        fg = (fg >> 1) & 0x7f7f7f;
    if (t->bg >= 0)
        bg = fbterm_palette[t->bg];
    t->fg_px = fbr_pixel(&t->surf, fg);
    t->bg_px = fbr_pixel(&t->surf, bg);
}

// Marks pixel rows [y, y+h) of the drawing surface as changed.
static void dirty(fbterm_t *t, uint32_t y, uint32_t h) {
    if (t->dirty_lo >= t->dirty_hi)
        t->dirty_lo = y, t->dirty_hi = y + h;
    if (y < t->dirty_lo)
        t->dirty_lo = y;
    if (y + h > t->dirty_hi)
        t->dirty_hi = y + h;
}

void fbterm_init(fbterm_t *t, const fb_surface_t *s, const fb_surface_t *shadow,
                 const struct font *f) {
    memset(t, 0, sizeof *t);
    t->surf = shadow ? *shadow : *s;
    t->screen = *s;
    t->shadowed = shadow != NULL;
    t->font = f;
    t->cols = s->width / f->width;
    t->rows = s->height / f->height;
    t->jump = 1;
    t->fg = t->bg = -1;
    update_colors(t);
    fbr_fill(&t->surf, 0, 0, s->width, s->height, t->bg_px);
    if (t->shadowed)
        fbr_fill(&t->screen, 0, 0, s->width, s->height, t->bg_px);
}

void fbterm_flush(fbterm_t *t) {
    if (t->shadowed && t->dirty_lo < t->dirty_hi) {
        uint32_t hi = t->dirty_hi < t->surf.height ? t->dirty_hi : t->surf.height;
        for (uint32_t y = t->dirty_lo; y < hi; y++)
            memcpy(t->screen.pixels + (uint64_t)y * t->screen.pitch,
                   t->surf.pixels + (uint64_t)y * t->surf.pitch, t->surf.width * sizeof(uint32_t));
    }
    t->dirty_lo = t->dirty_hi = 0;
}

// Starts a new line for the line classifier and the PASS/FAIL window.
static void line_start(fbterm_t *t) {
    t->nrecent = 0;
    t->lpos = 0;
    t->lkind = 0;
}

// Moves to the start of the next line. On the last row, scrolls the text area up
// by t->jump rows at once (one memmove however many rows) and continues on the
// first freed row.
static void newline(fbterm_t *t) {
    t->cx = 0;
    line_start(t);
    if (t->cy + 1 < t->rows) {
        t->cy++;
        return;
    }
    uint32_t j = t->jump == 0 ? 1 : t->jump < t->rows ? t->jump : t->rows;
    uint32_t bg = fbr_pixel(&t->surf, FBTERM_DEFAULT_BG);
    fbr_scroll(&t->surf, j * t->font->height, t->rows * t->font->height, bg);
    dirty(t, 0, t->rows * t->font->height);
    t->cy = t->rows - j;
    t->scrolls++;
}

// Draws glyph g at cell (cx, cy) in the given pixel colours.
static void draw_cell(fbterm_t *t, uint32_t cx, uint32_t cy, uint32_t g, uint32_t fg,
                      uint32_t bg) {
    fbr_glyph(&t->surf, t->font, g, cx * t->font->width, cy * t->font->height, fg, bg);
    dirty(t, cy * t->font->height, t->font->height);
    t->glyphs_drawn++;
}

// After an ASCII glyph: when the line now ends in PASS or FAIL at a word start,
// redraws those four cells in green or red.
static void highlight(fbterm_t *t, char c) {
    if (t->nrecent == 5)
        memmove(t->recent, t->recent + 1, 4), t->nrecent = 4;
    t->recent[t->nrecent++] = c;
    if (t->fg >= 0 || t->nrecent < 4 || t->cx < 4)
        return;
    const char *w = t->recent + t->nrecent - 4;
    bool pass = memcmp(w, "PASS", 4) == 0, fail = memcmp(w, "FAIL", 4) == 0;
    if (!pass && !fail)
        return;
    if (t->nrecent == 5) {
        char before = t->recent[0];
        if ((before >= 'A' && before <= 'Z') || (before >= 'a' && before <= 'z') ||
            (before >= '0' && before <= '9') || before == '_')
            return;
    } else if (t->cx != 4) {
        return; // the character before the word is not known (an escape came between)
    }
    uint32_t fg = fbr_pixel(&t->surf, pass ? FBTERM_PASS : FBTERM_FAIL);
    for (uint32_t i = 0; i < 4; i++)
        draw_cell(t, t->cx - 4 + i, t->cy, font_glyph(t->font, (unsigned char)w[i]), fg,
                  t->bg_px);
}

// The colour of a residency map cell character, or 0 for none.
static uint32_t state_rgb(uint32_t c) {
    switch (c) {
    case 'R': return fbterm_palette[10];
    case 'r': return fbterm_palette[3];
    case 'f': return fbterm_palette[5];
    case 'c': return fbterm_palette[6];
    case '.': return 0x606060;
    default: return 0;
    }
}

// Feeds glyph c (at line position t->lpos) to the line classifier: a map row is
// "  0x" + 12 hex digits + ' ' (its cells follow), the legend starts "legend: ".
static void classify(fbterm_t *t, uint32_t c) {
    static const char legend[] = "legend: ";
    uint32_t i = t->lpos++;
    if (t->lkind != 0)
        return;
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    bool map_ok = i < 2 ? c == ' ' : i == 2 ? c == '0' : i == 3 ? c == 'x' : i < 16 ? hex : c == ' ';
    bool legend_ok = i < 8 && c == (unsigned char)legend[i];
    if (i == 16 && map_ok)
        t->lkind = 1;
    else if (i == 7 && legend_ok)
        t->lkind = 2;
    else if (!map_ok && !legend_ok)
        t->lkind = -1;
}

// Draws code point cp at the cursor and advances it (wrapping first if needed).
static void put_glyph(fbterm_t *t, uint32_t cp) {
    if (t->cx >= t->cols)
        newline(t);
    bool plain = t->fg < 0 && t->bg < 0 && !t->bold && !t->dim;
    uint32_t fg = t->fg_px, rgb = state_rgb(cp);
    if (plain && t->lkind == 1 && rgb)
        fg = fbr_pixel(&t->surf, rgb);
    draw_cell(t, t->cx, t->cy, font_glyph(t->font, cp), fg, t->bg_px);
    t->cx++;
    classify(t, cp);
    if (cp >= 128) {
        t->nrecent = 0;
        return;
    }
    highlight(t, (char)cp);
    // Legend: a state letter standing alone (" R ") takes its colour.
    int n = t->nrecent;
    if (plain && t->lkind == 2 && cp == ' ' && n >= 3 && t->recent[n - 3] == ' ' &&
        (rgb = state_rgb((unsigned char)t->recent[n - 2])) != 0)
        draw_cell(t, t->cx - 2, t->cy, font_glyph(t->font, (unsigned char)t->recent[n - 2]),
                  fbr_pixel(&t->surf, rgb), t->bg_px);
}

// Applies one SGR parameter.
static void sgr(fbterm_t *t, int p) {
    if (p == 0)
        t->fg = t->bg = -1, t->bold = t->dim = false;
    else if (p == 1)
        t->bold = true;
    else if (p == 2)
        t->dim = true;
    else if (p == 22)
        t->bold = t->dim = false;
    else if (p >= 30 && p <= 37)
        t->fg = p - 30;
    else if (p == 39)
        t->fg = -1;
    else if (p >= 40 && p <= 47)
        t->bg = p - 40;
    else if (p == 49)
        t->bg = -1;
    else if (p >= 90 && p <= 97)
        t->fg = p - 90 + 8;
    else if (p >= 100 && p <= 107)
        t->bg = p - 100 + 8;
}

// Runs a complete CSI sequence ending in final.
static void csi(fbterm_t *t, char final) {
    int n = t->nparams;
    switch (final) {
    case 'm':
        if (n == 0)
            sgr(t, 0);
        for (int i = 0; i < n; i++)
            sgr(t, t->params[i]);
        update_colors(t);
        break;
    case 'J':
        if (n > 0 && t->params[0] == 2) {
            fbr_fill(&t->surf, 0, 0, t->surf.width, t->surf.height, t->bg_px);
            dirty(t, 0, t->surf.height);
            t->cx = t->cy = 0;
        }
        break;
    case 'H': {
        int row = n > 0 && t->params[0] > 0 ? t->params[0] - 1 : 0;
        int col = n > 1 && t->params[1] > 0 ? t->params[1] - 1 : 0;
        t->cy = (uint32_t)row < t->rows ? (uint32_t)row : t->rows - 1;
        t->cx = (uint32_t)col < t->cols ? (uint32_t)col : t->cols - 1;
        break;
    }
    case 'K':
        if (t->cx < t->cols) {
            fbr_fill(&t->surf, t->cx * t->font->width, t->cy * t->font->height,
                     (t->cols - t->cx) * t->font->width, t->font->height, t->bg_px);
            dirty(t, t->cy * t->font->height, t->font->height);
        }
        break;
    }
    t->nrecent = 0;
}

// Feeds one byte to the escape parser; returns true when it consumed it.
static bool escape_byte(fbterm_t *t, unsigned char c) {
    if (t->esc == 1) {
        if (c == '[') {
            t->esc = 2;
            t->nparams = 0;
            t->params[0] = 0;
            return true;
        }
        t->esc = 0; // a two-byte escape we do not implement: drop it
        return true;
    }
    if (c >= '0' && c <= '9') {
        if (t->nparams == 0)
            t->nparams = 1, t->params[0] = 0;
        int *p = &t->params[t->nparams - 1];
        if (*p < 10000)
            *p = *p * 10 + (c - '0');
    } else if (c == ';') {
        if (t->nparams == 0)
            t->nparams = 1, t->params[0] = 0;
        if (t->nparams < FBTERM_MAX_PARAMS)
            t->params[t->nparams++] = 0;
    } else if (c >= 0x40 && c <= 0x7e) {
        t->esc = 0;
        csi(t, (char)c);
    } else if (c < 0x20 || c > 0x7e) {
        t->esc = 0; // malformed: abandon the sequence, the byte is text again
        return false;
    }
    return true;
}

// Draws (on) or erases the cursor underline at cell (x, y).
static void cursor_paint(fbterm_t *t, uint32_t x, uint32_t y, bool on) {
    uint32_t py = y * t->font->height + t->font->height - 2;
    uint32_t rgb = on ? FBTERM_DEFAULT_FG : FBTERM_DEFAULT_BG;
    fbr_fill(&t->surf, x * t->font->width, py, t->font->width, 2, fbr_pixel(&t->surf, rgb));
    dirty(t, py, 2);
}

void fbterm_write(fbterm_t *t, const char *buf, size_t len) {
    if (t->cols == 0 || t->rows == 0)
        return;
    if (t->cursor_shown) { // before anything moves: a scroll would carry it along
        cursor_paint(t, t->cursor_x, t->cursor_y, false);
        t->cursor_shown = false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (t->esc && escape_byte(t, c))
            continue;
        if (t->need > 0) { // inside a UTF-8 sequence
            if ((c & 0xc0) == 0x80) {
                t->cp = t->cp << 6 | (c & 0x3f);
                if (--t->need == 0)
                    put_glyph(t, t->cp);
                continue;
            }
            t->need = 0;
            put_glyph(t, 0xfffd); // truncated sequence; c is handled below
        }
        if (c >= 0x80) {
            if (c >= 0xc2 && c <= 0xdf)
                t->cp = c & 0x1f, t->need = 1;
            else if (c >= 0xe0 && c <= 0xef)
                t->cp = c & 0x0f, t->need = 2;
            else if (c >= 0xf0 && c <= 0xf4)
                t->cp = c & 0x07, t->need = 3;
            else
                put_glyph(t, 0xfffd);
            continue;
        }
        switch (c) {
        case '\n':
            newline(t);
            break;
        case '\r':
            t->cx = 0;
            line_start(t);
            break;
        case '\t': // moves to the next multiple of 8, drawing nothing (as terminals do)
            t->cx = t->cx < t->cols ? (t->cx + 8) & ~7u : t->cx;
            if (t->cx > t->cols)
                t->cx = t->cols;
            t->nrecent = 0;
            break;
        case '\b':
            if (t->cx > 0)
                t->cx--;
            t->nrecent = 0;
            break;
        case 0x1b:
            t->esc = 1;
            break;
        default:
            if (c >= 0x20 && c != 0x7f)
                put_glyph(t, c);
        }
    }
    if (t->cx < t->cols) {
        cursor_paint(t, t->cx, t->cy, true);
        t->cursor_shown = true;
        t->cursor_x = t->cx;
        t->cursor_y = t->cy;
    }
    fbterm_flush(t);
}
