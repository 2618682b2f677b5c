// The framebuffer console's portable half (kernel/fbcon_render.c, fbcon_term.c)
// drawing into memory: glyphs land in the right cells in RGBX, BGRX and bit-mask
// formats with a pitch wider than the screen, the padding is never touched,
// scrolling moves whole rows, and colours (ANSI, PASS/FAIL) come out right.
#include "tests/unit/test.h"

#include "boot/bootinfo.h"
#include "kernel/fbcon_render.h"

#define W 200 // visible pixels: 25 cells of 8
#define H 100 // 6 rows of 16, 4 spare pixel rows
#define PITCH 224
#define SENTINEL 0xdeadbeefu

static uint32_t mem[PITCH * H]; // the "screen": every check reads it
static uint32_t shadow_mem[W * H];
static bool use_shadow;          // draw in shadow_mem and flush to mem
static fb_surface_t surf;
static fbterm_t term;

// A fresh screen of the given format with the sentinel everywhere, then a terminal.
static void setup(uint32_t format) {
    for (size_t i = 0; i < PITCH * H; i++)
        mem[i] = SENTINEL;
    assert_true(fbr_surface_init(&surf, mem, W, H, PITCH, format, 0xff0000, 0xff00, 0xff));
    fb_surface_t shadow;
    assert_true(fbr_surface_init(&shadow, shadow_mem, W, H, W, format, 0xff0000, 0xff00, 0xff));
    fbterm_init(&term, &surf, use_shadow ? &shadow : NULL, &font_terminus16);
    assert_int_equal(term.cols, 25);
    assert_int_equal(term.rows, 6);
}

// Writes a NUL-terminated string to the terminal.
static void put(const char *text) { fbterm_write(&term, text, strlen(text)); }

// True when cell (cx, cy) shows glyph g with exactly pixel values fg and bg.
static bool cell_is(uint32_t cx, uint32_t cy, uint32_t g, uint32_t fg, uint32_t bg) {
    const struct font *f = &font_terminus16;
    for (uint32_t r = 0; r < f->height; r++)
        for (uint32_t x = 0; x < f->width; x++) {
            bool on = font_row(f, g, r)[0] & (0x80 >> x);
            if (mem[(cy * f->height + r) * PITCH + cx * f->width + x] != (on ? fg : bg))
                return false;
        }
    return true;
}

// Reads text row cy back by matching each cell against the printable ASCII glyphs
// in the default colours (what the QEMU screenshot test does with the real screen).
static void row_text(uint32_t cy, char *out) {
    uint32_t fg = fbr_pixel(&surf, FBTERM_DEFAULT_FG), bg = fbr_pixel(&surf, FBTERM_DEFAULT_BG);
    uint32_t n = 0;
    for (uint32_t cx = 0; cx < term.cols; cx++) {
        char c = '?';
        if (term.cursor_shown && cx == term.cursor_x && cy == term.cursor_y) {
            out[n++] = ' '; // the cursor's underline
            continue;
        }
        for (int ch = ' '; ch < 127; ch++)
            if (cell_is(cx, cy, font_glyph(&font_terminus16, (uint32_t)ch), fg, bg)) {
                c = (char)ch;
                break;
            }
        out[n++] = c;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = 0;
}

// True when no pixel of the padding (x >= W) or of the spare rows changed.
static bool padding_untouched(void) {
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = W; x < PITCH; x++)
            if (mem[y * PITCH + x] != SENTINEL)
                return false;
    return true;
}

