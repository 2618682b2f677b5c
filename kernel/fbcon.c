// The framebuffer console, kernel half: binds the portable terminal
// (fbcon_render.h) to the GOP framebuffer, keeps the text written before it
// started, guards against re-entry (a fault while drawing must not draw again),
// and measures itself (selftest=fbcon).
//
// Speed on real PCs: the framebuffer sits in PCI memory that the firmware's MTRRs
// usually leave uncached, where every load is a bus round trip and every store a
// separate bus write. So the screen is mapped write-combining (PAT entry 4, which
// nothing else uses, set to WC; 4 KiB pages in a window of our own), and all
// drawing and scrolling happen in a shadow copy in RAM; fbterm_flush then writes
// the changed rows to the screen, which is never read. Scrolling moves jump text
// rows at a time (a quarter of the screen), so a screenful of output costs four
// memmoves, not one per line. When the shadow's frames or the mapping are not
// available the console draws straight into the direct map, as before.
#include "kernel/fbcon.h"

#include <stdio.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/fbcon_render.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "kernel/frames.h"
#include "sys/selftest.h"
#include "sys/sys.h"

// Kernel-private windows (PML4 slots 384 and 400: clear of the runtime window,
// the direct map at slot 256 and the kernel image at 511).
#define FBCON_SCREEN_VA 0xffffc00000000000ull
// The shadow's offset keeps its pages and the screen's apart in QEMU's direct-mapped
// software TLB (a flush alternates between them); real TLBs do not care.
#define FBCON_SHADOW_VA 0xffffc80000155000ull
#define MSR_PAT 0x277
#define PAT_WC 0x01ull
#define PTE_PAT_4K (1ull << 7) // in a 4 KiB PTE: PAT index bit 2 (index 4 with PCD=PWT=0)

static fbterm_t term;
static bool active;
static int busy;
static uint64_t fb_phys;
static bool fb_wc;            // the screen is our WC mapping (else the direct map)
static uint64_t shadow_frames; // frames holding the shadow (0: none)
static uint64_t busy_ns, writes; // time spent drawing, for fbcon_report

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

// Maps the framebuffer [pa, pa+bytes) write-combining at FBCON_SCREEN_VA. Returns
// the mapped address of pa, or NULL when the CPU has no PAT.
static void *map_screen_wc(uint64_t pa, uint64_t bytes) {
    if (!cpu_has(CPU_PAT))
        return NULL;
    uint64_t pat = rdmsr(MSR_PAT);
    wrmsr(MSR_PAT, (pat & ~(0xffull << 32)) | PAT_WC << 32);
    uint64_t first = pa & ~0xfffull, end = (pa + bytes + 0xfff) & ~0xfffull;
    for (uint64_t p = first; p < end; p += 4096)
        *pt_pte(FBCON_SCREEN_VA + (p - first), true) = p | PTE_P | PTE_W | pte_nx | PTE_PAT_4K;
    return (void *)(uintptr_t)(FBCON_SCREEN_VA + (pa - first));
}

// Maps bytes of fresh frames at FBCON_SHADOW_VA. Returns the address, or NULL
// (everything given back) when the frames run out.
static void *map_shadow(uint64_t bytes) {
    uint64_t n = (bytes + 4095) / 4096;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa = pg_alloc();
        if (pa == PG_NONE) {
            while (i-- > 0) {
                uint64_t *pte = pt_pte(FBCON_SHADOW_VA + i * 4096, false);
                pg_free(*pte & PTE_ADDR);
                *pte = 0;
                invlpg((void *)(uintptr_t)(FBCON_SHADOW_VA + i * 4096));
            }
            return NULL;
        }
        *pt_pte(FBCON_SHADOW_VA + i * 4096, true) = pa | PTE_P | PTE_W | pte_nx;
    }
    shadow_frames = n;
    return (void *)(uintptr_t)FBCON_SHADOW_VA;
}

bool fbcon_init_fb(const struct boot_framebuffer *fb) {
    if (!fb || fb->base == 0 || fb->format == BOOT_FB_NONE) {
        early_len = 0;
        return false;
    }
    // A GOP that reports fewer bytes than pitch * height: draw only the rows it has.
    uint32_t height = fb->height;
    if (fb->pixels_per_scanline && (uint64_t)fb->pixels_per_scanline * height * 4 > fb->size)
        height = (uint32_t)(fb->size / 4 / fb->pixels_per_scanline);
    fb_surface_t s;
    if (height < 32 || !fbr_surface_init(&s, pt_phys_to_virt(fb->base), fb->width, height,
                                         fb->pixels_per_scanline, fb->format, fb->red_mask,
                                         fb->green_mask, fb->blue_mask)) {
        early_len = 0;
        kprintf("fbcon: cannot draw on the %ux%u %s framebuffer (pitch %u, %lu bytes): "
                "serial only\n",
                fb->width, fb->height, format_name(fb->format), fb->pixels_per_scanline,
                (unsigned long)fb->size);
        return false;
    }
    fb_phys = fb->base;
    void *wc = map_screen_wc(fb->base, fb->size);
    if (wc) {
        fb_wc = true;
        s.pixels = wc;
    }
    fb_surface_t shadow;
    void *sh = map_shadow((uint64_t)fb->width * height * 4);
    bool shadowed = sh && fbr_surface_init(&shadow, sh, fb->width, height, fb->width,
                                           fb->format, fb->red_mask, fb->green_mask,
                                           fb->blue_mask);
    fbterm_init(&term, &s, shadowed ? &shadow : NULL, font_pick(fb->width, height));
    term.jump = term.rows >= 16 ? term.rows / 4 : 1;
    active = true;
    fbcon_write(early, early_len);
    early_len = 0;
    kprintf("fbcon: %ux%u %s pitch %u at 0x%lx (%s), font %s %ux%u, %ux%u cells, "
            "shadow %lu KiB, scroll %u rows\n",
            fb->width, fb->height, format_name(fb->format), fb->pixels_per_scanline,
            (unsigned long)fb->base, fb_wc ? "write-combining" : "direct map", term.font->name,
            term.font->width, term.font->height, term.cols, term.rows,
            (unsigned long)(shadow_frames * 4), term.jump);
    return true;
}

