// The kernel command line as the loader sees it: read from cmdline.txt, the
// loader-only keys (timeout=N, the menu countdown; gop=, the screen mode; the
// kernel ignores both), and the small edits menu rows make (append words, set
// key=value).
#include "boot/loader.h"

// Returns the length of the NUL-terminated string s.
UINTN boot_strlen(const char *s)
{
    UINTN n = 0;
    while (s[n])
        n++;
    return n;
}

// Makes one trimmed line of src in dst; fails when it does not fit.
EFI_STATUS boot_cmdline_from_file(char *dst, const char *src, UINTN len)
{
    UINTN n = 0;
    for (UINTN i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\r' || c == '\n' || c == '\t')
            c = ' ';
        else if (c < 0x20 || c == 0x7f)
            continue;
        if (c == ' ' && (n == 0 || dst[n - 1] == ' '))
            continue; // no leading or doubled spaces
        if (n + 1 >= BOOT_CMDLINE_MAX)
            return EFI_BAD_BUFFER_SIZE;
        dst[n++] = (char)c;
    }
    while (n > 0 && dst[n - 1] == ' ')
        n--;
    dst[n] = 0;
    return EFI_SUCCESS;
}

// Returns TRUE when the word at w (ending at a space or NUL) starts with key=.
static BOOLEAN word_has_key(const char *w, const char *key, UINTN keylen)
{
    for (UINTN i = 0; i < keylen; i++)
        if (w[i] != key[i])
            return FALSE;
    return w[keylen] == '=';
}

// Returns the last word of line whose key is key (keylen bytes), or NULL.
static const char *find_key(const char *line, const char *key, UINTN keylen)
{
    const char *found = NULL;
    for (const char *p = line; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (word_has_key(p, key, keylen))
            found = p;
        while (*p && *p != ' ')
            p++;
    }
    return found;
}

// Returns the value of the last key=value word (up to the next space), or NULL.
const char *boot_cmdline_value(const char *line, const char *key)
{
    UINTN keylen = boot_strlen(key);
    const char *w = find_key(line, key, keylen);
    return w ? w + keylen + 1 : NULL;
}

// Returns the countdown from the last timeout=N word, or the default.
UINTN boot_cmdline_timeout(const char *line)
{
    const char *w = find_key(line, "timeout", 7);
    if (!w)
        return BOOT_DEFAULT_TIMEOUT;
    UINTN v = 0, digits = 0;
    const char *p = w + 8;
    for (; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
        v = v * 10 + (UINTN)(*p - '0');
    if (digits == 0 || (*p && *p != ' ')) {
        boot_puts("loader: ignoring malformed timeout= in the command line\n");
        return BOOT_DEFAULT_TIMEOUT;
    }
    return v;
}

// Appends words to line with one separating space; FALSE when too long.
BOOLEAN boot_cmdline_append(char *line, const char *words)
{
    UINTN n = boot_strlen(line), m = boot_strlen(words);
    if (m == 0)
        return TRUE;
    if (n + 1 + m + 1 > BOOT_CMDLINE_MAX)
        return FALSE;
    if (n > 0)
        line[n++] = ' ';
    CopyMem(line + n, (void *)words, m + 1);
    return TRUE;
}

// Removes every word with the given key from line.
static void remove_key(char *line, const char *key, UINTN keylen)
{
    char *out = line;
    const char *p = line;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (word_has_key(w, key, keylen))
            continue;
        if (out != line)
            *out++ = ' ';
        while (w < p)
            *out++ = *w++;
    }
    *out = 0;
}

// Sets one or more key=value words (space separated) in line.
BOOLEAN boot_cmdline_set(char *line, const char *words)
{
    const char *p = words;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        UINTN keylen = 0;
        while (w + keylen < p && w[keylen] != '=')
            keylen++;
        if (w + keylen >= p)
            continue; // not a key=value word
        char word[BOOT_CMDLINE_MAX];
        UINTN wl = (UINTN)(p - w);
        if (wl >= sizeof(word))
            return FALSE;
        CopyMem(word, (void *)w, wl);
        word[wl] = 0;
        remove_key(line, w, keylen);
        if (!boot_cmdline_append(line, word))
            return FALSE;
    }
    return TRUE;
}