static void fbcon_font_is_debian_terminus(void **state) {
    const struct font *f = &font_terminus16;
    assert_int_equal(f->width, 8);
    assert_int_equal(f->height, 16);
    assert_true(f->glyphs >= 256);
    assert_int_equal(font_glyph(f, 'A'), f->ascii['A']);
    assert_int_not_equal(font_glyph(f, 'A'), font_glyph(f, 'B'));
    assert_int_not_equal(font_glyph(f, 0xb5), f->replacement); // µ is in Uni2
    assert_int_equal(font_glyph(f, 0x10ffff), f->replacement);
    int lit = 0; // a blank space, an 'A' with ink
    for (uint32_t r = 0; r < 16; r++) {
        assert_int_equal(font_row(f, font_glyph(f, ' '), r)[0], 0);
        lit += __builtin_popcount(font_row(f, font_glyph(f, 'A'), r)[0]);
    }
    assert_true(lit > 10);
    assert_int_equal(font_terminus32.width, 16);
    assert_int_equal(font_terminus32.height, 32);
    assert_ptr_equal(font_pick(1024, 768), &font_terminus16);
    assert_ptr_equal(font_pick(1920, 1080), &font_terminus32);
    assert_ptr_equal(font_pick(2560, 1440), &font_terminus32x2);
    assert_ptr_equal(font_pick(3840, 2160), &font_terminus32x2);
}

// At 2560 pixels and more the 16x32 font is drawn 2x: every source pixel
// becomes a 2x2 block, the character maps stay the same.
static void fbcon_font_scales_2x_for_huge_screens(void **state) {
    const struct font *src = &font_terminus32, *f = font_pick(3840, 2160);
    assert_int_equal(f->width, 32);
    assert_int_equal(f->height, 64);
    assert_int_equal(f->row_bytes, 4);
    assert_int_equal(f->glyphs, src->glyphs);
    assert_int_equal(font_glyph(f, 'A'), font_glyph(src, 'A'));
    for (uint32_t g = 0; g < src->glyphs; g += 7)
        for (uint32_t y = 0; y < f->height; y++)
            for (uint32_t x = 0; x < f->width; x++) {
                bool big = font_row(f, g, y)[x / 8] & (0x80 >> (x % 8));
                uint32_t sx = x / 2;
                bool small = font_row(src, g, y / 2)[sx / 8] & (0x80 >> (sx % 8));
                assert_int_equal(big, small);
            }
    struct font tiny;
    uint8_t buf[16];
    assert_false(font_scale2x(src, &tiny, buf, sizeof buf)); // too small a buffer: refused
}

// Draws red "Hi" at cell (3, 2) and checks the bytes of a lit pixel in memory order.
static void check_format(uint32_t format, const uint8_t red_bytes[4]) {
    setup(format);
    put("\033[3;4H\033[31mHi");
    uint32_t fg = fbr_pixel(&surf, fbterm_palette[1]), bg = fbr_pixel(&surf, 0);
    assert_true(cell_is(3, 2, font_glyph(&font_terminus16, 'H'), fg, bg));
    assert_true(cell_is(4, 2, font_glyph(&font_terminus16, 'i'), fg, bg));
    assert_true(cell_is(2, 2, font_glyph(&font_terminus16, ' '), fg, bg));
    uint8_t bytes[4];
    memcpy(bytes, &fg, 4);
    assert_memory_equal(bytes, red_bytes, 3); // the 4th byte is reserved
    assert_true(padding_untouched());
}

static void fbcon_glyphs_land_in_rgbx_and_bgrx(void **state) {
    const uint8_t rgbx[4] = {0xcd, 0x30, 0x30, 0}; // byte 0 red
    const uint8_t bgrx[4] = {0x30, 0x30, 0xcd, 0}; // byte 0 blue
    check_format(BOOT_FB_RGBX, rgbx);
    check_format(BOOT_FB_BGRX, bgrx);
    check_format(BOOT_FB_BITMASK, bgrx); // masks 0xff0000/0xff00/0xff are BGRX
}