void fbcon_init(void) { fbcon_init_fb(&kboot.fb); }

bool fbcon_active(void) { return active; }

bool fbcon_geometry(const char **font, uint32_t *cols, uint32_t *rows) {
    if (!active)
        return false;
    *font = term.font->name;
    *cols = term.cols;
    *rows = term.rows;
    return true;
}

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
    if (!fb_wc) { // the direct map moves at pt_init; our own windows do not
        if (term.shadowed)
            term.screen.pixels = pt_phys_to_virt(fb_phys);
        else
            term.surf.pixels = term.screen.pixels = pt_phys_to_virt(fb_phys);
    }
    uint64_t t0 = sys_nanotime();
    fbterm_write(&term, buf, len);
    if (fb_wc)
        __asm__ volatile("sfence" ::: "memory"); // push out the write-combining buffers
    busy_ns += sys_nanotime() - t0;
    writes++;
    busy = 0;
}

void fbcon_report(void) {
    if (!active)
        return;
    uint64_t now = sys_nanotime();
    kprintf("fbcon: %lu writes, %lu glyphs, %lu scrolls: %lu ms drawing, %lu.%lu%% of the %lu ms "
            "since boot\n",
            (unsigned long)writes, (unsigned long)term.glyphs_drawn, (unsigned long)term.scrolls,
            (unsigned long)(busy_ns / 1000000), (unsigned long)(now ? busy_ns * 100 / now : 0),
            (unsigned long)(now ? busy_ns * 1000 / now % 10 : 0), (unsigned long)(now / 1000000));
}

// Reads back cell (cx, cy) from the screen: true when its pixels are exactly
// glyph g in pixel values fg and bg.
static bool cell_shows(uint32_t cx, uint32_t cy, uint32_t g, uint32_t fg, uint32_t bg) {
    const struct font *f = term.font;
    for (uint32_t r = 0; r < f->height; r++) {
        const uint8_t *row = font_row(f, g, r);
        const uint32_t *p = term.screen.pixels +
                            (uint64_t)(cy * f->height + r) * term.screen.pitch + cx * f->width;
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
    // Bare scrolls (one text row, then the flush of the whole text area): the
    // fastest of 16, as other work on the host makes single TCG timings noisy.
    uint32_t bg = fbr_pixel(&term.surf, FBTERM_DEFAULT_BG);
    uint64_t scroll_ns = UINT64_MAX, flush_ns = UINT64_MAX;
    for (int i = 0; i < 16; i++) {
        uint64_t t2 = sys_nanotime();
        fbr_scroll(&term.surf, term.font->height, term.rows * term.font->height, bg);
        uint64_t t3 = sys_nanotime();
        term.dirty_lo = 0;
        term.dirty_hi = term.rows * term.font->height;
        fbterm_flush(&term);
        uint64_t t4 = sys_nanotime();
        if (t3 - t2 < scroll_ns)
            scroll_ns = t3 - t2;
        if (t4 - t3 < flush_ns)
            flush_ns = t4 - t3;
    }
    uint64_t moved = (uint64_t)(term.rows - 1) * term.font->height * term.surf.pitch * 4;
    // The marker goes on the (now empty) last line: read it back.
    term.cx = 0;
    fbcon_write("Ab9", 3);
    uint32_t fg = term.fg_px, y = term.cy;
    bool ok = cell_shows(0, y, font_glyph(term.font, 'A'), fg, term.bg_px) &&
              cell_shows(1, y, font_glyph(term.font, 'b'), fg, term.bg_px) &&
              cell_shows(2, y, font_glyph(term.font, '9'), fg, term.bg_px);
    fbcon_write("\n", 1);
    kprintf("  %u lines of 80 (%lu glyphs, %lu scrolls of %u rows) in %lu us: %lu us per line\n",
            n, (unsigned long)glyphs, (unsigned long)scrolls, term.jump,
            (unsigned long)((t1 - t0) / 1000), (unsigned long)((t1 - t0) / 1000 / n));
    kprintf("  a scroll moves %lu KiB in %s in %lu us, the flush to the screen takes %lu us%s\n",
            (unsigned long)(moved >> 10), term.shadowed ? "the RAM shadow" : "the framebuffer",
            (unsigned long)(scroll_ns / 1000), (unsigned long)(flush_ns / 1000),
            term.shadowed ? "" : " (no shadow: nothing to flush)");
    kprintf("  glyphs read back from the screen: %s\n", ok ? "match the font" : "WRONG");
    kprintf("  ");
    fbcon_report();
    return ok && scrolls >= term.rows / term.jump;
}
