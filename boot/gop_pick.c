// Picking a GOP mode from gop=keep|WxH|max (see gop_pick.h). No UEFI calls:
// boot/gop.c lists the modes and sets the one picked here.
#include "boot/gop_pick.h"

// Parses decimal digits at *s (at most 5); advances *s. Returns -1 on none.
static long parse_num(const char **s) {
    long v = 0;
    int digits = 0;
    while (**s >= '0' && **s <= '9' && digits < 5) {
        v = v * 10 + (**s - '0');
        (*s)++;
        digits++;
    }
    return digits ? v : -1;
}

// True when the text from s to the end of the word (space or NUL) equals word.
static int word_is(const char *s, const char *word) {
    while (*word && *s == *word)
        s++, word++;
    return *word == 0 && (*s == 0 || *s == ' ');
}

// Index of the drawable mode w x h, or -1.
static int find_exact(const struct boot_gop_mode *modes, int n, long w, long h) {
    for (int i = 0; i < n; i++)
        if (modes[i].format != BOOT_FB_NONE && modes[i].width == (uint32_t)w &&
            modes[i].height == (uint32_t)h)
            return i;
    return -1;
}

// Index of the drawable mode with the most pixels, or -1.
static int find_max(const struct boot_gop_mode *modes, int n) {
    int best = -1;
    for (int i = 0; i < n; i++)
        if (modes[i].format != BOOT_FB_NONE &&
            (best < 0 || (uint64_t)modes[i].width * modes[i].height >
                             (uint64_t)modes[best].width * modes[best].height))
            best = i;
    return best;
}

int boot_gop_pick(const char *want, const struct boot_gop_mode *modes, int n, const char **why) {
    if (!want || !*want || *want == ' ' || word_is(want, "keep")) {
        *why = "the firmware's mode";
        return -1;
    }
    if (word_is(want, "max")) {
        int i = find_max(modes, n);
        *why = i < 0 ? "gop=max: the GOP lists no mode to draw on; kept the firmware's"
                     : "the largest mode (gop=max)";
        return i;
    }
    const char *p = want;
    long w = parse_num(&p);
    long h = *p == 'x' ? (p++, parse_num(&p)) : -1;
    if (w <= 0 || h <= 0 || (*p && *p != ' ')) {
        *why = "gop= must be WIDTHxHEIGHT, max or keep; kept the firmware's mode";
        return -1;
    }
    int i = find_exact(modes, n, w, h);
    *why = i < 0 ? "the GOP does not list the mode gop= asks for; kept the firmware's"
                 : "the mode gop= asks for";
    return i;
}