static void fbcon_bitmask_formats_scale_channels(void **state) {
    fb_surface_t s;
    // 5-6-5 in the low half of a 32-bit pixel.
    assert_true(fbr_surface_init(&s, mem, W, H, PITCH, BOOT_FB_BITMASK, 0xf800, 0x07e0, 0x001f));
    assert_int_equal(fbr_pixel(&s, 0xff0000), 0xf800);
    assert_int_equal(fbr_pixel(&s, 0x00ff00), 0x07e0);
    assert_int_equal(fbr_pixel(&s, 0x0000ff), 0x001f);
    assert_int_equal(fbr_pixel(&s, 0x808080), (0x10 << 11) | (0x20 << 5) | 0x10);
    // 10 bits per channel (30-bit colour): full scale stays full scale.
    assert_true(fbr_surface_init(&s, mem, W, H, PITCH, BOOT_FB_BITMASK, 0x3ff00000, 0xffc00,
                                 0x3ff));
    assert_int_equal(fbr_pixel(&s, 0xffffff), 0x3fffffff);
    assert_int_equal(fbr_pixel(&s, 0x800000), 0x202u << 20);
    // Split or empty masks, no framebuffer, a pitch below the width: refused.
    assert_false(fbr_surface_init(&s, mem, W, H, PITCH, BOOT_FB_BITMASK, 0xf0f000, 0xff00, 0xff));
    assert_false(fbr_surface_init(&s, mem, W, H, PITCH, BOOT_FB_BITMASK, 0, 0xff00, 0xff));
    assert_false(fbr_surface_init(&s, mem, W, H, PITCH, BOOT_FB_NONE, 0, 0, 0));
    assert_false(fbr_surface_init(&s, mem, W, H, W - 1, BOOT_FB_BGRX, 0, 0, 0));
}

static void fbcon_scrolls_whole_rows_when_the_screen_is_full(void **state) {
    setup(BOOT_FB_BGRX);
    for (uint32_t y = 96; y < H; y++) // below the text area: scrolling must not touch
        for (uint32_t x = 0; x < W; x++)
            mem[y * PITCH + x] = SENTINEL;
    char line[32], got[32];
    for (int i = 0; i < 9; i++) { // 6 rows: lines 0..2 scroll away
        int n = snprintf(line, sizeof line, "line %d%s", i, i < 8 ? "\n" : "");
        fbterm_write(&term, line, (size_t)n);
    }
    assert_int_equal(term.scrolls, 3);
    for (uint32_t r = 0; r < 6; r++) {
        row_text(r, got);
        snprintf(line, sizeof line, "line %u", r + 3);
        assert_string_equal(got, line);
    }
    // The pixel rows below the last text row are outside the text area: untouched,
    // and so is the padding right of the visible width (moved along with its row).
    assert_true(padding_untouched());
}

static void fbcon_wraps_long_lines_and_handles_controls(void **state) {
    setup(BOOT_FB_RGBX);
    char got[32];
    put("abcdefghijklmnopqrstuvwxyz"); // 25 columns: z wraps
    row_text(0, got);
    assert_string_equal(got, "abcdefghijklmnopqrstuvwxy");
    row_text(1, got);
    assert_string_equal(got, "z");
    put("\nxx\rA\tB\bC");
    row_text(2, got);
    assert_string_equal(got, "Ax      C");
    put("\033[?25l\033[1;1HQ\033[K"); // unknown CSI ignored; erase line
    row_text(0, got);
    assert_string_equal(got, "Q");
}

static void fbcon_ansi_colours_and_reset(void **state) {
    setup(BOOT_FB_BGRX);
    const struct font *f = &font_terminus16;
    uint32_t bg = fbr_pixel(&surf, 0);
    put("\033[32mg\033[1;31mr\033[0md\033[94;41mb\033[2;39;49mm");
    assert_true(cell_is(0, 0, font_glyph(f, 'g'), fbr_pixel(&surf, fbterm_palette[2]), bg));
    assert_true(cell_is(1, 0, font_glyph(f, 'r'), fbr_pixel(&surf, fbterm_palette[9]), bg));
    assert_true(cell_is(2, 0, font_glyph(f, 'd'), fbr_pixel(&surf, FBTERM_DEFAULT_FG), bg));
    assert_true(cell_is(3, 0, font_glyph(f, 'b'), fbr_pixel(&surf, fbterm_palette[12]),
                        fbr_pixel(&surf, fbterm_palette[1])));
    assert_true(cell_is(4, 0, font_glyph(f, 'm'), fbr_pixel(&surf, (FBTERM_DEFAULT_FG >> 1) & 0x7f7f7f),
                        bg));
}

static void fbcon_colours_pass_green_and_fail_red(void **state) {
    setup(BOOT_FB_BGRX);
    const struct font *f = &font_terminus16;
    uint32_t bg = fbr_pixel(&surf, 0), fg = fbr_pixel(&surf, FBTERM_DEFAULT_FG);
    uint32_t green = fbr_pixel(&surf, FBTERM_PASS), red = fbr_pixel(&surf, FBTERM_FAIL);
    put("x=1 PASS\nFAIL\nBYPASS PASSED\n\033[33mPASS");
    for (uint32_t i = 0; i < 4; i++) {
        assert_true(cell_is(4 + i, 0, font_glyph(f, (uint32_t)"PASS"[i]), green, bg));
        assert_true(cell_is(i, 1, font_glyph(f, (uint32_t)"FAIL"[i]), red, bg));
        assert_true(cell_is(2 + i, 2, font_glyph(f, (uint32_t)"PASS"[i]), fg, bg)); // BYPASS
        assert_true(cell_is(7 + i, 2, font_glyph(f, (uint32_t)"PASS"[i]), green, bg)); // PASSED
        assert_true(cell_is(i, 3, font_glyph(f, (uint32_t)"PASS"[i]),
                            fbr_pixel(&surf, fbterm_palette[3]), bg)); // explicit colour wins
    }
}

static void fbcon_colours_residency_map_cells_and_legend(void **state) {
    setup(BOOT_FB_BGRX);
    const struct font *f = &font_terminus16;
    uint32_t bg = fbr_pixel(&surf, 0), fg = fbr_pixel(&surf, FBTERM_DEFAULT_FG);
    uint32_t green = fbr_pixel(&surf, fbterm_palette[10]), yellow = fbr_pixel(&surf, fbterm_palette[3]);
    uint32_t cyan = fbr_pixel(&surf, fbterm_palette[6]), dim = fbr_pixel(&surf, 0x606060);
    // 25 columns: the address and the first 8 cells of a map row.
    put("  0x00c000000000 Rrc.Rxyz\n");
    assert_true(cell_is(0 + 2, 0, font_glyph(f, '0'), fg, bg)); // the address stays plain
    assert_true(cell_is(17, 0, font_glyph(f, 'R'), green, bg));
    assert_true(cell_is(18, 0, font_glyph(f, 'r'), yellow, bg));
    assert_true(cell_is(19, 0, font_glyph(f, 'c'), cyan, bg));
    assert_true(cell_is(20, 0, font_glyph(f, '.'), dim, bg));
    assert_true(cell_is(22, 0, font_glyph(f, 'x'), fg, bg)); // not a state
    // Not a map row: a different prefix.
    put(" 0x00c000000000 R\n");
    assert_true(cell_is(16, 1, font_glyph(f, 'R'), fg, bg));
    // The legend: lone state letters coloured, words left alone.
    put("legend: R all r part\n");
    assert_true(cell_is(8, 2, font_glyph(f, 'R'), green, bg));
    assert_true(cell_is(14, 2, font_glyph(f, 'r'), yellow, bg));
    assert_true(cell_is(9, 2, font_glyph(f, ' '), fg, bg));
    put("legend: rr R\n"); // "rr" is a word: plain; a final R without a space after: plain
    assert_true(cell_is(8, 3, font_glyph(f, 'r'), fg, bg));
    assert_true(cell_is(11, 3, font_glyph(f, 'R'), fg, bg));
}

static void fbcon_cursor_follows_the_text(void **state) {
    setup(BOOT_FB_RGBX);
    uint32_t fg = fbr_pixel(&surf, FBTERM_DEFAULT_FG), bg = fbr_pixel(&surf, 0);
    put("ab");
    for (uint32_t x = 0; x < 8; x++) { // underline in rows 14-15 of cell (2, 0)
        assert_int_equal(mem[14 * PITCH + 16 + x], fg);
        assert_int_equal(mem[15 * PITCH + 16 + x], fg);
        assert_int_equal(mem[13 * PITCH + 16 + x], bg);
    }
    put("\n");
    for (uint32_t x = 0; x < 8; x++) {
        assert_int_equal(mem[15 * PITCH + 16 + x], bg); // gone from the old place
        assert_int_equal(mem[(16 + 15) * PITCH + x], fg); // at the start of line 1
    }
    put("c");
    assert_true(cell_is(0, 1, font_glyph(&font_terminus16, 'c'), fg, bg)); // drawn over
}

static void fbcon_decodes_utf8_and_replaces_bad_bytes(void **state) {
    setup(BOOT_FB_RGBX);
    const struct font *f = &font_terminus16;
    uint32_t bg = fbr_pixel(&surf, 0), fg = fbr_pixel(&surf, FBTERM_DEFAULT_FG);
    // µ (2 bytes), → (3 bytes), a stray continuation byte, a truncated sequence.
    put("\xc2\xb5\xe2\x86\x92\x80\xe2\x86Z");
    assert_true(cell_is(0, 0, font_glyph(f, 0xb5), fg, bg));
    assert_true(cell_is(1, 0, font_glyph(f, 0x2192), fg, bg));
    assert_true(cell_is(2, 0, f->replacement, fg, bg));
    assert_true(cell_is(3, 0, f->replacement, fg, bg));
    assert_true(cell_is(4, 0, font_glyph(f, 'Z'), fg, bg));
    assert_int_equal(term.cx, 5);
}

static void fbcon_jump_scroll_moves_several_rows_at_once(void **state) {
    setup(BOOT_FB_RGBX);
    term.jump = 4;
    char line[32], got[32];
    for (int i = 0; i < 8; i++) { // 6 rows; line 6 scrolls 4 rows away at once
        int n = snprintf(line, sizeof line, "line %d%s", i, i < 7 ? "\n" : "");
        fbterm_write(&term, line, (size_t)n);
    }
    assert_int_equal(term.scrolls, 1);
    static const char *const expect[6] = {"line 4", "line 5", "line 6", "line 7", "", ""};
    for (uint32_t r = 0; r < 6; r++) {
        row_text(r, got);
        assert_string_equal(got, expect[r]);
    }
}

// The same behaviours again, drawing in a RAM shadow that is flushed to the screen.
static void fbcon_shadow_buffer_shows_the_same_screen(void **state) {
    use_shadow = true;
    fbcon_glyphs_land_in_rgbx_and_bgrx(state);
    fbcon_scrolls_whole_rows_when_the_screen_is_full(state);
    fbcon_wraps_long_lines_and_handles_controls(state);
    fbcon_ansi_colours_and_reset(state);
    fbcon_colours_pass_green_and_fail_red(state);
    fbcon_colours_residency_map_cells_and_legend(state);
    fbcon_jump_scroll_moves_several_rows_at_once(state);
    assert_true(term.shadowed);
    // Nothing waits in the shadow after a write: the screen equals it row for row.
    for (uint32_t y = 0; y < 96; y++)
        assert_memory_equal(mem + y * PITCH, shadow_mem + y * W, W * sizeof(uint32_t));
    assert_true(padding_untouched());
    use_shadow = false;
}

RUN_TESTS(cmocka_unit_test(fbcon_font_is_debian_terminus),
          cmocka_unit_test(fbcon_font_scales_2x_for_huge_screens),
          cmocka_unit_test(fbcon_glyphs_land_in_rgbx_and_bgrx),
          cmocka_unit_test(fbcon_bitmask_formats_scale_channels),
          cmocka_unit_test(fbcon_scrolls_whole_rows_when_the_screen_is_full),
          cmocka_unit_test(fbcon_wraps_long_lines_and_handles_controls),
          cmocka_unit_test(fbcon_ansi_colours_and_reset),
          cmocka_unit_test(fbcon_colours_pass_green_and_fail_red),
          cmocka_unit_test(fbcon_colours_residency_map_cells_and_legend),
          cmocka_unit_test(fbcon_cursor_follows_the_text),
          cmocka_unit_test(fbcon_decodes_utf8_and_replaces_bad_bytes),
          cmocka_unit_test(fbcon_jump_scroll_moves_several_rows_at_once),
          cmocka_unit_test(fbcon_shadow_buffer_shows_the_same_screen))
